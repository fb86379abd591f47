//! Serde types for the Graph objects, named and shaped as in Graph's beta API.
//!
//! Every property is optional (`Option`), because Graph returns different subsets on create and
//! on read; [`super::rules`] says which are required where. Unknown properties are ignored, as
//! Graph may add more.

use serde::{Deserialize, Serialize};

use crate::datetime::DateTimeOffset;
use crate::ecl::ErrorCorrectionLevel;

/// `qrCode`: a standard or temporary QR code of a user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrCode {
    /// `#microsoft.graph.qrCode`.
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// The code id (a GUID); the payload's codeId.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the code becomes usable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date_time: Option<DateTimeOffset>,
    /// When the code stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_date_time: Option<DateTimeOffset>,
    /// When the code was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTimeOffset>,
    /// Last sign-in with it; `0001-01-01T00:00:00Z` means never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_date_time: Option<DateTimeOffset>,
    /// The image, returned only by the create call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<QrCodeImageDetails>,
}

/// `qrCodeImageDetails`: the code's content and picture.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrCodeImageDetails {
    /// Base64 of an SVG picture of the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary_value: Option<String>,
    /// The content format version (1 for `ms-qrpin:v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The error-correction level the code was made with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_correction_level: Option<ErrorCorrectionLevel>,
    /// Base64 of the payload text `ms-qrpin:v1|<upn>|<codeId>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_content: Option<String>,
}

/// `qrPin`: the user's PIN (the temporary one on create/reset).
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrPin {
    /// `#microsoft.graph.qrPin`.
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// The temporary PIN; null or empty on read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Whether the user must change the PIN at next sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_change_pin_next_sign_in: Option<bool>,
    /// When the PIN was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTimeOffset>,
    /// When the PIN last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_date_time: Option<DateTimeOffset>,
}

impl std::fmt::Debug for QrPin {
    /// Never prints the PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrPin")
            .field("odata_type", &self.odata_type)
            .field("code", &self.code.as_ref().map(|c| format!("<redacted: {} digits>", c.len())))
            .field("force_change_pin_next_sign_in", &self.force_change_pin_next_sign_in)
            .field("created_date_time", &self.created_date_time)
            .field("updated_date_time", &self.updated_date_time)
            .finish()
    }
}

/// `qrCodePinAuthenticationMethod`: a user's QR code + PIN method.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrCodePinAuthenticationMethod {
    /// `#microsoft.graph.qrCodePinAuthenticationMethod`.
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// The method's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The standard code (lives up to 395 days).
    #[serde(rename = "standardQRCode", skip_serializing_if = "Option::is_none")]
    pub standard_qr_code: Option<QrCode>,
    /// The temporary code (lives up to 12 hours).
    #[serde(rename = "temporaryQRCode", skip_serializing_if = "Option::is_none")]
    pub temporary_qr_code: Option<QrCode>,
    /// The PIN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin: Option<QrPin>,
}
