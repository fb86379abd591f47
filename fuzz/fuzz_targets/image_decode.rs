//! Image bytes → scan: never panics (third-party decoder panics are contained as errors).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qrpin_scan::{ScanOptions, Scanner};

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    // A smaller pixel limit than the default keeps each run fast; the limit logic is the same.
    S.get_or_init(|| Scanner::new(ScanOptions { max_pixels: 1 << 20, ..ScanOptions::default() }))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(codes) = scanner().scan_bytes(data) {
        for c in codes {
            assert!((1..=40).contains(&c.version));
        }
    }
});
