//! The round-trip checker: render random valid payloads, scan them back, compare everything.
//!
//! Each case is a random ms-qrpin payload — a UPN drawn from the whole allowed alphabet at every
//! allowed length (local part 1–64, domain 1–48), a random code id, and an optional extra field —
//! encoded at each error-correction level in turn and written as PNG at scales 1–6. The PNG is
//! scanned with the default [`Scanner`] and must give exactly one code whose text, level,
//! version and mask equal what was encoded, and whose sampled module grid equals the encoded
//! matrix bit for bit. Shared by `qrpin roundtrip` and the `roundtrip` bench binary.

use std::time::{Duration, Instant};

use qrpin_codec::{Ecl, PayloadBuf};
use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix, RenderOptions};

use crate::{Decoded, Scanner};

/// The characters a UPN may hold besides the one `@` (qrpin_codec::upn).
const UPN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.-_!#^~";

/// How many failure descriptions a report keeps.
const KEEP_FAILURES: usize = 20;

/// What to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundTripConfig {
    /// Number of codes.
    pub count: u64,
    /// Seed of the random payloads (the same seed gives the same cases).
    pub seed: u64,
}

/// The outcome of [`run`].
#[derive(Debug, Clone, Default)]
pub struct RoundTripReport {
    /// Codes checked.
    pub checked: u64,
    /// Codes that round-tripped exactly.
    pub passed: u64,
    /// The first failures (case number, payload, what differed).
    pub failures: Vec<String>,
    /// Wall time for render + scan + compare of all codes.
    pub elapsed: Duration,
    /// Codes read by the known-geometry layer (the rest needed the detectors).
    pub known_geometry: u64,
}

