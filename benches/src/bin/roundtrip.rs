//! Round-trip checker: `cargo run --release -p qrpin-benches --bin roundtrip -- [COUNT] [SEED]`
//! (defaults 10000 and 7). Renders random valid payloads at every ECL and scales 1–6, scans them
//! back and compares text, level, version, mask and every module; exit 1 on any mismatch.
//! The same check runs as `qrpin roundtrip --count N --seed S` (`qrpin_scan::roundtrip`).

use std::process::ExitCode;

use qrpin_scan::roundtrip::{run, RoundTripConfig};
use qrpin_scan::Scanner;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let parse = |a: Option<String>, default: u64, what: &str| match a {
        None => Ok(default),
        Some(s) => s.parse::<u64>().map_err(|_| format!("bad {what} {s:?}")),
    };
    let (count, seed) = match (parse(args.next(), 10_000, "count"), parse(args.next(), 7, "seed")) {
        (Ok(c), Ok(s)) => (c, s),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e} (usage: roundtrip [COUNT] [SEED])");
            return ExitCode::from(2);
        }
    };
    let r = run(RoundTripConfig { count, seed }, &Scanner::default());
    println!(
        "round trip: {}/{} passed (seed {seed}), {} by known geometry; {:.0} codes/s ({:.2}s)",
        r.passed,
        r.checked,
        r.known_geometry,
        r.codes_per_second(),
        r.elapsed.as_secs_f64()
    );
    for f in &r.failures {
        eprintln!("FAIL: {f}");
    }
    if r.passed == r.checked {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
