//! Time as Graph writes it: UTC, seven fractional digits, `Z`.

use time::macros::format_description;
use time::OffsetDateTime;

/// .NET's `DateTimeOffset.MinValue`: Graph's "never" (a `lastUsedDateTime` of an unused code).
pub const NEVER: &str = "0001-01-01T00:00:00Z";

/// The current instant.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// `2025-03-04T21:27:46.9771036Z`.
pub fn format(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:7]Z");
    let t = t.to_offset(time::UtcOffset::UTC);
    // Every instant this crate formats comes from the clock or a parsed Graph value (years
    // 1-9999), which the format handles; the fallback keeps a response well-formed regardless.
    t.format(&fmt).unwrap_or_else(|_| NEVER.to_owned())
}

/// Parses a stored timestamp (one this crate wrote).
pub fn parse_stored(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_graph() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_741_123_666_977_103_600).unwrap();
        assert_eq!(format(t), "2025-03-04T21:27:46.9771036Z");
        assert_eq!(parse_stored(&format(t)), Some(t));
    }
}
