//! `qrpin roundtrip`: render random payloads, scan them back, compare bit for bit.

use std::io::Write;

use qrpin_scan::roundtrip::{run as run_roundtrip, RoundTripConfig};
use qrpin_scan::Scanner;

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

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

/// The `--json` output.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct RoundTripJson<'a> {
    checked: u64,
    passed: u64,
    failed: u64,
    seed: u64,
    known_geometry: u64,
    seconds: f64,
    codes_per_second: f64,
    /// The first failures, as the text output shows them.
    failures: &'a [String],
}

/// Runs `qrpin roundtrip`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    ui.verbose(format_args!("checking {} random codes with seed {}", args.count, args.seed));
    let r =
        run_roundtrip(RoundTripConfig { count: args.count, seed: args.seed }, &Scanner::default());
    for f in &r.failures {
        ui.problem(format_args!("mismatch: {f}"));
    }
    if ui.json() {
        ui.print_json(&RoundTripJson {
            checked: r.checked,
            passed: r.passed,
            failed: r.checked - r.passed,
            seed: args.seed,
            known_geometry: r.known_geometry,
            seconds: r.elapsed.as_secs_f64(),
            codes_per_second: r.codes_per_second(),
            failures: &r.failures,
        })?;
    } else {
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
    }
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
