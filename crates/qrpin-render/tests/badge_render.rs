//! Badges through the public API: they decode back to their payload, the code prints at the
//! size asked for, text is fitted without touching the code and is escaped, and the default card
//! matches its golden PNG byte for byte.

use std::path::PathBuf;

use qrpin_codec::Ecl;
use qrpin_render::badge::{
    badge_pdf, badge_png, build_badge_svg, BadgeSpec, BadgeSvg, FontSet, Layout, Logo, RectMm,
    TextRole, ELLIPSIS,
};
use qrpin_render::{Length, Unit};
use qrpin_scan::{verify, Scanner};
use resvg::usvg;

const SAMPLE: &str = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
/// The longest legal UPN: 64 characters, '@', 48 characters (a 162-byte payload).
fn longest() -> String {
    format!(
        "ms-qrpin:v1|{}@{}|44f2f040-ea9d-4283-9e7b-b63ddae391a9",
        "a".repeat(64),
        "b".repeat(48)
    )
}

fn default_card() -> BadgeSpec {
    BadgeSpec {
        name: Some("Ada Lovelace".into()),
        org: Some("Contoso Ltd".into()),
        expires: Some("2026-12-19".into()),
        ..BadgeSpec::new(SAMPLE)
    }
}

fn build(spec: &BadgeSpec) -> BadgeSvg {
    build_badge_svg(spec, &FontSet::embedded_only()).unwrap()
}

fn mm(v: f64) -> Length {
    Length::new(v, Unit::Mm).unwrap()
}

fn layouts() -> Vec<Layout> {
    vec![
        Layout::Card,
        Layout::CardPortrait,
        Layout::Label { width: mm(100.0), height: mm(60.0) },
        Layout::Label { width: mm(60.0), height: mm(90.0) },
        Layout::Label { width: mm(70.0), height: mm(52.0) },
    ]
}

