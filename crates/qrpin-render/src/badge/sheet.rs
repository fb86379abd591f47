//! Sheets: badges N-up on A4 or Letter pages, with margins and crop marks, as many pages as
//! needed. Rows and columns follow from the badge and sheet sizes.

use std::str::FromStr;

use super::svg::{num, Drawing};
use super::BadgeSvg;
use crate::RenderError;

/// Space kept clear at each page edge (most printers cannot print the outer 5 mm), mm.
pub const SHEET_MARGIN_MM: f64 = 10.0;
/// Space between neighbouring badges, holding their crop marks, mm.
pub const SHEET_GAP_MM: f64 = 8.0;
/// Crop marks start this far from the badge corner, mm.
const MARK_OFFSET: f64 = 1.0;
/// Longest crop mark, mm (shorter when half the gap is less).
const MARK_LEN: f64 = 3.0;
const MARK_STROKE: f64 = 0.15;

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Sheet {
    /// Width and height in mm (portrait).
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Sheet::A4 => (210.0, 297.0),
            Sheet::Letter => (215.9, 279.4),
        }
    }
}

impl FromStr for Sheet {
    type Err = RenderError;

    /// `a4` or `letter`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Sheet::A4),
            "letter" => Ok(Sheet::Letter),
            _ => Err(RenderError::Badge(format!("unknown sheet {s:?} (expected a4 or letter)"))),
        }
    }
}

/// How badges sit on a sheet: a grid centred on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SheetGrid {
    /// Badges across.
    pub cols: usize,
    /// Badges down.
    pub rows: usize,
    /// Left edge of the first column, mm.
    pub x0: f64,
    /// Top edge of the first row, mm.
    pub y0: f64,
    /// Distance between columns (badge width + gap), mm.
    pub pitch_x: f64,
    /// Distance between rows, mm.
    pub pitch_y: f64,
}

impl SheetGrid {
    /// Badges per page.
    pub fn per_page(&self) -> usize {
        self.cols * self.rows
    }
}

