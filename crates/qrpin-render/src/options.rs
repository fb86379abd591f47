//! Options shared by the writers, and their checks.

use crate::{Background, Length, RenderError, Rgb};

/// The largest accepted scale, in pixels per module.
pub const MAX_SCALE: u32 = 100;
/// The widest accepted quiet zone, in modules.
pub const MAX_BORDER: u32 = 100;
/// The quiet zone the standard asks for (ISO/IEC 18004 §5.3.8): 4 modules.
pub const DEFAULT_BORDER: u32 = 4;
/// The most pixels a PNG may have (64 Mi), so a large scale cannot exhaust memory.
pub const MAX_PNG_PIXELS: u64 = 64 * 1024 * 1024;

/// How a code looks, whatever the format: module size, quiet zone and colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Pixels per module, 1..=[`MAX_SCALE`]. Default 5 (Microsoft Graph's images use 5).
    pub scale: u32,
    /// Quiet zone in modules on each side, 0..=[`MAX_BORDER`]. Default [`DEFAULT_BORDER`].
    pub border: u32,
    /// Colour of dark modules. Default black.
    pub fg: Rgb,
    /// Colour of light modules and the quiet zone. Default white.
    pub bg: Background,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            scale: 5,
            border: DEFAULT_BORDER,
            fg: Rgb::BLACK,
            bg: Background::default(),
        }
    }
}

impl RenderOptions {
    /// Checks scale and border.
    ///
    /// # Errors
    /// [`RenderError::BadScale`] or [`RenderError::BadBorder`].
    pub fn validate(&self) -> Result<(), RenderError> {
        if !(1..=MAX_SCALE).contains(&self.scale) {
            return Err(RenderError::BadScale(self.scale));
        }
        if self.border > MAX_BORDER {
            return Err(RenderError::BadBorder(self.border));
        }
        Ok(())
    }

    /// Modules per side including the quiet zone.
    pub(crate) fn modules(&self, size: usize) -> usize {
        // border <= 100 after validation, size <= 177.
        size + 2 * self.border as usize
    }
}

/// The markup an SVG is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SvgStyle {
    /// Compact: a `viewBox` in module units and one `<path>` of merged horizontal runs, each a
    /// line one module thick stroked along the middle of its row.
    #[default]
    Plain,
    /// Like the images Microsoft Graph returns: `<svg version="1.1" baseProfile="full"
    /// shape-rendering="crispEdges" width=… height=… xmlns=…>`, a background `<rect>` and one
    /// `<rect>` per horizontal run, in pixel units.
    Entra,
}

/// Options for [`crate::write_svg`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SvgOptions {
    /// Scale, quiet zone and colours.
    pub base: RenderOptions,
    /// The markup style.
    pub style: SvgStyle,
    /// An optional `<title>` (XML-escaped when written; control characters are refused).
    pub title: Option<String>,
    /// Print size of the whole image (quiet zone included): written as `width`/`height` in that
    /// unit, overriding `base.scale`. `None` writes `scale × modules` pixels.
    pub size: Option<Length>,
}

/// How hard the PNG writer compresses ([`PngOptions::compression`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PngCompression {
    /// `fdeflate` with the `Up` filter: tens of microseconds per code, files about twice the
    /// smallest size. For batches.
    #[default]
    Fast,
    /// zlib-style deflate, no filter: the smallest files (the 76-byte sample at scale 5 is about
    /// 500 bytes), about ten times slower. For single files.
    Small,
}

/// Options for [`crate::write_png`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PngOptions {
    /// Scale, quiet zone and colours. To print at a physical size, choose the scale with
    /// [`crate::fit_print`].
    pub base: RenderOptions,
    /// Resolution written to the `pHYs` chunk, in dots per inch; `None` writes no `pHYs`.
    pub dpi: Option<u32>,
    /// Fast (the default, for batches) or small (for single files).
    pub compression: PngCompression,
}

/// Options for [`crate::write_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// Quiet zone in modules, 0..=[`MAX_BORDER`]. Default [`DEFAULT_BORDER`].
    pub border: u32,
    /// `false` (default) for a terminal with light text on a dark background: light modules are
    /// drawn as blocks in the text colour, dark modules are left as the dark background.
    /// `true` for dark text on a light background.
    pub light_terminal: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions { border: DEFAULT_BORDER, light_terminal: false }
    }
}
