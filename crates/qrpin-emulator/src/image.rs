//! A new code's content and picture: `image.rawContent` and `image.binaryValue`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use qrpin_codec::{Ecl, PayloadBuf};
use qrpin_render::{
    to_png, to_svg, EncodeOptions, PngOptions, RenderOptions, SvgOptions, SvgStyle,
};

use crate::config::ImageFormat;
use crate::graph_error::GraphError;

/// Random bytes in the opaque key field (encoded as 43 base64url characters).
const KEY_BYTES: usize = 32;

/// How images are made.
#[derive(Debug, Clone, Copy)]
pub struct ImageSpec {
    /// The error-correction level.
    pub ecl: Ecl,
    /// SVG or PNG.
    pub format: ImageFormat,
    /// The SVG markup.
    pub svg_style: SvgStyle,
    /// Whether the content ends with a random key field.
    pub key_field: bool,
}

/// `ms-qrpin:v1|<upn>|<id>` followed, unless left out, by one field of random key material,
/// as real codes carry a key only Entra makes.
pub fn content(upn: &str, code_id: &str, key_field: bool) -> Result<String, GraphError> {
    let built = PayloadBuf::build(upn, code_id)
        .map_err(|e| GraphError::bad_request(format!("this user's UPN cannot be encoded: {e}")))?;
    let mut text = built.as_str().to_owned();
    if key_field {
        let mut key = [0u8; KEY_BYTES];
        getrandom::fill(&mut key).map_err(|e| internal(format!("no random numbers: {e}")))?;
        text.push('|');
        text.push_str(&URL_SAFE_NO_PAD.encode(key));
    }
    Ok(text)
}

/// The `image` object of a create response for `text`.
pub fn image_json(text: &str, spec: ImageSpec) -> Result<serde_json::Value, GraphError> {
    let m = qrpin_render::QrMatrix::encode(
        text.as_bytes(),
        &EncodeOptions { ecl: spec.ecl, ..Default::default() },
    )
    .map_err(|e| internal(format!("encoding the code: {e}")))?;
    let base = RenderOptions::default(); // 5 px per module, 4-module quiet zone, as Graph's
    let bytes = match spec.format {
        ImageFormat::Svg => {
            to_svg(&m, &SvgOptions { base, style: spec.svg_style, ..Default::default() })
                .map_err(|e| internal(format!("drawing the code: {e}")))?
                .into_bytes()
        }
        ImageFormat::Png => to_png(&m, &PngOptions { base, ..PngOptions::default() })
            .map_err(|e| internal(format!("drawing the code: {e}")))?,
    };
    Ok(serde_json::json!({
        "binaryValue": qrpin_codec::base64::encode(&bytes),
        "version": 1,
        "errorCorrectionLevel": spec.ecl.as_str(),
        "rawContent": qrpin_codec::base64::encode(text.as_bytes()),
    }))
}

fn internal(message: String) -> GraphError {
    GraphError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "generalException", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_has_the_key_field_unless_left_out() {
        let id = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";
        let with = content("a@contoso.com", id, true).unwrap();
        let parsed = qrpin_codec::Payload::parse(&with).unwrap();
        assert_eq!((parsed.upn(), parsed.code_id()), ("a@contoso.com", id));
        assert_eq!(parsed.extra_fields().map(str::len).collect::<Vec<_>>(), [43]);
        assert_ne!(with, content("a@contoso.com", id, true).unwrap(), "the key is random");
        assert_eq!(
            content("a@contoso.com", id, false).unwrap(),
            format!("ms-qrpin:v1|a@contoso.com|{id}")
        );
    }
}
