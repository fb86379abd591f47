//! The SVG writer: merged horizontal runs, written straight into a reusable buffer.

use crate::{Background, QrMatrix, RenderError, SvgOptions, SvgStyle};

/// Writes `m` as SVG into `out` (cleared first), so one buffer can be reused for many codes.
///
/// ```
/// use qrpin_render::{write_svg, EncodeOptions, QrMatrix, SvgOptions};
/// let m = QrMatrix::encode(b"hello", &EncodeOptions::default())?;
/// let mut svg = String::new();
/// write_svg(&m, &SvgOptions::default(), &mut svg)?;
/// assert!(svg.starts_with("<svg ") && svg.contains(r#"viewBox="0 0 29 29""#));
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::BadScale`], [`RenderError::BadBorder`] or [`RenderError::BadTitle`].
pub fn write_svg(m: &QrMatrix, opts: &SvgOptions, out: &mut String) -> Result<(), RenderError> {
    opts.base.validate()?;
    if let Some(title) = &opts.title {
        if let Some(c) = title.chars().find(|&c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}')
        }) {
            return Err(RenderError::BadTitle(u32::from(c)));
        }
    }
    out.clear();
    match opts.style {
        SvgStyle::Plain => plain(m, opts, out),
        SvgStyle::Entra => entra(m, opts, out),
    }
    Ok(())
}

/// [`write_svg`] into a new string.
///
/// # Errors
/// As [`write_svg`].
pub fn to_svg(m: &QrMatrix, opts: &SvgOptions) -> Result<String, RenderError> {
    let mut s = String::new();
    write_svg(m, opts, &mut s)?;
    Ok(s)
}

/// Appends decimal digits without a `format!` allocation.
fn num(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

fn colour(out: &mut String, c: crate::Rgb) {
    for b in c.hex() {
        out.push(char::from(b));
    }
}

/// `width="…" height="…"`: the physical size if given, else pixels.
fn dimensions(out: &mut String, opts: &SvgOptions, px: usize) {
    for attr in [" width=\"", "\" height=\""] {
        out.push_str(attr);
        match opts.size {
            Some(len) => {
                use std::fmt::Write;
                // Writing to a String cannot fail.
                let _ = write!(out, "{len}");
            }
            None => num(out, px),
        }
    }
    out.push('"');
}

fn title(out: &mut String, opts: &SvgOptions) {
    let Some(t) = &opts.title else { return };
    out.push_str("<title>");
    escape_into(out, t);
    out.push_str("</title>\n");
}

/// Appends `s` to `out` with the five XML special characters escaped (shared with the badge
/// writer, which escapes every piece of input text the same way).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn plain(m: &QrMatrix, opts: &SvgOptions, out: &mut String) {
    let b = opts.base.border as usize;
    let n = opts.base.modules(m.size());
    out.reserve(300 + m.size() * m.size());
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
    dimensions(out, opts, n * opts.base.scale as usize);
    out.push_str(" viewBox=\"0 0 ");
    num(out, n);
    out.push(' ');
    num(out, n);
    out.push_str("\" shape-rendering=\"crispEdges\">\n");
    title(out, opts);
    if let Background::Colour(bg) = opts.base.bg {
        out.push_str("<rect width=\"");
        num(out, n);
        out.push_str("\" height=\"");
        num(out, n);
        out.push_str("\" fill=\"");
        colour(out, bg);
        out.push_str("\"/>\n");
    }
    // Each run is a horizontal line one module thick, stroked along the middle of its row:
    // `M x y.5 h len` for a row's first run, then `m gap 0 h len` (relative) for the next ones.
    // That is about half the bytes of closed rectangles; the path has no area, so no fill.
    out.push_str("<path stroke=\"");
    colour(out, opts.base.fg);
    out.push_str("\" d=\"");
    for y in 0..m.size() {
        let mut end = None;
        for (x, len) in m.dark_runs(y) {
            match end {
                None => {
                    out.push('M');
                    num(out, x + b);
                    out.push(' ');
                    num(out, y + b);
                    out.push_str(".5");
                }
                Some(e) => {
                    out.push('m');
                    num(out, x - e);
                    out.push_str(" 0");
                }
            }
            out.push('h');
            num(out, len);
            end = Some(x + len);
        }
    }
    out.push_str("\"/>\n</svg>\n");
}

fn entra(m: &QrMatrix, opts: &SvgOptions, out: &mut String) {
    let s = opts.base.scale as usize;
    let b = opts.base.border as usize;
    let px = opts.base.modules(m.size()) * s;
    out.reserve(400 + m.size() * m.size() * 8);
    out.push_str("<svg version=\"1.1\" baseProfile=\"full\" shape-rendering=\"crispEdges\"");
    dimensions(out, opts, px);
    out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
    if opts.size.is_some() {
        // Graph's images have no viewBox; one is needed to scale pixel units to a print size.
        out.push_str(" viewBox=\"0 0 ");
        num(out, px);
        out.push(' ');
        num(out, px);
        out.push('"');
    }
    out.push('>');
    if opts.title.is_some() {
        title(out, opts);
    }
    if let Background::Colour(bg) = opts.base.bg {
        out.push_str("<rect x=\"0\" y=\"0\" width=\"");
        num(out, px);
        out.push_str("\" height=\"");
        num(out, px);
        out.push_str("\" fill=\"");
        colour(out, bg);
        out.push_str("\"/>");
    }
    for y in 0..m.size() {
        for (x, len) in m.dark_runs(y) {
            out.push_str("<rect x=\"");
            num(out, (x + b) * s);
            out.push_str("\" y=\"");
            num(out, (y + b) * s);
            out.push_str("\" width=\"");
            num(out, len * s);
            out.push_str("\" height=\"");
            num(out, s);
            out.push_str("\" fill=\"");
            colour(out, opts.base.fg);
            out.push_str("\"/>");
        }
    }
    out.push_str("</svg>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Length, RenderOptions, Rgb, Unit};
    use qrpin_codec::Ecl;

    fn tiny() -> QrMatrix {
        // Two runs in row 0, one in row 2: enough to check the exact markup.
        QrMatrix::from_fn(1, Ecl::L, 0, |x, y| (y == 0 && (x < 2 || x == 5)) || (y == 2 && x == 20))
            .unwrap()
    }

    #[test]
    fn plain_markup_is_exact() {
        let opts = SvgOptions {
            base: RenderOptions { scale: 2, border: 1, ..Default::default() },
            title: Some("a<b & \"c\"".into()),
            ..Default::default()
        };
        let svg = to_svg(&tiny(), &opts).unwrap();
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"46\" height=\"46\" \
             viewBox=\"0 0 23 23\" shape-rendering=\"crispEdges\">\n\
             <title>a&lt;b &amp; &quot;c&quot;</title>\n\
             <rect width=\"23\" height=\"23\" fill=\"#ffffff\"/>\n\
             <path stroke=\"#000000\" d=\"M1 1.5h2m3 0h1M21 3.5h1\"/>\n</svg>\n"
        );
    }

    #[test]
    fn entra_markup_is_exact() {
        let opts = SvgOptions {
            base: RenderOptions {
                scale: 3,
                border: 0,
                fg: Rgb::new(0x12, 0x34, 0x56),
                bg: Background::Transparent,
            },
            style: SvgStyle::Entra,
            ..Default::default()
        };
        let svg = to_svg(&tiny(), &opts).unwrap();
        assert_eq!(
            svg,
            "<svg version=\"1.1\" baseProfile=\"full\" shape-rendering=\"crispEdges\" width=\"63\" \
             height=\"63\" xmlns=\"http://www.w3.org/2000/svg\">\
             <rect x=\"0\" y=\"0\" width=\"6\" height=\"3\" fill=\"#123456\"/>\
             <rect x=\"15\" y=\"0\" width=\"3\" height=\"3\" fill=\"#123456\"/>\
             <rect x=\"60\" y=\"6\" width=\"3\" height=\"3\" fill=\"#123456\"/></svg>\n"
        );
    }

    #[test]
    fn physical_size_and_buffer_reuse() {
        let mut buf = String::from("old content");
        let opts =
            SvgOptions { size: Some(Length::new(50.0, Unit::Mm).unwrap()), ..Default::default() };
        write_svg(&tiny(), &opts, &mut buf).unwrap();
        assert!(buf.starts_with("<svg ") && buf.contains(r#"width="50mm" height="50mm""#));
        let entra = SvgOptions { style: SvgStyle::Entra, ..opts };
        write_svg(&tiny(), &entra, &mut buf).unwrap();
        assert!(buf.contains(r#"width="50mm" height="50mm" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 145 145">"#), "{buf}");
    }

    #[test]
    fn rejects_bad_options() {
        let m = tiny();
        let with = |scale, border, title: Option<&str>| SvgOptions {
            base: RenderOptions { scale, border, ..Default::default() },
            title: title.map(Into::into),
            ..Default::default()
        };
        assert!(matches!(to_svg(&m, &with(0, 4, None)), Err(RenderError::BadScale(0))));
        assert!(matches!(to_svg(&m, &with(1, 101, None)), Err(RenderError::BadBorder(101))));
        assert!(matches!(to_svg(&m, &with(1, 4, Some("a\u{1}b"))), Err(RenderError::BadTitle(1))));
        assert!(to_svg(&m, &with(1, 100, Some("tab\there"))).is_ok());
    }
}
