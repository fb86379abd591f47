//! `qrpin decode`: print the QR codes in image files.

use std::io::{Read, Write};
use std::time::Duration;

use qrpin_codec::Payload;
use qrpin_scan::{Decoded, Layer, ScanOptions, Scanner};
use serde_json::{json, Value};

use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Arguments of `qrpin decode`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Image files (PNG, JPEG, GIF, WebP, BMP, SVG; the format is taken from the content), or
    /// `-` for standard input.
    #[arg(required = true)]
    pub images: Vec<String>,
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

/// The scanner layer's name, as `-v` shows it: `known-geometry`, `rqrr`, `rxing`, `variant`.
pub fn layer_name(layer: Layer) -> String {
    let mut name = String::new();
    for (i, c) in format!("{layer:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

/// The `-v` line for one code read from `file`.
pub fn describe(file: &str, d: &Decoded, took: Duration) -> String {
    let mask = d.mask.map_or("?".to_string(), |m| m.to_string());
    format!(
        "{file}: version {}, ecl {}, mask {mask}, read by {} ({:.1} ms for the file)",
        d.version,
        d.ecl,
        layer_name(d.layer),
        took.as_secs_f64() * 1e3
    )
}

/// Runs `qrpin decode`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let scanner = Scanner::new(ScanOptions::default());
    let mut out = std::io::stdout().lock();
    let (mut unreadable, mut empty) = (0usize, 0usize);
    let mut items = Vec::new();
    for file in &args.images {
        let started = std::time::Instant::now();
        let result = read_image(file, scanner.options()).and_then(|bytes| {
            scanner.scan_bytes(&bytes).map_err(|e| CliError::bad_input(format!("{file}: {e}")))
        });
        match result {
            Ok(codes) => {
                if ui.is_verbose() {
                    for c in &codes {
                        ui.verbose(describe(file, c, started.elapsed()));
                    }
                }
                if codes.is_empty() {
                    empty += 1;
                    ui.problem(format_args!("{file}: no QR code found"));
                }
                if ui.json() {
                    let codes: Vec<Value> = codes.iter().map(code_json).collect();
                    items.push(json!({"file": file, "codes": codes}));
                } else {
                    for c in &codes {
                        writeln!(out, "{}", c.text)?;
                    }
                }
            }
            Err(e) => {
                unreadable += 1;
                let msg = e.message().to_owned();
                ui.problem(&msg);
                if ui.json() {
                    items.push(json!({"file": file, "codes": [], "error": msg}));
                }
            }
        }
    }
    if ui.json() {
        writeln!(out, "{}", Value::Array(items))?;
    }
    let n = args.images.len();
    if unreadable > 0 {
        Err(CliError::bad_input(format!("{unreadable} of {n} images could not be read")))
    } else if empty > 0 {
        Err(CliError::reported(format!("{empty} of {n} images hold no QR code")))
    } else {
        Ok(())
    }
}
