//! Criterion hot-path suite: qrpin against its peers in the same run, for payloads P1 (76 bytes)
//! and P2 (162 bytes) at every level. `cargo bench -p qrpin-benches --bench hotpath`, then
//! `cargo run -p qrpin-benches --bin bench-report` for the table in BENCHMARKS.md.
//!
//! Groups (benchmark ids are `<group>/<implementation>/<payload>-<level>[-s<scale>]`):
//! - `codec`: build, borrowed parse, base64 round trip, PIN check (level-independent);
//! - `encode`: payload → matrix including the mask choice: qrpin, qrcodegen (automatic mask),
//!   fast_qr, qrcode;
//! - `svg`, `png`: writers only, scale 5, border 4, matrix made beforehand: qrpin vs qrcode's SVG
//!   renderer and qrcode + image PNG;
//! - `verify`: our own clean render (grey pixels) at scale 2 and 5 back to text: qrpin's
//!   verifier (which settles an exact render of the expected code without decoding) and its full
//!   decoder (`qrpin-decode`, the `scan_luma` path) vs plain rqrr and rxing;
//! - `pipeline`: payload → PNG bytes → verified, one code at a time.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use qrpin_codec::{base64, build_into, check_pin, Ecl, Payload, PinPolicy};
use qrpin_render::{
    write_png, write_svg, EncodeOptions, PngOptions, QrMatrix, RenderOptions, SvgOptions,
};
use qrpin_scan::{verify, verify_luma, ScanOptions, Scanner};

fn id(impl_name: &str, payload: &str, ecl: Ecl) -> BenchmarkId {
    BenchmarkId::new(impl_name, format!("{payload}-{}", ecl.as_str().to_uppercase()))
}

fn ours(text: &str, ecl: Ecl) -> QrMatrix {
    QrMatrix::encode(text.as_bytes(), &EncodeOptions { ecl, ..Default::default() })
        .expect("payload fits")
}

fn codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("codec");
    let p2 = p2();
    let upns = [("P1", "admin@xpfq8.onmicrosoft.com".to_owned()), ("P2", p2_upn())];
    for ((name, upn), text) in upns.iter().zip([P1, p2.as_str()]) {
        let mut buf = String::new();
        g.bench_function(BenchmarkId::new("build", name), |b| {
            b.iter(|| build_into(&mut buf, black_box(upn), black_box(CODE_ID)).unwrap())
        });
        g.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| Payload::parse(black_box(text)).unwrap().upn().len())
        });
        let mut b64 = String::new();
        g.bench_function(BenchmarkId::new("base64-round-trip", name), |b| {
            b.iter(|| {
                b64.clear();
                base64::encode_into(black_box(text.as_bytes()), &mut b64);
                base64::decode(&b64).unwrap()
            })
        });
    }
    let policy = PinPolicy::default();
    g.bench_function("pin-check", |b| b.iter(|| check_pin(black_box("48213907"), policy)));
    g.finish();
}

fn encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode");
    for (name, text) in payloads() {
        let data = text.as_bytes();
        for ecl in Ecl::ALL {
            g.bench_function(id("qrpin", name, ecl), |b| {
                b.iter(|| {
                    QrMatrix::encode(black_box(data), &EncodeOptions { ecl, ..Default::default() })
                        .unwrap()
                })
            });
            g.bench_function(id("qrcodegen", name, ecl), |b| {
                b.iter(|| {
                    qrcodegen::QrCode::encode_segments_advanced(
                        &[qrcodegen::QrSegment::make_bytes(black_box(data))],
                        qrcodegen_ecc(ecl),
                        qrcodegen::Version::MIN,
                        qrcodegen::Version::MAX,
                        None,
                        false,
                    )
                    .unwrap()
                })
            });
            g.bench_function(id("fast_qr", name, ecl), |b| {
                b.iter(|| {
                    fast_qr::QRBuilder::new(black_box(data))
                        .ecl(fast_qr_ecl(ecl))
                        .mode(fast_qr::Mode::Byte)
                        .build()
                        .unwrap()
                })
            });
            g.bench_function(id("qrcode", name, ecl), |b| {
                b.iter(|| {
                    qrcode::QrCode::with_error_correction_level(black_box(data), qrcode_ecl(ecl))
                        .unwrap()
                })
            });
        }
    }
    g.finish();
}

