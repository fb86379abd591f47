//! Logos: untrusted PNG or SVG files, checked against limits and turned into plain RGBA pixels.
//!
//! A PNG is decoded (with a memory limit) and re-encoded, so nothing but pixels reaches the
//! badge. An SVG is rasterised with [`crate::raster::rasterize_svg`], which never loads anything
//! outside the file (no images, no external entities, no fonts), at a fixed resolution.

use crate::raster::{rasterize_svg, RasterOptions};
use crate::RenderError;

/// The largest logo file accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// The largest logo accepted, in pixels per side (PNG) — also the longest side an SVG logo is
/// rasterised at.
pub const MAX_LOGO_SIDE: u32 = 2048;
/// The side an SVG logo's longer edge is rasterised at.
const SVG_LOGO_SIDE: u32 = 600;

/// The format of a logo file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    /// A PNG image.
    Png,
    /// An SVG document (rasterised safely; see the module docs).
    Svg,
}

/// A logo file's bytes and format.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    /// The file contents.
    pub data: Vec<u8>,
    /// Its format.
    pub kind: LogoKind,
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo {{ kind: {:?}, {} bytes }}", self.kind, self.data.len())
    }
}

impl Logo {
    /// A logo whose format is told from its content: the PNG signature, or XML/`<svg` text.
    ///
    /// ```
    /// use qrpin_render::badge::{Logo, LogoKind};
    /// let l = Logo::sniff(br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.to_vec())?;
    /// assert_eq!(l.kind, LogoKind::Svg);
    /// assert!(Logo::sniff(b"GIF89a".to_vec()).is_err());
    /// # Ok::<(), qrpin_render::RenderError>(())
    /// ```
    ///
    /// # Errors
    /// [`RenderError::Badge`] when it is neither, or larger than [`MAX_LOGO_BYTES`].
    pub fn sniff(data: Vec<u8>) -> Result<Logo, RenderError> {
        check_len(data.len())?;
        let kind = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            LogoKind::Png
        } else {
            let head = String::from_utf8_lossy(&data[..data.len().min(1024)]).to_ascii_lowercase();
            let head = head.trim_start_matches('\u{feff}').trim_start();
            if head.starts_with("<?xml") || head.starts_with("<svg") || head.contains("<svg") {
                LogoKind::Svg
            } else {
                return Err(RenderError::Badge(
                    "logo is neither a PNG nor an SVG file (checked by content)".into(),
                ));
            }
        };
        Ok(Logo { data, kind })
    }
}

fn check_len(len: usize) -> Result<(), RenderError> {
    if len > MAX_LOGO_BYTES {
        return Err(RenderError::Badge(format!(
            "logo file of {len} bytes is larger than the {MAX_LOGO_BYTES}-byte limit"
        )));
    }
    Ok(())
}

/// A decoded logo: straight (not premultiplied) RGBA, and the same pixels as a PNG file.
#[derive(Clone)]
pub(crate) struct LogoImage {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) rgba: Vec<u8>,
    pub(crate) png: Vec<u8>,
}

impl std::fmt::Debug for LogoImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogoImage {{ {}x{} }}", self.width, self.height)
    }
}

/// Decodes and checks a logo.
pub(crate) fn decode(logo: &Logo) -> Result<LogoImage, RenderError> {
    check_len(logo.data.len())?;
    let (width, height, rgba) = match logo.kind {
        LogoKind::Png => decode_png(&logo.data)?,
        LogoKind::Svg => {
            let raster = |width| {
                rasterize_svg(&logo.data, &svg_opts(width))
                    .map_err(|e| RenderError::Badge(format!("logo: {e}")))
            };
            // Landscape logos come out SVG_LOGO_SIDE wide; portrait ones are redone narrower.
            let mut p = raster(SVG_LOGO_SIDE)?;
            if p.height() > p.width() {
                p = raster((SVG_LOGO_SIDE * p.width() / p.height()).max(1))?;
            }
            let mut rgba = Vec::with_capacity(p.data().len());
            for px in p.pixels() {
                let c = px.demultiply();
                rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
            (p.width(), p.height(), rgba)
        }
    };
    let mut png = Vec::new();
    let mut enc = png::Encoder::new(&mut png, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    let mut w = enc.write_header()?;
    w.write_image_data(&rgba)?;
    w.finish()?;
    Ok(LogoImage { width, height, rgba, png })
}

fn svg_opts(width: u32) -> RasterOptions {
    RasterOptions {
        max_bytes: MAX_LOGO_BYTES,
        max_pixels: u64::from(MAX_LOGO_SIDE) * u64::from(MAX_LOGO_SIDE),
        width: Some(width),
        background: None,
        ..RasterOptions::default()
    }
}

fn decode_png(data: &[u8]) -> Result<(u32, u32, Vec<u8>), RenderError> {
    let bad = |e: &dyn std::fmt::Display| RenderError::Badge(format!("logo PNG: {e}"));
    let side = MAX_LOGO_SIDE as usize;
    let limits = png::Limits { bytes: side * side * 8 };
    let mut dec = png::Decoder::new_with_limits(std::io::Cursor::new(data), limits);
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().map_err(|e| bad(&e))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w > MAX_LOGO_SIDE || h > MAX_LOGO_SIDE || w == 0 || h == 0 {
        return Err(RenderError::Badge(format!(
            "logo PNG of {w}x{h} pixels is larger than the limit of {MAX_LOGO_SIDE}x{MAX_LOGO_SIDE}"
        )));
    }
    let size = reader.output_buffer_size().ok_or_else(|| bad(&"image too large"))?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| bad(&e))?;
    buf.truncate(info.buffer_size());
    let px = (w as usize) * (h as usize);
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf.chunks_exact(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => {
            buf.chunks_exact(2).flat_map(|c| [c[0], c[0], c[0], c[1]]).collect()
        }
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(bad(&"palette was not expanded")),
    };
    if rgba.len() != px * 4 {
        return Err(bad(&"pixel data has the wrong length"));
    }
    Ok((w, h, rgba))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_logo_is_rasterised_and_png_reencoded() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="10" height="10" fill="#f00"/></svg>"##;
        let img = decode(&Logo::sniff(svg.to_vec()).unwrap()).unwrap();
        assert_eq!((img.width, img.height), (600, 300));
        assert_eq!(&img.rgba[..4], &[255, 0, 0, 255]);
        assert_eq!(img.rgba[img.rgba.len() - 1], 0, "right half is transparent");
        let again = decode(&Logo { data: img.png.clone(), kind: LogoKind::Png }).unwrap();
        assert_eq!((again.width, again.height, &again.rgba), (600, 300, &img.rgba));
    }

    #[test]
    fn hostile_logos_are_refused() {
        assert!(Logo::sniff(vec![b' '; MAX_LOGO_BYTES + 1]).is_err());
        let truncated = Logo { data: b"\x89PNG\r\n\x1a\nxxxx".to_vec(), kind: LogoKind::Png };
        assert!(matches!(decode(&truncated), Err(RenderError::Badge(_))));
        let not_svg = Logo { data: b"<svg".to_vec(), kind: LogoKind::Svg };
        assert!(matches!(decode(&not_svg), Err(RenderError::Badge(_))));
        // A sliver 600 px wide would be 60 million pixels tall.
        let sliver =
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000"/>"#.to_vec();
        assert!(decode(&Logo { data: sliver, kind: LogoKind::Svg }).is_err());
        let tall = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>"#.to_vec();
        let img = decode(&Logo { data: tall, kind: LogoKind::Svg }).unwrap();
        assert_eq!((img.width, img.height), (300, 600));
    }
}
