//! `qrpin pin check` and `qrpin pin generate`.
//!
//! A PIN is never echoed in a report or a message: `check` says only whether it meets the
//! rules (and its length when it does), and `generate` prints the PINs it made, which are its
//! result, and nothing else.

use std::io::Write;

use qrpin_codec::pin::{MAX_PIN_LEN, MIN_PIN_LEN};
use qrpin_codec::{check_pin, generate_pin, PinPolicy};

use crate::error::{CliError, CliResult};
use crate::io::text_or_stdin;
use crate::ui::Ui;

/// The most PINs one `generate` call prints.
const MAX_COUNT: u32 = 1_000_000;

/// `qrpin pin …`
#[derive(Debug, clap::Subcommand)]
pub enum PinCommand {
    /// Check a PIN against Entra's rules (exit 1 if it breaks one). The PIN is never echoed.
    ///
    /// Example: qrpin pin check 09599786
    ///
    /// --json: {"valid","minLength","length" (when valid),"reason" (when not)}
    Check(CheckArgs),
    /// Generate temporary PINs with the operating system's secure random source.
    ///
    /// Example: qrpin pin generate --length 10 --count 5
    ///
    /// --json: {"length","count","pins":[...]}
    Generate(GenerateArgs),
    /// Reset users' PINs through Microsoft Graph: each new PIN is journaled in DIR (mode 0600)
    /// and printed on DIR/pin-slips.pdf, never on the terminal.
    ///
    /// Example: qrpin pin reset avery@contoso.com --out run/ --tenant contoso.onmicrosoft.com --client-id ... --client-secret-env QRPIN_SECRET
    Reset(Box<crate::cmd::provision::reset::Args>),
}

/// Arguments of `qrpin pin check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The PIN; read from standard input when absent (keeps it out of the process list).
    pub pin: Option<String>,
    /// The tenant's minimum PIN length (8 to 20).
    #[arg(long, default_value_t = MIN_PIN_LEN, value_name = "N")]
    pub min_length: usize,
}

/// Arguments of `qrpin pin generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Digits per PIN (8 to 20).
    #[arg(long, default_value_t = MIN_PIN_LEN, value_name = "N")]
    pub length: usize,
    /// How many PINs, one per line.
    #[arg(long, default_value_t = 1, value_name = "K")]
    pub count: u32,
}

/// Runs `qrpin pin …`.
pub fn run(cmd: PinCommand, ui: &Ui) -> CliResult {
    match cmd {
        PinCommand::Check(a) => check(a, ui),
        PinCommand::Reset(a) => crate::cmd::provision::reset::run(*a, ui),
        PinCommand::Generate(a) => generate(a, ui),
    }
}

/// The `--json` output of `pin check`: never the PIN itself.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckJson {
    valid: bool,
    min_length: usize,
    /// The number of digits, when the PIN is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    /// The rule it breaks, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn check(a: CheckArgs, ui: &Ui) -> CliResult {
    let policy = PinPolicy::with_min_length(a.min_length).map_err(CliError::bad_input)?;
    let input = text_or_stdin(a.pin)?;
    let pin =
        String::from_utf8(input).map_err(|_| CliError::bad_input("the PIN is not UTF-8 text"))?;
    let verdict = check_pin(&pin, policy);
    if ui.json() {
        ui.print_json(&CheckJson {
            valid: verdict.is_ok(),
            min_length: a.min_length,
            length: verdict.as_ref().ok().map(|()| pin.len()),
            reason: verdict.as_ref().err().map(ToString::to_string),
        })?;
    }
    match verdict {
        Ok(()) => {
            if !ui.json() {
                writeln!(
                    std::io::stdout().lock(),
                    "ok: the PIN meets the rules ({} digits)",
                    pin.len()
                )?;
            }
            Ok(())
        }
        Err(e) => Err(CliError::check_failed(format!("PIN rejected: {e}"))),
    }
}

fn generate(a: GenerateArgs, ui: &Ui) -> CliResult {
    if !(MIN_PIN_LEN..=MAX_PIN_LEN).contains(&a.length) {
        return Err(CliError::bad_input(format!(
            "--length must be {MIN_PIN_LEN} to {MAX_PIN_LEN}, not {}",
            a.length
        )));
    }
    if a.count == 0 || a.count > MAX_COUNT {
        return Err(CliError::bad_input(format!(
            "--count must be 1 to {MAX_COUNT}, not {}",
            a.count
        )));
    }
    let policy = PinPolicy::default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // --json: {"length":N,"count":K,"pins":["…",…]}, written as it goes (up to a million PINs);
    // a PIN is ASCII digits, so it needs no escaping.
    if ui.json() {
        write!(out, "{{\"length\":{},\"count\":{},\"pins\":[", a.length, a.count)?;
    }
    for i in 0..a.count {
        let pin = generate_pin(a.length, policy).map_err(CliError::bad_input)?;
        if !ui.json() {
            writeln!(out, "{pin}")?;
        } else if i == 0 {
            write!(out, "\"{pin}\"")?;
        } else {
            write!(out, ",\"{pin}\"")?;
        }
    }
    if ui.json() {
        writeln!(out, "]}}")?;
    }
    out.flush()?;
    ui.verbose(format_args!(
        "generated {} PIN(s) of {} digits with the operating system's random source",
        a.count, a.length
    ));
    Ok(())
}
