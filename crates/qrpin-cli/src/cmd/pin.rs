//! `qrpin pin check` and `qrpin pin generate`.

use std::io::Write;

use qrpin_codec::pin::{MAX_PIN_LEN, MIN_PIN_LEN};
use qrpin_codec::{check_pin, generate_pin, PinPolicy};

use crate::error::{CliError, CliResult};
use crate::io::text_or_stdin;

/// The most PINs one `generate` call prints.
const MAX_COUNT: u32 = 1_000_000;

/// `qrpin pin …`
#[derive(Debug, clap::Subcommand)]
pub enum PinCommand {
    /// Check a PIN against Entra's rules (exit 1 if it breaks one). The PIN is never echoed.
    ///
    /// Example: qrpin pin check 09599786
    Check(CheckArgs),
    /// Generate temporary PINs with the operating system's secure random source.
    ///
    /// Example: qrpin pin generate --length 10 --count 5
    Generate(GenerateArgs),
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
pub fn run(cmd: PinCommand) -> CliResult {
    match cmd {
        PinCommand::Check(a) => check(a),
        PinCommand::Generate(a) => generate(a),
    }
}

fn check(a: CheckArgs) -> CliResult {
    let policy = PinPolicy::with_min_length(a.min_length).map_err(CliError::bad_input)?;
    let input = text_or_stdin(a.pin)?;
    let pin =
        String::from_utf8(input).map_err(|_| CliError::bad_input("the PIN is not UTF-8 text"))?;
    match check_pin(&pin, policy) {
        Ok(()) => {
            writeln!(
                std::io::stdout().lock(),
                "ok: the PIN meets the rules ({} digits)",
                pin.len()
            )?;
            Ok(())
        }
        Err(e) => Err(CliError::check_failed(format!("PIN rejected: {e}"))),
    }
}

fn generate(a: GenerateArgs) -> CliResult {
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
    for _ in 0..a.count {
        let pin = generate_pin(a.length, policy).map_err(CliError::bad_input)?;
        writeln!(out, "{pin}")?;
    }
    out.flush()?;
    Ok(())
}
