//! Helpers shared by the integration tests: payloads, PNG → grey pixels, and two decoders we did
//! not write (rqrr and rxing).

#![allow(dead_code)]

use qrpin_render::Ecl;

/// A legal ms-qrpin payload of exactly `len` bytes (52..=162), using the whole UPN alphabet.
pub fn payload(len: usize) -> String {
    assert!((52..=162).contains(&len), "payload length {len}");
    let guid = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    let upn_len = len - 49; // "ms-qrpin:v1|" + "|" + 36-char GUID
    let local_len = (upn_len - 1).div_ceil(2).min(64);
    let domain_len = upn_len - 1 - local_len;
    let alphabet = "abcXYZ019'.-_!#^~";
    let local: String = alphabet.chars().cycle().take(local_len).collect();
    let mut domain: String = "contoso-ab.example".chars().cycle().take(domain_len).collect();
    if domain.ends_with('.') || domain.ends_with('-') {
        domain.pop();
        domain.push('z');
    }
    let p = format!("ms-qrpin:v1|{local}@{domain}|{guid}");
    assert_eq!(p.len(), len);
    p
}

/// The 76-byte Graph sample.
pub const SAMPLE: &str =
    "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

/// Decodes a PNG into grey levels (composited over white), with the `png` crate.
pub fn png_to_luma(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let mut luma = Vec::with_capacity(w * h);
    for y in 0..h {
        let line = &buf[y * info.line_size..];
        for x in 0..w {
            let p = &line[x * channels..(x + 1) * channels];
            let (rgb, a) = match info.color_type {
                png::ColorType::Grayscale => ([p[0]; 3], 255),
                png::ColorType::GrayscaleAlpha => ([p[0]; 3], p[1]),
                png::ColorType::Rgb => ([p[0], p[1], p[2]], 255),
                png::ColorType::Rgba => ([p[0], p[1], p[2]], p[3]),
                other => panic!("unexpected colour type {other:?}"),
            };
            let over_white =
                |c: u8| (u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255;
            let l = (over_white(rgb[0]) * 299
                + over_white(rgb[1]) * 587
                + over_white(rgb[2]) * 114
                + 500)
                / 1000;
            luma.push(l as u8);
        }
    }
    (w, h, luma)
}

/// What a decoder read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub text: String,
    pub ecl: Option<Ecl>,
    pub version: Option<usize>,
}

/// Decodes with rqrr; `None` when it finds no code or cannot decode it.
pub fn rqrr_read(w: usize, h: usize, luma: &[u8]) -> Option<Read> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    let grids = img.detect_grids();
    let grid = grids.first()?;
    let (meta, text) = grid.decode().ok()?;
    let ecl = Ecl::ALL.into_iter().find(|e| u16::from(e.format_bits()) == meta.ecc_level);
    Some(Read { text, ecl, version: Some(meta.version.0) })
}

/// Decodes with rxing (QR only, default hints); `None` when it finds nothing.
pub fn rxing_read(w: usize, h: usize, luma: &[u8]) -> Option<Read> {
    use rxing::{RXingResultMetadataType as T, RXingResultMetadataValue as V};
    let r = rxing::helpers::detect_in_luma(
        luma.to_vec(),
        w as u32,
        h as u32,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .ok()?;
    let ecl = match r.getRXingResultMetadata().get(&T::ERROR_CORRECTION_LEVEL) {
        Some(V::ErrorCorrectionLevel(s)) => s.parse().ok(),
        _ => None,
    };
    Some(Read { text: r.getText().to_owned(), ecl, version: None })
}

/// Surrounds an image with `pad` white pixels on each side.
pub fn pad_white(w: usize, h: usize, luma: &[u8], pad: usize) -> (usize, usize, Vec<u8>) {
    let (nw, nh) = (w + 2 * pad, h + 2 * pad);
    let mut out = vec![255u8; nw * nh];
    for y in 0..h {
        out[(y + pad) * nw + pad..(y + pad) * nw + pad + w]
            .copy_from_slice(&luma[y * w..(y + 1) * w]);
    }
    (nw, nh, out)
}
