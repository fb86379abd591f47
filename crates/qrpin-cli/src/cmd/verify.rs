//! `qrpin verify`: does an image hold exactly this code?

use std::io::Write;

use qrpin_codec::{Ecl, PayloadBuf};
use qrpin_scan::{verify, Decoded, ScanOptions, Scanner, Verdict};
use serde_json::{json, Value};

use crate::cmd::decode::{code_json, describe, read_image};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

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

/// The `--json` report: whether it matched, the codes found (as `decode --json` shows them:
/// the matching one, or every one read), and what differed.
fn report(file: &str, expected_ecl: Option<Ecl>, verdict: &Verdict) -> Value {
    let (matched, codes, reasons): (bool, Vec<&Decoded>, Vec<String>) = match verdict {
        Verdict::Match(d) => (true, vec![d], Vec::new()),
        Verdict::NoCode => (false, Vec::new(), vec!["no QR code found".to_owned()]),
        Verdict::Differs { codes, reasons } => (false, codes.iter().collect(), reasons.clone()),
    };
    json!({
        "file": file,
        "match": matched,
        "expectedEcl": expected_ecl.map(|e| e.to_string()),
        "codes": codes.into_iter().map(code_json).collect::<Vec<_>>(),
        "reasons": reasons,
    })
}

/// Runs `qrpin verify`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let expected = match (args.raw, args.upn, args.code_id) {
        (Some(raw), _, _) => raw,
        (None, Some(upn), Some(id)) => PayloadBuf::build(&upn, &id)
            .map_err(|e| CliError::bad_input(format!("bad --upn/--code-id: {e}")))?
            .as_str()
            .to_string(),
        _ => return Err(CliError::bad_input("give --raw TEXT, or --upn UPN with --code-id GUID")),
    };
    let scanner = Scanner::new(ScanOptions::default());
    let started = std::time::Instant::now();
    let bytes = read_image(&args.image, scanner.options())?;
    let verdict = verify(&scanner, &bytes, &expected, args.ecl)
        .map_err(|e| CliError::bad_input(format!("{}: {e}", args.image)))?;
    let file = &args.image;
    if ui.is_verbose() {
        let codes: Vec<&Decoded> = match &verdict {
            Verdict::Match(d) => vec![d],
            Verdict::NoCode => Vec::new(),
            Verdict::Differs { codes, .. } => codes.iter().collect(),
        };
        for d in codes {
            ui.verbose(describe(file, d, started.elapsed()));
        }
    }
    if ui.json() {
        ui.print_json(&report(file, args.ecl, &verdict))?;
    }
    match verdict {
        Verdict::Match(d) => {
            if !ui.json() {
                let mask = d.mask.map_or("?".to_string(), |m| m.to_string());
                writeln!(
                    std::io::stdout().lock(),
                    "ok: {file} holds the expected code (version {}, ecl {}, mask {mask})",
                    d.version,
                    d.ecl
                )?;
            }
            Ok(())
        }
        Verdict::NoCode => Err(CliError::check_failed(format!("{file}: no QR code found"))),
        Verdict::Differs { reasons, .. } => {
            for r in &reasons {
                ui.note(format_args!("{file}: {r}"));
            }
            Err(CliError::check_failed(format!("{file}: no code matches the expected one")))
        }
    }
}
