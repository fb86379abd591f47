//! `--json` through the binary: every command that reports prints one JSON value on standard
//! output, and errors are JSON objects carrying the exit code.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn encode_and_parse_json() {
    let out = run(&["encode", "--json", "--upn", UPN, "--code-id", &GUID.to_uppercase()]);
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!(v["payload"], SAMPLE);
    assert_eq!(v["upn"], UPN);
    assert_eq!(v["codeId"], GUID);
    assert_eq!(v["bytes"], SAMPLE.len());
    let raw = qrpin_codec::base64::decode(v["base64"].as_str().unwrap()).unwrap();
    assert_eq!(raw, SAMPLE.as_bytes());
    assert!(out.stderr.is_empty());
    // The flag is global: before the subcommand it means the same.
    let a = run(&["--json", "parse", SAMPLE]);
    let b = run(&["parse", SAMPLE, "--json"]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(stdout_json(&a)["codeId"], GUID);
}

#[test]
fn pin_json_never_shows_a_checked_pin() {
    let out = run(&["pin", "check", "--json", "09599786"]);
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!(
        (v["valid"].as_bool(), v["length"].as_u64(), v["minLength"].as_u64()),
        (Some(true), Some(8), Some(8))
    );
    for bad in ["12121290", "12345678", "0959978x"] {
        let out = run(&["pin", "check", "--json", bad]);
        assert_eq!(out.status.code(), Some(1));
        let v = stdout_json(&out);
        assert_eq!(v["valid"], false);
        assert!(v["reason"].as_str().is_some_and(|r| !r.is_empty()), "{v}");
        assert!(v.get("length").is_none());
        assert!(final_error(&out)["error"].as_str().unwrap().starts_with("PIN rejected"));
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains(bad), "the PIN leaked: {all}");
    }
    let out = run(&["pin", "generate", "--json", "--length", "10", "--count", "4"]);
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!((v["length"].as_u64(), v["count"].as_u64()), (Some(10), Some(4)));
    let pins = v["pins"].as_array().unwrap();
    assert_eq!(pins.len(), 4);
    for p in pins {
        let p = p.as_str().unwrap();
        assert_eq!(p.len(), 10);
        assert!(run(&["pin", "check", p]).status.success(), "{p}");
    }
}

