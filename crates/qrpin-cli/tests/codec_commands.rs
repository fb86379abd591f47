//! `qrpin encode`, `parse`, `pin` and `graph check` through the binary: output and exit codes.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
const SAMPLE_B64: &str =
    "bXMtcXJwaW46djF8YWRtaW5AeHBmcTgub25taWNyb3NvZnQuY29tfDQ0ZjJmMDQwLWVhOWQtNDI4My05ZTdiLWI2M2RkYWUzOTFhOQ==";

fn qrpin() -> Command {
    Command::cargo_bin("qrpin").unwrap()
}

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel)
}

#[test]
fn encode_prints_payload_and_base64() {
    qrpin()
        .args([
            "encode",
            "--upn",
            "admin@xpfq8.onmicrosoft.com",
            "--code-id",
            "44F2F040-EA9D-4283-9E7B-B63DDAE391A9",
        ])
        .assert()
        .success()
        .stdout(format!("{SAMPLE}\n"));
    qrpin()
        .args([
            "encode",
            "--base64",
            "--upn",
            "admin@xpfq8.onmicrosoft.com",
            "--code-id",
            "44f2f040-ea9d-4283-9e7b-b63ddae391a9",
        ])
        .assert()
        .success()
        .stdout(format!("{SAMPLE_B64}\n"));
}

#[test]
fn encode_rejects_bad_input_with_exit_2() {
    qrpin()
        .args(["encode", "--upn", "a|b@c", "--code-id", "44f2f040-ea9d-4283-9e7b-b63ddae391a9"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::starts_with("error: bad UPN: '|'")
                .and(predicate::str::contains("byte 1")),
        );
    qrpin()
        .args(["encode", "--upn", "a@b", "--code-id", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad code id"));
    qrpin().args(["encode", "--upn", "a@b"]).assert().code(2);
}

#[test]
fn parse_json_has_the_documented_shape() {
    let out =
        qrpin().args(["parse", "--json", SAMPLE]).assert().success().get_output().stdout.clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"version\":1,\"upn\":\"admin@xpfq8.onmicrosoft.com\",\"codeId\":\"44f2f040-ea9d-4283-9e7b-b63ddae391a9\",\"extraFields\":0}\n"
    );
}

#[test]
fn parse_reads_stdin_and_base64() {
    // One final newline from the shell is not part of the payload…
    qrpin()
        .args(["parse", "--json"])
        .write_stdin(format!("{SAMPLE}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"extraFields\":0"));
    qrpin()
        .args(["parse", "--base64", "--json"])
        .write_stdin(format!("{SAMPLE_B64}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("admin@xpfq8"));
    // …but a newline inside the payload (an argument) is reported.
    qrpin()
        .args(["parse", &format!("{SAMPLE}\n")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ends with white space (U+000A) at byte 76"));
    qrpin()
        .args(["parse", "--base64", "bXMt!"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'!' at position 4"));
}

#[test]
fn parse_redacts_extra_fields_and_strict_rejects_them() {
    let text = format!("{SAMPLE}|c2VjcmV0LWtleS1tYXRlcmlhbA==");
    let a = qrpin().args(["parse", &text]).assert().success();
    let shown = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(!shown.contains("c2VjcmV0"), "{shown}");
    assert!(shown.contains("<redacted: 28 bytes>"), "{shown}");
    qrpin()
        .args(["parse", "--json", &text])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"extraFields\":1"));
    qrpin()
        .args(["parse", "--strict", &text])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("strict mode allows none"));
}

#[test]
fn parse_errors_from_golden_vectors_exit_2_without_panic() {
    let text = std::fs::read_to_string(testdata("payloads/invalid.jsonl")).unwrap();
    for line in text.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        let Some(t) = c.get("text").and_then(Value::as_str) else { continue };
        if t.contains('\0') {
            continue; // an argument cannot hold NUL; covered through stdin below
        }
        let args: Vec<&str> =
            if c.get("strict").is_some() { vec!["parse", "--strict", t] } else { vec!["parse", t] };
        qrpin().args(&args).assert().code(2).stderr(
            predicate::str::starts_with("error: ").and(predicate::str::contains("panicked").not()),
        );
    }
    qrpin()
        .arg("parse")
        .write_stdin("ms-qrpin:v1|a\0b@c|44f2f040-ea9d-4283-9e7b-b63ddae391a9")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("U+0000"));
    qrpin()
        .arg("parse")
        .write_stdin(vec![0x6d, 0xff, 0xfe])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
}

#[test]
fn pin_check_exit_codes_and_no_echo() {
    qrpin()
        .args(["pin", "check", "09599786"])
        .assert()
        .success()
        .stdout(predicate::str::contains("meets the rules"));
    qrpin().args(["pin", "check"]).write_stdin("09599786\n").assert().success();
    for bad in ["12121290", "12345678", "0959978", "0959978x"] {
        qrpin().args(["pin", "check", bad]).assert().code(1).stdout("").stderr(
            predicate::str::starts_with("error: PIN rejected")
                .and(predicate::str::contains(bad).not()),
        );
    }
    qrpin().args(["pin", "check", "--min-length", "10", "09599786"]).assert().code(1);
    qrpin().args(["pin", "check", "--min-length", "7", "09599786"]).assert().code(2);
}

#[test]
fn pin_generate_gives_valid_distinct_pins() {
    let out = qrpin()
        .args(["pin", "generate", "--length", "12", "--count", "50"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let pins: Vec<&str> = text.lines().collect();
    assert_eq!(pins.len(), 50);
    let distinct: std::collections::HashSet<_> = pins.iter().collect();
    assert_eq!(distinct.len(), 50);
    for p in pins {
        assert_eq!(p.len(), 12);
        qrpin().args(["pin", "check", p]).assert().success();
    }
    qrpin().args(["pin", "generate", "--length", "21"]).assert().code(2);
    qrpin().args(["pin", "generate", "--count", "0"]).assert().code(2);
}

#[test]
fn graph_check_cases() {
    let text = std::fs::read_to_string(testdata("graph/cases.jsonl")).unwrap();
    for line in text.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        let file = testdata(&format!("graph/{}", c["file"].as_str().unwrap()));
        let mut cmd = qrpin();
        cmd.args(["graph", "check", "--json"]).arg(&file);
        if let Some(k) = c.get("kind").and_then(Value::as_str) {
            cmd.args(["--kind", k]);
        }
        let exit = c["exit"].as_i64().unwrap() as i32;
        let a = cmd.assert().code(exit);
        let out = a.get_output();
        if exit == 2 {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(c["stderr"].as_str().unwrap()), "{line}: {err}");
            continue;
        }
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["passed"].as_bool(), Some(exit == 0), "{line}");
        let failed: Vec<&str> = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["outcome"] == "FAIL")
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = c
            .get("fail")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(failed, want, "{line}");
    }
}

#[test]
fn graph_check_reads_stdin_and_never_prints_the_pin() {
    let pin = std::fs::read(testdata("graph/bad-pin-repeated-group.json")).unwrap();
    let a = qrpin().args(["graph", "check", "-"]).write_stdin(pin).assert().code(1);
    let out = a.get_output();
    let all =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!all.contains("12121290"), "{all}");
    qrpin()
        .args(["graph", "check", "/nonexistent/x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open /nonexistent/x.json"));
    qrpin()
        .args(["graph", "check", "-"])
        .write_stdin("[1,2]")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an object"));
    qrpin()
        .args(["graph", "check", "-"])
        .write_stdin("{\"x\":1}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot tell"));
}
