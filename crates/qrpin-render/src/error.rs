//! The one error type of this crate.

use qrpin_codec::Ecl;

/// Everything that can go wrong while encoding, writing or rasterising a QR code.
///
/// Messages say what was wrong and which value caused it, so the CLI can print them as they are.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The payload does not fit in any allowed version at the requested error-correction level.
    #[error(
        "payload of {len} bytes does not fit a QR code of version {version} at error-correction \
         level {ecl} (at most {max} bytes fit there in byte mode)"
    )]
    DataTooLong {
        /// Length of the payload in bytes.
        len: usize,
        /// The largest version that was allowed (the forced version, or 40).
        version: u8,
        /// The requested error-correction level.
        ecl: Ecl,
        /// How many bytes that version holds at that level in byte mode.
        max: usize,
    },
    /// A QR version outside 1..=40.
    #[error("QR version {0} is out of range (expected 1..=40)")]
    BadVersion(u32),
    /// A mask pattern outside 0..=7.
    #[error("mask pattern {0} is out of range (expected 0..=7)")]
    BadMask(u32),
    /// A colour that is not `#rgb` or `#rrggbb`.
    #[error("bad colour {value:?}: {reason} (expected #rgb or #rrggbb hex, e.g. #000 or #1a2b3c)")]
    BadColour {
        /// The text as given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A module scale of zero or above [`crate::MAX_SCALE`].
    #[error("scale {0} is out of range (expected 1..={max} pixels per module)", max = crate::MAX_SCALE)]
    BadScale(u32),
    /// A quiet-zone width above [`crate::MAX_BORDER`].
    #[error("border {0} is out of range (expected 0..={max} modules)", max = crate::MAX_BORDER)]
    BadBorder(u32),
    /// A physical length that does not parse or is out of range.
    #[error("bad length {value:?}: {reason}")]
    BadLength {
        /// The text as given (or the value, formatted).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A resolution (dots per inch) of zero or above [`crate::MAX_DPI`].
    #[error("dpi {0} is out of range (expected 1..={max})", max = crate::MAX_DPI)]
    BadDpi(u32),
    /// A title that cannot be written into XML (control characters).
    #[error("title contains U+{0:04X}, a control character or non-character that XML cannot hold")]
    BadTitle(u32),
    /// The image would be larger than the writer allows.
    #[error("image of {width}x{height} pixels is larger than the limit of {limit} pixels")]
    TooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
        /// The pixel limit that was exceeded.
        limit: u64,
    },
    /// The PNG encoder failed.
    #[error("cannot write PNG: {0}")]
    Png(#[from] png::EncodingError),
    /// Rasterising an SVG failed (it did not parse, or is over a limit).
    #[error("cannot rasterise SVG: {0}")]
    Svg(String),
    /// A badge could not be built or exported (unusable logo, no room, PDF conversion).
    #[error("badge: {0}")]
    Badge(String),
}
