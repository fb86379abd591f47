//! SVG text → rasterise → scan: never panics, never exceeds the limits it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_render::raster::{rasterize_svg, RasterOptions};

fuzz_target!(|data: &[u8]| {
    let opts = RasterOptions { max_pixels: 1 << 20, ..RasterOptions::default() };
    if let Ok(p) = rasterize_svg(data, &opts) {
        assert!(u64::from(p.width()) * u64::from(p.height()) <= 1 << 20);
    }
});
