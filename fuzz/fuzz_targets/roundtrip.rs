//! Any valid payload, at any level and scale, renders to a PNG that decodes to exactly it, that
//! `verify` matches with it, and that `verify` never matches with another code id.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use qrpin_codec::{Ecl, PayloadBuf};
use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix, RenderOptions};
use qrpin_scan::{verify, Scanner};

/// The UPN alphabet (Entra's rules), indexed by fuzzer bytes.
const UPN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.-_!#^~";

#[derive(Debug, Arbitrary)]
struct Case {
    local: Vec<u8>,
    domain: Vec<u8>,
    guid: u128,
    ecl: u8,
    scale: u8,
    border: u8,
    extra: Option<Vec<u8>>,
}

fn part(bytes: &[u8], max: usize) -> String {
    let mut s: String =
        bytes.iter().take(max).map(|b| UPN_CHARS[*b as usize % UPN_CHARS.len()] as char).collect();
    if s.is_empty() {
        s.push('a');
    }
    s
}

fuzz_target!(|c: Case| {
    let mut local = part(&c.local, 64);
    if local.ends_with('.') {
        local.pop();
        local.push('x');
    }
    let upn = format!("{local}@{}", part(&c.domain, 48));
    let guid = qrpin_codec::Guid(c.guid).to_string();
    let mut payload = PayloadBuf::build(&upn, &guid).expect("a valid UPN and GUID build");
    if let Some(extra) = &c.extra {
        let field: String = extra.iter().take(64).map(|b| (b'A' + b % 26) as char).collect();
        payload = payload.with_extra_field(&field).expect("letters are a valid extra field");
    }
    let ecl = Ecl::ALL[c.ecl as usize % 4];
    let m = QrMatrix::encode(payload.as_bytes(), &EncodeOptions { ecl, version: None, mask: None })
        .expect("fits");
    let base = RenderOptions {
        scale: 1 + u32::from(c.scale % 6),
        border: u32::from(c.border % 5),
        ..RenderOptions::default()
    };
    let png = to_png(&m, &PngOptions { base, ..PngOptions::default() }).expect("renders");
    let scanner = Scanner::default();
    let codes = scanner.scan_bytes(&png).expect("our PNG loads");
    assert!(
        codes
            .iter()
            .any(|d| d.text == payload.as_str() && d.ecl == ecl && d.version == m.version()),
        "{payload:?} at {ecl} scale {} border {} did not read back: {codes:?}",
        base.scale,
        base.border
    );
    let verdict = verify(&scanner, &png, payload.as_str(), Some(ecl)).expect("our PNG loads");
    assert!(verdict.is_match(), "verify of {payload:?}: {verdict:?}");
    let other_guid = qrpin_codec::Guid(c.guid.wrapping_add(1)).to_string();
    let other = PayloadBuf::build(&upn, &other_guid).expect("a valid UPN and GUID build");
    let verdict = verify(&scanner, &png, other.as_str(), None).expect("our PNG loads");
    assert!(!verdict.is_match(), "{payload:?} verified as {other:?}");
});
