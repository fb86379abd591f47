//! Rasterising arbitrary SVG (badges, Graph's `binaryValue`) with resvg, safely.
//!
//! The input is treated as hostile:
//! - its size is capped ([`RasterOptions::max_bytes`]) before parsing, and so are the number of
//!   XML nodes, the element nesting depth (deep nesting would otherwise exhaust the stack in
//!   usvg's recursive converter) and the output pixels ([`RasterOptions::max_pixels`]), checked
//!   before the pixmap is allocated;
//! - **nothing outside the input is ever read**: `<image>` references are not resolved at all
//!   (no files, no URLs, not even `data:` URLs), external XML entities are never loaded, and the
//!   font database is empty unless the caller passes fonts (so `<text>` renders nothing by
//!   default);
//! - gzip-compressed SVG (`.svgz`) is refused.

use std::sync::Arc;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, roxmltree};

use crate::{RenderError, Rgb};

/// Limits and output size for [`rasterize_svg`].
#[derive(Debug, Clone, PartialEq)]
pub struct RasterOptions {
    /// Largest accepted input, in bytes. Default 4 MiB (Graph's images are a few kB).
    pub max_bytes: usize,
    /// Largest output, in pixels (width × height). Default 64 Mi.
    pub max_pixels: u64,
    /// Most XML nodes. Default 1,000,000.
    pub max_nodes: u32,
    /// Deepest element nesting. Default 256.
    pub max_depth: usize,
    /// Output pixels per SVG user unit (CSS px). Default 1.0. Ignored when `width` is set.
    pub zoom: f32,
    /// Output width in pixels; the height follows the aspect ratio. Default `None`.
    pub width: Option<u32>,
    /// Colour painted under the image; `None` leaves a transparent background. Default white,
    /// which is what a decoder wants.
    pub background: Option<Rgb>,
    /// Font files (TTF/OTF/TTC data) for `<text>`. Default none: text is not drawn.
    pub fonts: Vec<Vec<u8>>,
}

impl Default for RasterOptions {
    fn default() -> Self {
        RasterOptions {
            max_bytes: 4 * 1024 * 1024,
            max_pixels: 64 * 1024 * 1024,
            max_nodes: 1_000_000,
            max_depth: 256,
            zoom: 1.0,
            width: None,
            background: Some(Rgb::WHITE),
            fonts: Vec::new(),
        }
    }
}

