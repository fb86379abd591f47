//! Does an image hold exactly this code?

use std::fmt::Write as _;

use qrpin_codec::Ecl;

use crate::exact::exact_render;
use crate::luma::Luma8;
use crate::{Decoded, ScanError, Scanner};

/// The answer of [`verify`].
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A code in the image decodes to exactly the expected text (and level, when one was given).
    Match(Decoded),
    /// The image holds no readable QR code.
    NoCode,
    /// The image holds codes, but none is the expected one.
    Differs {
        /// Every code that was read.
        codes: Vec<Decoded>,
        /// One line per code saying what differed.
        reasons: Vec<String>,
    },
}

impl Verdict {
    /// True for [`Verdict::Match`].
    pub fn is_match(&self) -> bool {
        matches!(self, Verdict::Match(_))
    }
}

/// Scans encoded image bytes and compares every code with `expected` (exact text, and `ecl` when
/// given).
///
/// ```
/// use qrpin_render::{to_png, EncodeOptions, PngOptions, QrMatrix};
/// use qrpin_scan::{verify, Scanner, Verdict};
///
/// let text = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
/// let png = to_png(&QrMatrix::encode(text.as_bytes(), &EncodeOptions::default())?, &PngOptions::default())?;
/// let scanner = Scanner::default();
/// assert!(verify(&scanner, &png, text, None)?.is_match());
/// assert!(matches!(verify(&scanner, &png, "something else", None)?, Verdict::Differs { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The image could not be read ([`ScanError`]).
pub fn verify(
    scanner: &Scanner,
    image: &[u8],
    expected: &str,
    ecl: Option<Ecl>,
) -> Result<Verdict, ScanError> {
    let img = crate::load::load(image, scanner.options())?;
    verify_luma(scanner, &img, expected, ecl)
}

/// [`verify`] for grey pixels already in memory.
///
/// # Errors
/// Only a contained decoder panic with no code read ([`ScanError::Panicked`]).
pub fn verify_luma(
    scanner: &Scanner,
    img: &Luma8,
    expected: &str,
    ecl: Option<Ecl>,
) -> Result<Verdict, ScanError> {
    // Our own clean renders settle without decoding: see `exact.rs`.
    if scanner.options().known_geometry {
        let exact = crate::known::sample(img).and_then(|hit| exact_render(&hit, expected, ecl));
        if let Some(code) = exact {
            return Ok(Verdict::Match(code));
        }
    }
    let codes = scanner.scan_luma(img)?;
    Ok(judge(codes, expected, ecl))
}

/// Compares decoded codes with the expectation.
pub(crate) fn judge(codes: Vec<Decoded>, expected: &str, ecl: Option<Ecl>) -> Verdict {
    if codes.is_empty() {
        return Verdict::NoCode;
    }
    let mut reasons = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        let text_ok = c.text == expected;
        let ecl_ok = ecl.is_none_or(|e| e == c.ecl);
        if text_ok && ecl_ok {
            return Verdict::Match(codes.into_iter().nth(i).expect("index in range"));
        }
        let mut r = format!("code {}: ", i + 1);
        if !text_ok {
            describe_text_difference(&mut r, &c.text, expected);
        }
        if let (false, Some(e)) = (ecl_ok, ecl) {
            if !text_ok {
                r.push_str("; ");
            }
            let _ = write!(r, "error-correction level is {} (expected {e})", c.ecl);
        }
        reasons.push(r);
    }
    Verdict::Differs { codes, reasons }
}

fn describe_text_difference(out: &mut String, got: &str, want: &str) {
    let at = got
        .chars()
        .zip(want.chars())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| got.chars().count().min(want.chars().count()));
    let _ = write!(
        out,
        "text {got:?} differs from the expected {want:?} at character {} ({} vs {} characters)",
        at + 1,
        got.chars().count(),
        want.chars().count()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difference_position() {
        let mut s = String::new();
        describe_text_difference(&mut s, "abcd", "abXd");
        assert!(s.contains("at character 3"), "{s}");
        let mut s = String::new();
        describe_text_difference(&mut s, "abc", "abcd");
        assert!(s.contains("at character 4") && s.contains("3 vs 4"), "{s}");
    }

    #[test]
    fn no_codes_is_no_code() {
        assert_eq!(judge(Vec::new(), "x", None), Verdict::NoCode);
    }
}
