//! PIN rules for QR code + PIN sign-in, and a generator for temporary PINs.
//!
//! Entra's documentation for the QR code authentication method says a PIN is numeric, 8 to 20
//! digits (the tenant's policy may raise the minimum), and must not be a simple sequence such
//! as `0123456789` / `9876543210` nor repeat a 2- or 3-digit group such as `121212`,
//! `123123` or `342342`. Exactly what [`check_pin`] rejects:
//!
//! 1. anything but ASCII digits `0-9` ([`PinError::NotDigits`]);
//! 2. fewer digits than the policy minimum (8 by default, never below 8) or more than 20
//!    ([`PinError::TooShort`], [`PinError::TooLong`]);
//! 3. **sequences** ([`PinError::Sequence`]): the PIN contains `0123456789` or `9876543210`,
//!    or the *whole* PIN is one run of consecutive digits, ascending or descending without
//!    wrapping (`12345678`, `87654321`; `89012345` is allowed);
//! 4. **repeated groups** ([`PinError::RepeatedGroup`]): any 6 consecutive digits that are a
//!    2-digit group three times (`121212`, and so `000000`) or a 3-digit group twice
//!    (`123123`, `342342`).
//!
//! Leading zeros are fine (`09599786` is Graph's own example). Error messages never contain
//! the PIN itself: PINs are secrets and must not reach logs.

/// The fewest digits a PIN may have, whatever the policy.
pub const MIN_PIN_LEN: usize = 8;
/// The most digits a PIN may have.
pub const MAX_PIN_LEN: usize = 20;

/// The policy a PIN is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    /// The tenant's minimum length, from [`MIN_PIN_LEN`] to [`MAX_PIN_LEN`].
    pub min_length: usize,
}

impl Default for PinPolicy {
    fn default() -> Self {
        PinPolicy { min_length: MIN_PIN_LEN }
    }
}

impl PinPolicy {
    /// A policy with the given minimum length, which must be within 8–20.
    pub fn with_min_length(min_length: usize) -> Result<Self, PinError> {
        if !(MIN_PIN_LEN..=MAX_PIN_LEN).contains(&min_length) {
            return Err(PinError::BadPolicy { min_length });
        }
        Ok(PinPolicy { min_length })
    }
}

/// Why a PIN breaks the rules. No variant holds the PIN's digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// A character that is not an ASCII digit.
    #[error("a PIN has only digits 0-9; character {at} is not one")]
    NotDigits {
        /// Index (0-based) of the first offending character.
        at: usize,
    },
    /// Too few digits.
    #[error("the PIN has {len} digits; the policy asks for at least {min}")]
    TooShort {
        /// Its length.
        len: usize,
        /// The minimum.
        min: usize,
    },
    /// Too many digits.
    #[error("the PIN has {len} digits; at most {MAX_PIN_LEN} are allowed")]
    TooLong {
        /// Its length.
        len: usize,
    },
    /// A simple sequence (see the module docs, rule 3).
    #[error("the PIN is a simple sequence of consecutive digits")]
    Sequence,
    /// A repeated 2- or 3-digit group (see the module docs, rule 4).
    #[error("the PIN repeats a {group}-digit group (digits {at} to {}), like 121212 or 123123", at + 5)]
    RepeatedGroup {
        /// The group length, 2 or 3.
        group: usize,
        /// Index of the first digit of the 6-digit window.
        at: usize,
    },
    /// A policy minimum outside 8–20.
    #[error("a PIN policy minimum must be {MIN_PIN_LEN} to {MAX_PIN_LEN}, not {min_length}")]
    BadPolicy {
        /// The rejected minimum.
        min_length: usize,
    },
    /// The operating system's random source failed.
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}

/// Checks a PIN against the rules in the module docs.
///
/// ```
/// use qrpin_codec::pin::{check_pin, PinPolicy, PinError};
/// assert!(check_pin("09599786", PinPolicy::default()).is_ok());
/// assert_eq!(check_pin("12345678", PinPolicy::default()), Err(PinError::Sequence));
/// ```
pub fn check_pin(pin: &str, policy: PinPolicy) -> Result<(), PinError> {
    if let Some(at) = pin.chars().position(|c| !c.is_ascii_digit()) {
        return Err(PinError::NotDigits { at });
    }
    let d = pin.as_bytes();
    if d.len() < policy.min_length.max(MIN_PIN_LEN) {
        return Err(PinError::TooShort { len: d.len(), min: policy.min_length.max(MIN_PIN_LEN) });
    }
    if d.len() > MAX_PIN_LEN {
        return Err(PinError::TooLong { len: d.len() });
    }
    if is_sequence(d) {
        return Err(PinError::Sequence);
    }
    if let Some((group, at)) = repeated_group(d) {
        return Err(PinError::RepeatedGroup { group, at });
    }
    Ok(())
}

/// Rule 3: contains a full 10-digit run, or is wholly one ascending/descending run.
fn is_sequence(d: &[u8]) -> bool {
    let contains = |needle: &[u8]| d.windows(needle.len()).any(|w| w == needle);
    if contains(b"0123456789") || contains(b"9876543210") {
        return true;
    }
    let steps_all = |step: i16| d.windows(2).all(|w| i16::from(w[1]) - i16::from(w[0]) == step);
    steps_all(1) || steps_all(-1)
}

