//! `qrpin graph verify`: check a Graph qrCode create response against its own image.
//!
//! Runs the JSON rules of `qrpin_codec::graph` (ids, dates, lifetime, rawContent, ECL name) and
//! then, for every qrCode that carries an image: decodes the `binaryValue` picture, and checks
//! that it holds exactly the base64-decoded `rawContent`, that its code id is the object's `id`,
//! and that its error-correction level is `errorCorrectionLevel`.

use qrpin_codec::graph::{check_object, parse_object, Check, GraphObject, Outcome, QrCode, Report};
use qrpin_codec::Payload;
use qrpin_scan::{ScanOptions, Scanner};

use crate::cmd::graph_report::{outcome, print_report, Kind};
use crate::error::{CliError, CliResult};
use crate::io::read_file_or_stdin;
use crate::ui::Ui;

/// Arguments of `qrpin graph verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON file (a qrCode create response, or a method holding qrCodes), or `-`.
    pub file: String,
    /// Lifetime rule for a bare qrCode (inside a method, standardQRCode/temporaryQRCode decide).
    #[arg(long, value_enum, default_value = "standard")]
    pub kind: Kind,
}

/// Runs `qrpin graph verify`: exit 0 when every check passes, 1 when one fails, 2 when the
/// input is not a Graph object or holds no image to verify.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let bytes = read_file_or_stdin(&args.file)?;
    let obj =
        parse_object(&bytes).map_err(|e| CliError::bad_input(format!("{}: {e}", args.file)))?;
    let mut report = check_object(&obj, args.kind.into());
    let codes: Vec<(&str, &QrCode)> = match &obj {
        GraphObject::QrCode(c) => vec![("", c)],
        GraphObject::Method(m) => {
            [("standardQRCode", &m.standard_qr_code), ("temporaryQRCode", &m.temporary_qr_code)]
                .into_iter()
                .filter_map(|(n, c)| c.as_ref().map(|c| (n, c)))
                .collect()
        }
        GraphObject::QrPin(_) => Vec::new(),
    };
    let with_image: Vec<_> = codes
        .into_iter()
        .filter(|(_, c)| c.image.as_ref().is_some_and(|i| i.binary_value.is_some()))
        .collect();
    if with_image.is_empty() {
        return Err(CliError::bad_input(format!(
            "{}: no qrCode with image.binaryValue to verify (only the create response carries the image)",
            args.file
        )));
    }
    let scanner = Scanner::new(ScanOptions::default());
    for (prefix, code) in with_image {
        image_checks(&mut report, prefix, code, &scanner);
    }
    print_report(obj.type_name(), &report, ui)?;
    outcome(&args.file, &report)
}

fn push(r: &mut Report, prefix: &str, name: &str, outcome: Outcome, detail: impl Into<String>) {
    let name =
        if prefix.is_empty() { format!("image.{name}") } else { format!("{prefix}.image.{name}") };
    r.checks.push(Check { name, outcome, detail: detail.into() });
}

