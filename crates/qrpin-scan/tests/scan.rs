//! Behaviour of the scanner through its public API, on images made here.

use qrpin_codec::Ecl;
use qrpin_render::{
    to_png, to_svg, EncodeOptions, PngOptions, QrMatrix, RenderOptions, SvgOptions,
};
use qrpin_scan::{load, Layer, Luma8, ScanError, ScanOptions, Scanner, Verdict};

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
const OTHER: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391aa";

fn matrix(text: &str, ecl: Ecl) -> QrMatrix {
    QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl, ..Default::default() }).unwrap()
}

/// Draws a matrix directly (independent of the PNG writer): `scale` px per module, `border`
/// modules of quiet zone.
fn draw(m: &QrMatrix, scale: usize, border: usize) -> Luma8 {
    let side = (m.size() + 2 * border) * scale;
    let mut data = vec![255u8; side * side];
    for y in 0..m.size() {
        for x in 0..m.size() {
            if m.get(x, y) {
                for dy in 0..scale {
                    let row = ((y + border) * scale + dy) * side;
                    let col = (x + border) * scale;
                    data[row + col..row + col + scale].fill(0);
                }
            }
        }
    }
    Luma8::new(side as u32, side as u32, data).unwrap()
}

fn texts(img: &Luma8) -> Vec<String> {
    Scanner::default().scan_luma(img).unwrap().into_iter().map(|d| d.text).collect()
}

fn verdict(img: &Luma8, text: &str) -> Verdict {
    qrpin_scan::verify_luma(&Scanner::default(), img, text, None).unwrap()
}

#[test]
fn own_png_renders_read_by_known_geometry_at_every_level_and_scale() {
    for ecl in Ecl::ALL {
        let m = matrix(SAMPLE, ecl);
        for scale in 1..=6 {
            let png = to_png(
                &m,
                &PngOptions {
                    base: RenderOptions { scale, ..Default::default() },
                    ..PngOptions::default()
                },
            )
            .unwrap();
            let codes = Scanner::default().scan_bytes(&png).unwrap();
            assert_eq!(codes.len(), 1, "ecl {ecl} scale {scale}");
            let c = &codes[0];
            assert_eq!(
                (c.text.as_str(), c.ecl, c.version, c.mask),
                (SAMPLE, ecl, m.version(), Some(m.mask()))
            );
            assert_eq!(c.layer, Layer::KnownGeometry);
            let s = scale as f32;
            assert_eq!(c.corners[0], (4.0 * s, 4.0 * s));
        }
    }
}

#[test]
fn svg_and_other_formats_are_read_from_content() {
    let m = matrix(SAMPLE, Ecl::M);
    let svg = to_svg(&m, &SvgOptions::default()).unwrap();
    let codes = Scanner::default().scan_bytes(svg.as_bytes()).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, SAMPLE);

    let img = draw(&m, 4, 4);
    let gray = image::GrayImage::from_raw(img.width, img.height, img.data.clone()).unwrap();
    for fmt in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::Gif,
        image::ImageFormat::Bmp,
        image::ImageFormat::WebP,
    ] {
        let mut buf = std::io::Cursor::new(Vec::new());
        let dynimg = image::DynamicImage::ImageLuma8(gray.clone());
        let dynimg = if fmt == image::ImageFormat::WebP || fmt == image::ImageFormat::Gif {
            image::DynamicImage::ImageRgba8(dynimg.to_rgba8())
        } else {
            dynimg
        };
        dynimg.write_to(&mut buf, fmt).unwrap();
        let codes =
            Scanner::default().scan_bytes(buf.get_ref()).unwrap_or_else(|e| panic!("{fmt:?}: {e}"));
        assert_eq!(codes.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), [SAMPLE], "{fmt:?}");
    }
}

#[test]
fn utf8_payload_text() {
    let t = "Grüße, 点 — ünïcödé";
    assert_eq!(texts(&draw(&matrix(t, Ecl::Q), 3, 4)), [t]);
}

#[test]
fn inverted_rotated_and_two_codes() {
    let m = matrix(SAMPLE, Ecl::L);
    let img = draw(&m, 4, 4);
    let inv =
        Luma8::new(img.width, img.height, img.data.iter().map(|p| 255 - p).collect()).unwrap();
    assert_eq!(texts(&inv), [SAMPLE]);
    let w = img.width as usize;
    let rot: Vec<u8> = (0..w * w)
        .map(|i| {
            let (x, y) = (i % w, i / w);
            img.data[(w - 1 - x) * w + y]
        })
        .collect();
    let codes =
        Scanner::default().scan_luma(&Luma8::new(img.width, img.height, rot).unwrap()).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, SAMPLE);
    assert_ne!(codes[0].layer, Layer::KnownGeometry);
    // Two codes side by side.
    let b = draw(&matrix(OTHER, Ecl::H), 4, 4);
    let (h, wa, wb) = (img.height.max(b.height) as usize, img.width as usize, b.width as usize);
    let mut data = vec![255u8; h * (wa + wb)];
    for y in 0..h {
        if y < img.height as usize {
            data[y * (wa + wb)..y * (wa + wb) + wa]
                .copy_from_slice(&img.data[y * wa..(y + 1) * wa]);
        }
        if y < b.height as usize {
            data[y * (wa + wb) + wa..(y + 1) * (wa + wb)]
                .copy_from_slice(&b.data[y * wb..(y + 1) * wb]);
        }
    }
    let mut got = texts(&Luma8::new((wa + wb) as u32, h as u32, data).unwrap());
    got.sort();
    assert_eq!(got, [SAMPLE, OTHER]);
}

