//! `qrpin encode`: UPN + code id → payload text (or its base64, as Graph's `rawContent`).

use std::io::Write;

use qrpin_codec::PayloadBuf;

use crate::error::{CliError, CliResult};

/// Arguments of `qrpin encode`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user principal name, e.g. admin@contoso.com.
    #[arg(long)]
    pub upn: String,
    /// The qrCode id (a GUID); written in lower case.
    #[arg(long = "code-id", value_name = "GUID")]
    pub code_id: String,
    /// Print base64 of the payload, as Graph's image.rawContent.
    #[arg(long)]
    pub base64: bool,
}

/// Runs `qrpin encode`.
pub fn run(args: Args) -> CliResult {
    let payload = PayloadBuf::build(&args.upn, &args.code_id).map_err(CliError::bad_input)?;
    let mut out = std::io::stdout().lock();
    if args.base64 {
        writeln!(out, "{}", qrpin_codec::base64::encode(payload.as_bytes()))?;
    } else {
        writeln!(out, "{}", payload.as_str())?;
    }
    Ok(())
}
