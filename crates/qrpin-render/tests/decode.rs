//! Render → decode with decoders we did not write (rqrr, rxing): every error-correction level,
//! every version from the shortest legal payload (52 bytes) to the 162-byte maximum, scales
//! 1..=8, quiet zones 0 and 4, as PNG and as SVG (plain and Entra style, rasterised by
//! `qrpin_render::raster`).
//!
//! Every case is decoded by rxing (text and ECL). Every SVG raster must equal the PNG pixel for
//! pixel. rqrr (slow in debug builds) decodes one version per ECL × scale × quiet zone, rotating
//! so that at every ECL it still sees every version, every scale and both quiet zones; the test
//! checks that coverage.

mod common;

use std::collections::BTreeSet;

use common::*;
use qrpin_render::raster::{rasterize_svg, to_luma, RasterOptions};
use qrpin_render::{
    byte_capacity, to_png, to_svg, Background, Ecl, EncodeOptions, PngOptions, QrMatrix,
    RenderOptions, Rgb, SvgOptions, SvgStyle,
};

/// Payload lengths that cover, at `ecl`, every version from the shortest legal payload to the
/// longest: 52 bytes, then for each version the longest payload it holds (capped at 162).
fn lengths(ecl: Ecl) -> Vec<usize> {
    let mut out = vec![52];
    for v in 1..=40u8 {
        let cap = byte_capacity(v, ecl).unwrap();
        if cap > 52 && !out.contains(&cap.min(162)) {
            out.push(cap.min(162));
        }
        if cap >= 162 {
            break;
        }
    }
    out
}

fn check(who: &str, case: &str, got: Option<Read>, text: &str, ecl: Ecl, version: u8) {
    let got = got.unwrap_or_else(|| panic!("{who} read nothing: {case}"));
    assert_eq!(got.text, text, "{who} text: {case}");
    if let Some(e) = got.ecl {
        assert_eq!(e, ecl, "{who} ECL: {case}");
    } else {
        panic!("{who} reported no ECL: {case}");
    }
    if let Some(v) = got.version {
        assert_eq!(v, usize::from(version), "{who} version: {case}");
    }
}

fn svg_luma(m: &QrMatrix, base: RenderOptions, style: SvgStyle) -> (usize, usize, Vec<u8>) {
    let svg = to_svg(m, &SvgOptions { base, style, ..Default::default() }).unwrap();
    let p = rasterize_svg(svg.as_bytes(), &RasterOptions::default()).unwrap();
    (p.width() as usize, p.height() as usize, to_luma(&p))
}

