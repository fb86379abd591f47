//! Helpers shared by the CLI tests: running `qrpin`, reading its JSON output.
#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub const SAMPLE: &str =
    "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
pub const UPN: &str = "admin@xpfq8.onmicrosoft.com";
pub const GUID: &str = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";

/// `qrpin` with the colour variables of the caller's environment removed.
pub fn qrpin() -> Command {
    let mut c = Command::cargo_bin("qrpin").unwrap();
    for k in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        c.env_remove(k);
    }
    c
}

pub fn run(args: &[&str]) -> Output {
    qrpin().args(args).output().unwrap()
}

pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output as exactly one JSON value on one line.
pub fn stdout_json(out: &Output) -> Value {
    let s = text(&out.stdout);
    assert_eq!(
        s.lines().count(),
        1,
        "stdout is not one line: {s:?}\nstderr: {}",
        text(&out.stderr)
    );
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {s:?}"))
}

/// Standard error as JSON Lines (every line must parse).
pub fn stderr_json(out: &Output) -> Vec<Value> {
    text(&out.stderr)
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("stderr line not JSON ({e}): {l:?}"))
        })
        .collect()
}

/// The final JSON error: the last stderr line, carrying the exit code of the process.
pub fn final_error(out: &Output) -> Value {
    let lines = stderr_json(out);
    let last = lines.last().unwrap_or_else(|| panic!("no JSON error on stderr")).clone();
    assert_eq!(last["exit"].as_i64(), out.status.code().map(i64::from), "{last}");
    assert!(last["error"].as_str().is_some_and(|m| !m.is_empty()), "{last}");
    assert_eq!(lines.iter().filter(|l| l.get("exit").is_some()).count(), 1, "{lines:?}");
    last
}

pub fn render_png(dir: &Path, name: &str, ecl: &str) -> String {
    let p = dir.join(name).to_str().unwrap().to_owned();
    let out = run(&["render", "--raw", SAMPLE, "--ecl", ecl, "-o", &p]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    p
}
