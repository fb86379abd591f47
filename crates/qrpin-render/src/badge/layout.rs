//! Badge geometry, in millimetres: where the code goes, where the text column is, and how the
//! lines of text are sized and stacked in it.

use super::text::{fit, Fitted, Measurer, TextRole};
use crate::{Length, RenderError, Unit};

/// ID-1 card width (ISO/IEC 7810), mm.
pub const CARD_WIDTH_MM: f64 = 85.6;
/// ID-1 card height, mm.
pub const CARD_HEIGHT_MM: f64 = 54.0;
/// ID-1 card corner radius, mm.
pub const CARD_RADIUS_MM: f64 = 3.18;

/// Space between the code's quiet zone and the text, mm.
const GAP: f64 = 1.0;
/// Distance from the badge edge to text, mm.
const EDGE: f64 = 3.0;
/// The code's distance from the badge edge is at most this (beyond its own quiet zone), mm.
const MAX_QR_EDGE: f64 = 4.0;
/// A text column narrower (landscape) or lower (portrait) than this is left out, mm.
const MIN_COLUMN: f64 = 12.0;
const MIN_ROW: f64 = 6.0;
/// Line advance as a multiple of the font size, and where the baseline sits in a line box.
pub(crate) const LINE: f64 = 1.3;
const BASELINE: f64 = 0.95;
/// Space between the logo and the first line, mm.
const LOGO_GAP: f64 = 1.5;
/// The tallest a logo is drawn, mm.
const LOGO_MAX_H: f64 = 9.0;

/// A rectangle in millimetres, `y` downwards as in SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectMm {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl RectMm {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn overlaps(&self, o: &RectMm) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// Whether `o` lies inside this rectangle (within 1 µm).
    pub fn contains(&self, o: &RectMm) -> bool {
        const EPS: f64 = 1e-3;
        o.x >= self.x - EPS
            && o.y >= self.y - EPS
            && o.right() <= self.right() + EPS
            && o.bottom() <= self.bottom() + EPS
    }
}

/// The shape of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Layout {
    /// An ID-1 card (85.6 × 54 mm), landscape: code on the left, text on the right.
    #[default]
    Card,
    /// An ID-1 card, portrait (54 × 85.6 mm): code at the top, text below.
    CardPortrait,
    /// A plain label of any size: landscape labels are laid out like [`Layout::Card`], portrait
    /// ones like [`Layout::CardPortrait`].
    Label {
        /// Width.
        width: Length,
        /// Height.
        height: Length,
    },
}

/// A length in millimetres; pixels count as CSS pixels (96 per inch).
pub fn to_mm(l: Length) -> f64 {
    match l.unit() {
        Unit::Mm => l.value(),
        Unit::Cm => l.value() * 10.0,
        Unit::In => l.value() * 25.4,
        Unit::Px => l.value() * 25.4 / 96.0,
    }
}

/// Where the parts of a badge go, before the text is fitted.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) radius: f64,
    pub(crate) qr: RectMm,
    /// The text column, if there is room for one.
    pub(crate) column: Option<RectMm>,
    /// Centre text horizontally (portrait) rather than left-align it.
    pub(crate) centred: bool,
}

/// Places the code (`q` mm square, quiet zone included) on a badge of the given layout.
pub(crate) fn frame(layout: Layout, q: f64) -> Result<Frame, RenderError> {
    let (w, h, radius) = match layout {
        Layout::Card => (CARD_WIDTH_MM, CARD_HEIGHT_MM, CARD_RADIUS_MM),
        Layout::CardPortrait => (CARD_HEIGHT_MM, CARD_WIDTH_MM, CARD_RADIUS_MM),
        Layout::Label { width, height } => (to_mm(width), to_mm(height), 0.0),
    };
    if q > w + 1e-9 || q > h + 1e-9 {
        return Err(RenderError::BadLength {
            value: format!("{q:.2}mm"),
            reason: format!("the code does not fit on a {w:.1} × {h:.1} mm badge"),
        });
    }
    if w >= h {
        let qy = (h - q) / 2.0;
        let qx = qy.min(MAX_QR_EDGE);
        let qr = RectMm { x: qx, y: qy, w: q, h: q };
        let x0 = qr.right() + GAP;
        let col = RectMm { x: x0, y: EDGE, w: w - EDGE - x0, h: h - 2.0 * EDGE };
        let column = (col.w >= MIN_COLUMN && col.h >= MIN_ROW).then_some(col);
        Ok(Frame { w, h, radius, qr, column, centred: false })
    } else {
        let qx = (w - q) / 2.0;
        let qy = qx.min(MAX_QR_EDGE);
        let qr = RectMm { x: qx, y: qy, w: q, h: q };
        let y0 = qr.bottom() + GAP;
        let col = RectMm { x: EDGE, y: y0, w: w - 2.0 * EDGE, h: h - EDGE - y0 };
        let column = (col.w >= MIN_COLUMN && col.h >= MIN_ROW).then_some(col);
        Ok(Frame { w, h, radius, qr, column, centred: true })
    }
}

