//! Microsoft Graph's QR code + PIN objects (beta API) and the rules their values follow.
//!
//! [`types`] holds the serde types; [`rules`] checks a parsed object and returns a
//! [`rules::Report`] of named checks. [`parse_object`] reads any of the three objects from JSON,
//! telling them apart by `@odata.type` (or, failing that, by their properties).

pub mod journal;
pub mod rules;
pub mod types;

pub use rules::{
    check_object, check_qr_code, check_qr_pin, Check, CodeKind, ImageKind, Outcome, Report,
};
pub use types::{QrCode, QrCodeImageDetails, QrCodePinAuthenticationMethod, QrPin};

/// `@odata.type` of a qrCode.
pub const ODATA_QR_CODE: &str = "#microsoft.graph.qrCode";
/// `@odata.type` of a qrPin.
pub const ODATA_QR_PIN: &str = "#microsoft.graph.qrPin";
/// `@odata.type` of the authentication method.
pub const ODATA_METHOD: &str = "#microsoft.graph.qrCodePinAuthenticationMethod";

/// Why a document is not a usable Graph object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// Malformed JSON, or a value of the wrong type (`"true"` for a Boolean, say).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// Valid JSON but not an object.
    #[error("the document is JSON but not an object")]
    NotAnObject,
    /// An `@odata.type` this tool does not know.
    #[error(
        "unknown @odata.type {0:?} (expected {ODATA_QR_CODE}, {ODATA_QR_PIN} or {ODATA_METHOD})"
    )]
    UnknownType(String),
    /// No `@odata.type` and no telling properties.
    #[error("cannot tell which Graph object this is: no @odata.type and none of expireDateTime, image, code, standardQRCode, temporaryQRCode, pin")]
    Unrecognised,
}

impl From<serde_json::Error> for GraphError {
    fn from(e: serde_json::Error) -> Self {
        let message = e.to_string();
        // serde_json appends " at line L column C"; we report those as fields.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        GraphError::Json { line: e.line(), column: e.column(), message }
    }
}

/// Any of the three Graph objects.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphObject {
    /// A `qrCode` (create response or a property of the method).
    QrCode(QrCode),
    /// A `qrPin`.
    QrPin(QrPin),
    /// A `qrCodePinAuthenticationMethod` (boxed: it holds two qrCodes).
    Method(Box<QrCodePinAuthenticationMethod>),
}

impl GraphObject {
    /// The Graph type name, e.g. `qrCode`.
    pub fn type_name(&self) -> &'static str {
        match self {
            GraphObject::QrCode(_) => "qrCode",
            GraphObject::QrPin(_) => "qrPin",
            GraphObject::Method(_) => "qrCodePinAuthenticationMethod",
        }
    }
}

/// Reads one Graph object from JSON. Errors name the line and column (the documentation's own
/// samples have trailing commas, which JSON does not allow).
///
/// ```
/// use qrpin_codec::graph::{parse_object, GraphObject};
/// let obj = parse_object(br##"{"@odata.type": "#microsoft.graph.qrPin", "code": "09599786"}"##)?;
/// assert!(matches!(obj, GraphObject::QrPin(_)));
/// let err = parse_object(b"{\n  \"code\": \"1\",\n}").unwrap_err();
/// assert_eq!(err.to_string(), "line 3, column 1: trailing comma");
/// # Ok::<(), qrpin_codec::graph::GraphError>(())
/// ```
pub fn parse_object(json: &[u8]) -> Result<GraphObject, GraphError> {
    let value: serde_json::Value = serde_json::from_slice(json)?;
    let map = value.as_object().ok_or(GraphError::NotAnObject)?;
    let kind = match map.get("@odata.type").and_then(|v| v.as_str()) {
        Some(t) if t.eq_ignore_ascii_case(ODATA_QR_CODE) => "qrCode",
        Some(t) if t.eq_ignore_ascii_case(ODATA_QR_PIN) => "qrPin",
        Some(t) if t.eq_ignore_ascii_case(ODATA_METHOD) => "method",
        Some(t) => return Err(GraphError::UnknownType(t.chars().take(80).collect())),
        None => {
            let has = |k: &str| map.contains_key(k);
            if has("standardQRCode") || has("temporaryQRCode") || has("pin") {
                "method"
            } else if has("code") || has("forceChangePinNextSignIn") {
                "qrPin"
            } else if has("expireDateTime") || has("image") || has("startDateTime") {
                "qrCode"
            } else {
                return Err(GraphError::Unrecognised);
            }
        }
    };
    // Deserialise again from the bytes (not the Value) so type errors keep their positions.
    Ok(match kind {
        "qrCode" => GraphObject::QrCode(serde_json::from_slice(json)?),
        "qrPin" => GraphObject::QrPin(serde_json::from_slice(json)?),
        _ => GraphObject::Method(serde_json::from_slice(json)?),
    })
}
