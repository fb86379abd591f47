//! Image bytes → 8-bit grey pixels, with the format taken from the content and limits checked
//! before any pixel is decoded.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::luma::Luma8;
use crate::{ScanError, ScanOptions};

/// The formats this crate reads, as detected from the first bytes of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG (`\x89PNG`).
    Png,
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// GIF (`GIF87a` / `GIF89a`); only the first frame is read.
    Gif,
    /// WebP (`RIFF....WEBP`), lossy or lossless.
    WebP,
    /// BMP (`BM`).
    Bmp,
    /// SVG (text starting, after an optional BOM and white space, with `<?xml`, `<svg` or `<!`).
    Svg,
}

impl Format {
    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::WebP => "WebP",
            Format::Bmp => "BMP",
            Format::Svg => "SVG",
        }
    }

    /// Detects the format from the content; `None` when it is none of the supported ones.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Format::WebP)
        } else if bytes.starts_with(b"BM") {
            Some(Format::Bmp)
        } else if looks_like_svg(bytes) {
            Some(Format::Svg)
        } else {
            None
        }
    }

    fn image_format(self) -> Option<ImageFormat> {
        match self {
            Format::Png => Some(ImageFormat::Png),
            Format::Jpeg => Some(ImageFormat::Jpeg),
            Format::Gif => Some(ImageFormat::Gif),
            Format::WebP => Some(ImageFormat::WebP),
            Format::Bmp => Some(ImageFormat::Bmp),
            Format::Svg => None,
        }
    }
}

/// An SVG file starts (after an optional UTF-8 BOM and white space) with an XML declaration, a
/// comment/doctype, or the `<svg` element itself, and names `<svg` within its first 4 KiB.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let b = &b[start..];
    let head = &b[..b.len().min(4096)];
    (b.starts_with(b"<?xml") || b.starts_with(b"<svg") || b.starts_with(b"<!"))
        && head.windows(4).any(|w| w == b"<svg")
}

/// Reads image bytes of any supported format into grey pixels, checking `opts` limits first.
pub fn load(bytes: &[u8], opts: &ScanOptions) -> Result<Luma8, ScanError> {
    check_limit("file", bytes.len() as u64, opts.max_file_bytes)?;
    let format = Format::sniff(bytes).ok_or_else(|| {
        let head: String =
            bytes.iter().take(8).map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
        ScanError::Unsupported(if bytes.is_empty() {
            "empty input".to_string()
        } else if bytes.starts_with(b"%PDF-") {
            // Badges are often printed from PDF; say how to check one.
            "a PDF document; rasterise its page first (e.g. `pdftoppm -png -r 300 badge.pdf \
             page`) or check the badge's PNG or SVG"
                .to_string()
        } else {
            format!("unknown signature {head}")
        })
    })?;
    match format.image_format() {
        Some(f) => load_raster(bytes, format, f, opts),
        None => crate::svg::load_svg(bytes, opts),
    }
}

/// Fails with [`ScanError::TooLarge`] when `actual > limit`.
pub(crate) fn check_limit(what: &'static str, actual: u64, limit: u64) -> Result<(), ScanError> {
    if actual > limit {
        Err(ScanError::TooLarge { what, actual, limit })
    } else {
        Ok(())
    }
}

/// Checks the pixel dimensions of a decoded (or about-to-be-decoded) image against `opts`.
pub(crate) fn check_dimensions(w: u32, h: u32, opts: &ScanOptions) -> Result<(), ScanError> {
    if w == 0 || h == 0 {
        return Err(ScanError::Empty { width: w, height: h });
    }
    check_limit("image (pixels)", u64::from(w) * u64::from(h), opts.max_pixels)
}

fn load_raster(
    bytes: &[u8],
    format: Format,
    f: ImageFormat,
    opts: &ScanOptions,
) -> Result<Luma8, ScanError> {
    let name = format.name();
    if format == Format::Jpeg {
        check_jpeg_end(bytes)?;
    }
    let map = |e: image::ImageError| map_image_error(name, e);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), f);
    let mut limits = image::Limits::default();
    // Output buffer (up to 4 bytes per pixel, 16-bit formats twice that) plus decoder state.
    limits.max_alloc = Some(opts.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(map)?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h, opts)?;
    let img = DynamicImage::from_decoder(decoder).map_err(map)?;
    Ok(to_luma(img))
}