/// One line of text to place: its role, the cleaned text, and its size range in mm.
#[derive(Debug, Clone)]
pub(crate) struct LineSpec {
    pub(crate) role: TextRole,
    pub(crate) text: String,
    pub(crate) bold: bool,
    pub(crate) max: f64,
    pub(crate) min: f64,
    /// For the UPN: may be split into two lines before the `@`.
    pub(crate) splittable: bool,
}

/// A line of text where it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    /// What it is.
    pub role: TextRole,
    /// The text drawn (shortened with '…' if it did not fit).
    pub text: String,
    /// Font size (em), mm.
    pub size: f64,
    /// Bold face.
    pub bold: bool,
    /// The `x` of the SVG `<text>`: its left edge, or its centre when centred.
    pub anchor_x: f64,
    /// Baseline `y`.
    pub baseline: f64,
    /// The line's box: measured advance width × line height.
    pub rect: RectMm,
    /// Whether the text was shortened.
    pub ellipsised: bool,
}

/// Fits and stacks `lines` in `col` (with an optional logo of aspect ratio w/h on top), centred
/// vertically. Lines that do not fit even at their minimum sizes are dropped from the end of
/// `lines` (the caller orders them by importance) with a warning.
pub(crate) fn place_text(
    m: &Measurer,
    col: RectMm,
    centred: bool,
    logo_aspect: Option<f64>,
    lines: &[LineSpec],
    warnings: &mut Vec<String>,
) -> Result<(Vec<PlacedLine>, Option<RectMm>), RenderError> {
    let logo = logo_aspect.filter(|a| a.is_finite() && *a > 0.0).map(|aspect| {
        let mut lh = LOGO_MAX_H.min(col.h * 0.25);
        let mut lw = lh * aspect;
        if lw > col.w {
            lw = col.w;
            lh = lw / aspect;
        }
        (lw, lh)
    });
    let logo_h = logo.map_or(0.0, |(_, h)| h + LOGO_GAP);
    let avail_h = col.h - logo_h;

    let mut keep = lines.len();
    loop {
        let mut best = None;
        for step in 0..=5 {
            let scale = 1.0 - 0.1 * f64::from(step);
            let fitted = fit_all(m, col.w, &lines[..keep], scale)?;
            let height: f64 = fitted.iter().map(|(_, f)| f64::from(f.size) * LINE).sum();
            if height <= avail_h {
                best = Some((fitted, height));
                break;
            }
        }
        if let Some((fitted, height)) = best {
            for dropped in &lines[keep..] {
                warnings.push(format!(
                    "no room for the {} line; it was left out",
                    dropped.role.as_str()
                ));
            }
            let top = col.y + (col.h - logo_h - height) / 2.0;
            let logo_rect = logo.map(|(lw, lh)| RectMm {
                x: if centred { col.x + (col.w - lw) / 2.0 } else { col.x },
                y: top,
                w: lw,
                h: lh,
            });
            let mut y = top + logo_h;
            let mut placed = Vec::with_capacity(fitted.len());
            for (spec, f) in fitted {
                let size = f64::from(f.size);
                let width = f64::from(f.width).min(col.w);
                let x = if centred { col.x + (col.w - width) / 2.0 } else { col.x };
                placed.push(PlacedLine {
                    role: spec.role,
                    text: f.text,
                    size,
                    bold: spec.bold,
                    anchor_x: if centred { col.x + col.w / 2.0 } else { col.x },
                    baseline: y + BASELINE * size,
                    rect: RectMm { x, y, w: width, h: size * LINE },
                    ellipsised: f.ellipsised,
                });
                y += size * LINE;
            }
            return Ok((placed, logo_rect));
        }
        if keep == 0 {
            return Ok((Vec::new(), None));
        }
        keep -= 1;
    }
}

