//! Matrix conformance against encoders we did not write.
//!
//! - For the same bytes, ECL, version and mask, our grid equals kennytm's `qrcode` crate module
//!   for module (driven with one byte-mode segment and the mask forced).
//! - Our automatic mask (and whole matrix) equals `qrcodegen`'s automatic choice. Today we encode
//!   with qrcodegen, so this pins the behaviour the bit-packed mask scorer must keep.

mod common;

use common::SAMPLE;
use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};
use qrpin_render::{byte_capacity, Ecl, EncodeOptions, QrMatrix};

/// kennytm's `qrcode`: one byte segment, terminator and padding, forced version and mask.
fn kennytm(data: &[u8], ecl: Ecl, version: u8, mask: u8) -> Vec<bool> {
    let v = Version::Normal(i16::from(version));
    let ec = match ecl {
        Ecl::L => EcLevel::L,
        Ecl::M => EcLevel::M,
        Ecl::Q => EcLevel::Q,
        Ecl::H => EcLevel::H,
    };
    let mut bits = Bits::new(v);
    bits.push_byte_data(data).unwrap();
    bits.push_terminator(ec).unwrap();
    let (codewords, ecc) = qrcode::ec::construct_codewords(&bits.into_bytes(), v, ec).unwrap();
    let mut canvas = Canvas::new(v, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ecc);
    let pattern = [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ][usize::from(mask)];
    canvas.apply_mask(pattern);
    canvas.into_colors().into_iter().map(|c| c == Color::Dark).collect()
}

fn ours(data: &[u8], ecl: Ecl, version: Option<u8>, mask: Option<u8>) -> QrMatrix {
    QrMatrix::encode(data, &EncodeOptions { ecl, version, mask }).unwrap()
}

fn assert_same_grid(m: &QrMatrix, theirs: &[bool], case: &str) {
    let n = m.size();
    assert_eq!(theirs.len(), n * n, "size: {case}");
    for y in 0..n {
        for x in 0..n {
            assert_eq!(m.get(x, y), theirs[y * n + x], "module ({x},{y}): {case}");
        }
    }
}

/// A small deterministic generator (64-bit LCG, Knuth's constants) so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn sample_all_masks_match_kennytm() {
    for (ecl, version) in Ecl::ALL.into_iter().zip([4u8, 5, 7, 8]) {
        for mask in 0..8 {
            let m = ours(SAMPLE.as_bytes(), ecl, None, Some(mask));
            assert_eq!((m.version(), m.mask()), (version, mask));
            let case = format!("sample {ecl} v{version} mask {mask}");
            assert_same_grid(&m, &kennytm(SAMPLE.as_bytes(), ecl, version, mask), &case);
        }
    }
}

/// Every version 1..=40 at every ECL, with random bytes of a random length that fits, a random
/// mask, and — for a third of them — exactly the capacity (the no-padding edge case).
#[test]
fn random_payloads_every_version_match_kennytm() {
    let mut rng = Lcg(0x5eed_f00d_c0de);
    for version in 1..=40u8 {
        for ecl in Ecl::ALL {
            let cap = byte_capacity(version, ecl).unwrap();
            let len = if rng.below(3) == 0 { cap } else { rng.below(cap + 1) };
            let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let mask = rng.below(8) as u8;
            let m = ours(&data, ecl, Some(version), Some(mask));
            let case = format!("v{version} {ecl} mask {mask} len {len}");
            assert_same_grid(&m, &kennytm(&data, ecl, version, mask), &case);
        }
    }
}

/// Our automatic choice of version and mask equals qrcodegen's, on payload-like texts and on
/// random bytes across the version range.
#[test]
fn auto_mask_matches_qrcodegen() {
    use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version as V};
    let mut rng = Lcg(42);
    let mut cases: Vec<Vec<u8>> =
        (52..=162).step_by(5).map(|n| common::payload(n).into_bytes()).collect();
    for _ in 0..24 {
        let len = rng.below(700);
        cases.push((0..len).map(|_| rng.next() as u8).collect());
    }
    for data in &cases {
        for ecl in Ecl::ALL {
            let qecc = match ecl {
                Ecl::L => QrCodeEcc::Low,
                Ecl::M => QrCodeEcc::Medium,
                Ecl::Q => QrCodeEcc::Quartile,
                Ecl::H => QrCodeEcc::High,
            };
            let qr = QrCode::encode_segments_advanced(
                &[QrSegment::make_bytes(data)],
                qecc,
                V::MIN,
                V::MAX,
                None,
                false,
            )
            .unwrap();
            let m = ours(data, ecl, None, None);
            let case = format!("{ecl} len {}", data.len());
            assert_eq!(m.version(), qr.version().value(), "version: {case}");
            assert_eq!(m.mask(), qr.mask().value(), "mask: {case}");
            let n = m.size();
            let theirs: Vec<bool> =
                (0..n * n).map(|i| qr.get_module((i % n) as i32, (i / n) as i32)).collect();
            assert_same_grid(&m, &theirs, &case);
        }
    }
}