fn decode_png(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let luma = buf[..info.buffer_size()]
        .chunks_exact(ch)
        .map(|p| {
            if ch >= 3 {
                ((u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3) as u8
            } else {
                p[0]
            }
        })
        .collect();
    (info.width, info.height, luma)
}

#[test]
fn every_layout_decodes_back_to_its_payload() {
    let scanner = Scanner::default();
    let long = longest();
    for layout in layouts() {
        for (payload, ecl) in [(SAMPLE, Ecl::M), (long.as_str(), Ecl::L), (SAMPLE, Ecl::H)] {
            let spec = BadgeSpec {
                layout,
                ecl,
                ..BadgeSpec { payload: payload.into(), ..default_card() }
            };
            let b = build(&spec);
            let png = badge_png(&b.drawing, 300).unwrap();
            let v = verify(&scanner, &png, payload, Some(ecl)).unwrap();
            assert!(v.is_match(), "{layout:?} {ecl}: {v:?}");
            // The SVG itself too (the scan crate rasterises SVG).
            let svg = b.drawing.to_svg();
            assert!(verify(&scanner, svg.as_bytes(), payload, Some(ecl)).unwrap().is_match());
        }
    }
}

/// Finds the symbol's dark-module bounding box inside the code's area (widened by 0.5 mm, which
/// stays clear of the text 1 mm away) and compares the implied printed size, quiet zone included,
/// with the size asked for.
#[test]
fn code_prints_within_one_percent_of_the_asked_size() {
    let dpi = 300.0;
    for (qr, layout) in [
        ("2in", Layout::Card),
        ("40mm", Layout::Card),
        ("1.5in", Layout::CardPortrait),
        ("30mm", Layout::Label { width: mm(80.0), height: mm(40.0) }),
    ] {
        let spec = BadgeSpec { qr_size: qr.parse().unwrap(), layout, ..default_card() };
        let b = build(&spec);
        let png = badge_png(&b.drawing, 300).unwrap();
        let (w, h, luma) = decode_png(&png);
        let px = |v: f64| (v / 25.4 * dpi) as i64;
        let r = b.geometry.qr;
        let (x0, y0) = (px(r.x - 0.5).max(0), px(r.y - 0.5).max(0));
        let (x1, y1) =
            (px(r.right() + 0.5).min(i64::from(w) - 1), px(r.bottom() + 0.5).min(i64::from(h) - 1));
        let (mut minx, mut miny, mut maxx, mut maxy) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
        for y in y0..=y1 {
            for x in x0..=x1 {
                if luma[(y * i64::from(w) + x) as usize] < 128 {
                    minx = minx.min(x);
                    maxx = maxx.max(x);
                    miny = miny.min(y);
                    maxy = maxy.max(y);
                }
            }
        }
        let n = b.geometry.qr_modules as f64;
        let side_px = ((maxx - minx + 1) as f64 + (maxy - miny + 1) as f64) / 2.0;
        let printed_mm = side_px * (n + 8.0) / n / dpi * 25.4;
        let asked_mm = qrpin_render::badge::to_mm(spec.qr_size);
        let err = (printed_mm / asked_mm - 1.0) * 100.0;
        println!("{qr}: asked {asked_mm:.3} mm, printed {printed_mm:.3} mm, error {err:+.3}%");
        assert!(err.abs() < 1.0, "{qr}: {printed_mm} mm vs {asked_mm} mm");
        // The symbol is square, and the finder pattern's corner is dark.
        assert!(((maxx - minx) - (maxy - miny)).abs() <= 1);
        assert!(luma[(miny * i64::from(w) + minx) as usize] < 128);
    }
}

/// Every text element as usvg lays it out, in badge millimetres.
fn text_boxes(b: &BadgeSvg) -> Vec<RectMm> {
    let mut opts = usvg::Options::default();
    for data in [
        &include_bytes!("../fonts/QrpinSans-Regular.ttf")[..],
        &include_bytes!("../fonts/QrpinSans-Bold.ttf")[..],
    ] {
        opts.fontdb_mut().load_font_data(data.to_vec());
    }
    let tree = usvg::Tree::from_str(&b.drawing.to_svg(), &opts).unwrap();
    let k = b.geometry.size.0 / f64::from(tree.size().width());
    let mut out = Vec::new();
    fn walk(g: &usvg::Group, k: f64, out: &mut Vec<RectMm>) {
        for n in g.children() {
            match n {
                usvg::Node::Text(t) => {
                    let r = t.abs_bounding_box();
                    out.push(RectMm {
                        x: f64::from(r.x()) * k,
                        y: f64::from(r.y()) * k,
                        w: f64::from(r.width()) * k,
                        h: f64::from(r.height()) * k,
                    });
                }
                usvg::Node::Group(g) => walk(g, k, out),
                _ => {}
            }
        }
    }
    walk(tree.root(), k, &mut out);
    out
}

#[test]
fn long_names_shrink_then_ellipsise_and_never_touch_the_code() {
    let long_name: String =
        "Maximiliana Wolfeschlegelsteinhausenbergerdorff ".repeat(5).chars().take(200).collect();
    assert_eq!(long_name.chars().count(), 200);
    let long = longest();
    for layout in layouts() {
        for payload in [SAMPLE, long.as_str()] {
            let spec = BadgeSpec {
                name: Some(long_name.clone()),
                org: Some("O".repeat(120)),
                layout,
                payload: payload.into(),
                ..default_card()
            };
            let b = build(&spec);
            let g = &b.geometry;
            let badge = RectMm { x: 0.0, y: 0.0, w: g.size.0, h: g.size.1 };
            let name = g.lines.iter().find(|l| l.role == TextRole::Name).expect("name line");
            assert!(name.ellipsised && name.text.ends_with(ELLIPSIS), "{layout:?}: {name:?}");
            assert!(name.text.chars().count() < 200);
            assert!((name.size - 2.2).abs() < 1e-6, "shrunk to the minimum first: {}", name.size);
            assert!(b.warnings.iter().any(|w| w.contains("name did not fit")), "{:?}", b.warnings);
            // The computed boxes…
            for l in &g.lines {
                assert!(!l.rect.overlaps(&g.qr), "{layout:?}: {l:?} overlaps {:?}", g.qr);
                assert!(badge.contains(&l.rect), "{layout:?}: {l:?}");
            }
            // …and what usvg actually lays out from the SVG.
            let boxes = text_boxes(&b);
            assert_eq!(boxes.len(), g.lines.len());
            for r in boxes {
                assert!(!r.overlaps(&g.qr), "{layout:?}: laid-out text {r:?} overlaps {:?}", g.qr);
                assert!(badge.contains(&r), "{layout:?}: {r:?} leaves the badge");
            }
        }
    }
}

#[test]
fn long_upn_is_split_at_the_at_sign_rather_than_cut() {
    let b = build(&BadgeSpec { name: Some("Al".into()), ..BadgeSpec::new(longest()) });
    let upn: Vec<&str> = b
        .geometry
        .lines
        .iter()
        .filter(|l| l.role == TextRole::Upn)
        .map(|l| l.text.as_str())
        .collect();
    assert!(upn.len() > 2, "{upn:?}");
    assert_eq!(upn.concat(), format!("{}@{}", "a".repeat(64), "b".repeat(48)));
    assert!(!b.warnings.iter().any(|w| w.contains("UPN")), "{:?}", b.warnings);
    for l in b.geometry.lines.iter().filter(|l| l.role == TextRole::Upn) {
        assert!(!l.ellipsised && !l.rect.overlaps(&b.geometry.qr));
    }
    // A UPN that fits on two lines is split before the '@'.
    let two = "ms-qrpin:v1|anna.maria.schmidt-lindqvist@northwind-traders.example.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    let b = build(&BadgeSpec::new(two));
    let upn: Vec<&str> = b
        .geometry
        .lines
        .iter()
        .filter(|l| l.role == TextRole::Upn)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(upn, ["anna.maria.schmidt-lindqvist", "@northwind-traders.example.com"]);
}

#[test]
fn markup_in_text_is_escaped() {
    let spec = BadgeSpec {
        name: Some("<b>&\"'".into()),
        org: Some("<script>alert(1)</script> ]]> <![CDATA[x]]>".into()),
        ..default_card()
    };
    let b = build(&spec);
    let svg = b.drawing.to_svg();
    assert!(svg.contains("&lt;b&gt;&amp;&quot;&apos;"), "{svg}");
    assert!(!svg.contains("<b>") && !svg.contains("<script") && !svg.contains("]]>"));
    assert!(!svg.contains("<![CDATA["));
    // An XML parser reads the original text back.
    let doc = usvg::roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert!(texts.contains(&"<b>&\"'".to_owned()), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("<script>alert(1)</script> ]]>")), "{texts:?}");
}