/// The grid for badges of `w × h` mm on `sheet`.
///
/// ```
/// use qrpin_render::badge::{sheet_grid, Sheet};
/// let g = sheet_grid(85.6, 54.0, Sheet::A4)?;
/// assert_eq!((g.cols, g.rows), (2, 4));
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::Badge`] when not even one badge fits inside the margins.
pub fn sheet_grid(w: f64, h: f64, sheet: Sheet) -> Result<SheetGrid, RenderError> {
    let (pw, ph) = sheet.size_mm();
    let (aw, ah) = (pw - 2.0 * SHEET_MARGIN_MM, ph - 2.0 * SHEET_MARGIN_MM);
    let count =
        |avail: f64, size: f64| ((avail + SHEET_GAP_MM + 1e-9) / (size + SHEET_GAP_MM)).floor();
    let (cols, rows) = (count(aw, w), count(ah, h));
    if cols < 1.0 || rows < 1.0 || !w.is_finite() || !h.is_finite() {
        return Err(RenderError::Badge(format!(
            "a {w:.1} × {h:.1} mm badge does not fit on a {pw} × {ph} mm sheet with \
             {SHEET_MARGIN_MM} mm margins"
        )));
    }
    let used_w = cols * w + (cols - 1.0) * SHEET_GAP_MM;
    let used_h = rows * h + (rows - 1.0) * SHEET_GAP_MM;
    Ok(SheetGrid {
        cols: cols as usize,
        rows: rows as usize,
        x0: (pw - used_w) / 2.0,
        y0: (ph - used_h) / 2.0,
        pitch_x: w + SHEET_GAP_MM,
        pitch_y: h + SHEET_GAP_MM,
    })
}

/// Places `badges` (all the same size) on as many pages as needed, left to right, top to bottom.
///
/// # Errors
/// [`RenderError::Badge`] for no badges, badges of different sizes, or a badge that does not
/// fit the sheet.
pub fn sheet_pages(badges: &[BadgeSvg], sheet: Sheet) -> Result<Vec<Drawing>, RenderError> {
    let first = badges.first().ok_or_else(|| RenderError::Badge("no badges to place".into()))?;
    let (w, h) = (first.drawing.w, first.drawing.h);
    if let Some(b) =
        badges.iter().find(|b| (b.drawing.w - w).abs() > 1e-6 || (b.drawing.h - h).abs() > 1e-6)
    {
        return Err(RenderError::Badge(format!(
            "all badges on a sheet must have one size: {w:.1} × {h:.1} mm and {:.1} × {:.1} mm",
            b.drawing.w, b.drawing.h
        )));
    }
    let grid = sheet_grid(w, h, sheet)?;
    let (pw, ph) = sheet.size_mm();
    let mut pages = Vec::new();
    for chunk in badges.chunks(grid.per_page()) {
        let mut body = String::new();
        let mut marks = String::new();
        let mut logos = Vec::new();
        let mut fonts = chunk[0].drawing.fonts.clone();
        for (i, b) in chunk.iter().enumerate() {
            let x = grid.x0 + (i % grid.cols) as f64 * grid.pitch_x;
            let y = grid.y0 + (i / grid.cols) as f64 * grid.pitch_y;
            body.push_str("<g transform=\"translate(");
            num(&mut body, x);
            body.push(' ');
            num(&mut body, y);
            body.push_str(")\">\n");
            body.push_str(&b.drawing.body);
            body.push_str("</g>\n");
            for (r, l) in &b.drawing.logos {
                let mut r = *r;
                r.x += x;
                r.y += y;
                logos.push((r, l.clone()));
            }
            fonts.merge(&b.drawing.fonts);
            crop_marks(&mut marks, x, y, w, h);
        }
        body.push_str("<path fill=\"none\" stroke=\"#000000\" stroke-width=\"");
        num(&mut body, MARK_STROKE);
        body.push_str("\" d=\"");
        body.push_str(&marks);
        body.push_str("\"/>\n");
        pages.push(Drawing { w: pw, h: ph, body, logos, fonts });
    }
    Ok(pages)
}

/// Eight short lines continuing the badge's edges beyond its corners, in the gap around it.
fn crop_marks(d: &mut String, x: f64, y: f64, w: f64, h: f64) {
    let len = MARK_LEN.min(SHEET_GAP_MM / 2.0 - MARK_OFFSET - 0.5);
    let mut line = |x1: f64, y1: f64, x2: f64, y2: f64| {
        d.push('M');
        num(d, x1);
        d.push(',');
        num(d, y1);
        d.push('L');
        num(d, x2);
        d.push(',');
        num(d, y2);
    };
    let (o, e) = (MARK_OFFSET, MARK_OFFSET + len);
    for cy in [y, y + h] {
        line(x - e, cy, x - o, cy);
        line(x + w + o, cy, x + w + e, cy);
    }
    for cx in [x, x + w] {
        line(cx, y - e, cx, y - o);
        line(cx, y + h + o, cx, y + h + e);
    }
}

/// Badges N-up on sheets as one PDF.
///
/// # Errors
/// As [`sheet_pages`] and [`super::pdf_document`].
pub fn sheet_pdf(badges: &[BadgeSvg], sheet: Sheet) -> Result<Vec<u8>, RenderError> {
    super::pdf_document(&sheet_pages(badges, sheet)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_follow_from_sizes() {
        let g = sheet_grid(85.6, 54.0, Sheet::A4).unwrap();
        assert_eq!((g.cols, g.rows, g.per_page()), (2, 4, 8));
        // Centred: equal space left and right.
        let right = 210.0 - (g.x0 + g.pitch_x + 85.6);
        assert!((g.x0 - right).abs() < 1e-9 && g.x0 >= SHEET_MARGIN_MM);
        let g = sheet_grid(54.0, 85.6, Sheet::Letter).unwrap();
        assert_eq!((g.cols, g.rows), (3, 2));
        let g = sheet_grid(54.0, 85.6, Sheet::A4).unwrap();
        assert_eq!((g.cols, g.rows), (3, 3));
        let g = sheet_grid(30.0, 30.0, Sheet::A4).unwrap();
        assert_eq!((g.cols, g.rows), (5, 7));
        assert!(sheet_grid(200.0, 50.0, Sheet::A4).is_err());
        assert_eq!("LETTER".parse::<Sheet>().unwrap(), Sheet::Letter);
        assert!("a5".parse::<Sheet>().is_err());
    }
}