/// Rasterises an SVG document into an RGBA pixmap (premultiplied alpha, as tiny-skia keeps it).
///
/// ```
/// use qrpin_render::raster::{rasterize_svg, to_luma, RasterOptions};
/// let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2">
///   <rect width="2" height="2" fill="#000"/></svg>"##;
/// let pixmap = rasterize_svg(svg, &RasterOptions { zoom: 2.0, ..Default::default() })?;
/// assert_eq!((pixmap.width(), pixmap.height()), (8, 4));
/// let luma = to_luma(&pixmap);
/// assert_eq!((luma[0], luma[7]), (0, 255));
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::Svg`] when the input is over a limit, does not parse, has no size, or the
/// options are unusable; [`RenderError::TooLarge`] when the output would exceed
/// [`RasterOptions::max_pixels`].
pub fn rasterize_svg(svg: &[u8], opts: &RasterOptions) -> Result<Pixmap, RenderError> {
    let err = |m: String| RenderError::Svg(m);
    if svg.len() > opts.max_bytes {
        return Err(err(format!(
            "input of {} bytes is larger than the {}-byte limit",
            svg.len(),
            opts.max_bytes
        )));
    }
    if svg.starts_with(&[0x1f, 0x8b]) {
        return Err(err("compressed SVG (svgz) is not accepted".into()));
    }
    let text = std::str::from_utf8(svg).map_err(|e| err(format!("not UTF-8: {e}")))?;
    let xml_opts = roxmltree::ParsingOptions {
        // A DOCTYPE is common in SVG files; internal entities are bounded by roxmltree's
        // billion-laughs checks and external ones are never resolved (no resolver is set).
        allow_dtd: true,
        nodes_limit: opts.max_nodes,
        entity_resolver: None,
    };
    let doc = roxmltree::Document::parse_with_options(text, xml_opts)
        .map_err(|e| err(format!("not well-formed XML: {e}")))?;
    let depth = max_depth(&doc);
    if depth > opts.max_depth {
        return Err(err(format!(
            "elements are nested {depth} deep, more than the limit of {}",
            opts.max_depth
        )));
    }

    let mut uopts = sealed_usvg_options!();
    if !opts.fonts.is_empty() {
        let db = uopts.fontdb_mut();
        for font in &opts.fonts {
            db.load_font_source(resvg::usvg::fontdb::Source::Binary(Arc::new(font.clone())));
        }
    }
    let tree = usvg::Tree::from_xmltree(&doc, &uopts).map_err(|e| err(e.to_string()))?;

    let size = tree.size();
    let (sx, sy) = match opts.width {
        Some(0) => return Err(err("output width must be at least 1 pixel".into())),
        Some(w) => {
            let z = w as f32 / size.width();
            (z, z)
        }
        None if !(opts.zoom.is_finite() && opts.zoom > 0.0) => {
            return Err(err(format!("zoom {} must be a positive number", opts.zoom)))
        }
        None => (opts.zoom, opts.zoom),
    };
    let w = (size.width() * sx).ceil();
    let h = (size.height() * sy).ceil();
    let too_large =
        || RenderError::TooLarge { width: w as u64, height: h as u64, limit: opts.max_pixels };
    if !(w.is_finite() && h.is_finite()) || w > u32::MAX as f32 || h > u32::MAX as f32 {
        return Err(too_large());
    }
    let (w, h) = ((w as u32).max(1), (h as u32).max(1));
    if u64::from(w) * u64::from(h) > opts.max_pixels {
        return Err(too_large());
    }
    let mut pixmap =
        Pixmap::new(w, h).ok_or_else(|| err(format!("cannot allocate {w}x{h} pixels")))?;
    if let Some(bg) = opts.background {
        pixmap.fill(Color::from_rgba8(bg.r, bg.g, bg.b, 255));
    }
    resvg::render(&tree, Transform::from_scale(sx, sy), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// `usvg::Options` that never read a local file or a URL: no resources directory, and every
/// `<image href>` (data URL, path or URL alike) resolves to nothing. Every SVG this crate parses
/// goes through these, so a hostile or careless document cannot pull `/etc/passwd` or a web
/// address into an image. A macro, not a function, because the PDF export parses with the older
/// usvg that svg2pdf pins: `usvg` is whichever one the calling module imports.
macro_rules! sealed_usvg_options {
    () => {
        usvg::Options {
            resources_dir: None,
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        }
    };
}
pub(crate) use sealed_usvg_options;

/// The deepest element nesting of a document, without recursion: nodes come in document order,
/// so each node's depth is its parent's plus one.
fn max_depth(doc: &roxmltree::Document) -> usize {
    let mut depth_of: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for n in doc.descendants() {
        let id = n.id().get_usize();
        let parent =
            n.parent().map_or(0, |p| depth_of.get(p.id().get_usize()).copied().unwrap_or(0));
        let d = parent + usize::from(n.is_element());
        if depth_of.len() <= id {
            depth_of.resize(id + 1, 0);
        }
        depth_of[id] = d;
        deepest = deepest.max(d);
    }
    deepest
}

/// Grey levels (0 black … 255 white, row-major) of a pixmap composited over white, using the
/// integer Rec. 601 weights — the form QR decoders take.
pub fn to_luma(pixmap: &Pixmap) -> Vec<u8> {
    pixmap
        .pixels()
        .iter()
        .map(|p| {
            // Premultiplied: over white, each channel becomes c + (255 - a).
            let under = 255 - u32::from(p.alpha());
            let r = u32::from(p.red()) + under;
            let g = u32::from(p.green()) + under;
            let b = u32::from(p.blue()) + under;
            ((r * 299 + g * 587 + b * 114 + 500) / 1000) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(svg: &str, opts: &RasterOptions) -> (u32, u32, Vec<u8>) {
        let p = rasterize_svg(svg.as_bytes(), opts).unwrap();
        (p.width(), p.height(), to_luma(&p))
    }

    #[test]
    fn limits_are_enforced_before_work() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>"#;
        let small = RasterOptions { max_bytes: 10, ..Default::default() };
        let e = rasterize_svg(svg.as_bytes(), &small).unwrap_err();
        assert!(e.to_string().contains("byte limit"), "{e}");
        let few_pixels = RasterOptions { max_pixels: 9_999, ..Default::default() };
        let e = rasterize_svg(svg.as_bytes(), &few_pixels).unwrap_err();
        assert!(matches!(e, RenderError::TooLarge { width: 100, height: 100, .. }), "{e:?}");
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1e30" height="1e30"/>"#;
        assert!(matches!(
            rasterize_svg(huge.as_bytes(), &RasterOptions::default()),
            Err(RenderError::TooLarge { .. })
        ));
        let zoom0 = RasterOptions { zoom: 0.0, ..Default::default() };
        assert!(rasterize_svg(svg.as_bytes(), &zoom0).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let n = 100_000;
        let mut svg =
            String::from(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">"#);
        svg.push_str(&"<g>".repeat(n));
        svg.push_str(&"</g>".repeat(n));
        svg.push_str("</svg>");
        let e = rasterize_svg(svg.as_bytes(), &RasterOptions::default()).unwrap_err();
        assert!(e.to_string().contains("nested"), "{e}");
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in [&b"not xml"[..], b"<svg", b"\x1f\x8b\x08\x00", b"\xff\xfe<svg/>", b""] {
            assert!(
                matches!(rasterize_svg(bad, &RasterOptions::default()), Err(RenderError::Svg(_))),
                "{bad:?}"
            );
        }
        // Billion laughs: roxmltree's entity limits stop it.
        let mut lol =
            String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"lollollol\">");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            lol.push_str(&format!(
                "<!ENTITY {} \"{}\">",
                (b'a' + i) as char,
                format!("&{prev};").repeat(10)
            ));
        }
        lol.push_str("]><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><text>&j;</text></svg>");
        assert!(rasterize_svg(lol.as_bytes(), &RasterOptions::default()).is_err());
    }

    #[test]
    fn width_and_zoom_scale_the_output() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1" width="20" height="10"><rect width="1" height="1" fill="#000"/></svg>"##;
        let (w, h, px) = luma(svg, &RasterOptions { width: Some(40), ..Default::default() });
        assert_eq!((w, h), (40, 20));
        assert_eq!((px[0], px[19], px[20], px[39]), (0, 0, 255, 255));
        let (w, h, _) = luma(svg, &RasterOptions { zoom: 0.5, ..Default::default() });
        assert_eq!((w, h), (10, 5));
    }

    #[test]
    fn transparent_background_composites_to_white() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"><rect width="1" height="1" fill="#000" fill-opacity="0.5"/></svg>"##;
        let (_, _, px) = luma(svg, &RasterOptions { background: None, ..Default::default() });
        assert!((126..=129).contains(&px[0]), "{}", px[0]);
        assert_eq!(px[1], 255);
    }

    /// Real image files on disk (a PNG and an SVG), referenced by absolute path, `file:` URL,
    /// relative path, `http:` URL and `data:` URL, must not show up: the output stays white.
    /// A control renders the same references with usvg's default resolver and sees them.
    #[test]
    fn never_reads_external_images() {
        let dir = std::env::temp_dir().join(format!("qrpin-raster-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let png_path = dir.join("black.png");
        // An all-black 21x21 greyscale PNG made with our own writer.
        let m = crate::QrMatrix::from_fn(1, qrpin_codec::Ecl::L, 0, |_, _| true).unwrap();
        let opts = crate::PngOptions {
            base: crate::RenderOptions { scale: 1, border: 0, ..Default::default() },
            ..Default::default()
        };
        std::fs::write(&png_path, crate::to_png(&m, &opts).unwrap()).unwrap();
        let svg_path = dir.join("black.svg");
        std::fs::write(
            &svg_path,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>"#,
        )
        .unwrap();
        let black_data_url = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI4IiBoZWlnaHQ9IjgiPjxyZWN0IHdpZHRoPSI4IiBoZWlnaHQ9IjgiLz48L3N2Zz4=";
        let doc = |attr: &str, href: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8"><image {attr}="{href}" width="8" height="8"/></svg>"#
            )
        };
        let control = |svg: &str| {
            let opt =
                usvg::Options { resources_dir: Some(dir.clone()), ..usvg::Options::default() };
            let tree = usvg::Tree::from_str(svg, &opt).unwrap();
            let mut p = Pixmap::new(8, 8).unwrap();
            p.fill(Color::WHITE);
            resvg::render(&tree, Transform::identity(), &mut p.as_mut());
            to_luma(&p).iter().all(|&v| v < 64)
        };
        for path in [&png_path, &svg_path] {
            let abs = path.display().to_string();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            for href in
                [abs.clone(), format!("file://{abs}"), name, format!("http://127.0.0.1:9/{abs}")]
            {
                for attr in ["href", "xlink:href"] {
                    let svg = doc(attr, &href);
                    let (_, _, px) = luma(&svg, &RasterOptions::default());
                    assert!(px.iter().all(|&p| p == 255), "{attr}={href} was loaded");
                }
            }
            // Control: the default resolver does read the file, and it would be visible.
            assert!(control(&doc("href", &abs)), "control failed for {abs}");
        }
        let (_, _, px) = luma(&doc("href", black_data_url), &RasterOptions::default());
        assert!(px.iter().all(|&p| p == 255), "data: URL was loaded");
        assert!(control(&doc("href", black_data_url)), "control failed for the data: URL");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn text_draws_nothing_without_fonts() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30"><text x="0" y="25" font-size="30">WWW</text></svg>"#;
        let (_, _, px) = luma(svg, &RasterOptions::default());
        assert!(px.iter().all(|&p| p == 255));
    }
}