#[test]
fn controls_and_bidi_overrides_are_removed_with_a_warning() {
    let spec = BadgeSpec { name: Some("Eve\u{202E}gnp.exe\u{0}\u{1b}".into()), ..default_card() };
    let b = build(&spec);
    let name = b.geometry.lines.iter().find(|l| l.role == TextRole::Name).unwrap();
    assert_eq!(name.text, "Evegnp.exe");
    assert!(!b.drawing.to_svg().contains('\u{202E}'));
    assert!(b.warnings.iter().any(|w| w.contains("removed 3")), "{:?}", b.warnings);
}

#[test]
fn pin_is_printed_only_when_asked_and_never_leaks() {
    let b = build(&default_card());
    assert!(!b.drawing.to_svg().contains("PIN"));
    assert!(b.geometry.lines.iter().all(|l| l.role != TextRole::Pin));
    let spec = BadgeSpec { pin: Some("73914682".into()), ..default_card() };
    let b = build(&spec);
    assert!(b.drawing.to_svg().contains("PIN 73914682"));
    assert!(!format!("{spec:?}").contains("73914682"));
    assert!(!b.warnings.iter().any(|w| w.contains("73914682")));
    // Too long to fit: shortened, and the warning does not repeat it.
    let spec = BadgeSpec { pin: Some("7".repeat(300)), ..default_card() };
    let b = build(&spec);
    assert!(b.warnings.iter().any(|w| w == "the PIN did not fit and was shortened"));
    assert!(!b.warnings.iter().any(|w| w.contains("777")));
}

#[test]
fn missing_glyphs_are_reported() {
    let spec = BadgeSpec { name: Some("Ann 漢".into()), ..default_card() };
    let b = build(&spec);
    assert!(
        b.warnings.iter().any(|w| w.contains("U+6F22") && w.contains("name")),
        "{:?}",
        b.warnings
    );
    let b = build(&default_card());
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
}

