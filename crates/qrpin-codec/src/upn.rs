//! User principal names, by Entra's rules.
//!
//! The rules come from Microsoft Entra's "user account and password policies" page
//! (`UserPrincipalName` attribute), which is what Entra enforces when the account is made:
//!
//! - characters: `A-Z a-z 0-9 ' . - _ ! # ^ ~` and exactly one `@`, which separates the
//!   user name (local part) from the domain;
//! - local part 1–64 characters, domain 1–48 characters, whole UPN at most 113;
//! - no `.` immediately before the `@`.
//!
//! A `|` can therefore never appear in a UPN, which is what lets the payload use it as a
//! separator. This module checks exactly these rules and nothing more (no DNS label rules).

use std::fmt;

/// The longest local part (before `@`) Entra accepts.
pub const MAX_LOCAL_LEN: usize = 64;
/// The longest domain (after `@`) Entra accepts.
pub const MAX_DOMAIN_LEN: usize = 48;
/// The longest UPN Entra accepts: local part, `@`, domain.
pub const MAX_UPN_LEN: usize = 113;

/// What is wrong with a UPN. Byte offsets are into the UPN itself; the payload parser reports
/// them relative to the whole payload in [`crate::PayloadError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpnError {
    /// The UPN is the empty string.
    #[error("the UPN is empty")]
    Empty,
    /// A character outside the allowed set.
    #[error("{} at byte {at} is not allowed in a UPN (allowed: A-Z a-z 0-9 ' . - _ ! # ^ ~ and one @)", DisplayChar(*ch))]
    BadChar {
        /// The offending character.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
    /// No `@` at all.
    #[error("the UPN has no '@' between user name and domain")]
    NoAt,
    /// A second `@`.
    #[error("the UPN has a second '@' at byte {at}; exactly one is allowed")]
    SecondAt {
        /// Byte offset of the second `@`.
        at: usize,
    },
    /// Nothing before the `@`.
    #[error("the UPN has no user name before '@'")]
    EmptyLocal,
    /// Nothing after the `@`.
    #[error("the UPN has no domain after '@'")]
    EmptyDomain,
    /// The local part is longer than [`MAX_LOCAL_LEN`].
    #[error("the UPN's user name is {len} characters; at most {MAX_LOCAL_LEN} are allowed")]
    LocalTooLong {
        /// Its length.
        len: usize,
    },
    /// The domain is longer than [`MAX_DOMAIN_LEN`].
    #[error("the UPN's domain is {len} characters; at most {MAX_DOMAIN_LEN} are allowed")]
    DomainTooLong {
        /// Its length.
        len: usize,
    },
    /// The whole UPN is longer than [`MAX_UPN_LEN`].
    #[error("the UPN is {len} characters; at most {MAX_UPN_LEN} are allowed")]
    TooLong {
        /// Its length.
        len: usize,
    },
    /// A `.` right before the `@`.
    #[error("the UPN has a '.' right before '@' (byte {at}), which Entra does not allow")]
    DotBeforeAt {
        /// Byte offset of the `.`.
        at: usize,
    },
}

impl UpnError {
    /// The same error with byte offsets moved by `by` (to report them within a payload).
    pub(crate) fn shifted(self, by: usize) -> Self {
        match self {
            UpnError::BadChar { ch, at } => UpnError::BadChar { ch, at: at + by },
            UpnError::SecondAt { at } => UpnError::SecondAt { at: at + by },
            UpnError::DotBeforeAt { at } => UpnError::DotBeforeAt { at: at + by },
            other => other,
        }
    }
}

/// Prints a character for an error message: printable ones quoted, others as `U+XXXX`.
pub(crate) struct DisplayChar(pub char);

impl fmt::Display for DisplayChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.0;
        if c == '|' {
            write!(f, "'|' (the payload's field separator)")
        } else if c.is_control() || c.is_whitespace() {
            write!(f, "U+{:04X}", c as u32)
        } else {
            write!(f, "{c:?} (U+{:04X})", c as u32)
        }
    }
}

