//! How `qrpin graph check` and `qrpin graph verify` print a report of rules and turn it into an
//! exit code, and the lifetime rule both take.

use std::io::Write;

use qrpin_codec::graph::{CodeKind, Outcome, Report};

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Which lifetime rule a bare qrCode is held to.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// Up to 395 days.
    Standard,
    /// 1 to 12 hours.
    Temporary,
}

impl From<Kind> for CodeKind {
    fn from(k: Kind) -> CodeKind {
        match k {
            Kind::Standard => CodeKind::Standard,
            Kind::Temporary => CodeKind::Temporary,
        }
    }
}

/// Exit 0 when every rule holds, else a failure that sums up the printed report.
pub fn outcome(file: &str, report: &Report) -> CliResult {
    let failed = report.checks.iter().filter(|c| c.outcome == Outcome::Fail).count();
    match failed {
        0 => Ok(()),
        n => Err(CliError::reported(format!("{file}: {n} rule(s) broken"))),
    }
}

/// Prints a report as aligned text, or as JSON with `--json`.
pub fn print_report(type_name: &str, report: &Report, ui: &Ui) -> CliResult {
    let mut out = std::io::stdout().lock();
    if ui.json() {
        let checks: Vec<_> = report
            .checks
            .iter()
            .map(|c| {
                serde_json::json!({"name": c.name, "outcome": c.outcome.to_string(), "detail": c.detail})
            })
            .collect();
        let v = serde_json::json!({"type": type_name, "passed": report.passed(), "checks": checks});
        writeln!(out, "{v}")?;
    } else {
        writeln!(out, "{type_name}:")?;
        let width = report.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &report.checks {
            writeln!(out, "  {:<4}  {:<width$}  {}", c.outcome.to_string(), c.name, c.detail)?;
        }
        let failed = report.checks.iter().filter(|c| c.outcome == Outcome::Fail).count();
        if failed == 0 {
            writeln!(out, "passed: every rule holds")?;
        } else {
            writeln!(out, "failed: {failed} rule(s) broken")?;
        }
    }
    Ok(())
}