#[test]
fn graph_json_keeps_its_shape() {
    let file = testdata("graph/qrcode-create-response.json");
    for sub in ["check", "verify"] {
        let out = qrpin().args(["graph", sub]).arg(&file).arg("--json").output().unwrap();
        assert!(out.status.success(), "{sub}: {}", text(&out.stderr));
        let v = stdout_json(&out);
        assert_eq!(
            (v["type"].as_str(), v["passed"].as_bool()),
            (Some("qrCode"), Some(true)),
            "{v}"
        );
        assert!(v["checks"].as_array().is_some_and(|c| !c.is_empty()));
    }
    let out = qrpin()
        .args(["--json", "graph", "check"])
        .arg(testdata("graph/bad-pin-repeated-group.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["passed"], false);
    assert!(final_error(&out)["error"].as_str().unwrap().contains("1 rule(s) broken"));
    assert!(!(text(&out.stdout) + &text(&out.stderr)).contains("12121290"));
}

#[test]
fn verify_roundtrip_and_decode_json() {
    let dir = tempfile::tempdir().unwrap();
    let png = render_png(dir.path(), "q.png", "q");
    let out = run(&["verify", "--json", &png, "--upn", UPN, "--code-id", GUID, "--ecl", "q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = stdout_json(&out);
    assert_eq!((v["match"].as_bool(), v["file"].as_str()), (Some(true), Some(png.as_str())));
    assert_eq!(v["expectedEcl"], "q");
    assert_eq!(v["codes"][0]["text"], SAMPLE);
    assert_eq!(v["codes"][0]["ecl"], "q");
    assert_eq!(v["codes"][0]["version"], 7);
    assert_eq!(v["reasons"].as_array().unwrap().len(), 0);

    let out = run(&["verify", "--json", &png, "--raw", SAMPLE, "--ecl", "l"]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["match"], false);
    assert_eq!(v["codes"][0]["ecl"], "q", "what was found is reported");
    assert!(v["reasons"][0].as_str().unwrap().contains("expected l"), "{v}");
    assert!(final_error(&out)["error"].as_str().unwrap().contains("no code matches"));

    let blank = dir.path().join("blank.svg");
    std::fs::write(&blank, r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"/>"#)
        .unwrap();
    let blank = blank.to_str().unwrap();
    let out = run(&["verify", "--json", blank, "--raw", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!((v["match"].as_bool(), v["codes"].as_array().map(Vec::len)), (Some(false), Some(0)));
    final_error(&out);

    let out = run(&["decode", "--json", &png, blank]);
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v[0]["codes"][0]["payload"]["upn"], UPN);
    assert_eq!(v[1]["codes"].as_array().unwrap().len(), 0);
    assert!(final_error(&out)["error"].as_str().unwrap().contains("1 of 2 images hold no QR code"));

    let out = run(&["roundtrip", "--json", "--count", "12", "--seed", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = stdout_json(&out);
    assert_eq!(
        (v["checked"].as_u64(), v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(12), Some(12), Some(0))
    );
    assert_eq!(v["seed"], 5);
    assert!(v["seconds"].is_f64() && v["codesPerSecond"].is_f64() && v["knownGeometry"].is_u64());
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
}

#[test]
fn render_json_describes_the_file_and_refuses_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("a.png");
    let out = qrpin()
        .args([
            "render", "--json", "--raw", SAMPLE, "--ecl", "m", "--size", "2in", "--dpi", "300",
            "-o",
        ])
        .arg(&png)
        .output()
        .unwrap();
    let (v, img) = png_report(&out, &png, "m", 300);
    assert_eq!(v["bytes"].as_u64(), Some(std::fs::metadata(&png).unwrap().len()));
    let modules = v["modules"].as_u64().unwrap();
    assert_eq!(modules, 17 + 4 * v["version"].as_u64().unwrap());
    assert_eq!(
        u64::from(img.width()),
        (modules + 2 * v["border"].as_u64().unwrap()) * v["scale"].as_u64().unwrap()
    );
    let mm = v["printedMm"].as_f64().unwrap();
    assert!((mm - f64::from(img.width()) / 300.0 * 25.4).abs() < 0.01 && mm <= 50.8, "{mm}");
    // The report's version and level are what a scanner reads back.
    let back = stdout_json(&qrpin().args(["decode", "--json"]).arg(&png).output().unwrap());
    assert_eq!(back[0]["codes"][0]["version"], v["version"]);
    assert_eq!(back[0]["codes"][0]["mask"], v["mask"]);

    let svg = dir.path().join("a.svg");
    let out = qrpin().args(["render", "--raw", SAMPLE, "--json", "-o"]).arg(&svg).output().unwrap();
    let v = stdout_json(&out);
    assert_eq!(
        (v["format"].as_str(), v["scale"].as_u64(), v["dpi"].as_u64()),
        (Some("svg"), Some(5), None)
    );
    assert_eq!(v["pixels"][0].as_u64(), Some((v["modules"].as_u64().unwrap() + 8) * 5));

    // Standard output carries the image: --json is refused there, nothing is written.
    for extra in [&[][..], &["-o", "-"][..]] {
        let out = qrpin().args(["render", "--json", "--raw", SAMPLE]).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert!(final_error(&out)["error"].as_str().unwrap().contains("-o FILE"));
    }
}

#[test]
fn badge_json_and_pin_secrecy() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("b.png");
    let out = qrpin()
        .args([
            "badge",
            "--json",
            "--upn",
            UPN,
            "--code-id",
            GUID,
            "--dpi",
            "150",
            "--name",
            "Ada",
            "-o",
        ])
        .arg(&png)
        .output()
        .unwrap();
    let (v, _) = png_report(&out, &png, "m", 150);
    assert_eq!(v["badgeMm"], serde_json::json!([85.6, 54.0]));
    assert_eq!(v["qrSizeMm"], 50.8);
    assert_eq!((v["pinPrinted"].as_bool(), v["pages"].as_u64()), (Some(false), Some(1)));
    assert_eq!(v["modules"].as_u64(), Some(17 + 4 * v["version"].as_u64().unwrap()));

    let pdf = dir.path().join("s.pdf");
    let pin = "73914682";
    let out = qrpin()
        .args([
            "badge",
            "--raw",
            SAMPLE,
            "--with-pin",
            pin,
            "--sheet",
            "a4",
            "--copies",
            "12",
            "--json",
            "-o",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = stdout_json(&out);
    assert_eq!((v["format"].as_str(), v["sheet"].as_str()), (Some("pdf"), Some("a4")));
    assert_eq!((v["copies"].as_u64(), v["pinPrinted"].as_bool()), (Some(12), Some(true)));
    assert!(v["pages"].as_u64().unwrap() >= 2);
    assert_eq!(v["pageMm"], serde_json::json!([210.0, 297.0]));
    assert!(v["warnings"][0].as_str().unwrap().contains("PIN will be printed"));
    let warnings = stderr_json(&out);
    assert!(warnings.iter().any(|w| w["warning"].as_str().is_some_and(|m| m.contains("PIN"))));
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(!all.contains(pin), "the PIN leaked: {all}");
}

#[test]
fn batch_json_is_one_summary_object() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!(
        "upn,codeId\n{UPN},{GUID}\nbad|x@b.com,44f2f040-ea9d-4283-9e7b-b63ddae391aa\n\
         c@b.com,44f2f040-ea9d-4283-9e7b-b63ddae391ab\n"
    );
    std::fs::write(dir.path().join("in.csv"), input).unwrap();
    let out = qrpin()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "--out", "o", "--json", "--report", "r.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    let s = &v["summary"];
    assert_eq!(
        (s["rows"].as_u64(), s["ok"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!((s["exists"].as_u64(), s["other_shards"].as_u64()), (Some(0), Some(0)));
    assert!(v["inputError"].is_null());
    assert_eq!((v["out"].as_str(), v["report"].as_str()), (Some("o"), Some("r.jsonl")));
    // The same counts as the report file's summary line.
    let report = std::fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    let last: Value = serde_json::from_str(report.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["failed"], s["failed"]);
    // Standard error: the failed row and the final error, as JSON; no text summary line.
    let lines = stderr_json(&out);
    assert!(lines[0]["error"].as_str().unwrap().starts_with("row 2 (line 3)"), "{lines:?}");
    assert_eq!(final_error(&out)["error"], "1 of 3 rows failed");
}

#[test]
fn documents_refuse_json() {
    for args in [&["completions", "bash", "--json"][..], &["--json", "man"][..]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(final_error(&out)["error"].as_str().unwrap().contains("--json does not apply"));
    }
}

#[test]
fn json_errors_are_one_object_with_the_exit_code() {
    let cases: &[(&[&str], i32, &str)] = &[
        (&["parse", "--json", "not a payload"], 2, "not a valid payload"),
        (&["--json", "encode", "--upn", "a|b@c", "--code-id", GUID], 2, "bad UPN"),
        (&["--json", "parse", "--bogus"], 2, "--bogus"),
        (&["--json", "render", "--raw", SAMPLE, "--ecl", "z", "-o", "x.svg"], 2, "'z'"),
        (&["--json", "-q", "-v", "parse", SAMPLE], 2, "cannot be used with"),
        (&["--json", "pin"], 2, "subcommand"),
        (&["--json", "decode", "/nonexistent/x.png"], 2, "could not be read"),
        (&["--json", "pin", "check", "1234"], 1, "PIN rejected"),
    ];
    for (args, exit, needle) in cases {
        let out = run(args);
        assert_eq!(out.status.code(), Some(*exit), "{args:?}: {}", text(&out.stderr));
        let e = final_error(&out);
        assert!(e["error"].as_str().unwrap().contains(needle), "{args:?}: {e}");
        assert!(!text(&out.stderr).contains('\x1b'));
    }
    // -q: exactly the final object, nothing before it.
    let out = run(&["--json", "-q", "decode", "/nonexistent/x.png"]);
    assert_eq!(stderr_json(&out).len(), 1);
    // Help and version stay text with exit 0.
    let out = run(&["--json", "--version"]);
    assert!(out.status.success() && text(&out.stdout).starts_with("qrpin "));
}

#[test]
fn plain_errors_stay_text() {
    let out = run(&["parse", "not a payload"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: not a valid payload"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

/// The `--json` report of a command that wrote the PNG `png`: it succeeded, and the report names
/// the file, its format, level, resolution and the image's real pixel size.
fn png_report(
    out: &std::process::Output,
    png: &std::path::Path,
    ecl: &str,
    dpi: u64,
) -> (Value, image::DynamicImage) {
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = stdout_json(out);
    let img = image::open(png).unwrap();
    assert_eq!(v["output"], png.to_str().unwrap());
    assert_eq!(
        (v["format"].as_str(), v["ecl"].as_str(), v["dpi"].as_u64()),
        (Some("png"), Some(ecl), Some(dpi))
    );
    assert_eq!(v["pixels"], serde_json::json!([img.width(), img.height()]));
    (v, img)
}
