//! `qrpin graph check|verify|serve|get|delete`: validate Graph JSON against the rules of
//! `qrpin_codec::graph`, serve a local Graph, and look at or delete a user's method.

use qrpin_codec::graph::{check_object, parse_object};

use crate::cmd::graph_report::{outcome, print_report, Kind};
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
    let report = check_object(&obj, a.kind.into());
    print_report(obj.type_name(), &report, ui)?;
    outcome(&a.file, &report)
}
