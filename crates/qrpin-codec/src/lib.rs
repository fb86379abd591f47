//! Payloads, Graph JSON and PIN rules for Microsoft Entra's "QR code + PIN" sign-in.
//!
//! An Entra QR code holds the text `ms-qrpin:v1|<upn>|<codeId>`. This crate builds and parses
//! that text ([`Payload`], [`PayloadBuf`]), checks UPNs ([`upn`]) and code ids ([`guid`]),
//! decodes Graph's base64 properties ([`base64`]), names error-correction levels ([`Ecl`]),
//! and checks and generates PINs ([`pin`]). With its default features it also reads and
//! checks Graph's `qrCode`, `qrPin` and `qrCodePinAuthenticationMethod` JSON (the `graph`
//! module) and reads batch rows from CSV or JSON Lines (the `rows` module).
//!
//! ```
//! use qrpin_codec::{check_pin, Payload, PayloadBuf, PinPolicy};
//!
//! let built = PayloadBuf::build("admin@xpfq8.onmicrosoft.com", "44f2f040-ea9d-4283-9e7b-b63ddae391a9")?;
//! assert_eq!(built.as_str(), "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9");
//!
//! let parsed = Payload::parse(built.as_str())?;
//! assert_eq!(parsed.upn(), "admin@xpfq8.onmicrosoft.com");
//! assert_eq!(parsed.code_id(), "44f2f040-ea9d-4283-9e7b-b63ddae391a9");
//!
//! // A UPN with a character Entra does not allow is an error that says where.
//! let err = Payload::parse("ms-qrpin:v1|ad min@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9");
//! assert!(err.is_err());
//!
//! // Graph's own sample PIN passes; a plain sequence does not.
//! assert!(check_pin("09599786", PinPolicy::default()).is_ok());
//! assert!(check_pin("12345678", PinPolicy::default()).is_err());
//! # Ok::<(), qrpin_codec::PayloadError>(())
//! ```
//!
//! # Features
//!
//! | feature | default | adds | dependencies |
//! |---|:---:|---|---|
//! | *(none)* | – | [`payload`], [`upn`], [`guid`], [`base64`], [`ecl`], [`pin`] (checking) | `base64`, `thiserror` |
//! | `graph` | yes | the `graph` module (qrCode / qrPin / method types and rules), the `datetime` module (`DateTimeOffset`), serde for [`ErrorCorrectionLevel`] | `serde`, `serde_json`, `time` |
//! | `rows` | yes | the `rows` module: batch rows from CSV or JSON Lines; implies `graph` | `csv` |
//! | `pin-generate` | yes | `generate_pin` from the operating system's CSPRNG | `getrandom` |
//!
//! `default-features = false` leaves the payload, UPN, GUID, base64, level and PIN-checking
//! core, which depends on `base64` and `thiserror` alone; `qrpin-render` and `qrpin-scan` use
//! it that way.
//!
//! # What it does not do
//!
//! It does not draw or read QR symbols (that is `qrpin-render` and `qrpin-scan`), talk to
//! Microsoft Graph or hold credentials, or store PINs. It depends on no image, rendering or
//! network crate, whatever the features.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod base64;
#[cfg(feature = "graph")]
pub mod datetime;
pub mod ecl;
#[cfg(feature = "graph")]
pub mod graph;
pub mod guid;
pub mod payload;
pub mod pin;
#[cfg(feature = "rows")]
pub mod rows;
pub mod upn;

#[cfg(feature = "graph")]
pub use datetime::DateTimeOffset;
pub use ecl::{Ecl, ErrorCorrectionLevel, UnknownEcl};
pub use guid::Guid;
pub use payload::{build_into, ParseOptions, Payload, PayloadBuf, PayloadError};
#[cfg(feature = "pin-generate")]
pub use pin::generate_pin;
pub use pin::{check_pin, PinError, PinPolicy};
