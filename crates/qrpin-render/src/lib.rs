//! QR rendering for ms-qrpin payloads: payload bytes → [`QrMatrix`] → SVG, PNG or terminal text.
//!
//! The payload is encoded as one byte-mode segment at exactly the requested
//! error-correction level, at the smallest version that fits unless one is forced. The matrix is
//! our own bit-packed type, shared with the scan crate. Writers take a matrix and an options
//! struct and write into a caller's buffer, so batch rendering can reuse one allocation.
//! [`raster`] turns arbitrary SVG (e.g. the `binaryValue` Graph returns) into pixels, safely.
//! [`badge`] lays out printable badges (the code at an exact physical size with the holder's
//! name, UPN and validity) as SVG, PNG or vector PDF, alone or N-up on sheets; their text uses
//! two embedded faces (`fonts/`, a DejaVu Sans Condensed subset under the Bitstream Vera
//! licence), so Latin, Greek and Cyrillic text looks the same on every machine (other
//! characters fall back to system fonts).
//!
//! ```
//! use qrpin_render::{to_png, to_svg, EncodeOptions, PngOptions, QrMatrix, SvgOptions};
//! use qrpin_codec::Ecl;
//!
//! let text = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
//! let m = QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl: Ecl::M, ..Default::default() })?;
//! assert_eq!(m.version(), 5);
//! let svg: String = to_svg(&m, &SvgOptions::default())?;
//! let png: Vec<u8> = to_png(&m, &PngOptions::default())?;
//! # assert!(svg.contains("<path") && png.len() > 100);
//! # Ok::<(), qrpin_render::RenderError>(())
//! ```
//!
//! Not here: building or checking the ms-qrpin text (that is `qrpin-codec`), decoding images
//! (`qrpin-scan`), and structured append, ECI or Micro QR. The library writes into buffers
//! the caller owns and never writes files; it never fetches anything an SVG refers to.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod badge;
mod bitrow;
mod colour;
mod error;
mod layout;
mod length;
mod mask;
mod matrix;
mod options;
mod penalty;
mod place;
mod pngw;
pub mod raster;
mod rs;
mod svg;
mod term;

pub use colour::{contrast_warning, Background, Rgb};
pub use error::RenderError;
pub use length::{check_dpi, fit_print, Length, PrintFit, Unit, MAX_DPI};
pub use matrix::{
    byte_capacity, read_format, size_of_version, DarkRuns, EncodeOptions, QrMatrix, MAX_VERSION,
    MIN_VERSION,
};
pub use options::{
    PngCompression, PngOptions, RenderOptions, SvgOptions, SvgStyle, TextOptions, DEFAULT_BORDER,
    MAX_BORDER, MAX_PNG_PIXELS, MAX_SCALE,
};
pub use pngw::{to_png, write_png};
pub use qrpin_codec::Ecl;
pub use svg::{to_svg, write_svg};
pub use term::{to_text, write_text};
