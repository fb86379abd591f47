//! Badge text: cleaning untrusted input, XML escaping, measuring with the real font layout, and
//! fitting a line into a width (shrink to a minimum size, then ellipsise).

use std::sync::Arc;

use resvg::usvg;

use super::fonts::FontBlobs;
use crate::RenderError;

/// The character that ends a shortened line.
pub const ELLIPSIS: char = '…';

/// What a text line is, for warnings and for the geometry a badge reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextRole {
    /// The organisation line.
    Org,
    /// The display name.
    Name,
    /// The user principal name (possibly split over two lines at the `@`).
    Upn,
    /// "valid until …".
    Expires,
    /// The temporary PIN (only with an explicit opt-in).
    Pin,
}

impl TextRole {
    /// A lower-case name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            TextRole::Org => "organisation",
            TextRole::Name => "name",
            TextRole::Upn => "UPN",
            TextRole::Expires => "expiry",
            TextRole::Pin => "PIN",
        }
    }
}

/// Is `c` a bidirectional formatting character (Unicode Bidi_Control)? Such characters can
/// reorder what is displayed (e.g. make a name look like another), so they are removed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans one line of untrusted text: bidi controls, other control characters and
/// non-characters are removed; line breaks and tabs become spaces; runs of white space collapse
/// to one space; the ends are trimmed. Returns the text and how many characters were removed.
///
/// ```
/// use qrpin_render::badge::clean_text;
/// assert_eq!(clean_text("  Ann\u{202E}a \t\n Smith\u{0}"), ("Anna Smith".to_string(), 2));
/// ```
pub fn clean_text(s: &str) -> (String, usize) {
    let mut out = String::with_capacity(s.len());
    let mut removed = 0;
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => ' ',
            c if is_bidi_control(c)
                || c.is_control()
                || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
                || (u32::from(c) & 0xFFFE) == 0xFFFE =>
            {
                removed += 1;
                continue;
            }
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    (out, removed)
}

pub(crate) use crate::svg::escape_into;

/// Measures text widths with usvg's own layout (shaping, kerning, font fallback), so what is
/// measured is what resvg and svg2pdf draw.
pub(crate) struct Measurer {
    opts: usvg::Options<'static>,
}

/// The size text is measured at; widths scale linearly with the size (no hinting).
const REF_SIZE: f32 = 100.0;

impl Measurer {
    pub(crate) fn new(fonts: &FontBlobs) -> Measurer {
        let opts = usvg::Options {
            fontdb: Arc::new(fonts.database()),
            font_family: super::fonts::FAMILY.to_owned(),
            ..crate::raster::sealed_usvg_options!()
        };
        Measurer { opts }
    }

    /// The advance width of `text` at font size 1 (so in ems), bold or not.
    pub(crate) fn width_em(&self, text: &str, bold: bool) -> Result<f32, RenderError> {
        if text.is_empty() {
            return Ok(0.0);
        }
        let mut svg = String::with_capacity(text.len() + 200);
        svg.push_str(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
             <text x=\"0\" y=\"100\" font-size=\"100\" font-family=\"",
        );
        svg.push_str(super::fonts::FAMILY_LIST);
        svg.push_str(if bold { "\" font-weight=\"700\">" } else { "\">" });
        escape_into(&mut svg, text);
        svg.push_str("</text></svg>");
        let tree = usvg::Tree::from_str(&svg, &self.opts)
            .map_err(|e| RenderError::Badge(format!("cannot lay out text: {e}")))?;
        let w = text_width(tree.root());
        Ok(w / REF_SIZE)
    }
}

fn text_width(g: &usvg::Group) -> f32 {
    let mut w: f32 = 0.0;
    for n in g.children() {
        match n {
            usvg::Node::Text(t) => w = w.max(t.bounding_box().right()),
            usvg::Node::Group(g) => w = w.max(text_width(g)),
            _ => {}
        }
    }
    w
}

