//! Physical sizes (`2in`, `50mm`, `1.5cm`, `300px`) and choosing whole pixels per module for print.

use std::fmt;
use std::str::FromStr;

use crate::RenderError;

/// The largest accepted resolution, in dots per inch.
pub const MAX_DPI: u32 = 10_000;
/// The largest accepted physical length, in inches (about 10 m).
const MAX_INCHES: f64 = 400.0;
/// The largest accepted length in pixels.
const MAX_PX: f64 = 100_000.0;

/// A unit of [`Length`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Device pixels.
    Px,
    /// Inches (25.4 mm).
    In,
    /// Millimetres.
    Mm,
    /// Centimetres.
    Cm,
}

impl Unit {
    /// The suffix, as CSS and SVG write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Px => "px",
            Unit::In => "in",
            Unit::Mm => "mm",
            Unit::Cm => "cm",
        }
    }

    /// How many of this unit make one inch (`None` for pixels, which depend on the resolution).
    const fn per_inch(self) -> Option<f64> {
        match self {
            Unit::Px => None,
            Unit::In => Some(1.0),
            Unit::Mm => Some(25.4),
            Unit::Cm => Some(2.54),
        }
    }
}

/// A length with a unit, e.g. the printed width of a code.
///
/// ```
/// use qrpin_render::{Length, Unit};
/// let l: Length = "1.5cm".parse()?;
/// assert_eq!((l.value(), l.unit()), (1.5, Unit::Cm));
/// assert_eq!(l.to_string(), "1.5cm");
/// assert!("2 in".parse::<Length>().is_ok() && "2".parse::<Length>().is_err());
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length {
    value: f64,
    unit: Unit,
}

impl Length {
    /// Two inches: a badge's default code size (a constant, so it needs no check).
    pub const TWO_INCHES: Length = Length { value: 2.0, unit: Unit::In };

    /// The number, positive and finite (checked once, by [`Length::new`]).
    pub fn value(self) -> f64 {
        self.value
    }

    /// The unit.
    pub fn unit(self) -> Unit {
        self.unit
    }

    /// A length; checks that it is positive, finite and not absurdly large (10 m / 100,000 px).
    ///
    /// # Errors
    /// [`RenderError::BadLength`].
    pub fn new(value: f64, unit: Unit) -> Result<Length, RenderError> {
        let bad = |reason: &str| RenderError::BadLength {
            value: format!("{value}{}", unit.as_str()),
            reason: reason.to_owned(),
        };
        if !value.is_finite() || value <= 0.0 {
            return Err(bad("must be a positive number"));
        }
        let too_big = match unit.per_inch() {
            Some(per_inch) => value / per_inch > MAX_INCHES,
            None => value > MAX_PX,
        };
        if too_big {
            return Err(bad("too large (at most 10 m or 100000px)"));
        }
        Ok(Length { value, unit })
    }

    /// The length in (possibly fractional) pixels at `dpi` dots per inch.
    pub fn to_pixels(self, dpi: u32) -> f64 {
        match self.unit.per_inch() {
            Some(per_inch) => self.value / per_inch * f64::from(dpi),
            None => self.value,
        }
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.as_str())
    }
}

impl FromStr for Length {
    type Err = RenderError;

    /// A decimal number followed by `px`, `in`, `mm` or `cm` (spaces between are allowed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| RenderError::BadLength {
            value: s.to_owned(),
            reason: reason.to_owned(),
        };
        let t = s.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| bad("missing unit (use px, in, mm or cm, e.g. 2in or 50mm)"))?;
        let (num, unit) = t.split_at(split);
        let unit = match unit.trim_start().to_ascii_lowercase().as_str() {
            "px" => Unit::Px,
            "in" => Unit::In,
            "mm" => Unit::Mm,
            "cm" => Unit::Cm,
            _ => return Err(bad("unknown unit (use px, in, mm or cm)")),
        };
        let value: f64 = num.parse().map_err(|_| bad("not a decimal number before the unit"))?;
        Length::new(value, unit).map_err(|e| match e {
            RenderError::BadLength { reason, .. } => bad(&reason),
            other => other,
        })
    }
}

/// Checks a resolution in dots per inch.
///
/// # Errors
/// [`RenderError::BadDpi`] for 0 or above [`MAX_DPI`].
pub fn check_dpi(dpi: u32) -> Result<u32, RenderError> {
    if (1..=MAX_DPI).contains(&dpi) {
        Ok(dpi)
    } else {
        Err(RenderError::BadDpi(dpi))
    }
}

/// The module size chosen to print a code at a requested size: see [`fit_print`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintFit {
    /// Whole pixels per module.
    pub scale: u32,
    /// Modules per side, quiet zone included.
    pub modules: u32,
    /// The resolution, dots per inch.
    pub dpi: u32,
    /// The requested size.
    pub requested: Length,
    /// The requested size in pixels at `dpi` (may be fractional).
    pub requested_px: f64,
}

