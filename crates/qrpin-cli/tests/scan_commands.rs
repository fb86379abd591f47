//! `qrpin decode`, `qrpin verify` and `qrpin roundtrip` through the binary: output and exit codes.

use assert_cmd::Command;
use qrpin_codec::Ecl;
use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix};

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

/// Writes `bytes` to a fresh file in the temp directory and returns its path.
fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("qrpin-scan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn sample_png(ecl: Ecl) -> Vec<u8> {
    let m =
        QrMatrix::encode(SAMPLE.as_bytes(), &EncodeOptions { ecl, ..Default::default() }).unwrap();
    to_png(&m, &PngOptions::default()).unwrap()
}

fn qrpin() -> Command {
    Command::cargo_bin("qrpin").unwrap()
}

#[test]
fn decode_prints_text_and_json() {
    let png = temp_file("sample-q.png", &sample_png(Ecl::Q));
    let out = qrpin().args(["decode", &png]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{SAMPLE}\n"));
    let out = qrpin().args(["decode", "--json", &png]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let code = &v[0]["codes"][0];
    assert_eq!(v[0]["file"], png.as_str());
    assert_eq!(code["text"], SAMPLE);
    assert_eq!(code["ecl"], "q");
    assert_eq!(code["version"], 7);
    assert!(code["mask"].is_u64());
    assert_eq!(code["corners"].as_array().unwrap().len(), 4);
    assert_eq!(code["payload"]["codeId"], "44f2f040-ea9d-4283-9e7b-b63ddae391a9");
    assert_eq!(code["payload"]["extraFields"], 0);
}

#[test]
fn decode_exit_codes() {
    let blank = {
        let mut buf = std::io::Cursor::new(Vec::new());
        image::GrayImage::from_raw(50, 50, vec![255; 2500])
            .unwrap()
            .write_to(&mut buf, image::ImageFormat::Png)
            .unwrap();
        temp_file("blank.png", buf.get_ref())
    };
    let junk = temp_file("junk.png", b"not an image at all");
    let good = temp_file("sample-l.png", &sample_png(Ecl::L));
    qrpin().args(["decode", &blank]).assert().code(1);
    let out = qrpin().args(["decode", &junk]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported image format"));
    // The readable image is still printed; the exit code reports the worst.
    let out = qrpin().args(["decode", &good, &junk]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{SAMPLE}\n"));
    qrpin().args(["decode", "/nonexistent/x.png"]).assert().code(2);
}

#[test]
fn verify_exit_codes() {
    let png = temp_file("sample-h.png", &sample_png(Ecl::H));
    qrpin().args(["verify", &png, "--raw", SAMPLE]).assert().code(0);
    qrpin()
        .args([
            "verify",
            &png,
            "--upn",
            "admin@xpfq8.onmicrosoft.com",
            "--code-id",
            "44F2F040-EA9D-4283-9E7B-B63DDAE391A9",
            "--ecl",
            "h",
        ])
        .assert()
        .code(0);
    let out = qrpin().args(["verify", &png, "--raw", SAMPLE, "--ecl", "l"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error-correction level is h (expected l)")
    );
    let out = qrpin().args(["verify", &png, "--raw", "something else"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("differs from the expected"));
    qrpin().args(["verify", &png, "--upn", "bad upn", "--code-id", "x"]).assert().code(2);
    qrpin().args(["verify", &png]).assert().code(2);
}

#[test]
fn roundtrip_small_run() {
    let out = qrpin().args(["roundtrip", "--count", "24", "--seed", "3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("24/24 passed"));
}
