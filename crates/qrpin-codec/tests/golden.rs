//! Golden payload vectors and Graph samples from `testdata/`.

use std::path::PathBuf;

#[cfg(feature = "graph")]
use qrpin_codec::graph::{check_object, parse_object, CodeKind, Outcome};
use qrpin_codec::{ParseOptions, Payload};
use serde_json::Value;

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel)
}

fn jsonl(rel: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(testdata(rel)).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn valid_payload_vectors() {
    let cases = jsonl("payloads/valid.jsonl");
    assert!(cases.len() >= 5);
    for c in cases {
        let text = c["text"].as_str().unwrap();
        let p = Payload::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(p.upn(), c["upn"].as_str().unwrap());
        assert_eq!(p.code_id(), c["codeId"].as_str().unwrap());
        assert_eq!(p.extra_field_count() as u64, c["extraFields"].as_u64().unwrap());
        assert_eq!(p.is_canonical(), c["canonical"].as_bool().unwrap());
        assert_eq!(p.as_str(), text, "round trip must be exact");
        assert_eq!(p.to_buf().as_str(), text);
        let strict = Payload::parse_with(text, ParseOptions::STRICT);
        match c.get("strictError").and_then(Value::as_str) {
            None => assert!(strict.is_ok(), "{text:?}"),
            Some(kind) => assert_eq!(strict.unwrap_err().kind(), kind, "{text:?}"),
        }
    }
}

#[test]
fn invalid_payload_vectors() {
    let cases = jsonl("payloads/invalid.jsonl");
    assert!(cases.len() >= 20);
    for c in cases {
        let bytes = match c.get("hex") {
            Some(h) => hex(h.as_str().unwrap()),
            None => c["text"].as_str().unwrap().as_bytes().to_vec(),
        };
        let opts =
            ParseOptions { strict: c.get("strict").and_then(Value::as_bool).unwrap_or(false) };
        let err = Payload::parse_bytes(&bytes, opts).expect_err(&format!("{c} should fail"));
        assert_eq!(err.kind(), c["error"].as_str().unwrap(), "{c}: {err}");
        if let Some(m) = c.get("message").and_then(Value::as_str) {
            assert!(err.to_string().contains(m), "{c}: message {err:?} lacks {m:?}");
        }
    }
}

#[cfg(feature = "graph")]
#[test]
fn graph_sample_cases() {
    let cases = jsonl("graph/cases.jsonl");
    assert!(cases.len() >= 10);
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let bytes = std::fs::read(testdata(&format!("graph/{file}"))).unwrap();
        let exit = c["exit"].as_u64().unwrap();
        let kind = match c.get("kind").and_then(Value::as_str) {
            Some("temporary") => CodeKind::Temporary,
            _ => CodeKind::Standard,
        };
        match parse_object(&bytes) {
            Err(e) => {
                assert_eq!(exit, 2, "{file}: unexpected error {e}");
                let want = c["stderr"].as_str().unwrap();
                assert!(e.to_string().contains(want), "{file}: {e} lacks {want:?}");
            }
            Ok(obj) => {
                assert_ne!(exit, 2, "{file} should not parse");
                let report = check_object(&obj, kind);
                assert_eq!(report.passed(), exit == 0, "{file}: {report:?}");
                let failed: Vec<&str> = report
                    .checks
                    .iter()
                    .filter(|k| k.outcome == Outcome::Fail)
                    .map(|k| k.name.as_str())
                    .collect();
                let want: Vec<&str> = c
                    .get("fail")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
                    .unwrap_or_default();
                assert_eq!(failed, want, "{file}");
            }
        }
    }
}
