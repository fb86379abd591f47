//! GUIDs as Graph writes them: `8-4-4-4-12` hexadecimal digits, lower case.

use std::fmt;
use std::str::FromStr;

/// The length of a GUID in its `8-4-4-4-12` text form.
pub const GUID_LEN: usize = 36;

/// Byte offsets of the four hyphens in the text form.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// What is wrong with a GUID's text. Offsets are into the GUID text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuidError {
    /// Not 36 bytes long.
    #[error("a code id is 36 characters (8-4-4-4-12 hex digits), this one is {len}")]
    Length {
        /// The length found.
        len: usize,
    },
    /// A hyphen is missing or misplaced.
    #[error("a code id needs '-' at byte {at}")]
    Hyphen {
        /// Where the hyphen should be.
        at: usize,
    },
    /// A byte that is not a hexadecimal digit.
    #[error("byte {at} of the code id is not a hexadecimal digit")]
    NotHex {
        /// Its offset.
        at: usize,
    },
}

impl GuidError {
    /// The same error with offsets moved by `by`.
    pub(crate) fn shifted(self, by: usize) -> Self {
        match self {
            GuidError::Hyphen { at } => GuidError::Hyphen { at: at + by },
            GuidError::NotHex { at } => GuidError::NotHex { at: at + by },
            other => other,
        }
    }
}

/// Checks the `8-4-4-4-12` hex form. Upper- and lower-case digits are both accepted; see
/// [`is_canonical_guid`] for the lower-case check.
pub fn validate_guid(s: &str) -> Result<(), GuidError> {
    let b = s.as_bytes();
    if b.len() != GUID_LEN {
        return Err(GuidError::Length { len: s.chars().count() });
    }
    for (i, &c) in b.iter().enumerate() {
        if HYPHENS.contains(&i) {
            if c != b'-' {
                return Err(GuidError::Hyphen { at: i });
            }
        } else if !c.is_ascii_hexdigit() {
            return Err(GuidError::NotHex { at: i });
        }
    }
    Ok(())
}

/// Whether a valid GUID text has only lower-case hex digits, as Graph writes them.
pub fn is_canonical_guid(s: &str) -> bool {
    !s.bytes().any(|b| b.is_ascii_uppercase())
}

/// A GUID held as 128 bits; printed in Graph's lower-case `8-4-4-4-12` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(pub u128);

impl FromStr for Guid {
    type Err = GuidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_guid(s)?;
        let mut v: u128 = 0;
        for c in s.bytes().filter(|&c| c != b'-') {
            // validate_guid proved every other byte is a hex digit.
            let d = (c as char).to_digit(16).unwrap_or(0);
            v = (v << 4) | u128::from(d);
        }
        Ok(Guid(v))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            (v >> 96) as u32,
            (v >> 80) as u16,
            (v >> 64) as u16,
            (v >> 48) as u16,
            v & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_lowercases() {
        let g: Guid = "44F2F040-EA9D-4283-9E7B-B63DDAE391A9".parse().unwrap();
        assert_eq!(g.to_string(), "44f2f040-ea9d-4283-9e7b-b63ddae391a9");
        assert!(!is_canonical_guid("44F2F040-EA9D-4283-9E7B-B63DDAE391A9"));
        assert!(is_canonical_guid("44f2f040-ea9d-4283-9e7b-b63ddae391a9"));
    }

    #[test]
    fn errors_point_at_the_byte() {
        assert_eq!(
            validate_guid("44f2f040-ea9d-4283-9e7b-b63ddae391a"),
            Err(GuidError::Length { len: 35 })
        );
        assert_eq!(
            validate_guid("44f2f040xea9d-4283-9e7b-b63ddae391a9"),
            Err(GuidError::Hyphen { at: 8 })
        );
        assert_eq!(
            validate_guid("44f2f040-ea9d-4283-9e7b-b63ddae391ag"),
            Err(GuidError::NotHex { at: 35 })
        );
        assert_eq!(
            validate_guid("{4f2f040-ea9d-4283-9e7b-b63ddae391a}"),
            Err(GuidError::NotHex { at: 0 })
        );
    }
}