/// A JPEG's entropy-coded data cannot hold the end-of-image marker `FF D9` (a data `FF` is
/// always followed by `00` or a restart marker, ISO/IEC 10918-1 B.1.1.5), so a file with no
/// `FF D9` after its last start-of-scan `FF DA` was cut short. The decoder would fill the
/// missing part with grey and carry on; we say it is truncated instead.
fn check_jpeg_end(bytes: &[u8]) -> Result<(), ScanError> {
    let last = |m: [u8; 2]| bytes.windows(2).rposition(|w| w == m);
    match (last([0xFF, 0xDA]), last([0xFF, 0xD9])) {
        (Some(sos), Some(eoi)) if eoi > sos => Ok(()),
        (None, _) => Ok(()), // no scan at all: the decoder reports that itself
        _ => Err(ScanError::Truncated {
            format: "JPEG",
            detail: "no end-of-image marker after the last scan".to_owned(),
        }),
    }
}

fn map_image_error(format: &'static str, e: image::ImageError) -> ScanError {
    use image::ImageError as E;
    match e {
        E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ScanError::Truncated { format, detail: io.to_string() }
        }
        E::Limits(l) => ScanError::Format { format, detail: format!("decoder memory limit: {l}") },
        other => {
            let detail = other.to_string();
            let lower = detail.to_ascii_lowercase();
            if lower.contains("eof") || lower.contains("end of file") || lower.contains("truncat") {
                ScanError::Truncated { format, detail }
            } else {
                ScanError::Format { format, detail }
            }
        }
    }
}

/// Converts to grey, compositing any transparency over white (a transparent background is the
/// light quiet zone, whatever colour its invisible pixels carry).
fn to_luma(img: DynamicImage) -> Luma8 {
    let (width, height) = (img.width(), img.height());
    let data = if img.color().has_alpha() {
        let la = img.to_luma_alpha8();
        la.pixels()
            .map(|p| {
                let [l, a] = p.0;
                let (l, a) = (u32::from(l), u32::from(a));
                ((l * a + 255 * (255 - a) + 127) / 255) as u8
            })
            .collect()
    } else {
        img.into_luma8().into_raw()
    };
    Luma8 { width, height, data }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\nxxxx"), Some(Format::Png));
        assert_eq!(Format::sniff(b"GIF89a...."), Some(Format::Gif));
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8L"), Some(Format::WebP));
        assert_eq!(Format::sniff(b"\xFF\xD8\xFF\xE0"), Some(Format::Jpeg));
        assert!(check_jpeg_end(b"\xFF\xD8\xFF\xDA\x00\x01\xFF\x00\xFF\xD9").is_ok());
        assert!(matches!(
            check_jpeg_end(b"\xFF\xD8\xFF\xDA\x00\x01\xFF\x00"),
            Err(ScanError::Truncated { .. })
        ));
        // An embedded thumbnail's end marker before the main scan does not count.
        assert!(check_jpeg_end(b"\xFF\xD8\xFF\xD9\xFF\xDA\x00\x01").is_err());
        assert_eq!(Format::sniff(b"BM\0\0"), Some(Format::Bmp));
        assert_eq!(
            Format::sniff(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<svg xmlns=\"\"/>"),
            Some(Format::Svg)
        );
        assert_eq!(Format::sniff(b"<svg width=\"1\"/>"), Some(Format::Svg));
        assert_eq!(Format::sniff(b"<html><body/></html>"), None);
        assert_eq!(Format::sniff(b"hello"), None);
        assert_eq!(Format::sniff(b""), None);
    }

    #[test]
    fn empty_and_unknown_inputs_are_unsupported() {
        let o = ScanOptions::default();
        assert!(matches!(load(b"", &o), Err(ScanError::Unsupported(_))));
        assert!(matches!(load(b"plain text", &o), Err(ScanError::Unsupported(_))));
        let pdf = load(b"%PDF-1.7\n%\xE2\xE3", &o).unwrap_err().to_string();
        assert!(pdf.contains("a PDF document") && pdf.contains("pdftoppm"), "{pdf}");
    }

    #[test]
    fn file_size_limit_is_checked_first() {
        let o = ScanOptions { max_file_bytes: 4, ..ScanOptions::default() };
        let e = load(b"\x89PNG\r\n\x1a\n", &o).unwrap_err();
        assert!(matches!(e, ScanError::TooLarge { what: "file", .. }), "{e}");
    }
}
