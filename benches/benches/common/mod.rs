//! Inputs and peer helpers shared by the bench targets.

#![allow(dead_code)]

use qrpin_codec::{Ecl, PayloadBuf};

/// The 76-byte Graph sample.
pub const P1: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

/// The code id of both payloads.
pub const CODE_ID: &str = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";

/// The longest legal UPN: 64 characters, '@', 48 characters.
pub fn p2_upn() -> String {
    let local = "firstname.lastname-with.a.rather.long_local.part-0123456789abcde";
    let domain = "averyveryverylongtenantname12345.onmicrosoft.com";
    assert_eq!((local.len(), domain.len()), (64, 48));
    format!("{local}@{domain}")
}

/// P2: the 162-byte payload with the longest legal UPN.
pub fn p2() -> String {
    let p = PayloadBuf::build(&p2_upn(), CODE_ID).expect("legal UPN").into_string();
    assert_eq!(p.len(), 162);
    p
}

/// `(name, payload)` for P1 and P2.
pub fn payloads() -> Vec<(&'static str, String)> {
    vec![("P1", P1.to_owned()), ("P2", p2())]
}

/// qrcodegen's level.
pub fn qrcodegen_ecc(ecl: Ecl) -> qrcodegen::QrCodeEcc {
    match ecl {
        Ecl::L => qrcodegen::QrCodeEcc::Low,
        Ecl::M => qrcodegen::QrCodeEcc::Medium,
        Ecl::Q => qrcodegen::QrCodeEcc::Quartile,
        Ecl::H => qrcodegen::QrCodeEcc::High,
    }
}

/// fast_qr's level.
pub fn fast_qr_ecl(ecl: Ecl) -> fast_qr::ECL {
    match ecl {
        Ecl::L => fast_qr::ECL::L,
        Ecl::M => fast_qr::ECL::M,
        Ecl::Q => fast_qr::ECL::Q,
        Ecl::H => fast_qr::ECL::H,
    }
}

/// kennytm qrcode's level.
pub fn qrcode_ecl(ecl: Ecl) -> qrcode::EcLevel {
    match ecl {
        Ecl::L => qrcode::EcLevel::L,
        Ecl::M => qrcode::EcLevel::M,
        Ecl::Q => qrcode::EcLevel::Q,
        Ecl::H => qrcode::EcLevel::H,
    }
}

/// fast_qr symbol → 8-bit grey image, `scale` pixels per module, `border` modules of quiet
/// zone: how a user of `fast_qr` + `image` would draw one without going through SVG.
pub fn fast_qr_image(qr: &fast_qr::QRCode, scale: u32, border: u32) -> image::GrayImage {
    let n = qr.size as u32;
    let side = (n + 2 * border) * scale;
    image::GrayImage::from_fn(side, side, |px, py| {
        let (mx, my) = (px / scale, py / scale);
        let dark = mx >= border
            && my >= border
            && mx - border < n
            && my - border < n
            && qr.data[((my - border) * n + (mx - border)) as usize].value();
        image::Luma([if dark { 0 } else { 255 }])
    })
}

/// Encodes a grey image as PNG with `image`'s default settings into `out` (cleared first).
pub fn image_png(img: &image::GrayImage, out: &mut Vec<u8>) {
    use image::ImageEncoder as _;
    out.clear();
    image::codecs::png::PngEncoder::new(&mut *out)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::L8)
        .expect("PNG into memory");
}

/// Decodes with rqrr from grey pixels; the text when a code was read.
pub fn rqrr_text(w: usize, h: usize, luma: &[u8]) -> Option<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    let grids = img.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}

/// Decodes with rxing (QR only) from grey pixels; the text when a code was read.
pub fn rxing_text(w: usize, h: usize, luma: &[u8]) -> Option<String> {
    rxing::helpers::detect_in_luma(
        luma.to_vec(),
        w as u32,
        h as u32,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .ok()
    .map(|r| r.getText().to_owned())
}