/// Function-pattern modules (finders, separators, timing, format, alignment) are left alone.
fn is_data_module(m: &QrMatrix, x: usize, y: usize) -> bool {
    let n = m.size();
    let in_finder = |x: usize, y: usize| (y < 9 && (x < 9 || x >= n - 8)) || (x < 9 && y >= n - 8);
    !(in_finder(x, y) || x == 6 || y == 6 || (x >= n - 9 && y >= n - 9 && x < n - 4 && y < n - 4))
}

#[test]
fn fast_verifier_never_matches_a_damaged_code() {
    let m = matrix(SAMPLE, Ecl::L);
    let n = m.size();
    // Flip every data module in the lower half: far beyond what level L corrects.
    let mut bad = m.clone();
    for y in n / 2..n {
        for x in 0..n {
            if is_data_module(&m, x, y) {
                bad.set(x, y, !m.get(x, y));
            }
        }
    }
    for scale in [1, 2, 5] {
        let img = draw(&bad, scale, 4);
        let v = verdict(&img, SAMPLE);
        assert!(!v.is_match(), "scale {scale}: {v:?}");
        assert!(texts(&img).iter().all(|t| t != SAMPLE));
    }
    // One flipped data module is within what ECC corrects: still the same code.
    let mut one = m.clone();
    one.set(n - 1, n - 1, !m.get(n - 1, n - 1));
    assert!(verdict(&draw(&one, 3, 4), SAMPLE).is_match());
}

#[test]
fn fast_verifier_on_wrong_scale_and_shifted_images() {
    let m = matrix(SAMPLE, Ecl::M);
    let img = draw(&m, 3, 4);
    let w = img.width as usize;
    // Stretched 1.5x horizontally (modules no longer square): whatever is read must be the code.
    let sw = w * 3 / 2;
    let stretched: Vec<u8> =
        (0..sw * w).map(|i| img.data[(i / sw) * w + (i % sw) * 2 / 3]).collect();
    let stretched = Luma8::new(sw as u32, w as u32, stretched).unwrap();
    // Lower half shifted right by one pixel (a module boundary moves mid-symbol at scale 1).
    let small = draw(&m, 1, 4);
    let sw1 = small.width as usize;
    let mut shifted = small.data.clone();
    for y in sw1 / 2..sw1 {
        for x in (1..sw1).rev() {
            shifted[y * sw1 + x] = small.data[y * sw1 + x - 1];
        }
        shifted[y * sw1] = 255;
    }
    let shifted = Luma8::new(sw1 as u32, sw1 as u32, shifted).unwrap();
    // Whole image moved by one pixel: still the same code, read exactly.
    let mut moved = vec![255u8; w * w];
    for y in 1..w {
        moved[y * w + 1..(y + 1) * w].copy_from_slice(&img.data[(y - 1) * w..y * w - 1]);
    }
    let moved = Luma8::new(w as u32, w as u32, moved).unwrap();
    for (name, im) in [("stretched", &stretched), ("shifted half", &shifted), ("moved", &moved)] {
        for c in Scanner::default().scan_luma(im).unwrap() {
            assert_eq!(c.text, SAMPLE, "{name}: misread");
        }
        assert!(!verdict(im, OTHER).is_match(), "{name}");
    }
    let codes = Scanner::default().scan_luma(&moved).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].modules, qrpin_scan::ModuleGrid::from_fn(m.size(), |x, y| m.get(x, y)));
}

#[test]
fn a_different_code_differs_with_a_reason() {
    let img = draw(&matrix(SAMPLE, Ecl::L), 2, 4);
    match verdict(&img, OTHER) {
        Verdict::Differs { reasons, codes } => {
            assert_eq!(codes.len(), 1);
            assert!(reasons[0].contains("character 76"), "{reasons:?}");
        }
        v => panic!("{v:?}"),
    }
    let v = qrpin_scan::verify_luma(&Scanner::default(), &img, SAMPLE, Some(Ecl::H)).unwrap();
    assert!(
        matches!(&v, Verdict::Differs { reasons, .. } if reasons[0].contains("error-correction level is l (expected h)")),
        "{v:?}"
    );
}