/// Fits every line at `scale` × its maximum size (not below its minimum); a splittable line
/// that would be shortened is split before its `@` instead, when both halves then fit.
fn fit_all(
    m: &Measurer,
    width: f64,
    lines: &[LineSpec],
    scale: f64,
) -> Result<Vec<(LineSpec, Fitted)>, RenderError> {
    let mut out = Vec::new();
    for spec in lines {
        let max = (spec.max * scale).max(spec.min) as f32;
        let (w, min) = (width as f32, spec.min as f32);
        let f = fit(m, &spec.text, spec.bold, w, max, min)?;
        if !(spec.splittable && f.ellipsised) {
            out.push((spec.clone(), f));
            continue;
        }
        // First choice: two lines, split before the '@', at the largest size both fit.
        if let Some(at) = spec.text.find('@').filter(|&at| at > 0) {
            let (a, b) = spec.text.split_at(at);
            let fa = fit(m, a, spec.bold, w, max, min)?;
            let fb = fit(m, b, spec.bold, w, max, min)?;
            if !fa.ellipsised && !fb.ellipsised {
                let size = fa.size.min(fb.size);
                for text in [a, b] {
                    out.push((spec.clone(), fit(m, text, spec.bold, w, size, size)?));
                }
                continue;
            }
        }
        // Else wrap at the minimum size, preferring breaks before '@' and '.'.
        for part in wrap(m, &spec.text, spec.bold, w, min)? {
            out.push((spec.clone(), part));
        }
    }
    Ok(out)
}

/// The most lines one wrapped text may take; the last is ellipsised if text remains.
const MAX_WRAPPED_LINES: usize = 6;

/// Greedy wrapping at `size`: each line takes the longest prefix that fits, moved back to just
/// before the last '@' or '.' in its second half when there is one.
fn wrap(
    m: &Measurer,
    text: &str,
    bold: bool,
    avail: f32,
    size: f32,
) -> Result<Vec<Fitted>, RenderError> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let whole = fit(m, rest, bold, avail, size, size)?;
        if !whole.ellipsised || out.len() + 1 == MAX_WRAPPED_LINES {
            out.push(whole);
            break;
        }
        // The ellipsised prefix (without '…') is what fits with room to spare.
        let fits = whole
            .text
            .trim_end_matches(super::text::ELLIPSIS)
            .len()
            .max(rest.chars().next().map_or(1, char::len_utf8));
        let mut cut = fits;
        if let Some(i) = rest[..fits].rfind(['@', '.']).filter(|&i| i > fits / 2) {
            cut = i;
        }
        let line = &rest[..cut];
        let width = m.width_em(line, bold)? * size;
        out.push(Fitted { text: line.to_owned(), size, width, ellipsised: false });
        rest = &rest[cut..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_keep_the_code_clear_of_the_column() {
        for layout in [Layout::Card, Layout::CardPortrait] {
            let f = frame(layout, 50.8).unwrap();
            let col = f.column.unwrap();
            assert!(!f.qr.overlaps(&col), "{layout:?}");
            let badge = RectMm { x: 0.0, y: 0.0, w: f.w, h: f.h };
            assert!(badge.contains(&f.qr) && badge.contains(&col));
        }
        let f = frame(Layout::Card, 50.8).unwrap();
        assert!((f.qr.y - 1.6).abs() < 1e-9 && (f.qr.x - 1.6).abs() < 1e-9);
        let label = |w: f64, h: f64| Layout::Label {
            width: Length::new(w, Unit::Mm).unwrap(),
            height: Length::new(h, Unit::Mm).unwrap(),
        };
        assert!(frame(label(55.0, 55.0), 50.8).unwrap().column.is_none());
        assert!(matches!(frame(label(40.0, 100.0), 50.8), Err(RenderError::BadLength { .. })));
        assert!((to_mm(Length::new(2.0, Unit::In).unwrap()) - 50.8).abs() < 1e-12);
        assert!((to_mm(Length::new(96.0, Unit::Px).unwrap()) - 25.4).abs() < 1e-12);
    }
}
