//! Writing badge markup: the code as one vector path, text elements, the card outline, and the
//! document wrapper (with logos as embedded PNG data).

use std::fmt::Write as _;
use std::sync::Arc;

use super::fonts::{FontBlobs, FAMILY_LIST};
use super::layout::{PlacedLine, RectMm};
use super::logo::LogoImage;
use super::text::escape_into;
use crate::QrMatrix;

/// Quiet zone drawn around the code, in modules (ISO/IEC 18004 §5.3.8).
pub(crate) const QUIET: usize = 4;

/// A finished drawing — a badge, or a sheet page of badges — in millimetre user units, ready to
/// be written as SVG ([`Drawing::to_svg`]) or exported with [`badge_png`](super::badge_png) and
/// [`pdf_document`](super::pdf_document).
#[derive(Debug, Clone)]
pub struct Drawing {
    pub(crate) w: f64,
    pub(crate) h: f64,
    /// Everything but the logos, in mm.
    pub(crate) body: String,
    /// Logos and where they go; drawn last, over white.
    pub(crate) logos: Vec<(RectMm, Arc<LogoImage>)>,
    pub(crate) fonts: FontBlobs,
}

impl Drawing {
    /// Width in millimetres.
    pub fn width_mm(&self) -> f64 {
        self.w
    }

    /// Height in millimetres.
    pub fn height_mm(&self) -> f64 {
        self.h
    }

    /// The SVG document: physical `width`/`height` in mm, a `viewBox` in mm, text as `<text>`
    /// (in the embedded family, with common fallbacks) and logos as PNG `data:` URLs.
    pub fn to_svg(&self) -> String {
        self.document(true)
    }

    /// The document with or without the logo images (the exporters draw logos themselves).
    pub(crate) fn document(&self, with_logos: bool) -> String {
        let logo_len: usize = if with_logos {
            self.logos.iter().map(|(_, l)| l.png.len() * 4 / 3 + 200).sum()
        } else {
            0
        };
        let mut s = String::with_capacity(self.body.len() + logo_len + 400);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"");
        num(&mut s, self.w);
        s.push_str("mm\" height=\"");
        num(&mut s, self.h);
        s.push_str("mm\" viewBox=\"0 0 ");
        num(&mut s, self.w);
        s.push(' ');
        num(&mut s, self.h);
        s.push_str("\">\n");
        s.push_str(&self.body);
        if with_logos {
            for (r, logo) in &self.logos {
                s.push_str("<image x=\"");
                num(&mut s, r.x);
                s.push_str("\" y=\"");
                num(&mut s, r.y);
                s.push_str("\" width=\"");
                num(&mut s, r.w);
                s.push_str("\" height=\"");
                num(&mut s, r.h);
                s.push_str(
                    "\" preserveAspectRatio=\"xMidYMid meet\" xlink:href=\"data:image/png;base64,",
                );
                qrpin_codec::base64::encode_into(&logo.png, &mut s);
                s.push_str("\"/>\n");
            }
        }
        s.push_str("</svg>\n");
        s
    }
}

/// Appends a millimetre value with at most 4 decimals and no trailing zeros.
pub(crate) fn num(out: &mut String, v: f64) {
    let v = if v.abs() < 5e-5 { 0.0 } else { v };
    let start = out.len();
    let _ = write!(out, "{v:.4}");
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
    if out.len() == start {
        out.push('0');
    }
}

/// The card: a white rectangle with a thin grey outline (inside the edge), rounded for cards.
pub(crate) fn outline(out: &mut String, w: f64, h: f64, radius: f64) {
    const STROKE: f64 = 0.2;
    out.push_str("<rect x=\"");
    num(out, STROKE / 2.0);
    out.push_str("\" y=\"");
    num(out, STROKE / 2.0);
    out.push_str("\" width=\"");
    num(out, w - STROKE);
    out.push_str("\" height=\"");
    num(out, h - STROKE);
    if radius > 0.0 {
        out.push_str("\" rx=\"");
        num(out, radius);
    }
    out.push_str("\" fill=\"#ffffff\" stroke=\"#c0c0c0\" stroke-width=\"");
    num(out, STROKE);
    out.push_str("\"/>\n");
}

/// The code in `r` (quiet zone included): a white square and one path of merged dark runs, in
/// module units scaled into place.
pub(crate) fn qr(out: &mut String, m: &QrMatrix, r: RectMm) {
    let n = m.size() + 2 * QUIET;
    let module = r.w / n as f64;
    out.push_str("<g transform=\"translate(");
    num(out, r.x);
    out.push(' ');
    num(out, r.y);
    out.push_str(") scale(");
    let _ = write!(out, "{module:.9}");
    out.push_str(")\" shape-rendering=\"crispEdges\">\n<rect width=\"");
    let mut itoa = itoa::Buffer::new();
    out.push_str(itoa.format(n));
    out.push_str("\" height=\"");
    out.push_str(itoa.format(n));
    out.push_str("\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"");
    for y in 0..m.size() {
        for (x, len) in m.dark_runs(y) {
            out.push('M');
            out.push_str(itoa.format(x + QUIET));
            out.push(',');
            out.push_str(itoa.format(y + QUIET));
            out.push('h');
            out.push_str(itoa.format(len));
            out.push_str("v1h-");
            out.push_str(itoa.format(len));
            out.push('z');
        }
    }
    out.push_str("\"/>\n</g>\n");
}

/// The colour of each kind of line.
fn colour(role: super::TextRole) -> &'static str {
    use super::TextRole::*;
    match role {
        Org => "#555555",
        Name | Pin => "#000000",
        Upn => "#222222",
        Expires => "#444444",
    }
}

/// One `<text>` element, its content escaped.
pub(crate) fn text(out: &mut String, line: &PlacedLine, centred: bool) {
    out.push_str("<text x=\"");
    num(out, line.anchor_x);
    out.push_str("\" y=\"");
    num(out, line.baseline);
    out.push_str("\" font-family=\"");
    out.push_str(FAMILY_LIST);
    out.push_str("\" font-size=\"");
    num(out, line.size);
    if line.bold {
        out.push_str("\" font-weight=\"700");
    }
    if centred {
        out.push_str("\" text-anchor=\"middle");
    }
    out.push_str("\" fill=\"");
    out.push_str(colour(line.role));
    out.push_str("\" xml:space=\"preserve\">");
    escape_into(out, &line.text);
    out.push_str("</text>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        let f = |v: f64| {
            let mut s = String::new();
            num(&mut s, v);
            s
        };
        assert_eq!(f(85.6), "85.6");
        assert_eq!(f(54.0), "54");
        assert_eq!(f(1.23456), "1.2346");
        assert_eq!(f(-0.00001), "0");
        assert_eq!(f(0.1), "0.1");
    }
}
