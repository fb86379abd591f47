//! What `render` and `badge` report about a file they wrote (`--json`, `-v`).

use std::time::Instant;

use crate::error::CliResult;
use crate::ui::Ui;

/// What `render` wrote: its `--json` report, and its `-v` line.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderReport {
    /// The file.
    pub output: String,
    /// svg, png or txt.
    pub format: &'static str,
    /// QR version, 1..=40.
    pub version: u8,
    /// Error-correction level.
    pub ecl: String,
    /// Mask pattern, 0..=7.
    pub mask: u8,
    /// Modules per side of the symbol, quiet zone excluded.
    pub modules: usize,
    /// Quiet zone in modules on each side.
    pub border: u32,
    /// Pixels per module (SVG: pixel units), none for txt.
    pub scale: Option<u32>,
    /// Image width and height in pixels (PNG; SVG without --size), else none.
    pub pixels: Option<[u32; 2]>,
    /// The resolution in the PNG's pHYs chunk.
    pub dpi: Option<u32>,
    /// Printed side in mm (PNG with a resolution; SVG with --size), else none.
    pub printed_mm: Option<f64>,
    /// Bytes written.
    pub bytes: usize,
    /// Warnings given while rendering.
    pub warnings: Vec<String>,
}

impl RenderReport {
    /// Prints the `-v` line and, with `--json`, the report.
    pub fn emit(&self, started: Instant, ui: &Ui) -> CliResult {
        let w = self;
        let path = &w.output;
        ui.verbose(format_args!(
            "wrote {path}: {}, version {}, ecl {}, mask {}, {} modules + {} quiet zone{}{}, \
             {} bytes in {:.1} ms",
            w.format,
            w.version,
            w.ecl,
            w.mask,
            w.modules,
            w.border,
            w.pixels.map_or(String::new(), |[x, y]| format!(", {x}x{y} px")),
            w.printed_mm.map_or(String::new(), |m| format!(" ({m} mm)")),
            w.bytes,
            started.elapsed().as_secs_f64() * 1e3
        ));
        if ui.json() {
            ui.print_json(w)?;
        }
        Ok(())
    }
}

/// What `badge` wrote: its `--json` report, and its `-v` line. Never holds the PIN.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeReport {
    /// The file.
    pub output: String,
    /// svg, png or pdf.
    pub format: &'static str,
    /// QR version of the code.
    pub version: u8,
    /// Error-correction level.
    pub ecl: String,
    /// Modules per side of the symbol, quiet zone excluded.
    pub modules: usize,
    /// Printed side of the code, quiet zone included, in mm.
    pub qr_size_mm: f64,
    /// One badge's width and height in mm.
    pub badge_mm: [f64; 2],
    /// a4 or letter with --sheet, else none.
    pub sheet: Option<&'static str>,
    /// Badges written.
    pub copies: usize,
    /// Pages (sheets), 1 without --sheet.
    pub pages: usize,
    /// Width and height of a page in mm (the badge, or the sheet).
    pub page_mm: [f64; 2],
    /// PNG resolution (pHYs).
    pub dpi: Option<u32>,
    /// PNG width and height in pixels.
    pub pixels: Option<[u32; 2]>,
    /// Bytes written.
    pub bytes: usize,
    /// Whether a PIN was printed on the badge (--with-pin); the PIN itself is never reported.
    pub pin_printed: bool,
    /// Warnings given (never containing the PIN).
    pub warnings: Vec<String>,
}

impl BadgeReport {
    /// Prints the `-v` line and, with `--json`, the report.
    pub fn emit(&self, started: Instant, ui: &Ui) -> CliResult {
        let w = self;
        let [bw, bh] = w.badge_mm;
        let sheet = match w.sheet {
            Some(s) => format!(", {} on {} {s} page(s)", w.copies, w.pages),
            None => String::new(),
        };
        let px = w.pixels.map_or(String::new(), |[x, y]| format!(", {x}x{y} px"));
        ui.verbose(format_args!(
            "wrote {}: {}, badge {bw} x {bh} mm{sheet}, code {} mm, version {}, ecl {}, \
             {} modules{px}, {} bytes in {:.1} ms",
            w.output,
            w.format,
            w.qr_size_mm,
            w.version,
            w.ecl,
            w.modules,
            w.bytes,
            started.elapsed().as_secs_f64() * 1e3
        ));
        if ui.json() {
            ui.print_json(w)?;
        }
        Ok(())
    }
}

/// Width and height of a PNG, from its `IHDR` chunk (`None` if `png` is not a PNG).
pub fn png_dimensions(png: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || !png.starts_with(SIGNATURE) || &png[12..16] != b"IHDR" {
        return None;
    }
    let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    Some((be(16), be(20)))
}

/// A length in millimetres rounded to hundredths, for reports.
pub fn mm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Millimetres that `px` pixels print at `dpi`.
pub fn px_to_mm(px: u32, dpi: u32) -> f64 {
    mm(f64::from(px) / f64::from(dpi) * 25.4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_header_is_read() {
        let m = qrpin_render::QrMatrix::encode(b"x", &Default::default()).unwrap();
        let png = qrpin_render::to_png(&m, &Default::default()).unwrap();
        let side = (m.size() as u32 + 2 * qrpin_render::DEFAULT_BORDER) * 5;
        assert_eq!(png_dimensions(&png), Some((side, side)));
        assert_eq!(png_dimensions(b"<svg/>"), None);
        assert_eq!(png_dimensions(&png[..20]), None);
        assert_eq!(px_to_mm(600, 300), 50.8);
    }
}
