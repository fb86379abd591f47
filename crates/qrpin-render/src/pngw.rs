//! The PNG writer: 1-bit images straight from the matrix with the `png` crate.
//!
//! Black on white is written as 1-bit greyscale; any other colours as a 1-bit, two-entry palette
//! (index 0 background, 1 foreground), with a `tRNS` chunk making index 0 fully transparent for
//! a transparent background. Every module is `scale × scale` whole pixels.

use crate::options::MAX_PNG_PIXELS;
use crate::{Background, PngCompression, PngOptions, QrMatrix, RenderError, Rgb};

/// Writes `m` as PNG into `out` (cleared first), compressed as [`PngOptions::compression`]
/// says, and returns the image's width and height in pixels.
///
/// ```
/// use qrpin_render::{write_png, EncodeOptions, PngOptions, QrMatrix};
/// let m = QrMatrix::encode(b"hello", &EncodeOptions::default())?;
/// let mut png = Vec::new();
/// let (w, h) = write_png(&m, &PngOptions { dpi: Some(300), ..Default::default() }, &mut png)?;
/// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
/// assert_eq!((w, h), (145, 145)); // (21 + 2 * 4) modules * 5 px
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::BadScale`], [`RenderError::BadBorder`], [`RenderError::BadDpi`],
/// [`RenderError::TooLarge`] past [`MAX_PNG_PIXELS`], or [`RenderError::Png`].
pub fn write_png(
    m: &QrMatrix,
    opts: &PngOptions,
    out: &mut Vec<u8>,
) -> Result<(u32, u32), RenderError> {
    let compression = opts.compression;
    let base = &opts.base;
    base.validate()?;
    let dpi = opts.dpi.map(crate::check_dpi).transpose()?;
    let scale = base.scale as usize;
    let border = base.border as usize;
    let side = base.modules(m.size()) * scale;
    let pixels = (side as u64) * (side as u64);
    if pixels > MAX_PNG_PIXELS {
        return Err(RenderError::TooLarge {
            width: side as u64,
            height: side as u64,
            limit: MAX_PNG_PIXELS,
        });
    }
    // `side` <= 8192 here, so it fits u32.
    let side32 = side as u32;

    let grey = base.fg == Rgb::BLACK && base.bg == Background::Colour(Rgb::WHITE);
    out.clear();
    let mut enc = png::Encoder::new(&mut *out, side32, side32);
    enc.set_depth(png::BitDepth::One);
    if compression == PngCompression::Small {
        enc.set_compression(png::Compression::Balanced);
        // Measured smaller than adaptive or Up filtering for these two-colour images.
        enc.set_filter(png::Filter::NoFilter);
    }
    if grey {
        enc.set_color(png::ColorType::Grayscale);
    } else {
        let bg = match base.bg {
            Background::Colour(c) => c,
            Background::Transparent => Rgb::WHITE,
        };
        let fg = base.fg;
        enc.set_color(png::ColorType::Indexed);
        enc.set_palette(vec![bg.r, bg.g, bg.b, fg.r, fg.g, fg.b]);
        if base.bg == Background::Transparent {
            enc.set_trns(vec![0u8]);
        }
    }
    if let Some(dpi) = dpi {
        // pHYs counts pixels per metre: dpi / 0.0254, rounded.
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
    }
    let mut writer = enc.write_header()?;

    // One packed pixel row per module row, repeated `scale` times. In the greyscale image a set
    // bit is white; in the palette image a set bit is the foreground (index 1). Each row starts
    // light and has its dark runs filled in, so the work is per run, not per pixel.
    let row_bytes = side.div_ceil(8);
    let light: u8 = if grey { 0xFF } else { 0x00 };
    let mut data = vec![light; row_bytes * side];
    if grey && !side.is_multiple_of(8) {
        // Padding bits past the last pixel are zero so the output is deterministic.
        for row in data.chunks_exact_mut(row_bytes) {
            row[row_bytes - 1] &= 0xFFu8 << (8 - side % 8);
        }
    }
    let quiet = border * scale;
    for y in 0..m.size() {
        let top = (quiet + y * scale) * row_bytes;
        let row = &mut data[top..top + row_bytes];
        for (x, len) in m.dark_runs(y) {
            fill_bits(row, (x + border) * scale, (x + border + len) * scale, !grey);
        }
        for k in 1..scale {
            data.copy_within(top..top + row_bytes, top + k * row_bytes);
        }
    }
    match compression {
        PngCompression::Fast => {
            // Byte for byte the stream `png` writes for Compression::Fast with the Up filter
            // (repeated pixel rows filter to zeros): the same fdeflate compressor fed the same
            // rows, without `png`'s per-row buffers and checks, which cost more than the
            // compression itself.
            // Writing into a Vec cannot fail; the io::Error is still passed on, not unwrapped.
            let io = |e: std::io::Error| RenderError::Png(png::EncodingError::IoError(e));
            let filtered = up_filtered(&data, row_bytes);
            let mut z =
                fdeflate::Compressor::new(Vec::with_capacity(filtered.len() / 4)).map_err(io)?;
            for line in filtered.chunks_exact(row_bytes + 1) {
                z.write_data(line).map_err(io)?;
            }
            writer.write_chunk(png::chunk::IDAT, &z.finish().map_err(io)?)?;
        }
        PngCompression::Small => writer.write_image_data(&data)?,
    }
    writer.finish()?;
    Ok((side32, side32))
}

/// [`write_png`] into a new vector.
///
/// # Errors
/// As [`write_png`].
pub fn to_png(m: &QrMatrix, opts: &PngOptions) -> Result<Vec<u8>, RenderError> {
    let mut v = Vec::new();
    write_png(m, opts, &mut v)?;
    Ok(v)
}

/// PNG scanlines with the Up filter (type 2) on every row: each byte minus the byte above it.
fn up_filtered(data: &[u8], row_bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / row_bytes);
    let mut prev: &[u8] = &[];
    for row in data.chunks_exact(row_bytes) {
        out.push(2);
        if prev.is_empty() {
            out.extend_from_slice(row);
        } else {
            out.extend(row.iter().zip(prev).map(|(&b, &a)| b.wrapping_sub(a)));
        }
        prev = row;
    }
    out
}

/// Sets (`on`) or clears bits `start..end` of a packed row, most significant bit first.
fn fill_bits(row: &mut [u8], start: usize, end: usize, on: bool) {
    let (first, last) = (start / 8, (end - 1) / 8);
    let head = 0xFFu8 >> (start % 8);
    let tail = 0xFFu8 << (7 - (end - 1) % 8);
    let apply = |b: &mut u8, mask: u8| {
        if on {
            *b |= mask;
        } else {
            *b &= !mask;
        }
    };
    if first == last {
        apply(&mut row[first], head & tail);
        return;
    }
    apply(&mut row[first], head);
    row[first + 1..last].fill(if on { 0xFF } else { 0x00 });
    apply(&mut row[last], tail);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RenderOptions;
    use qrpin_codec::Ecl;

    fn decode(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>, png::Info<'static>) {
        let dec = png::Decoder::new(std::io::Cursor::new(png_bytes.to_vec()));
        let mut reader = dec.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let meta = reader.info().clone();
        (info, buf, meta)
    }

    fn bit(buf: &[u8], line: usize, x: usize, y: usize) -> bool {
        buf[y * line + x / 8] & (0x80 >> (x % 8)) != 0
    }

    #[test]
    fn greyscale_pixels_follow_modules() {
        let m = QrMatrix::encode(b"pixels", &Default::default()).unwrap();
        let opts = PngOptions {
            base: RenderOptions { scale: 3, border: 2, ..Default::default() },
            dpi: Some(600),
            compression: PngCompression::Small,
        };
        let bytes = to_png(&m, &opts).unwrap();
        let (info, buf, meta) = decode(&bytes);
        assert_eq!((info.width, info.height), (75, 75));
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::One);
        let dims = meta.pixel_dims.unwrap();
        assert_eq!((dims.xppu, dims.unit), (23622, png::Unit::Meter));
        for py in 0..75 {
            for px in 0..75 {
                let (mx, my) = ((px / 3) as isize - 2, (py / 3) as isize - 2);
                let dark = mx >= 0 && my >= 0 && m.get(mx as usize, my as usize);
                assert_eq!(bit(&buf, info.line_size, px, py), !dark, "({px},{py})");
            }
        }
    }

    #[test]
    fn palette_and_transparency() {
        let m = QrMatrix::from_fn(1, Ecl::L, 0, |x, _| x == 0).unwrap();
        let opts = PngOptions {
            base: RenderOptions {
                scale: 1,
                border: 0,
                fg: Rgb::new(0, 0, 0x80),
                bg: Background::Transparent,
            },
            ..Default::default()
        };
        let (info, buf, meta) = decode(&to_png(&m, &opts).unwrap());
        assert_eq!(info.color_type, png::ColorType::Indexed);
        assert_eq!(meta.palette.as_deref(), Some(&[255, 255, 255, 0, 0, 0x80][..]));
        assert_eq!(meta.trns.as_deref(), Some(&[0u8][..]));
        assert!(meta.pixel_dims.is_none());
        assert!(bit(&buf, info.line_size, 0, 5) && !bit(&buf, info.line_size, 1, 5));
    }

    #[test]
    fn fills_bit_ranges() {
        let mut row = [0u8; 4];
        fill_bits(&mut row, 3, 5, true);
        assert_eq!(row, [0b0001_1000, 0, 0, 0]);
        fill_bits(&mut row, 6, 27, true);
        assert_eq!(row, [0b0001_1011, 0xFF, 0xFF, 0b1110_0000]);
        fill_bits(&mut row, 0, 32, false);
        assert_eq!(row, [0; 4]);
        fill_bits(&mut row, 8, 16, true);
        assert_eq!(row, [0, 0xFF, 0, 0]);
    }

    #[test]
    fn refuses_huge_and_bad() {
        let m = QrMatrix::encode(&[b'a'; 2900], &Default::default()).unwrap();
        let opts = PngOptions {
            base: RenderOptions { scale: 100, ..Default::default() },
            ..Default::default()
        };
        assert!(matches!(to_png(&m, &opts), Err(RenderError::TooLarge { .. })));
        let bad_dpi = PngOptions { dpi: Some(0), ..Default::default() };
        assert!(matches!(to_png(&m, &bad_dpi), Err(RenderError::BadDpi(0))));
    }
}