fn writers(c: &mut Criterion) {
    let mut g = c.benchmark_group("svg");
    for (name, text) in payloads() {
        for ecl in Ecl::ALL {
            let m = ours(&text, ecl);
            let mut out = String::new();
            let opts = SvgOptions::default();
            g.bench_function(id("qrpin", name, ecl), |b| {
                b.iter(|| write_svg(black_box(&m), &opts, &mut out).unwrap())
            });
            let q = qrcode::QrCode::with_error_correction_level(&text, qrcode_ecl(ecl)).unwrap();
            g.bench_function(id("qrcode", name, ecl), |b| {
                b.iter(|| {
                    black_box(&q)
                        .render::<qrcode::render::svg::Color>()
                        .module_dimensions(5, 5)
                        .quiet_zone(true)
                        .build()
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("png");
    for (name, text) in payloads() {
        for ecl in Ecl::ALL {
            let m = ours(&text, ecl);
            let mut out = Vec::new();
            let opts = PngOptions::default();
            g.bench_function(id("qrpin", name, ecl), |b| {
                b.iter(|| write_png(black_box(&m), &opts, &mut out).unwrap())
            });
            let q = qrcode::QrCode::with_error_correction_level(&text, qrcode_ecl(ecl)).unwrap();
            let mut out = Vec::new();
            g.bench_function(id("qrcode+image", name, ecl), |b| {
                b.iter(|| {
                    let img = black_box(&q)
                        .render::<image::Luma<u8>>()
                        .module_dimensions(5, 5)
                        .quiet_zone(true)
                        .build();
                    image_png(&img, &mut out);
                })
            });
        }
    }
    g.finish();
}

fn verifiers(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    // rqrr takes milliseconds per image: fewer, shorter samples keep the suite in budget.
    g.sample_size(20);
    let scanner = Scanner::default();
    for (name, text) in payloads() {
        for ecl in Ecl::ALL {
            let m = ours(&text, ecl);
            for scale in [2u32, 5] {
                let opts = PngOptions {
                    base: RenderOptions { scale, ..Default::default() },
                    ..Default::default()
                };
                let mut png = Vec::new();
                write_png(&m, &opts, &mut png).unwrap();
                let luma = qrpin_scan::load(&png, &ScanOptions::default()).unwrap();
                let (w, h) = (luma.width as usize, luma.height as usize);
                // Every implementation must read this image, or its timing means nothing.
                assert!(verify_luma(&scanner, &luma, &text, Some(ecl)).unwrap().is_match());
                assert_eq!(rqrr_text(w, h, &luma.data).as_deref(), Some(text.as_str()));
                assert_eq!(rxing_text(w, h, &luma.data).as_deref(), Some(text.as_str()));
                let bid = |i: &str| {
                    BenchmarkId::new(i, format!("{name}-{}-s{scale}", ecl.as_str().to_uppercase()))
                };
                g.bench_function(bid("qrpin"), |b| {
                    b.iter(|| verify_luma(&scanner, black_box(&luma), &text, Some(ecl)).unwrap())
                });
                // The full decoder without verify's shortcut (what `qrpin decode` does).
                g.bench_function(bid("qrpin-decode"), |b| {
                    b.iter(|| scanner.scan_luma(black_box(&luma)).unwrap())
                });
                g.bench_function(bid("qrpin-from-png"), |b| {
                    b.iter(|| verify(&scanner, black_box(&png), &text, Some(ecl)).unwrap())
                });
                g.bench_function(bid("rqrr"), |b| {
                    b.iter(|| rqrr_text(w, h, black_box(&luma.data)))
                });
                g.bench_function(bid("rxing"), |b| {
                    b.iter(|| rxing_text(w, h, black_box(&luma.data)))
                });
            }
        }
    }
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(30);
    let scanner = Scanner::default();
    let opts = PngOptions::default();
    for (name, text) in payloads() {
        for ecl in Ecl::ALL {
            let mut png = Vec::new();
            g.bench_function(id("qrpin", name, ecl), |b| {
                b.iter(|| {
                    let m = QrMatrix::encode(
                        black_box(text.as_bytes()),
                        &EncodeOptions { ecl, ..Default::default() },
                    )
                    .unwrap();
                    write_png(&m, &opts, &mut png).unwrap();
                    let v = verify(&scanner, &png, &text, Some(ecl)).unwrap();
                    assert!(v.is_match());
                })
            });
            // The same with peers: fast_qr, image (draw + PNG + decode) and rxing.
            let mut png = Vec::new();
            g.bench_function(id("fast_qr+image+rxing", name, ecl), |b| {
                b.iter(|| {
                    let qr = fast_qr::QRBuilder::new(black_box(text.as_bytes()))
                        .ecl(fast_qr_ecl(ecl))
                        .mode(fast_qr::Mode::Byte)
                        .build()
                        .unwrap();
                    image_png(&fast_qr_image(&qr, 5, 4), &mut png);
                    let img = image::load_from_memory(&png).unwrap().into_luma8();
                    let (w, h) = (img.width() as usize, img.height() as usize);
                    assert_eq!(rxing_text(w, h, img.as_raw()).as_deref(), Some(text.as_str()));
                })
            });
        }
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(700))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(40)
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = codec, encode, writers, verifiers, pipeline
}
criterion_main!(benches);
