//! Colours for the writers: `#rgb` / `#rrggbb` and a possibly transparent background.

use std::fmt;
use std::str::FromStr;

use crate::RenderError;

/// An opaque sRGB colour.
///
/// Parsed from `#rgb` or `#rrggbb` (hex digits in either case; the `#` may be left out, since an
/// unquoted `#` starts a comment in most shells). Printed as lower-case `#rrggbb`.
///
/// ```
/// use qrpin_render::Rgb;
/// let c: Rgb = "#1A2b3c".parse()?;
/// assert_eq!(c, Rgb::new(0x1a, 0x2b, 0x3c));
/// assert_eq!("#fff".parse::<Rgb>()?, Rgb::WHITE);
/// assert_eq!(c.to_string(), "#1a2b3c");
/// # Ok::<(), qrpin_render::RenderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    /// Red, 0..=255.
    pub r: u8,
    /// Green, 0..=255.
    pub g: u8,
    /// Blue, 0..=255.
    pub b: u8,
}

impl Rgb {
    /// `#000000`.
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);
    /// `#ffffff`.
    pub const WHITE: Rgb = Rgb::new(255, 255, 255);

    /// A colour from its three channels.
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Relative luminance (WCAG 2), 0.0 for black to 1.0 for white.
    pub fn luminance(self) -> f64 {
        fn lin(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// The lower-case `#rrggbb` form as bytes, without allocating.
    pub fn hex(self) -> [u8; 7] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'#'; 7];
        for (i, c) in [self.r, self.g, self.b].into_iter().enumerate() {
            out[1 + 2 * i] = HEX[usize::from(c >> 4)];
            out[2 + 2 * i] = HEX[usize::from(c & 15)];
        }
        out
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.hex();
        // `hex` only holds ASCII.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for Rgb {
    type Err = RenderError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason| RenderError::BadColour { value: s.to_owned(), reason };
        let digits = s.strip_prefix('#').unwrap_or(s);
        let mut nibbles = [0u8; 6];
        let n = digits.len();
        if n != 3 && n != 6 {
            return Err(bad("wrong number of hex digits"));
        }
        for (i, c) in digits.bytes().enumerate() {
            nibbles[i] = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(bad("not a hex digit")),
            };
        }
        Ok(if n == 3 {
            Rgb::new(nibbles[0] * 17, nibbles[1] * 17, nibbles[2] * 17)
        } else {
            Rgb::new(
                nibbles[0] << 4 | nibbles[1],
                nibbles[2] << 4 | nibbles[3],
                nibbles[4] << 4 | nibbles[5],
            )
        })
    }
}

/// The colour behind the code: opaque, or transparent (the quiet zone and light modules are not
/// painted; put the code on a light surface).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Background {
    /// An opaque colour.
    Colour(Rgb),
    /// Nothing is painted behind the dark modules.
    Transparent,
}

impl Default for Background {
    fn default() -> Self {
        Background::Colour(Rgb::WHITE)
    }
}

impl FromStr for Background {
    type Err = RenderError;

    /// `transparent` (or `none`), else a colour as [`Rgb`] parses it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("transparent") || s.eq_ignore_ascii_case("none") {
            Ok(Background::Transparent)
        } else {
            s.parse().map(Background::Colour)
        }
    }
}

/// A warning when the colours make a code that many scanners will not read: the foreground must be
/// clearly darker than the background (most decoders do not try inverted codes).
///
/// Returns `None` when the contrast ratio (WCAG 2) is at least 3:1 with a darker foreground, or
/// when the background is transparent (nothing to compare against).
pub fn contrast_warning(fg: Rgb, bg: Background) -> Option<String> {
    let Background::Colour(bg) = bg else {
        return None;
    };
    let (lf, lb) = (fg.luminance(), bg.luminance());
    if lf >= lb {
        return Some(format!(
            "foreground {fg} is not darker than background {bg}: many scanners do not read \
             light-on-dark (inverted) codes"
        ));
    }
    let ratio = (lb + 0.05) / (lf + 0.05);
    (ratio < 3.0).then(|| {
        format!("low contrast between {fg} and {bg} ({ratio:.1}:1); scanners may fail below 3:1")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("000".parse::<Rgb>().unwrap(), Rgb::BLACK);
        assert_eq!("#FfF".parse::<Rgb>().unwrap(), Rgb::WHITE);
        assert_eq!("#102030".parse::<Rgb>().unwrap(), Rgb::new(16, 32, 48));
        for bad in ["", "#", "#12", "#1234", "#12345g", "red", "#ééé", "##fff", "#fff "] {
            let e = bad.parse::<Rgb>().unwrap_err();
            assert!(
                matches!(&e, RenderError::BadColour { value, .. } if value == bad),
                "{bad:?}: {e:?}"
            );
            assert!(e.to_string().contains("#rgb"), "{e}");
        }
        assert_eq!("Transparent".parse::<Background>().unwrap(), Background::Transparent);
        assert_eq!(
            "#abc".parse::<Background>().unwrap(),
            Background::Colour(Rgb::new(0xaa, 0xbb, 0xcc))
        );
        assert!("clear".parse::<Background>().is_err());
    }

    #[test]
    fn prints_lower_hex() {
        assert_eq!(Rgb::new(0xAB, 0x0C, 0xFF).to_string(), "#ab0cff");
        assert_eq!(&Rgb::BLACK.hex(), b"#000000");
    }

    #[test]
    fn warns_on_inverted_or_faint() {
        assert!(contrast_warning(Rgb::BLACK, Background::default()).is_none());
        assert!(contrast_warning(Rgb::new(0, 0, 0x80), Background::default()).is_none());
        assert!(contrast_warning(Rgb::WHITE, Background::Colour(Rgb::BLACK)).is_some());
        assert!(contrast_warning(Rgb::new(200, 200, 200), Background::default()).is_some());
        assert!(contrast_warning(Rgb::WHITE, Background::Transparent).is_none());
    }
}