fn round_trip_level(ecl: Ecl) {
    let ei = Ecl::ALL.iter().position(|&e| e == ecl).unwrap();
    let mut versions = BTreeSet::new();
    let mut rqrr_seen = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let lens = lengths(ecl);
    let nv = lens.len();
    for (vi, len) in lens.into_iter().enumerate() {
        let text = payload(len);
        let opts = EncodeOptions { ecl, ..Default::default() };
        let m = QrMatrix::encode(text.as_bytes(), &opts).unwrap();
        assert_eq!(m.ecl(), ecl);
        versions.insert(m.version());
        for scale in 1..=8u32 {
            for border in [0, 4] {
                let case =
                    format!("ecl {ecl} v{} len {len} scale {scale} border {border}", m.version());
                let base = RenderOptions { scale, border, ..Default::default() };
                let png = to_png(&m, &PngOptions { base, ..Default::default() }).unwrap();
                let (w, h, luma) = png_to_luma(&png);
                assert_eq!(w, (m.size() + 2 * border as usize) * scale as usize);
                check("rxing (PNG)", &case, rxing_read(w, h, &luma), &text, ecl, m.version());
                for style in [SvgStyle::Plain, SvgStyle::Entra] {
                    let (sw, sh, sl) = svg_luma(&m, base, style);
                    assert_eq!((sw, sh), (w, h), "{style:?} SVG size: {case}");
                    assert!(sl == luma, "{style:?} SVG raster differs from the PNG: {case}");
                }
                if vi == (2 * scale as usize + border as usize / 4 + ei) % nv {
                    check("rqrr (PNG)", &case, rqrr_read(w, h, &luma), &text, ecl, m.version());
                    rqrr_seen.0.insert(m.version());
                    rqrr_seen.1.insert(scale);
                    rqrr_seen.2.insert(border);
                }
                // The SVG raster equals the PNG, so decoding one more is cheap insurance only
                // where the image is small.
                if scale <= 2 {
                    let (sw, sh, sl) = svg_luma(&m, base, SvgStyle::Plain);
                    check("rxing (SVG)", &case, rxing_read(sw, sh, &sl), &text, ecl, m.version());
                }
            }
        }
    }
    // Coverage of the sample: every version of the range, every scale, both quiet zones.
    let first =
        QrMatrix::encode(payload(52).as_bytes(), &EncodeOptions { ecl, ..Default::default() })
            .unwrap();
    let last =
        QrMatrix::encode(payload(162).as_bytes(), &EncodeOptions { ecl, ..Default::default() })
            .unwrap();
    let all: BTreeSet<u8> = (first.version()..=last.version()).collect();
    assert_eq!(versions, all, "versions rendered at {ecl}");
    assert_eq!(rqrr_seen.0, all, "versions rqrr decoded at {ecl}");
    assert_eq!(rqrr_seen.1, (1..=8).collect(), "scales rqrr decoded at {ecl}");
    assert_eq!(rqrr_seen.2, [0, 4].into(), "borders rqrr decoded at {ecl}");
}

#[test]
fn round_trip_l() {
    round_trip_level(Ecl::L);
}

#[test]
fn round_trip_m() {
    round_trip_level(Ecl::M);
}

#[test]
fn round_trip_q() {
    round_trip_level(Ecl::Q);
}

#[test]
fn round_trip_h() {
    round_trip_level(Ecl::H);
}

/// The sample lands on the versions the issue states, and colour / transparent PNGs and SVGs
/// still decode (rxing and rqrr) with both the palette and the SVG path.
#[test]
fn colours_and_transparency_decode() {
    for (ecl, version) in Ecl::ALL.into_iter().zip([4, 5, 7, 8]) {
        let m = QrMatrix::encode(SAMPLE.as_bytes(), &EncodeOptions { ecl, ..Default::default() })
            .unwrap();
        assert_eq!(m.version(), version, "{ecl}");
        for (fg, bg) in [
            (Rgb::new(0x1a, 0x23, 0x7e), Background::Colour(Rgb::new(0xff, 0xf8, 0xe1))),
            (Rgb::new(0x00, 0x40, 0x00), Background::Transparent),
        ] {
            let base = RenderOptions { scale: 3, border: 4, fg, bg };
            let case = format!("{ecl} fg {fg} bg {bg:?}");
            let small = qrpin_render::PngCompression::Small;
            let opts = PngOptions { base, dpi: Some(300), compression: small };
            let png = qrpin_render::to_png(&m, &opts).unwrap();
            let (w, h, luma) = png_to_luma(&png);
            check("rxing (colour PNG)", &case, rxing_read(w, h, &luma), SAMPLE, ecl, version);
            check("rqrr (colour PNG)", &case, rqrr_read(w, h, &luma), SAMPLE, ecl, version);
            let (sw, sh, sl) = svg_luma(&m, base, SvgStyle::Plain);
            check("rxing (colour SVG)", &case, rxing_read(sw, sh, &sl), SAMPLE, ecl, version);
            // Same pixels up to rounding of the colour-to-grey conversion.
            assert!(sl.iter().zip(&luma).all(|(a, b)| a.abs_diff(*b) <= 1), "{case}");
        }
    }
}
