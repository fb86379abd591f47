//! Error-correction levels, as Graph names them and as the QR standard defines them.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "graph")]
use serde::{Deserialize, Serialize};

/// A QR error-correction level (ISO/IEC 18004 §6.5.1): the share of codewords that can be
/// restored, roughly 7 % (`L`), 15 % (`M`), 25 % (`Q`) and 30 % (`H`).
///
/// Parsed case-insensitively (Graph's documentation shows both `"l"` and `"H"`); printed in
/// lower case, as Graph returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecl {
    /// Low: about 7 % of codewords can be restored.
    L,
    /// Medium: about 15 %.
    M,
    /// Quartile: about 25 %.
    Q,
    /// High: about 30 %.
    H,
}

impl Ecl {
    /// All four levels, lowest first.
    pub const ALL: [Ecl; 4] = [Ecl::L, Ecl::M, Ecl::Q, Ecl::H];

    /// The lower-case letter Graph uses: `"l"`, `"m"`, `"q"` or `"h"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Ecl::L => "l",
            Ecl::M => "m",
            Ecl::Q => "q",
            Ecl::H => "h",
        }
    }

    /// The two format-information bits of ISO/IEC 18004 Table 12 (L=01, M=00, Q=11, H=10).
    pub const fn format_bits(self) -> u8 {
        match self {
            Ecl::L => 0b01,
            Ecl::M => 0b00,
            Ecl::Q => 0b11,
            Ecl::H => 0b10,
        }
    }
}

impl fmt::Display for Ecl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a string that names no error-correction level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error-correction level {0:?} (expected one of l, m, q, h)")]
pub struct UnknownEcl(pub String);

impl FromStr for Ecl {
    type Err = UnknownEcl;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "l" | "L" => Ok(Ecl::L),
            "m" | "M" => Ok(Ecl::M),
            "q" | "Q" => Ok(Ecl::Q),
            "h" | "H" => Ok(Ecl::H),
            _ => Err(UnknownEcl(s.to_owned())),
        }
    }
}

/// The `errorCorrectionLevel` property of Graph's `qrCodeImageDetails`.
///
/// Graph enums carry an `unknownFutureValue` sentinel for values added later; any other string
/// is rejected. Matching is case-insensitive and the original spelling is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCorrectionLevel {
    /// One of the four levels this tool can render and check.
    Known(Ecl),
    /// Graph's `unknownFutureValue` evolvable-enum sentinel.
    UnknownFutureValue,
}

impl ErrorCorrectionLevel {
    /// The level, unless it is the `unknownFutureValue` sentinel.
    pub fn ecl(self) -> Option<Ecl> {
        match self {
            ErrorCorrectionLevel::Known(e) => Some(e),
            ErrorCorrectionLevel::UnknownFutureValue => None,
        }
    }
}

impl FromStr for ErrorCorrectionLevel {
    type Err = UnknownEcl;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("unknownFutureValue") {
            return Ok(ErrorCorrectionLevel::UnknownFutureValue);
        }
        s.parse().map(ErrorCorrectionLevel::Known)
    }
}

impl fmt::Display for ErrorCorrectionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCorrectionLevel::Known(e) => e.fmt(f),
            ErrorCorrectionLevel::UnknownFutureValue => f.write_str("unknownFutureValue"),
        }
    }
}

/// Serialised as its [`Display`](fmt::Display) text (feature `graph`).
#[cfg(feature = "graph")]
impl Serialize for ErrorCorrectionLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Deserialised with [`FromStr`] (feature `graph`).
#[cfg(feature = "graph")]
impl<'de> Deserialize<'de> for ErrorCorrectionLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_any_case_and_prints_lower() {
        for (s, e) in [("l", Ecl::L), ("M", Ecl::M), ("q", Ecl::Q), ("H", Ecl::H)] {
            let got: Ecl = s.parse().unwrap();
            assert_eq!(got, e);
            assert_eq!(got.to_string(), s.to_ascii_lowercase());
        }
        assert!("x".parse::<Ecl>().is_err());
        assert!("".parse::<Ecl>().is_err());
        assert!("low".parse::<Ecl>().is_err());
    }

    #[test]
    fn graph_level_parses_from_str() {
        let v: ErrorCorrectionLevel = "UnknownFutureValue".parse().unwrap();
        assert_eq!(v, ErrorCorrectionLevel::UnknownFutureValue);
        assert_eq!(v.to_string(), "unknownFutureValue");
        let v: ErrorCorrectionLevel = "Q".parse().unwrap();
        assert_eq!(v.ecl(), Some(Ecl::Q));
        assert!("z".parse::<ErrorCorrectionLevel>().is_err());
    }

    #[cfg(feature = "graph")]
    #[test]
    fn graph_level_accepts_sentinel() {
        let v: ErrorCorrectionLevel = serde_json::from_str("\"unknownFutureValue\"").unwrap();
        assert_eq!(v, ErrorCorrectionLevel::UnknownFutureValue);
        let v: ErrorCorrectionLevel = serde_json::from_str("\"H\"").unwrap();
        assert_eq!(v.ecl(), Some(Ecl::H));
        let e = serde_json::from_str::<ErrorCorrectionLevel>("\"z\"").unwrap_err();
        assert!(e.to_string().contains("unknown error-correction level"), "{e}");
    }
}
