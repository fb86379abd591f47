//! `qrpin parse`: check a payload text and show its fields.

use std::io::Write;

use qrpin_codec::{ParseOptions, Payload};

use crate::error::{CliError, CliResult};
use crate::io::text_or_stdin;
use crate::ui::Ui;

/// Arguments of `qrpin parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The payload text; read from standard input when absent (one final newline is dropped).
    pub text: Option<String>,
    /// The input is base64 of the payload (Graph's image.rawContent).
    #[arg(long)]
    pub base64: bool,
    /// Reject extra fields after the code id and upper-case code ids.
    #[arg(long)]
    pub strict: bool,
}

/// The `--json` output, fields in this order. Extra fields are counted, never shown.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ParsedJson<'a> {
    version: u32,
    upn: &'a str,
    code_id: &'a str,
    extra_fields: usize,
}

/// Runs `qrpin parse`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let input = text_or_stdin(args.text)?;
    let bytes = if args.base64 {
        let text = std::str::from_utf8(&input).map_err(|e| {
            CliError::bad_input(format!("the base64 input is not UTF-8 (byte {})", e.valid_up_to()))
        })?;
        qrpin_codec::base64::decode(text).map_err(CliError::bad_input)?
    } else {
        input
    };
    let opts = ParseOptions { strict: args.strict };
    let p = Payload::parse_bytes(&bytes, opts)
        .map_err(|e| CliError::bad_input(format!("not a valid payload: {e}")))?;
    if ui.json() {
        return ui.print_json(&ParsedJson {
            version: p.version(),
            upn: p.upn(),
            code_id: p.code_id(),
            extra_fields: p.extra_field_count(),
        });
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "version: {}", p.version())?;
    writeln!(out, "upn:     {}", p.upn())?;
    writeln!(out, "codeId:  {}", p.code_id())?;
    match p.extra_field_count() {
        0 => {}
        n => writeln!(out, "extra:   {n} field(s), <redacted: {} bytes>", p.extra_len() - 1)?,
    }
    if !p.is_canonical() {
        writeln!(
            out,
            "note:    not canonical (Graph writes no extra fields and a lower-case code id)"
        )?;
    }
    Ok(())
}
