//! `qrpin graph check|verify|serve|get|delete`: validate Graph JSON against the rules of
//! `qrpin_codec::graph`, serve a local Graph, and look at or delete a user's method.

use std::io::Write;

use qrpin_codec::graph::{check_object, parse_object, CodeKind, Outcome, Report};

use crate::error::{CliError, CliResult};
use crate::io::read_file_or_stdin;
use crate::ui::Ui;

/// `qrpin graph …`
#[derive(Debug, clap::Subcommand)]
pub enum GraphCommand {
    /// Check a qrCode, qrPin or qrCodePinAuthenticationMethod JSON document (file or `-`).
    ///
    /// Example: qrpin graph check testdata/graph/qrcode-create-response.json
    ///
    /// --json: {"type","passed","checks":[{"name","outcome","detail"}]}
    Check(CheckArgs),
    /// Verify a Graph qrCode create response: decode its binaryValue image and compare it with
    /// rawContent, the qrCode id and errorCorrectionLevel, plus the lifetime rules.
    ///
    /// Example: qrpin graph verify testdata/graph/qrcode-create-response.json
    ///
    /// --json: as graph check
    Verify(crate::cmd::graph_verify::Args),
    /// Serve a local Microsoft Graph for QR code + PIN (codes, PINs, policy, tokens, faults),
    /// for testing clients without a tenant.
    ///
    /// Example: qrpin graph serve --users users.csv --state graph.db
    #[command(after_help = crate::cmd::graph_serve::AFTER_HELP)]
    Serve(Box<crate::cmd::graph_serve::Args>),
    /// Show a user's QR code + PIN method: its codes with their dates, and the PIN's state
    /// (never an image or a PIN: Graph returns those only when they are made).
    ///
    /// Example: qrpin graph get avery@contoso.com --tenant contoso.onmicrosoft.com --client-id ... --client-secret-env QRPIN_SECRET
    ///
    /// --json: {"user","method": the Graph object or null}
    Get(Box<crate::cmd::graph_remote::GetArgs>),
    /// Delete a user's standard code, temporary code or whole method (exit 1 if there is none).
    ///
    /// Example: qrpin graph delete avery@contoso.com --standard --tenant ... --client-id ... --client-secret-env QRPIN_SECRET
    Delete(Box<crate::cmd::graph_remote::DeleteArgs>),
}

/// Which lifetime rule a bare qrCode is held to.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// Up to 395 days.
    Standard,
    /// 1 to 12 hours.
    Temporary,
}

/// Arguments of `qrpin graph check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The JSON file, or `-` for standard input.
    pub file: String,
    /// Lifetime rule for a bare qrCode (inside a method, standardQRCode/temporaryQRCode decide).
    #[arg(long, value_enum, default_value = "standard")]
    pub kind: Kind,
}

/// Runs `qrpin graph …`.
pub fn run(cmd: GraphCommand, ui: &Ui) -> CliResult {
    match cmd {
        GraphCommand::Check(a) => check(a, ui),
        GraphCommand::Verify(a) => crate::cmd::graph_verify::run(a, ui),
        GraphCommand::Serve(a) => crate::cmd::graph_serve::run(*a, ui),
        GraphCommand::Get(a) => crate::cmd::graph_remote::get(*a, ui),
        GraphCommand::Delete(a) => crate::cmd::graph_remote::delete(*a, ui),
    }
}

fn check(a: CheckArgs, ui: &Ui) -> CliResult {
    let bytes = read_file_or_stdin(&a.file)?;
    let obj = parse_object(&bytes).map_err(|e| CliError::bad_input(format!("{}: {e}", a.file)))?;
    let kind = match a.kind {
        Kind::Standard => CodeKind::Standard,
        Kind::Temporary => CodeKind::Temporary,
    };
    let report = check_object(&obj, kind);
    print_report(obj.type_name(), &report, ui)?;
    outcome(&a.file, &report)
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
