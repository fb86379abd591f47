//! Golden files: every output format, byte for byte, so any change of output is deliberate.
//!
//! The files live in `testdata/render/` (see its README). After an intended change, regenerate
//! them with `QRPIN_BLESS=1 cargo test -p qrpin-render --test golden` and review the diff.

mod common;

use std::path::PathBuf;

use common::{payload, SAMPLE};
use qrpin_render::{
    to_png, to_svg, to_text, Background, Ecl, EncodeOptions, Length, PngCompression, PngOptions,
    QrMatrix, RenderOptions, Rgb, SvgOptions, SvgStyle, TextOptions, Unit,
};

enum Out {
    Svg(SvgOptions),
    Png(PngOptions, PngCompression),
    Txt(TextOptions),
}

fn cases() -> Vec<(&'static str, String, Ecl, Out)> {
    let s = SAMPLE.to_owned();
    let graph_like = RenderOptions { scale: 5, border: 3, ..Default::default() };
    let colour = RenderOptions {
        scale: 4,
        border: 2,
        fg: Rgb::new(0x1a, 0x23, 0x7e),
        bg: Background::Transparent,
    };
    vec![
        ("sample-l.svg", s.clone(), Ecl::L, Out::Svg(SvgOptions::default())),
        (
            "sample-l-entra.svg",
            s.clone(),
            Ecl::L,
            Out::Svg(SvgOptions { base: graph_like, style: SvgStyle::Entra, ..Default::default() }),
        ),
        (
            "sample-h-title-50mm.svg",
            s.clone(),
            Ecl::H,
            Out::Svg(SvgOptions {
                base: colour,
                title: Some("Sign-in code for admin@xpfq8 <Contoso & \"Co\">".into()),
                size: Some(Length::new(50.0, Unit::Mm).unwrap()),
                ..Default::default()
            }),
        ),
        ("sample-l.png", s.clone(), Ecl::L, Out::Png(PngOptions::default(), PngCompression::Fast)),
        (
            "sample-h-small-300dpi.png",
            s.clone(),
            Ecl::H,
            Out::Png(PngOptions { dpi: Some(300), ..Default::default() }, PngCompression::Small),
        ),
        (
            "sample-q-colour.png",
            s.clone(),
            Ecl::Q,
            Out::Png(PngOptions { base: colour, ..Default::default() }, PngCompression::Fast),
        ),
        ("sample-m.txt", s.clone(), Ecl::M, Out::Txt(TextOptions::default())),
        (
            "sample-m-light-terminal.txt",
            s,
            Ecl::M,
            Out::Txt(TextOptions { border: 2, light_terminal: true }),
        ),
        ("max-upn-q.svg", payload(162), Ecl::Q, Out::Svg(SvgOptions::default())),
        (
            "max-upn-q.png",
            payload(162),
            Ecl::Q,
            Out::Png(PngOptions::default(), PngCompression::Fast),
        ),
    ]
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/render")
}

#[test]
fn outputs_match_golden_files() {
    let bless = std::env::var_os("QRPIN_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for (name, text, ecl, out) in cases() {
        let m = QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl, ..Default::default() })
            .unwrap();
        let bytes = match &out {
            Out::Svg(o) => to_svg(&m, o).unwrap().into_bytes(),
            Out::Png(o, c) => to_png(&m, &PngOptions { compression: *c, ..*o }).unwrap(),
            Out::Txt(o) => to_text(&m, o).unwrap().into_bytes(),
        };
        let path = dir().join(name);
        if bless {
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        match std::fs::read(&path) {
            Ok(want) if want == bytes => {}
            Ok(want) => {
                failures.push(format!("{name}: {} bytes, golden has {}", bytes.len(), want.len()))
            }
            Err(e) => failures.push(format!("{name}: cannot read golden file: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "output differs from testdata/render (rerun with QRPIN_BLESS=1 if intended):\n{}",
        failures.join("\n")
    );
}

/// The golden SVGs rasterise to the golden PNGs where their options agree, so the two families
/// of files cannot drift apart unnoticed.
#[test]
fn golden_svg_and_png_agree() {
    use qrpin_render::raster::{rasterize_svg, to_luma, RasterOptions};
    let svg = std::fs::read(dir().join("sample-l.svg")).unwrap();
    let png = std::fs::read(dir().join("sample-l.png")).unwrap();
    let p = rasterize_svg(&svg, &RasterOptions::default()).unwrap();
    let (w, h, luma) = common::png_to_luma(&png);
    assert_eq!((p.width() as usize, p.height() as usize), (w, h));
    assert!(to_luma(&p) == luma);
}
