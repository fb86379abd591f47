//! Reads a Microsoft Graph `qrCode` create response (by default
//! `testdata/graph/qrcode-create-response.json`, or the JSON file given as the first argument),
//! prints the code's dates, decodes and parses the payload in `image.rawContent`, and prints
//! the report of Entra's rules. Exits non-zero if the JSON is unusable or a rule fails.
//!
//! ```text
//! cargo run -p qrpin-codec --example parse_graph_response [response.json]
//! ```

use std::error::Error;
use std::path::PathBuf;

use qrpin_codec::graph::{check_object, parse_object, CodeKind, GraphObject, Outcome};
use qrpin_codec::Payload;

fn main() -> Result<(), Box<dyn Error>> {
    let path = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/graph/qrcode-create-response.json"),
    };
    let json = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let obj = parse_object(&json).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("object: {}", obj.type_name());

    if let GraphObject::QrCode(code) = &obj {
        let show = |label: &str, v: Option<String>| {
            println!("{label:<16} {}", v.as_deref().unwrap_or("(absent)"));
        };
        show("id", code.id.clone());
        show("startDateTime", code.start_date_time.as_ref().map(ToString::to_string));
        show("expireDateTime", code.expire_date_time.as_ref().map(ToString::to_string));
        if let Some(image) = &code.image {
            show("errorCorrection", image.error_correction_level.as_ref().map(ToString::to_string));
            if let Some(raw) = &image.raw_content {
                let bytes = qrpin_codec::base64::decode(raw)
                    .map_err(|e| format!("image.rawContent is not base64: {e}"))?;
                let text =
                    String::from_utf8(bytes).map_err(|_| "image.rawContent is not UTF-8 text")?;
                let payload =
                    Payload::parse(&text).map_err(|e| format!("image.rawContent: {e}"))?;
                println!("payload          {}", payload.as_str());
                println!("  version        {}", payload.version());
                println!("  upn            {}", payload.upn());
                println!("  codeId         {}", payload.code_id());
                println!("  extra fields   {}", payload.extra_field_count());
            }
        }
    }

    let report = check_object(&obj, CodeKind::Standard);
    println!("rules:");
    for check in &report.checks {
        println!("  {:<4} {:<28} {}", check.outcome.to_string(), check.name, check.detail);
    }
    let failed = report.checks.iter().filter(|c| c.outcome == Outcome::Fail).count();
    if report.passed() {
        println!("result: all {} checks passed", report.checks.len());
        Ok(())
    } else {
        Err(format!("{failed} of {} checks failed", report.checks.len()).into())
    }
}