impl RoundTripReport {
    /// Codes per second over the whole run.
    pub fn codes_per_second(&self) -> f64 {
        self.checked as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One random case: payload text, level, scale.
#[derive(Debug, Clone)]
pub struct Case {
    /// The payload.
    pub payload: PayloadBuf,
    /// Error-correction level.
    pub ecl: Ecl,
    /// Pixels per module.
    pub scale: u32,
}

/// The random cases of a run, in order (case `i` uses level `i mod 4` and scale `1 + i/4 mod 6`).
pub fn cases(cfg: RoundTripConfig) -> impl Iterator<Item = Case> {
    let mut rng = fastrand::Rng::with_seed(cfg.seed);
    (0..cfg.count).map(move |i| Case {
        payload: random_payload(&mut rng),
        ecl: Ecl::ALL[(i % 4) as usize],
        scale: 1 + ((i / 4) % 6) as u32,
    })
}

fn random_payload(rng: &mut fastrand::Rng) -> PayloadBuf {
    let mut part = |max: usize, no_dot_at_end: bool| {
        let len = rng.usize(1..=max);
        let mut s: String =
            (0..len).map(|_| char::from(UPN_CHARS[rng.usize(..UPN_CHARS.len())])).collect();
        if no_dot_at_end && s.ends_with('.') {
            s.pop();
            s.push('x');
        }
        s
    };
    let upn = format!(
        "{}@{}",
        part(qrpin_codec::upn::MAX_LOCAL_LEN, true),
        part(qrpin_codec::upn::MAX_DOMAIN_LEN, false)
    );
    let g: [u8; 16] = std::array::from_fn(|_| rng.u8(..));
    let hex =
        |r: std::ops::Range<usize>| g[r].iter().map(|b| format!("{b:02x}")).collect::<String>();
    let guid = format!("{}-{}-{}-{}-{}", hex(0..4), hex(4..6), hex(6..8), hex(8..10), hex(10..16));
    let p = PayloadBuf::build(&upn, &guid).expect("generated UPN and GUID follow the rules");
    if rng.u8(..4) == 0 {
        // An opaque extra field: printable ASCII without '|', no white space at either end.
        let len = rng.usize(1..=24);
        let field: String = (0..len)
            .map(|_| loop {
                let c = rng.u8(0x21..0x7F);
                if c != b'|' {
                    break char::from(c);
                }
            })
            .collect();
        p.with_extra_field(&field).expect("generated extra field follows the rules")
    } else {
        p
    }
}

/// Renders, scans and compares every case; `progress` is called after each with the case index.
pub fn run(cfg: RoundTripConfig, scanner: &Scanner) -> RoundTripReport {
    let mut report = RoundTripReport::default();
    let start = Instant::now();
    for (i, case) in cases(cfg).enumerate() {
        report.checked += 1;
        match check(&case, scanner) {
            Ok(layer_known) => {
                report.passed += 1;
                report.known_geometry += u64::from(layer_known);
            }
            Err(why) => {
                if report.failures.len() < KEEP_FAILURES {
                    report.failures.push(format!(
                        "case {i} ({:?}, ecl {}, scale {}): {why}",
                        case.payload.as_str(),
                        case.ecl,
                        case.scale
                    ));
                }
            }
        }
    }
    report.elapsed = start.elapsed();
    report
}

/// Checks one case; `Ok(true)` when the known-geometry layer read it.
pub fn check(case: &Case, scanner: &Scanner) -> Result<bool, String> {
    let m = QrMatrix::encode(
        case.payload.as_bytes(),
        &EncodeOptions { ecl: case.ecl, ..EncodeOptions::default() },
    )
    .map_err(|e| format!("encode failed: {e}"))?;
    let opts = PngOptions {
        base: RenderOptions { scale: case.scale, ..RenderOptions::default() },
        ..PngOptions::default()
    };
    let png = to_png(&m, &opts).map_err(|e| format!("PNG failed: {e}"))?;
    let codes = scanner.scan_bytes(&png).map_err(|e| format!("scan failed: {e}"))?;
    let [code] = codes.as_slice() else {
        return Err(format!("expected one code, read {}", codes.len()));
    };
    compare(code, case.payload.as_str(), &m)?;
    Ok(code.layer == crate::Layer::KnownGeometry)
}

/// Text, level, version, mask and every module.
pub fn compare(code: &Decoded, text: &str, m: &QrMatrix) -> Result<(), String> {
    if code.text != text {
        return Err(format!("text {:?}", code.text));
    }
    if code.ecl != m.ecl() {
        return Err(format!("ecl {} (encoded {})", code.ecl, m.ecl()));
    }
    if code.version != m.version() {
        return Err(format!("version {} (encoded {})", code.version, m.version()));
    }
    if code.mask != Some(m.mask()) {
        return Err(format!("mask {:?} (encoded {})", code.mask, m.mask()));
    }
    let g = &code.modules;
    if g.size() != m.size() {
        return Err(format!("grid size {} (encoded {})", g.size(), m.size()));
    }
    let diff = (0..m.size())
        .flat_map(|y| (0..m.size()).map(move |x| (x, y)))
        .filter(|&(x, y)| g.get(x, y) != m.get(x, y))
        .count();
    if diff > 0 {
        return Err(format!("{diff} modules differ from the encoded matrix"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_valid_and_reproducible() {
        let cfg = RoundTripConfig { count: 200, seed: 1 };
        let a: Vec<String> = cases(cfg).map(|c| c.payload.as_str().to_string()).collect();
        let b: Vec<String> = cases(cfg).map(|c| c.payload.as_str().to_string()).collect();
        assert_eq!(a, b);
        for t in &a {
            assert!(qrpin_codec::Payload::parse(t).is_ok(), "{t}");
        }
        // Lengths spread over the allowed range.
        let longest = a.iter().map(|t| t.len()).max().unwrap();
        assert!(longest > 120, "{longest}");
    }

    #[test]
    fn small_run_passes() {
        let r = run(RoundTripConfig { count: 48, seed: 7 }, &Scanner::default());
        assert_eq!((r.passed, r.checked), (48, 48), "{:#?}", r.failures);
    }
}