/// A line after fitting: its text (maybe shortened) and font size in mm.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fitted {
    pub(crate) text: String,
    pub(crate) size: f32,
    pub(crate) width: f32,
    pub(crate) ellipsised: bool,
}

/// Fits `text` into `avail` mm: the largest size up to `max` that fits; below `min`, the text is
/// cut at a character boundary and ends with '…' at size `min`.
pub(crate) fn fit(
    m: &Measurer,
    text: &str,
    bold: bool,
    avail: f32,
    max: f32,
    min: f32,
) -> Result<Fitted, RenderError> {
    // A little slack for rounding in the layout engines.
    let avail = avail * 0.995;
    let em = m.width_em(text, bold)?;
    if em <= 0.0 || em * max <= avail {
        return Ok(Fitted { text: text.to_owned(), size: max, width: em * max, ellipsised: false });
    }
    let size = avail / em;
    if size >= min {
        return Ok(Fitted { text: text.to_owned(), size, width: em * size, ellipsised: false });
    }
    // Binary search the longest prefix (in characters) that fits with the ellipsis.
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
    let with_ellipsis = |end: usize| {
        let mut s = text[..end].trim_end().to_owned();
        s.push(ELLIPSIS);
        s
    };
    let (mut lo, mut hi) = (0usize, bounds.len());
    let mut best = (ELLIPSIS.to_string(), m.width_em(&ELLIPSIS.to_string(), bold)? * min);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = with_ellipsis(bounds[mid - 1]);
        let w = m.width_em(&candidate, bold)? * min;
        if w <= avail {
            best = (candidate, w);
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(Fitted { text: best.0, size: min, width: best.1, ellipsised: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::FontSet;

    #[test]
    fn cleaning_removes_controls_and_bidi() {
        assert_eq!(clean_text("a\u{202E}b\u{2066}c\u{200F}"), ("abc".into(), 3));
        assert_eq!(clean_text("\u{7}x\u{1b}[31m\u{FFFF}\u{FDD0}"), ("x[31m".into(), 4));
        assert_eq!(clean_text(" \n "), (String::new(), 0));
        assert_eq!(clean_text("<b>&\"'"), ("<b>&\"'".into(), 0));
    }

    #[test]
    fn escaping() {
        let mut s = String::new();
        escape_into(&mut s, "<script>]]>&\"'");
        assert_eq!(s, "&lt;script&gt;]]&gt;&amp;&quot;&apos;");
    }

    #[test]
    fn measuring_and_fitting() {
        let fonts = FontSet::embedded_only();
        let (blobs, _) = fonts.resolve("");
        let m = Measurer::new(&blobs);
        let w = m.width_em("MMMM", false).unwrap();
        let w1 = m.width_em("M", false).unwrap();
        assert!(w1 > 0.5 && (w - 4.0 * w1).abs() < 1e-3, "{w1} {w}");
        assert!(m.width_em("MMMM", true).unwrap() > w);
        // Fits at the maximum.
        let f = fit(&m, "Ann", false, 50.0, 4.0, 2.0).unwrap();
        assert_eq!((f.size, f.ellipsised), (4.0, false));
        // Shrinks.
        let f = fit(&m, "Annabelle Smith-Jones", false, 30.0, 4.0, 1.0).unwrap();
        assert!(f.size < 4.0 && f.size >= 1.0 && f.width <= 30.0 && !f.ellipsised, "{f:?}");
        // Ellipsised at the minimum, and still fits.
        let long = "W".repeat(200);
        let f = fit(&m, &long, true, 30.0, 4.0, 2.0).unwrap();
        assert!(f.ellipsised && f.size == 2.0 && f.text.ends_with(ELLIPSIS), "{f:?}");
        assert!(m.width_em(&f.text, true).unwrap() * 2.0 <= 30.0);
        // One more character would not have fitted.
        let n = f.text.chars().count() - 1;
        let longer = format!("{}{ELLIPSIS}", "W".repeat(n + 1));
        assert!(m.width_em(&longer, true).unwrap() * 2.0 > 30.0 * 0.995);
    }
}