/// Rule 4: the first 6-digit window with period 2 (`xyxyxy`) or period 3 (`xyzxyz`).
fn repeated_group(d: &[u8]) -> Option<(usize, usize)> {
    d.windows(6).enumerate().find_map(|(at, w)| {
        if (0..4).all(|k| w[k] == w[k + 2]) {
            Some((2, at))
        } else if (0..3).all(|k| w[k] == w[k + 3]) {
            Some((3, at))
        } else {
            None
        }
    })
}

/// Generates a PIN of `length` digits (within the policy's range) from the operating system's
/// cryptographically secure random source, drawing again until the PIN passes [`check_pin`].
///
/// Each digit comes from one random byte below 250, taken modulo 10, so every digit is equally
/// likely (bytes 250–255 are dropped, not folded).
///
/// Needs the `pin-generate` feature (on by default).
///
/// ```
/// use qrpin_codec::pin::{check_pin, generate_pin, PinPolicy};
/// let pin = generate_pin(10, PinPolicy::default())?;
/// assert_eq!(pin.len(), 10);
/// assert!(check_pin(&pin, PinPolicy::default()).is_ok());
/// # Ok::<(), qrpin_codec::PinError>(())
/// ```
#[cfg(feature = "pin-generate")]
pub fn generate_pin(length: usize, policy: PinPolicy) -> Result<String, PinError> {
    if length < policy.min_length.max(MIN_PIN_LEN) {
        return Err(PinError::TooShort { len: length, min: policy.min_length.max(MIN_PIN_LEN) });
    }
    if length > MAX_PIN_LEN {
        return Err(PinError::TooLong { len: length });
    }
    let mut bytes = [0u8; 64];
    loop {
        let mut pin = String::with_capacity(length);
        while pin.len() < length {
            getrandom::fill(&mut bytes).map_err(|e| PinError::Random(e.to_string()))?;
            for &b in bytes.iter().filter(|&&b| b < 250) {
                if pin.len() == length {
                    break;
                }
                pin.push(char::from(b'0' + b % 10));
            }
        }
        if check_pin(&pin, policy).is_ok() {
            return Ok(pin);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), PinError> {
        check_pin(p, PinPolicy::default())
    }

    #[test]
    fn accepts_reasonable_pins() {
        for p in ["09599786", "31415926", "27182818284590452353", "89012345", "11223344"] {
            assert_eq!(check(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn rejects_each_rule() {
        assert_eq!(check("1234567a"), Err(PinError::NotDigits { at: 7 }));
        assert_eq!(check("１２３４５６７８"), Err(PinError::NotDigits { at: 0 }));
        assert_eq!(check("1357924"), Err(PinError::TooShort { len: 7, min: 8 }));
        assert_eq!(check(&"13579246".repeat(3)), Err(PinError::TooLong { len: 24 }));
        assert_eq!(check("12345678"), Err(PinError::Sequence));
        assert_eq!(check("76543210"), Err(PinError::Sequence));
        assert_eq!(check("5501234567890"), Err(PinError::Sequence));
        assert_eq!(check("1598765432107"), Err(PinError::Sequence));
        assert_eq!(check("90121212"), Err(PinError::RepeatedGroup { group: 2, at: 2 }));
        assert_eq!(check("12312398"), Err(PinError::RepeatedGroup { group: 3, at: 0 }));
        assert_eq!(check("93423427"), Err(PinError::RepeatedGroup { group: 3, at: 1 }));
        assert_eq!(check("00000000"), Err(PinError::RepeatedGroup { group: 2, at: 0 }));
        let policy = PinPolicy::with_min_length(10).unwrap();
        assert_eq!(check_pin("09599786", policy), Err(PinError::TooShort { len: 8, min: 10 }));
        assert!(PinPolicy::with_min_length(7).is_err());
        assert!(PinPolicy::with_min_length(21).is_err());
    }

    #[test]
    fn messages_do_not_leak_the_pin() {
        for p in ["90121212", "12345678", "123x5678", "1234"] {
            let msg = check(p).unwrap_err().to_string();
            assert!(!msg.contains(p), "{msg}");
        }
    }

    #[cfg(feature = "pin-generate")]
    #[test]
    fn generated_pins_pass_and_vary() {
        let policy = PinPolicy::default();
        let pins: Vec<String> = (0..200).map(|_| generate_pin(8, policy).unwrap()).collect();
        assert!(pins.iter().all(|p| p.len() == 8 && check_pin(p, policy).is_ok()));
        let distinct: std::collections::HashSet<_> = pins.iter().collect();
        assert!(distinct.len() > 190, "only {} distinct PINs of 200", distinct.len());
        // Every digit shows up in every position across many draws.
        for pos in 0..8 {
            let seen: std::collections::HashSet<u8> =
                pins.iter().map(|p| p.as_bytes()[pos]).collect();
            assert_eq!(seen.len(), 10, "position {pos}");
        }
        assert_eq!(generate_pin(20, policy).unwrap().len(), 20);
        assert!(generate_pin(7, policy).is_err());
        assert!(generate_pin(21, policy).is_err());
    }
}
