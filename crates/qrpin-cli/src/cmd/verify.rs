//! `qrpin verify`: does an image hold exactly this code?

use std::io::Write;

use qrpin_codec::{Ecl, PayloadBuf};
use qrpin_scan::{verify, ScanOptions, Scanner, Verdict};

use crate::cmd::decode::read_image;
use crate::error::{CliError, CliResult};

/// Arguments of `qrpin verify`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("expected").required(true).args(["raw", "upn"])))]
pub struct Args {
    /// The image file (any supported format), or `-` for standard input.
    pub image: String,
    /// The exact text the code must hold.
    #[arg(long, conflicts_with_all = ["upn", "code_id"])]
    pub raw: Option<String>,
    /// The UPN of the expected ms-qrpin payload (with --code-id).
    #[arg(long, requires = "code_id")]
    pub upn: Option<String>,
    /// The code id (GUID) of the expected payload (with --upn); written in lower case.
    #[arg(long, requires = "upn")]
    pub code_id: Option<String>,
    /// The error-correction level the code must have (l, m, q or h).
    #[arg(long)]
    pub ecl: Option<Ecl>,
}

/// Runs `qrpin verify`.
pub fn run(args: Args) -> CliResult {
    let expected = match (args.raw, args.upn, args.code_id) {
        (Some(raw), _, _) => raw,
        (None, Some(upn), Some(id)) => PayloadBuf::build(&upn, &id)
            .map_err(|e| CliError::bad_input(format!("bad --upn/--code-id: {e}")))?
            .as_str()
            .to_string(),
        _ => return Err(CliError::bad_input("give --raw TEXT, or --upn UPN with --code-id GUID")),
    };
    let scanner = Scanner::new(ScanOptions::default());
    let bytes = read_image(&args.image, scanner.options())?;
    let verdict = verify(&scanner, &bytes, &expected, args.ecl)
        .map_err(|e| CliError::bad_input(format!("{}: {e}", args.image)))?;
    let file = &args.image;
    match verdict {
        Verdict::Match(d) => {
            let mask = d.mask.map_or("?".to_string(), |m| m.to_string());
            writeln!(
                std::io::stdout().lock(),
                "ok: {file} holds the expected code (version {}, ecl {}, mask {mask})",
                d.version,
                d.ecl
            )?;
            Ok(())
        }
        Verdict::NoCode => Err(CliError::check_failed(format!("{file}: no QR code found"))),
        Verdict::Differs { reasons, .. } => {
            for r in &reasons {
                eprintln!("{file}: {r}");
            }
            Err(CliError::check_failed(format!("{file}: no code matches the expected one")))
        }
    }
}
