//! Graph's `DateTimeOffset`: RFC 3339 / ISO 8601 with at most 7 fractional digits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The most fractional-second digits Graph writes (100 ns ticks, as .NET's `DateTimeOffset`).
pub const MAX_FRACTION_DIGITS: usize = 7;

/// A Graph `DateTimeOffset`, e.g. `2025-03-04T21:27:46.9771036Z`.
///
/// Keeps the text it was parsed from, so values print back exactly as Graph sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeOffset {
    text: String,
    at: OffsetDateTime,
}

/// Why a string is not a Graph `DateTimeOffset`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateTimeError {
    /// Not RFC 3339 at all.
    #[error("{text:?} is not an RFC 3339 date-time like 2025-12-19T12:00:00Z ({reason})")]
    Syntax {
        /// At most 40 characters of the input.
        text: String,
        /// What the parser said.
        reason: String,
    },
    /// More than [`MAX_FRACTION_DIGITS`] fractional digits.
    #[error("{text:?} has {digits} fractional-second digits; Graph writes at most {MAX_FRACTION_DIGITS}")]
    TooPrecise {
        /// The input.
        text: String,
        /// How many digits it had.
        digits: usize,
    },
}

impl DateTimeOffset {
    /// The instant.
    pub fn instant(&self) -> OffsetDateTime {
        self.at
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is .NET's `DateTimeOffset.MinValue` (`0001-01-01T00:00:00Z`), which Graph
    /// uses for "never" (e.g. a `lastUsedDateTime` of a code never used).
    pub fn is_min_value(&self) -> bool {
        self.at.unix_timestamp() == -62_135_596_800 && self.at.nanosecond() == 0
    }

    /// The calendar date in UTC as `YYYY-MM-DD`.
    pub fn date_utc(&self) -> String {
        let d = self.at.to_offset(time::UtcOffset::UTC).date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }
}

impl FromStr for DateTimeOffset {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let at = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| DateTimeError::Syntax {
            text: s.chars().take(40).collect(),
            reason: e.to_string(),
        })?;
        // RFC 3339 puts the fraction between the seconds and the offset: `ss.fffffff`.
        if let Some(dot) = s.find('.') {
            let digits = s[dot + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > MAX_FRACTION_DIGITS {
                return Err(DateTimeError::TooPrecise { text: s.to_owned(), digits });
            }
        }
        Ok(DateTimeOffset { text: s.to_owned(), at })
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_forms() {
        let t: DateTimeOffset = "2025-03-04T21:27:46.9771036Z".parse().unwrap();
        assert_eq!(t.instant().nanosecond(), 977_103_600);
        assert_eq!(t.to_string(), "2025-03-04T21:27:46.9771036Z");
        assert_eq!(t.date_utc(), "2025-03-04");
        let t: DateTimeOffset = "2025-12-19T12:00:00+01:00".parse().unwrap();
        assert_eq!(t.instant().unix_timestamp(), 1_766_142_000);
        let never: DateTimeOffset = "0001-01-01T00:00:00Z".parse().unwrap();
        assert!(never.is_min_value());
        assert!(!t.is_min_value());
    }

    #[test]
    fn rejects_bad_forms() {
        assert!(matches!(
            "2025-03-04T21:27:46.97710361Z".parse::<DateTimeOffset>(),
            Err(DateTimeError::TooPrecise { digits: 8, .. })
        ));
        for bad in
            ["String (timestamp)", "2025-03-04", "2025-13-01T00:00:00Z", "2025-03-04T21:27:46"]
        {
            assert!(
                matches!(bad.parse::<DateTimeOffset>(), Err(DateTimeError::Syntax { .. })),
                "{bad}"
            );
        }
    }
}
