//! The one error type of this crate.

/// Everything that can stop an image from being scanned.
///
/// "No QR code in the image" is not an error: [`crate::Scanner::scan_bytes`] returns an empty list
/// for it. These are the cases where the image itself could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The input is larger than a limit in [`crate::ScanOptions`]; checked before decoding pixels.
    #[error("{what} is too large: {actual} > limit {limit}")]
    TooLarge {
        /// What was measured: "file", "image (pixels)", "SVG (bytes)", "image width", …
        what: &'static str,
        /// The measured value.
        actual: u64,
        /// The limit it exceeded.
        limit: u64,
    },
    /// The content is not one of the supported formats (detected from its first bytes).
    #[error("unsupported image format: {0} (expected PNG, JPEG, GIF, WebP, BMP or SVG)")]
    Unsupported(String),
    /// The file ends before the image does.
    #[error("truncated {format} file: {detail}")]
    Truncated {
        /// The detected format.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// The file has the signature of a supported format but its content is malformed.
    #[error("malformed {format} file: {detail}")]
    Format {
        /// The detected format.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// The image has no pixels (zero width or height).
    #[error("empty image ({width}x{height} pixels)")]
    Empty {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// An SVG input could not be rasterised.
    #[error("cannot rasterise SVG: {0}")]
    Svg(String),
    /// A third-party decoder panicked on this image; the panic was contained.
    #[error(
        "the {stage} stage panicked on this image (contained; the image is treated as unreadable)"
    )]
    Panicked {
        /// Which stage: "rqrr detection", "rqrr decoding", "rxing detection", …
        stage: &'static str,
    },
}
