//! `qrpin badge`'s inputs that need more than clap: expiry dates, label sizes, logo files.

use qrpin_codec::DateTimeOffset;
use qrpin_render::badge::MAX_LOGO_BYTES;
use qrpin_render::Length;

use crate::error::CliError;

fn bad(e: impl std::fmt::Display) -> CliError {
    CliError::bad_input(e)
}

/// `YYYY-MM-DD`, or the UTC date of an RFC 3339 date-time.
pub fn expiry_date(s: &str) -> Result<String, CliError> {
    let b = s.as_bytes();
    let plain_date = b.len() == 10
        && b.iter()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if plain_date {
        let probe = format!("{s}T00:00:00Z");
        return match probe.parse::<DateTimeOffset>() {
            Ok(_) => Ok(s.to_owned()),
            Err(_) => Err(bad(format!("--expires {s:?} is not a calendar date"))),
        };
    }
    s.parse::<DateTimeOffset>()
        .map(|d| d.date_utc())
        .map_err(|e| bad(format!("--expires: {e} (or give YYYY-MM-DD)")))
}

/// `WxH` with units, e.g. `100x60mm` (one unit for both), `4in x 2.5in`, `100mm×60mm`.
pub fn parse_badge_size(s: &str) -> Result<(Length, Length), CliError> {
    let err = || {
        bad(format!(
            "--badge-size {s:?}: expected WIDTHxHEIGHT with a unit, e.g. 100x60mm or 4inx2.5in"
        ))
    };
    // The separator is an x or × followed (after spaces) by a digit or '.', so "px" is not one.
    let t = s.trim();
    let cut = t.char_indices().find(|&(i, c)| {
        matches!(c, 'x' | 'X' | '×')
            && t[i + c.len_utf8()..]
                .trim_start()
                .starts_with(|d: char| d.is_ascii_digit() || d == '.')
    });
    let (i, c) = cut.ok_or_else(err)?;
    let (w, h) = (t[..i].trim(), t[i + c.len_utf8()..].trim());
    let hl: Length = h.parse().map_err(|e| bad(format!("--badge-size height: {e}")))?;
    let w = if w.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
        format!("{w}{}", hl.unit().as_str())
    } else {
        w.to_owned()
    };
    let wl: Length = w.parse().map_err(|e| bad(format!("--badge-size width: {e}")))?;
    Ok((wl, hl))
}

/// Reads a logo file, refusing more than [`MAX_LOGO_BYTES`].
pub fn read_logo(path: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot open {path}: {e}")))?;
    let mut data = Vec::new();
    file.take(MAX_LOGO_BYTES as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| bad(format!("cannot read {path}: {e}")))?;
    if data.len() > MAX_LOGO_BYTES {
        return Err(bad(format!("{path} is larger than the {MAX_LOGO_BYTES}-byte logo limit")));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_sizes() {
        let p = |s: &str| parse_badge_size(s).map(|(w, h)| (w.to_string(), h.to_string()));
        assert_eq!(p("100x60mm").unwrap(), ("100mm".into(), "60mm".into()));
        assert_eq!(p("4in x 2.5in").unwrap(), ("4in".into(), "2.5in".into()));
        assert_eq!(p("100mm×60mm").unwrap(), ("100mm".into(), "60mm".into()));
        assert_eq!(p("300pxx200px").unwrap(), ("300px".into(), "200px".into()));
        for bad in ["100mm", "x60mm", "100x", "axb", "100x60", "100ftx60mm"] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expiry_dates() {
        assert_eq!(expiry_date("2026-12-19").unwrap(), "2026-12-19");
        assert_eq!(expiry_date("2026-12-19T23:30:00-02:00").unwrap(), "2026-12-20");
        for bad in ["2026-13-01", "2026-02-30", "tomorrow", "2026-1-1"] {
            assert!(expiry_date(bad).is_err(), "{bad}");
        }
    }
}
