//! `qrpin decode`: print the QR codes in image files.

use std::io::{Read, Write};

use qrpin_codec::Payload;
use qrpin_scan::{Decoded, ScanOptions, Scanner};
use serde_json::{json, Value};

use crate::error::{CliError, CliResult};

/// Arguments of `qrpin decode`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Image files (PNG, JPEG, GIF, WebP, BMP, SVG; the format is taken from the content), or
    /// `-` for standard input.
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Print a JSON array of {"file","codes":[{"text","version","ecl","mask","corners","payload"}]}.
    #[arg(long)]
    pub json: bool,
}

/// Reads an image file (or `-` for standard input), refusing files over the scanner's size
/// limit before reading them.
pub fn read_image(path: &str, opts: &ScanOptions) -> Result<Vec<u8>, CliError> {
    let limit = opts.max_file_bytes;
    let too_big =
        || CliError::bad_input(format!("{path}: file is larger than the {limit}-byte limit"));
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::bad_input(format!("cannot read standard input: {e}")))?;
    } else {
        let f = std::fs::File::open(path)
            .map_err(|e| CliError::bad_input(format!("cannot open {path}: {e}")))?;
        if f.metadata().map(|m| m.len() > limit).unwrap_or(false) {
            return Err(too_big());
        }
        f.take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::bad_input(format!("cannot read {path}: {e}")))?;
    }
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(buf)
}

/// The JSON form of a decoded code; `payload` is null unless the text is an ms-qrpin payload,
/// and then shows the extra fields only as a count.
pub fn code_json(d: &Decoded) -> Value {
    let payload = Payload::parse(&d.text).ok().map(|p| {
        json!({
            "version": p.version(),
            "upn": p.upn(),
            "codeId": p.code_id(),
            "extraFields": p.extra_field_count(),
        })
    });
    json!({
        "text": d.text,
        "version": d.version,
        "ecl": d.ecl.to_string(),
        "mask": d.mask,
        "corners": d.corners.iter().map(|&(x, y)| json!([x, y])).collect::<Vec<_>>(),
        "payload": payload,
    })
}

/// Runs `qrpin decode`.
pub fn run(args: Args) -> CliResult {
    let scanner = Scanner::new(ScanOptions::default());
    let mut out = std::io::stdout().lock();
    let (mut unreadable, mut empty) = (0usize, 0usize);
    let mut items = Vec::new();
    for file in &args.images {
        let result = read_image(file, scanner.options()).and_then(|bytes| {
            scanner.scan_bytes(&bytes).map_err(|e| CliError::bad_input(format!("{file}: {e}")))
        });
        match result {
            Ok(codes) => {
                if codes.is_empty() {
                    empty += 1;
                    eprintln!("{file}: no QR code found");
                }
                if args.json {
                    items.push(json!({"file": file, "codes": codes.iter().map(code_json).collect::<Vec<_>>()}));
                } else {
                    for c in &codes {
                        writeln!(out, "{}", c.text)?;
                    }
                }
            }
            Err(e) => {
                unreadable += 1;
                let msg = match e {
                    CliError::BadInput(m) | CliError::CheckFailed(m) => m,
                    CliError::BrokenPipe => String::new(),
                };
                eprintln!("error: {msg}");
                if args.json {
                    items.push(json!({"file": file, "codes": [], "error": msg}));
                }
            }
        }
    }
    if args.json {
        writeln!(out, "{}", Value::Array(items))?;
    }
    if unreadable > 0 {
        Err(CliError::bad_input(format!(
            "{unreadable} of {} images could not be read",
            args.images.len()
        )))
    } else if empty > 0 {
        Err(CliError::check_failed(""))
    } else {
        Ok(())
    }
}
