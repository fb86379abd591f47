//! Read QR codes from images and check that an image holds a given ms-qrpin code.
//!
//! Inputs: PNG, JPEG, GIF (first frame), WebP, BMP and SVG, told apart by their content, not
//! their name. Limits on file size, pixel count and SVG size/nesting are checked before pixels
//! are decoded ([`ScanOptions`]), and third-party decoder panics are contained, so a hostile file
//! gives a [`ScanError`], never a crash.
//!
//! The [`Scanner`] works in layers, cheapest first, each tried only when the previous one did not
//! settle the image:
//! 1. **known geometry** — a clean upright render (qrpin's own) is sampled at its module centres
//!    straight from the quiet-zone edges and finder width, and accepted only if every function
//!    pattern reads exactly;
//! 2. **rqrr's detector**, and 3. **rxing's detectors** (a port of zxing-cpp's, stronger on small
//!    modules, blur and curved codes); both run, their grids are decoded alike, and duplicates
//!    merged — so nothing either reads alone is lost;
//! 4. **variants** when nothing was found: inverted, rescaled (huge photos down, tiny images up),
//!    and a global-threshold binarisation.
//!
//! Every grid is error-corrected, so a code is reported only when its Reed–Solomon check passes.
//! Text: ECI designators are applied; Kanji segments are Shift JIS; byte segments without ECI are
//! UTF-8 when valid, Shift JIS when they look like it, else ISO-8859-1 (see `segments.rs`).
//!
//! ```
//! use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix};
//! use qrpin_scan::{Layer, Scanner};
//! use qrpin_codec::Ecl;
//!
//! let text = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
//! let m = QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl: Ecl::Q, ..Default::default() })?;
//! let png = to_png(&m, &PngOptions::default())?;
//! let codes = Scanner::default().scan_bytes(&png)?;
//! assert_eq!(codes.len(), 1);
//! assert_eq!((codes[0].text.as_str(), codes[0].ecl), (text, Ecl::Q));
//! assert_eq!(codes[0].layer, Layer::KnownGeometry);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! To check one expected code rather than list what is there, [`verify()`] compares every code
//! read with the expected text (and level, when given) and answers with a [`Verdict`].
//!
//! Not here: Micro QR and rMQR, structured-append merging, writing codes (`qrpin-render`),
//! checking that a text read is a valid ms-qrpin payload (`qrpin-codec`'s `Payload::parse`),
//! and camera or video capture.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod contain;
mod decode;
mod detect;
mod error;
mod exact;
mod grid;
mod known;
mod load;
mod luma;
mod options;
pub mod roundtrip;
mod scan;
mod segments;
mod svg;
mod variants;
mod verify;

pub use error::ScanError;
pub use grid::ModuleGrid;
pub use load::{load, Format};
pub use luma::Luma8;
pub use options::ScanOptions;
pub use scan::{Decoded, Layer, Scanner};
pub use verify::{verify, verify_luma, Verdict};
