//! `qrpin roundtrip`: render random payloads, scan them back, compare bit for bit.

use std::io::Write;

use qrpin_scan::roundtrip::{run as run_roundtrip, RoundTripConfig};
use qrpin_scan::Scanner;

use crate::error::{CliError, CliResult};

/// Arguments of `qrpin roundtrip`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many random codes to check.
    #[arg(long, default_value_t = 1000)]
    pub count: u64,
    /// Seed of the random payloads (the same seed checks the same codes).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// Runs `qrpin roundtrip`.
pub fn run(args: Args) -> CliResult {
    let r =
        run_roundtrip(RoundTripConfig { count: args.count, seed: args.seed }, &Scanner::default());
    for f in &r.failures {
        eprintln!("mismatch: {f}");
    }
    writeln!(
        std::io::stdout().lock(),
        "round trip: {}/{} passed (seed {}), {} read by known geometry; {:.0} codes/s in {:.2}s",
        r.passed,
        r.checked,
        args.seed,
        r.known_geometry,
        r.codes_per_second(),
        r.elapsed.as_secs_f64()
    )?;
    if r.passed == r.checked {
        Ok(())
    } else {
        Err(CliError::check_failed(format!(
            "{} of {} codes did not round-trip",
            r.checked - r.passed,
            r.checked
        )))
    }
}