#[test]
fn blank_tiny_and_noise_images_hold_no_code() {
    assert!(texts(&Luma8::new(1, 1, vec![0]).unwrap()).is_empty());
    assert!(texts(&Luma8::new(1, 1, vec![255]).unwrap()).is_empty());
    assert!(texts(&Luma8::new(300, 200, vec![255; 60_000]).unwrap()).is_empty());
    let mut rng = fastrand::Rng::with_seed(3);
    let noise: Vec<u8> = (0..200 * 200).map(|_| if rng.bool() { 0 } else { 255 }).collect();
    assert!(texts(&Luma8::new(200, 200, noise).unwrap()).is_empty());
    // A 1x1 PNG file.
    let mut buf = std::io::Cursor::new(Vec::new());
    image::GrayImage::from_raw(1, 1, vec![0])
        .unwrap()
        .write_to(&mut buf, image::ImageFormat::Png)
        .unwrap();
    assert!(Scanner::default().scan_bytes(buf.get_ref()).unwrap().is_empty());
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

#[test]
fn huge_headers_are_refused_before_decoding() {
    // PNG whose IHDR claims 100000 x 100000 pixels (and no image data).
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    png.extend(0u32.to_be_bytes());
    png.extend(b"IDAT");
    png.extend(crc32(b"IDAT").to_be_bytes());
    let e = Scanner::default().scan_bytes(&png).unwrap_err();
    assert!(matches!(e, ScanError::TooLarge { actual: 10_000_000_000, .. }), "{e}");
    // GIF with a 65535 x 65535 logical screen and image.
    let mut gif = b"GIF89a".to_vec();
    gif.extend([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0, 0]);
    gif.extend([0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]);
    let e = Scanner::default().scan_bytes(&gif).unwrap_err();
    assert!(
        matches!(
            e,
            ScanError::TooLarge { .. } | ScanError::Format { .. } | ScanError::Truncated { .. }
        ),
        "{e}"
    );
    // File-size and SVG-size limits.
    let small = ScanOptions { max_file_bytes: 100, ..Default::default() };
    assert!(matches!(
        Scanner::new(small).scan_bytes(&[0u8; 101]),
        Err(ScanError::TooLarge { what: "file", .. })
    ));
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><!--{}--></svg>",
        "x".repeat(5000)
    );
    let opts = ScanOptions { max_svg_bytes: 1000, ..Default::default() };
    assert!(matches!(
        Scanner::new(opts).scan_bytes(svg.as_bytes()),
        Err(ScanError::TooLarge { .. })
    ));
}

#[test]
fn hostile_svg_is_an_error_not_a_crash() {
    let deep = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">{}{}</svg>",
        "<g>".repeat(5000),
        "</g>".repeat(5000)
    );
    assert!(matches!(Scanner::default().scan_bytes(deep.as_bytes()), Err(ScanError::Svg(_))));
    let huge = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"100000\"/>";
    assert!(matches!(
        Scanner::default().scan_bytes(huge.as_bytes()),
        Err(ScanError::TooLarge { .. })
    ));
    assert!(matches!(Scanner::default().scan_bytes(b"<svg unclosed"), Err(ScanError::Svg(_))));
}

#[test]
fn truncated_files_are_errors() {
    let m = matrix(SAMPLE, Ecl::M);
    let png = to_png(&m, &PngOptions::default()).unwrap();
    let img = draw(&m, 3, 4);
    let gray = image::DynamicImage::ImageLuma8(
        image::GrayImage::from_raw(img.width, img.height, img.data).unwrap(),
    );
    let mut files = vec![("png", png)];
    for (name, fmt) in [
        ("jpeg", image::ImageFormat::Jpeg),
        ("gif", image::ImageFormat::Gif),
        ("bmp", image::ImageFormat::Bmp),
        ("webp", image::ImageFormat::WebP),
    ] {
        let mut buf = std::io::Cursor::new(Vec::new());
        let g = if matches!(fmt, image::ImageFormat::WebP | image::ImageFormat::Gif) {
            image::DynamicImage::ImageRgba8(gray.to_rgba8())
        } else {
            gray.clone()
        };
        g.write_to(&mut buf, fmt).unwrap();
        files.push((name, buf.into_inner()));
    }
    for (name, bytes) in files {
        for cut in [bytes.len() / 2, 40, 12] {
            let r = Scanner::default().scan_bytes(&bytes[..cut]);
            assert!(
                matches!(
                    r,
                    Err(ScanError::Truncated { .. }
                        | ScanError::Format { .. }
                        | ScanError::Unsupported(_))
                ) || r.as_ref().is_ok_and(|v| v.is_empty()),
                "{name} cut at {cut}: {r:?}"
            );
        }
    }
    assert!(matches!(
        load(b"\x89PNG\r\n\x1a\n", &ScanOptions::default()),
        Err(ScanError::Truncated { .. } | ScanError::Format { .. })
    ));
}
