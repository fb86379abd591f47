//! `qrpin batch` without `--badge`: a bare code per row, as PNG and/or SVG.

use std::path::{Path, PathBuf};

use qrpin_codec::rows::Row;
use qrpin_codec::Ecl;
use qrpin_render::{EncodeOptions, PngOptions, QrMatrix, SvgOptions};
use qrpin_scan::Scanner;

use super::report::{RowReport, Status};
use super::{failed, output, Config, Worker};

/// Renders, verifies and writes one row.
pub(super) fn process(row: &Row, stem: &str, cfg: &Config, w: &mut Worker) -> RowReport {
    let key = Some(row.payload.code_id().to_owned());
    let ecl = row.ecl.unwrap_or(cfg.ecl);
    let text = row.payload.as_str();
    let mut outputs = Vec::new();
    if cfg.pngs {
        outputs.push(format!("{stem}.png"));
    }
    if cfg.svgs {
        outputs.push(format!("{stem}.svg"));
    }
    let paths: Vec<PathBuf> = outputs.iter().map(|n| cfg.out.join(n)).collect();
    let shown = |paths: &[PathBuf]| paths.iter().map(|p| p.display().to_string()).collect();
    if cfg.resume && paths.iter().all(|p| existing_is_valid(p, text, ecl, &w.scanner)) {
        return RowReport {
            row: row.row,
            line: row.line,
            key,
            output: shown(&paths),
            status: Status::Exists,
            error: None,
        };
    }
    let result = (|| -> Result<(), String> {
        let m = QrMatrix::encode(
            row.payload.as_bytes(),
            &EncodeOptions { ecl, version: None, mask: None },
        )
        .map_err(|e| e.to_string())?;
        for name in &outputs {
            let bytes: &[u8] = if name.ends_with(".png") {
                w.png.clear();
                qrpin_render::write_png(
                    &m,
                    &PngOptions { base: cfg.render, dpi: cfg.dpi, ..PngOptions::default() },
                    &mut w.png,
                )
                .map_err(|e| e.to_string())?;
                &w.png
            } else {
                w.svg.clear();
                let opts = SvgOptions { base: cfg.render, ..SvgOptions::default() };
                qrpin_render::write_svg(&m, &opts, &mut w.svg).map_err(|e| e.to_string())?;
                w.svg.as_bytes()
            };
            if cfg.verify {
                let verdict = qrpin_scan::verify(&w.scanner, bytes, text, Some(ecl))
                    .map_err(|e| format!("verify {name}: {e}"))?;
                if !verdict.is_match() {
                    return Err(format!(
                        "verify {name}: the rendered image does not read back as the row's code"
                    ));
                }
            }
            output::write_atomic(&cfg.out, name, bytes, &cfg.temp_prefix)
                .map_err(|e| format!("cannot write {name}: {e}"))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => RowReport {
            row: row.row,
            line: row.line,
            key,
            output: shown(&paths),
            status: Status::Ok,
            error: None,
        },
        Err(m) => failed(row.row, row.line, key, m),
    }
}

/// `--resume`: a file counts as done when it exists and decodes to the row's code.
fn existing_is_valid(path: &Path, text: &str, ecl: Ecl, scanner: &Scanner) -> bool {
    match std::fs::read(path) {
        Ok(bytes) => {
            qrpin_scan::verify(scanner, &bytes, text, Some(ecl)).is_ok_and(|v| v.is_match())
        }
        Err(_) => false,
    }
}