#[test]
fn logos_are_drawn_in_their_box() {
    let svg_logo = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#ff0000"/><image href="/etc/passwd" width="9" height="9"/></svg>"##;
    let spec = BadgeSpec { logo: Some(Logo::sniff(svg_logo.to_vec()).unwrap()), ..default_card() };
    let b = build(&spec);
    let r = b.geometry.logo.expect("logo placed");
    assert!((r.w / r.h - 2.0).abs() < 1e-6 && !r.overlaps(&b.geometry.qr));
    for l in &b.geometry.lines {
        assert!(!l.rect.overlaps(&r), "{l:?}");
    }
    assert!(b.drawing.to_svg().contains("data:image/png;base64,"));
    let png = badge_png(&b.drawing, 300).unwrap();
    let mut dec = png::Decoder::new(std::io::Cursor::new(&png));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut rd = dec.read_info().unwrap();
    let mut buf = vec![0; rd.output_buffer_size().unwrap()];
    let info = rd.next_frame(&mut buf).unwrap();
    let at = |xmm: f64, ymm: f64| {
        let (x, y) = ((xmm / 25.4 * 300.0) as usize, (ymm / 25.4 * 300.0) as usize);
        let i = (y * info.width as usize + x) * 3;
        (buf[i], buf[i + 1], buf[i + 2])
    };
    assert_eq!(at(r.x + r.w / 2.0, r.y + r.h / 2.0), (255, 0, 0));
    assert!(verify(&Scanner::default(), &png, SAMPLE, None).unwrap().is_match());
    let pdf = badge_pdf(&b.drawing).unwrap();
    assert!(pdf.windows(6).any(|w| w == b"/SMask"));
}

#[test]
fn pdf_is_one_page_of_the_badge_size() {
    let pdf = badge_pdf(&build(&default_card()).drawing).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    // 85.6 x 54 mm in points.
    let mb = text.find("/MediaBox [0 0 ").expect("media box");
    let nums: Vec<f64> = text[mb + 15..]
        .split(']')
        .next()
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        (nums[0] - 85.6 / 25.4 * 72.0).abs() < 0.01 && (nums[1] - 54.0 / 25.4 * 72.0).abs() < 0.01
    );
    assert_eq!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count(), 1);
}

#[test]
fn png_has_phys_and_the_physical_size() {
    let png = badge_png(&build(&default_card()).drawing, 300).unwrap();
    let dec = png::Decoder::new(std::io::Cursor::new(&png));
    let r = dec.read_info().unwrap();
    let info = r.info();
    assert_eq!((info.width, info.height), (1011, 638));
    let phys = info.pixel_dims.unwrap();
    assert_eq!((phys.xppu, phys.yppu, phys.unit), (11811, 11811, png::Unit::Meter));
    assert!(badge_png(&build(&default_card()).drawing, 0).is_err());
}

#[test]
fn bad_specs_are_typed_errors() {
    let e = build_badge_svg(
        &BadgeSpec { qr_size: "70mm".parse().unwrap(), ..default_card() },
        &FontSet::embedded_only(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("does not fit"), "{e}");
    let e = build_badge_svg(
        &BadgeSpec { qr_size: "2mm".parse().unwrap(), ..default_card() },
        &FontSet::embedded_only(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("too small"), "{e}");
    let e = build_badge_svg(&BadgeSpec::new("x".repeat(3000)), &FontSet::embedded_only());
    assert!(matches!(e, Err(qrpin_render::RenderError::DataTooLong { .. })));
    let png_logo = Logo {
        data: b"\x89PNG\r\n\x1a\nbroken".to_vec(),
        kind: qrpin_render::badge::LogoKind::Png,
    };
    let e = build_badge_svg(
        &BadgeSpec { logo: Some(png_logo), ..default_card() },
        &FontSet::embedded_only(),
    );
    assert!(matches!(e, Err(qrpin_render::RenderError::Badge(_))));
}

/// The default card, byte for byte. Regenerate with `QRPIN_BLESS=1 cargo test -p qrpin-render
/// --test badge_render golden` after an intended change, and look at the image.
#[test]
fn golden_default_card_png() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/badges/card-default.png");
    let png = badge_png(&build(&default_card()).drawing, 300).unwrap();
    // With system fonts available the output is the same: the embedded faces are used.
    let with_system = build_badge_svg(&default_card(), &FontSet::with_system_fallback()).unwrap();
    assert_eq!(badge_png(&with_system.drawing, 300).unwrap(), png);
    if std::env::var_os("QRPIN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &png).unwrap();
    }
    let golden = std::fs::read(&path).expect("golden file (QRPIN_BLESS=1 to create)");
    assert!(golden == png, "default card differs from {}", path.display());
}
