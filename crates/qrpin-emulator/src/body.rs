//! Request bodies: read with a size limit, parsed strictly (unknown properties refused), errors
//! naming the line and column.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::graph_error::GraphError;

/// The largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// Parses a JSON body into `T`. An empty body reads as `{}`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, GraphError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { bytes };
    serde_json::from_slice(bytes).map_err(|e| {
        let m = e.to_string();
        let m = m.rfind(" at line ").map_or(m.as_str(), |i| &m[..i]).to_owned();
        GraphError::bad_request(format!(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and \
             payload is of valid JSON format. Line {}, column {}: {m}",
            e.line(),
            e.column()
        ))
    })
}

/// A qrCode in a request: its two dates.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeBody {
    /// `#microsoft.graph.qrCode`, if given.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// When the code becomes usable.
    pub start_date_time: Option<String>,
    /// When it stops.
    pub expire_date_time: Option<String>,
}

/// A qrPin in a request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PinBody {
    /// `#microsoft.graph.qrPin`, if given.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// The PIN (accepted only when the method is created).
    pub code: Option<String>,
}

/// The PUT body of the method.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MethodBody {
    /// `#microsoft.graph.qrCodePinAuthenticationMethod`, if given.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// The standard code to create (required).
    #[serde(rename = "standardQRCode")]
    pub standard: Option<CodeBody>,
    /// The PIN; generated when absent.
    pub pin: Option<PinBody>,
}

/// The body of `updatePin`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdatePinBody {
    /// The PIN now.
    pub current_pin: Option<String>,
    /// The PIN to set.
    pub new_pin: Option<String>,
}

/// Checks an `@odata.type`, when one is given.
pub fn check_type(given: Option<&str>, expected: &str) -> Result<(), GraphError> {
    match given {
        Some(t) if !t.eq_ignore_ascii_case(expected) => {
            Err(GraphError::bad_request(format!("@odata.type must be {expected}")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_line_and_column() {
        let e = parse::<CodeBody>(b"{\n  \"startDateTime\": 5\n}").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("Line 2, column"), "{}", e.message);
        let e = parse::<CodeBody>(b"{\"colour\": 1}").unwrap_err();
        assert!(e.message.contains("unknown field `colour`"), "{}", e.message);
        assert!(parse::<PinBody>(b"").unwrap().code.is_none());
        assert!(parse::<PinBody>(b"[1]").is_err());
    }
}
