//! PNG export: resvg renders the drawing at the requested resolution, logos are drawn over it
//! from their decoded pixels, and the image is written with a `pHYs` chunk so that it prints at
//! its physical size.

use std::sync::Arc;

use resvg::tiny_skia::{self, Color, FilterQuality, Pixmap, PixmapPaint, Transform};
use resvg::usvg;

use super::svg::Drawing;
use crate::{check_dpi, RenderError, MAX_PNG_PIXELS};

/// Renders a badge (or a sheet page) as an 8-bit RGB PNG at `dpi` dots per inch, with `pHYs`.
///
/// The image is the drawing's physical size at `dpi`, rounded to whole pixels. The code is drawn
/// with anti-aliasing off, so every module is solid black or white.
///
/// # Errors
/// [`RenderError::BadDpi`], [`RenderError::TooLarge`] past [`MAX_PNG_PIXELS`],
/// [`RenderError::Badge`] if the drawing cannot be parsed (a bug), [`RenderError::Png`].
pub fn badge_png(d: &Drawing, dpi: u32) -> Result<Vec<u8>, RenderError> {
    let pixmap = render(d, dpi)?;
    encode(&pixmap, dpi)
}

/// Rasterises a drawing to an opaque pixmap at `dpi`.
pub(crate) fn render(d: &Drawing, dpi: u32) -> Result<Pixmap, RenderError> {
    check_dpi(dpi)?;
    let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round().max(1.0);
    let (w, h) = (px(d.w), px(d.h));
    if w * h > MAX_PNG_PIXELS as f64 {
        return Err(RenderError::TooLarge {
            width: w as u64,
            height: h as u64,
            limit: MAX_PNG_PIXELS,
        });
    }
    let (w, h) = (w as u32, h as u32);
    let opts = usvg::Options {
        fontdb: Arc::new(d.fonts.database()),
        font_family: super::fonts::FAMILY.to_owned(),
        ..crate::raster::sealed_usvg_options!()
    };
    let tree = usvg::Tree::from_str(&d.document(false), &opts)
        .map_err(|e| RenderError::Badge(format!("cannot parse the badge SVG: {e}")))?;
    let mut pixmap = Pixmap::new(w, h)
        .ok_or_else(|| RenderError::Badge(format!("cannot allocate {w}x{h} pixels")))?;
    pixmap.fill(Color::WHITE);
    let (sx, sy) = (w as f32 / tree.size().width(), h as f32 / tree.size().height());
    resvg::render(&tree, Transform::from_scale(sx, sy), &mut pixmap.as_mut());

    // Pixels per millimetre, horizontally and vertically.
    let (kx, ky) = (f64::from(w) / d.w, f64::from(h) / d.h);
    for (r, logo) in &d.logos {
        let mut data = Vec::with_capacity(logo.rgba.len());
        for p in logo.rgba.chunks_exact(4) {
            let a = u16::from(p[3]);
            let pm = |c: u8| ((u16::from(c) * a + 127) / 255) as u8;
            data.extend_from_slice(&[pm(p[0]), pm(p[1]), pm(p[2]), p[3]]);
        }
        let size = tiny_skia::IntSize::from_wh(logo.width, logo.height)
            .ok_or_else(|| RenderError::Badge("empty logo".into()))?;
        let src = Pixmap::from_vec(data, size)
            .ok_or_else(|| RenderError::Badge("logo pixel buffer has the wrong size".into()))?;
        let t = Transform::from_row(
            (r.w * kx / f64::from(logo.width)) as f32,
            0.0,
            0.0,
            (r.h * ky / f64::from(logo.height)) as f32,
            (r.x * kx) as f32,
            (r.y * ky) as f32,
        );
        let paint = PixmapPaint { quality: FilterQuality::Bicubic, ..PixmapPaint::default() };
        pixmap.draw_pixmap(0, 0, src.as_ref(), &paint, t, None);
    }
    Ok(pixmap)
}

/// Writes an opaque pixmap as RGB PNG with `pHYs`.
fn encode(p: &Pixmap, dpi: u32) -> Result<Vec<u8>, RenderError> {
    let mut rgb = Vec::with_capacity(p.pixels().len() * 3);
    for c in p.pixels() {
        // Opaque (painted over white), so premultiplied equals straight.
        rgb.extend_from_slice(&[c.red(), c.green(), c.blue()]);
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, p.width(), p.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    let mut w = enc.write_header()?;
    w.write_image_data(&rgb)?;
    w.finish()?;
    Ok(out)
}
