//! `qrpin encode`: UPN + code id → payload text (or its base64, as Graph's `rawContent`).

use std::io::Write;

use qrpin_codec::PayloadBuf;

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Arguments of `qrpin encode`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user principal name, e.g. admin@contoso.com.
    #[arg(long)]
    pub upn: String,
    /// The qrCode id (a GUID); written in lower case.
    #[arg(long = "code-id", value_name = "GUID")]
    pub code_id: String,
    /// Print base64 of the payload, as Graph's image.rawContent (--json gives both).
    #[arg(long)]
    pub base64: bool,
}

/// The `--json` output: the payload both ways, and its parts as written.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct EncodedJson<'a> {
    payload: &'a str,
    base64: String,
    upn: &'a str,
    code_id: &'a str,
    bytes: usize,
}

/// Runs `qrpin encode`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let payload = PayloadBuf::build(&args.upn, &args.code_id).map_err(CliError::bad_input)?;
    if ui.json() {
        return ui.print_json(&EncodedJson {
            payload: payload.as_str(),
            base64: qrpin_codec::base64::encode(payload.as_bytes()),
            upn: payload.upn(),
            code_id: payload.code_id(),
            bytes: payload.as_bytes().len(),
        });
    }
    let mut out = std::io::stdout().lock();
    if args.base64 {
        writeln!(out, "{}", qrpin_codec::base64::encode(payload.as_bytes()))?;
    } else {
        writeln!(out, "{}", payload.as_str())?;
    }
    Ok(())
}
