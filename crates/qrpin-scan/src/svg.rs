//! SVG input: rasterised by `qrpin_render::raster` (resvg with no external resources, size,
//! node and nesting limits), then read like any other image.

use qrpin_render::raster::{rasterize_svg, to_luma, RasterOptions};
use qrpin_render::RenderError;

use crate::load::{check_dimensions, check_limit};
use crate::luma::Luma8;
use crate::{ScanError, ScanOptions};

/// Below this many pixels on the longer side, an SVG is rasterised again, larger, so that small
/// documents (sizes in mm, or a viewBox of one unit per module) still get several pixels per
/// module.
const MIN_SIDE: u32 = 400;

pub(crate) fn load_svg(bytes: &[u8], opts: &ScanOptions) -> Result<Luma8, ScanError> {
    check_limit("SVG (bytes)", bytes.len() as u64, opts.max_svg_bytes)?;
    let mut ropts = RasterOptions {
        max_bytes: usize::try_from(opts.max_svg_bytes).unwrap_or(usize::MAX),
        max_pixels: opts.max_pixels,
        max_depth: opts.max_svg_depth as usize,
        ..RasterOptions::default()
    };
    let mut pixmap = rasterize_svg(bytes, &ropts).map_err(map_err)?;
    let side = pixmap.width().max(pixmap.height());
    if side < MIN_SIDE {
        let factor = MIN_SIDE.div_ceil(side.max(1));
        ropts.width = Some(pixmap.width() * factor);
        pixmap = rasterize_svg(bytes, &ropts).map_err(map_err)?;
    }
    let (w, h) = (pixmap.width(), pixmap.height());
    check_dimensions(w, h, opts)?;
    Luma8::new(w, h, to_luma(&pixmap))
        .ok_or_else(|| ScanError::Svg("pixel buffer size mismatch".into()))
}

fn map_err(e: RenderError) -> ScanError {
    match e {
        RenderError::TooLarge { width, height, limit } => ScanError::TooLarge {
            what: "rasterised SVG (pixels)",
            actual: width.saturating_mul(height),
            limit,
        },
        other => ScanError::Svg(match other {
            RenderError::Svg(m) => m,
            o => o.to_string(),
        }),
    }
}