/// Whether `b` may appear in a UPN's local part or domain (the `@` is handled separately).
#[inline]
pub const fn is_upn_byte(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'\'' | b'.' | b'-' | b'_' | b'!' | b'#' | b'^' | b'~')
}

/// Checks `upn` against Entra's rules (see the module docs).
///
/// ```
/// use qrpin_codec::upn::{validate_upn, UpnError};
/// assert!(validate_upn("admin@xpfq8.onmicrosoft.com").is_ok());
/// assert_eq!(validate_upn("a@b@c"), Err(UpnError::SecondAt { at: 3 }));
/// ```
pub fn validate_upn(upn: &str) -> Result<(), UpnError> {
    if upn.is_empty() {
        return Err(UpnError::Empty);
    }
    let bytes = upn.as_bytes();
    let mut at_pos = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'@' {
            if at_pos.is_some() {
                return Err(UpnError::SecondAt { at: i });
            }
            at_pos = Some(i);
        } else if !is_upn_byte(b) {
            // Every allowed character is ASCII, so `i` is a char boundary unless an earlier
            // non-ASCII byte stopped us already; decode the char there for the message.
            let ch = upn[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(UpnError::BadChar { ch, at: i });
        }
    }
    let at = at_pos.ok_or(UpnError::NoAt)?;
    let (local, domain) = (&upn[..at], &upn[at + 1..]);
    if local.is_empty() {
        return Err(UpnError::EmptyLocal);
    }
    if domain.is_empty() {
        return Err(UpnError::EmptyDomain);
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(UpnError::LocalTooLong { len: local.len() });
    }
    if domain.len() > MAX_DOMAIN_LEN {
        return Err(UpnError::DomainTooLong { len: domain.len() });
    }
    if upn.len() > MAX_UPN_LEN {
        return Err(UpnError::TooLong { len: upn.len() });
    }
    if local.ends_with('.') {
        return Err(UpnError::DotBeforeAt { at: at - 1 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_allowed_character() {
        assert_eq!(validate_upn("AZaz09'.-_!#^~x@AZaz09'.-_!#^~"), Ok(()));
    }

    #[test]
    fn rejects_with_position() {
        assert_eq!(validate_upn("ab c@d"), Err(UpnError::BadChar { ch: ' ', at: 2 }));
        assert_eq!(validate_upn("a|b@d"), Err(UpnError::BadChar { ch: '|', at: 1 }));
        assert_eq!(validate_upn("aé@d"), Err(UpnError::BadChar { ch: 'é', at: 1 }));
        assert_eq!(validate_upn("a@@d"), Err(UpnError::SecondAt { at: 2 }));
        assert_eq!(validate_upn("abc"), Err(UpnError::NoAt));
        assert_eq!(validate_upn("@d"), Err(UpnError::EmptyLocal));
        assert_eq!(validate_upn("a@"), Err(UpnError::EmptyDomain));
        assert_eq!(validate_upn("a.@d"), Err(UpnError::DotBeforeAt { at: 1 }));
        assert_eq!(validate_upn(""), Err(UpnError::Empty));
    }

    #[test]
    fn length_limits_are_inclusive() {
        let local = "a".repeat(64);
        let domain = "b".repeat(48);
        let max = format!("{local}@{domain}");
        assert_eq!(max.len(), MAX_UPN_LEN);
        assert_eq!(validate_upn(&max), Ok(()));
        assert_eq!(validate_upn(&format!("a{local}@b")), Err(UpnError::LocalTooLong { len: 65 }));
        assert_eq!(validate_upn(&format!("a@b{domain}")), Err(UpnError::DomainTooLong { len: 49 }));
    }

    #[test]
    fn messages_name_the_character() {
        let e = validate_upn("a|b@c").unwrap_err().to_string();
        assert!(e.contains("'|'") && e.contains("byte 1"), "{e}");
        let e = validate_upn("a\tb@c").unwrap_err().to_string();
        assert!(e.contains("U+0009"), "{e}");
    }
}