/// The image checks of one qrCode; every failure is a check, never an early return.
fn image_checks(r: &mut Report, prefix: &str, code: &QrCode, scanner: &Scanner) {
    let Some(image) = &code.image else { return };
    let Some(b64) = &image.binary_value else { return };
    let svg = match qrpin_codec::base64::decode(b64) {
        Ok(b) => b,
        Err(e) => {
            return push(
                r,
                prefix,
                "decodes",
                Outcome::Fail,
                format!("binaryValue is not base64: {e}"),
            )
        }
    };
    let codes = match scanner.scan_bytes(&svg) {
        Ok(c) => c,
        Err(e) => {
            return push(
                r,
                prefix,
                "decodes",
                Outcome::Fail,
                format!("binaryValue image cannot be read: {e}"),
            )
        }
    };
    let [decoded] = codes.as_slice() else {
        let n = codes.len();
        return push(
            r,
            prefix,
            "decodes",
            Outcome::Fail,
            format!("binaryValue image holds {n} QR codes (expected 1)"),
        );
    };
    push(
        r,
        prefix,
        "decodes",
        Outcome::Pass,
        format!(
            "one QR code in {} image, version {}, ecl {}",
            qrpin_codec::graph::ImageKind::sniff(&svg).map_or("an", |k| k.article_name()),
            decoded.version,
            decoded.ecl
        ),
    );
    // The decoded text against rawContent, never printing the payload's extra fields.
    match image.raw_content.as_deref().map(qrpin_codec::base64::decode) {
        None => push(r, prefix, "matchesRawContent", Outcome::Fail, "rawContent is missing"),
        Some(Err(e)) => push(
            r,
            prefix,
            "matchesRawContent",
            Outcome::Fail,
            format!("rawContent is not base64: {e}"),
        ),
        Some(Ok(raw)) if raw == decoded.bytes || raw == decoded.text.as_bytes() => push(
            r,
            prefix,
            "matchesRawContent",
            Outcome::Pass,
            format!("the image holds rawContent ({} bytes)", raw.len()),
        ),
        Some(Ok(raw)) => {
            let at = raw
                .iter()
                .zip(decoded.text.as_bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(raw.len().min(decoded.text.len()));
            push(
                r,
                prefix,
                "matchesRawContent",
                Outcome::Fail,
                format!(
                    "the image's text ({} bytes) differs from rawContent ({} bytes) from byte {}",
                    decoded.text.len(),
                    raw.len(),
                    at + 1
                ),
            )
        }
    }
    match (Payload::parse(&decoded.text), code.id.as_deref()) {
        (Err(e), _) => push(
            r,
            prefix,
            "codeId",
            Outcome::Fail,
            format!("the image's text is not an ms-qrpin payload: {}", e.kind()),
        ),
        (Ok(_), None) => {
            push(r, prefix, "codeId", Outcome::Fail, "the object has no id to compare with")
        }
        (Ok(p), Some(id)) if p.code_id() == id => {
            push(r, prefix, "codeId", Outcome::Pass, "the image's code id equals id")
        }
        (Ok(p), Some(id)) if p.code_id().eq_ignore_ascii_case(id) => push(
            r,
            prefix,
            "codeId",
            Outcome::Fail,
            "the image's code id equals id only ignoring case",
        ),
        (Ok(p), Some(id)) => push(
            r,
            prefix,
            "codeId",
            Outcome::Fail,
            format!("the image's code id {} is not id {id}", p.code_id()),
        ),
    }
    match image.error_correction_level.and_then(|l| l.ecl()) {
        None => push(
            r,
            prefix,
            "decodedLevel",
            Outcome::Fail,
            "errorCorrectionLevel is missing or not one of l, m, q, h",
        ),
        Some(e) if e == decoded.ecl => {
            push(r, prefix, "decodedLevel", Outcome::Pass, format!("the image is at level {e}"))
        }
        Some(e) => push(
            r,
            prefix,
            "decodedLevel",
            Outcome::Fail,
            format!("the image is at level {} but errorCorrectionLevel says {e}", decoded.ecl),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESPONSE: &str = include_str!("../../../../testdata/graph/qrcode-create-response.json");

    fn checks(json: &str) -> Report {
        let GraphObject::QrCode(code) = parse_object(json.as_bytes()).unwrap() else {
            panic!("not a qrCode")
        };
        let mut r = Report::default();
        image_checks(&mut r, "", &code, &Scanner::default());
        r
    }

    fn outcome(r: &Report, name: &str) -> Outcome {
        r.checks
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {name}: {r:?}"))
            .outcome
    }

    #[test]
    fn graph_sample_image_matches_its_json() {
        let r = checks(RESPONSE);
        assert!(r.passed(), "{r:?}");
        assert_eq!(r.checks.len(), 4);
    }

    #[test]
    fn mismatches_are_reported() {
        let r = checks(
            &RESPONSE.replace("\"errorCorrectionLevel\": \"l\"", "\"errorCorrectionLevel\": \"h\""),
        );
        assert_eq!(outcome(&r, "image.decodedLevel"), Outcome::Fail);
        let r = checks(&RESPONSE.replace(
            "\"id\": \"44f2f040-ea9d-4283-9e7b-b63ddae391a9\"",
            "\"id\": \"44f2f040-ea9d-4283-9e7b-b63ddae391aa\"",
        ));
        assert_eq!(outcome(&r, "image.codeId"), Outcome::Fail);
        let other = qrpin_codec::base64::encode(
            b"ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391aa",
        );
        let v: serde_json::Value = serde_json::from_str(RESPONSE).unwrap();
        let raw = v["image"]["rawContent"].as_str().unwrap();
        let r = checks(&RESPONSE.replace(raw, &other));
        assert_eq!(outcome(&r, "image.matchesRawContent"), Outcome::Fail);
        let b64 = v["image"]["binaryValue"].as_str().unwrap();
        let r = checks(&RESPONSE.replace(b64, "bm90IGFuIGltYWdl"));
        assert_eq!(outcome(&r, "image.decodes"), Outcome::Fail);
    }
}