impl PrintFit {
    /// Pixels per side of the image: `scale × modules`.
    pub fn pixels(&self) -> u32 {
        self.scale * self.modules
    }

    /// Whether the image is exactly the requested size.
    pub fn is_exact(&self) -> bool {
        (f64::from(self.pixels()) - self.requested_px).abs() < 1e-6
    }

    /// The size the image prints at, in the unit that was asked for.
    pub fn actual(&self) -> Length {
        let px = f64::from(self.pixels());
        let value = match self.requested.unit.per_inch() {
            Some(per_inch) => px / f64::from(self.dpi) * per_inch,
            None => px,
        };
        Length { value, unit: self.requested.unit }
    }

    /// A one-line explanation of the choice when the size is not exact, else `None`.
    pub fn note(&self) -> Option<String> {
        if self.is_exact() {
            return None;
        }
        let actual = self.actual();
        Some(format!(
            "{req} at {dpi} dpi is {rpx:.1} px, not a whole number of {m}-module widths; \
             using {s} px per module: {px} px = {av:.3}{u} ({mm:.2} mm)",
            req = self.requested,
            dpi = self.dpi,
            rpx = self.requested_px,
            m = self.modules,
            s = self.scale,
            px = self.pixels(),
            av = actual.value,
            u = actual.unit.as_str(),
            mm = f64::from(self.pixels()) / f64::from(self.dpi) * 25.4,
        ))
    }
}

/// Picks the largest whole number of pixels per module so that `modules` modules (quiet zone
/// included) fit in `size` at `dpi`.
///
/// ```
/// use qrpin_render::fit_print;
/// // V4 + 4-module quiet zone = 41 modules in 2 inches at 300 dpi (600 px): 14 px each = 574 px.
/// let fit = fit_print(41, "2in".parse()?, 300)?;
/// assert_eq!((fit.scale, fit.pixels(), fit.is_exact()), (14, 574, false));
/// assert!(fit_print(41, "410px".parse()?, 96)?.is_exact());
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
///
/// # Errors
/// [`RenderError::BadDpi`], or [`RenderError::BadLength`] when not even one pixel per module fits.
pub fn fit_print(modules: u32, size: Length, dpi: u32) -> Result<PrintFit, RenderError> {
    check_dpi(dpi)?;
    let requested_px = size.to_pixels(dpi);
    // A tiny tolerance so that e.g. 50.8mm at 300 dpi (600.0000001 px) counts as 600.
    let whole = (requested_px + 1e-6).floor();
    let scale = (whole / f64::from(modules.max(1))).floor();
    if scale < 1.0 {
        return Err(RenderError::BadLength {
            value: size.to_string(),
            reason: format!(
                "too small: {modules} modules need at least {modules} px, and it is \
                 {requested_px:.1} px at {dpi} dpi"
            ),
        });
    }
    Ok(PrintFit {
        // At most 100000 px / 1 module: fits u32.
        scale: scale as u32,
        modules,
        dpi,
        requested: size,
        requested_px,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        let l = |s: &str| s.parse::<Length>().map(|l| (l.value, l.unit));
        assert_eq!(l("2in").unwrap(), (2.0, Unit::In));
        assert_eq!(l("50mm").unwrap(), (50.0, Unit::Mm));
        assert_eq!(l(" 1.5 CM ").unwrap(), (1.5, Unit::Cm));
        assert_eq!(l("300px").unwrap(), (300.0, Unit::Px));
        assert_eq!(l(".5in").unwrap(), (0.5, Unit::In));
        for bad in
            ["", "in", "2", "2ft", "-2in", "0mm", "1.2.3mm", "1e3mm", "2in2", "401in", "1000000px"]
        {
            let e = bad.parse::<Length>().unwrap_err();
            assert!(
                matches!(&e, RenderError::BadLength { value, .. } if value == bad),
                "{bad:?}: {e:?}"
            );
        }
    }

    #[test]
    fn fits_whole_pixels() {
        let f = fit_print(41, "2in".parse().unwrap(), 300).unwrap();
        assert_eq!((f.scale, f.pixels()), (14, 574));
        let note = f.note().unwrap();
        assert!(note.contains("14 px per module") && note.contains("1.913in"), "{note}");
        // 50.8 mm = 2 in; 600 px / 40 modules = 15 exactly.
        let f = fit_print(40, "50.8mm".parse().unwrap(), 300).unwrap();
        assert!(f.is_exact() && f.scale == 15, "{f:?}");
        assert!(f.note().is_none());
        let e = fit_print(41, "40px".parse().unwrap(), 300).unwrap_err();
        assert!(e.to_string().contains("too small"), "{e}");
        assert!(matches!(fit_print(41, "2in".parse().unwrap(), 0), Err(RenderError::BadDpi(0))));
    }
}
