//! Payloads, Graph JSON and PIN rules for Microsoft Entra's "QR code + PIN" sign-in.
//!
//! An Entra QR code holds the text `ms-qrpin:v1|<upn>|<codeId>`. This crate builds and parses
//! that text ([`Payload`], [`PayloadBuf`]), checks UPNs ([`upn`]) and code ids ([`guid`]),
//! decodes Graph's base64 properties ([`base64`]), reads and checks Graph's `qrCode`, `qrPin`
//! and `qrCodePinAuthenticationMethod` JSON ([`graph`]), and checks and generates PINs
//! ([`pin`]).
//!
//! ```
//! use qrpin_codec::{Payload, PayloadBuf};
//! let built = PayloadBuf::build("admin@xpfq8.onmicrosoft.com", "44f2f040-ea9d-4283-9e7b-b63ddae391a9")?;
//! let parsed = Payload::parse(built.as_str())?;
//! assert_eq!(parsed.upn(), "admin@xpfq8.onmicrosoft.com");
//! # Ok::<(), qrpin_codec::PayloadError>(())
//! ```
//!
//! What it does not do: draw or read QR symbols (see `qrpin-render` and `qrpin-scan`), or talk
//! to Graph. It depends on no image or rendering crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod base64;
pub mod datetime;
pub mod ecl;
pub mod graph;
pub mod guid;
pub mod payload;
pub mod pin;
pub mod rows;
pub mod upn;

pub use datetime::DateTimeOffset;
pub use ecl::{Ecl, ErrorCorrectionLevel, UnknownEcl};
pub use guid::Guid;
pub use payload::{build_into, ParseOptions, Payload, PayloadBuf, PayloadError};
pub use pin::{check_pin, generate_pin, PinError, PinPolicy};
