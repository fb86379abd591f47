//! The text a code holds: `ms-qrpin:v1|<upn>|<codeId>[|<extra>…]`.
//!
//! [`Payload`] borrows from the text it was parsed from (no allocation); [`PayloadBuf`] owns its
//! text. Both print with extra fields redacted (`<redacted: N bytes>`), because Entra's
//! documentation says a real code also carries key material after the code id: use
//! [`Payload::as_str`] when the exact text is really wanted.

use std::fmt;
use std::str::FromStr;

use crate::guid::{is_canonical_guid, validate_guid, Guid, GuidError};
use crate::upn::{validate_upn, UpnError};

/// The URI scheme of every payload.
pub const SCHEME: &str = "ms-qrpin";
/// The only payload version this crate understands.
pub const VERSION: u32 = 1;
/// `ms-qrpin:v1|`, the fixed start of every version-1 payload.
pub const PREFIX: &str = "ms-qrpin:v1|";

/// How strictly to parse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Reject what a lenient parse accepts but Graph would never produce: extra fields after
    /// the code id, and a code id with upper-case hex digits.
    pub strict: bool,
}

impl ParseOptions {
    /// Lenient parsing (the default): extra fields and upper-case code ids are accepted.
    pub const LENIENT: ParseOptions = ParseOptions { strict: false };
    /// Strict parsing: only the exact three fields Graph documents, code id in lower case.
    pub const STRICT: ParseOptions = ParseOptions { strict: true };
}

/// Why a text is not a valid payload. Byte offsets are into the whole payload text when
/// parsing, and into the UPN or code id argument when building.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// The text is empty.
    #[error("the payload is empty")]
    Empty,
    /// The bytes are not UTF-8.
    #[error("the payload is not UTF-8: invalid byte at {at}")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        at: usize,
    },
    /// White space before the scheme.
    #[error("the payload starts with white space ({})", crate::upn::DisplayChar(*ch))]
    LeadingWhitespace {
        /// The first character.
        ch: char,
    },
    /// White space (often a newline added by a scanner or a file) after the last field.
    #[error("the payload ends with white space ({}) at byte {at}; strip it before parsing", crate::upn::DisplayChar(*ch))]
    TrailingWhitespace {
        /// The first white-space character of the trailing run.
        ch: char,
        /// Its offset.
        at: usize,
    },
    /// No `scheme:` at the start.
    #[error("the payload has no scheme: it must start with '{PREFIX}'")]
    MissingScheme,
    /// A scheme other than `ms-qrpin`.
    #[error("unknown scheme {found:?}: expected '{SCHEME}'")]
    UnknownScheme {
        /// The scheme found (at most 40 characters of it).
        found: String,
    },
    /// A version that is not `v` and a number.
    #[error("bad version {found:?}: expected 'v1'")]
    BadVersion {
        /// What stood where the version belongs (at most 40 characters of it).
        found: String,
    },
    /// A well-formed version this crate does not understand.
    #[error("unsupported version {version}: only version {VERSION} is understood")]
    UnsupportedVersion {
        /// The version number.
        version: u64,
    },
    /// Fewer than the three `|`-separated fields.
    #[error("expected 3 '|'-separated fields (ms-qrpin:v1, UPN, code id), found {found}")]
    FieldCount {
        /// How many fields there were.
        found: usize,
    },
    /// The UPN breaks Entra's rules.
    #[error("bad UPN: {0}")]
    Upn(#[source] UpnError),
    /// The code id is not a GUID.
    #[error("bad code id: {0}")]
    CodeId(#[source] GuidError),
    /// Strict mode: the code id has upper-case hex digits.
    #[error("the code id has upper-case hex digits (byte {at}); Graph writes it in lower case")]
    NonCanonicalCodeId {
        /// Offset of the first upper-case digit.
        at: usize,
    },
    /// Strict mode: fields after the code id.
    #[error("{count} extra field(s) after the code id ({bytes} bytes); strict mode allows none")]
    ExtraFields {
        /// How many extra fields.
        count: usize,
        /// Their total length, separators included.
        bytes: usize,
    },
    /// An extra field given to [`PayloadBuf::with_extra_field`] holds a `|` or white space
    /// at an end.
    #[error("an extra field may not contain '|' nor start or end with white space")]
    BadExtraField,
}

impl PayloadError {
    /// A short stable name for the kind of error (used by golden test vectors and `--json`).
    pub fn kind(&self) -> &'static str {
        match self {
            PayloadError::Empty => "empty",
            PayloadError::NotUtf8 { .. } => "not-utf8",
            PayloadError::LeadingWhitespace { .. } => "leading-whitespace",
            PayloadError::TrailingWhitespace { .. } => "trailing-whitespace",
            PayloadError::MissingScheme => "missing-scheme",
            PayloadError::UnknownScheme { .. } => "unknown-scheme",
            PayloadError::BadVersion { .. } => "bad-version",
            PayloadError::UnsupportedVersion { .. } => "unsupported-version",
            PayloadError::FieldCount { .. } => "field-count",
            PayloadError::Upn(UpnError::Empty) => "empty-upn",
            PayloadError::Upn(_) => "bad-upn",
            PayloadError::CodeId(_) => "bad-code-id",
            PayloadError::NonCanonicalCodeId { .. } => "non-canonical-code-id",
            PayloadError::ExtraFields { .. } => "extra-fields",
            PayloadError::BadExtraField => "bad-extra-field",
        }
    }
}

/// At most this many characters of a wrong scheme or version are quoted in an error.
const QUOTE_MAX: usize = 40;

fn quote(s: &str) -> String {
    s.chars().take(QUOTE_MAX).collect()
}

/// A parsed payload borrowing from its text.
///
/// ```
/// use qrpin_codec::Payload;
/// let p = Payload::parse("ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9")?;
/// assert_eq!(p.upn(), "admin@xpfq8.onmicrosoft.com");
/// assert_eq!(p.code_id(), "44f2f040-ea9d-4283-9e7b-b63ddae391a9");
/// assert_eq!(p.extra_field_count(), 0);
/// # Ok::<(), qrpin_codec::PayloadError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Payload<'a> {
    text: &'a str,
    upn: &'a str,
    code_id: &'a str,
    /// Everything after the `|` that ends the code id, if there is such a `|`.
    extra: Option<&'a str>,
}

impl<'a> Payload<'a> {
    /// Parses leniently (see [`ParseOptions`]).
    pub fn parse(text: &'a str) -> Result<Self, PayloadError> {
        Self::parse_with(text, ParseOptions::LENIENT)
    }

    /// Parses bytes, reporting the first non-UTF-8 byte.
    pub fn parse_bytes(bytes: &'a [u8], opts: ParseOptions) -> Result<Self, PayloadError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| PayloadError::NotUtf8 { at: e.valid_up_to() })?;
        Self::parse_with(text, opts)
    }

    /// Parses with the given options.
    pub fn parse_with(text: &'a str, opts: ParseOptions) -> Result<Self, PayloadError> {
        let first = text.chars().next().ok_or(PayloadError::Empty)?;
        if first.is_whitespace() {
            return Err(PayloadError::LeadingWhitespace { ch: first });
        }
        let trimmed = text.trim_end();
        if trimmed.len() != text.len() {
            let ch = text[trimmed.len()..].chars().next().unwrap_or(' ');
            return Err(PayloadError::TrailingWhitespace { ch, at: trimmed.len() });
        }

        let mut fields = text.split('|');
        // `split` always yields at least one item.
        let head = fields.next().unwrap_or("");
        let (scheme, version) = head.split_once(':').ok_or(PayloadError::MissingScheme)?;
        if scheme != SCHEME {
            return Err(PayloadError::UnknownScheme { found: quote(scheme) });
        }
        check_version(version)?;

        let upn = fields.next();
        let code_id = fields.next();
        let (Some(upn), Some(code_id)) = (upn, code_id) else {
            return Err(PayloadError::FieldCount { found: text.split('|').count() });
        };
        let upn_at = head.len() + 1;
        let code_at = upn_at + upn.len() + 1;
        let extra_at = code_at + code_id.len() + 1;
        let extra = text.get(extra_at..);

        validate_upn(upn).map_err(|e| PayloadError::Upn(e.shifted(upn_at)))?;
        validate_guid(code_id).map_err(|e| PayloadError::CodeId(e.shifted(code_at)))?;
        if opts.strict {
            if let Some(i) = code_id.bytes().position(|b| b.is_ascii_uppercase()) {
                return Err(PayloadError::NonCanonicalCodeId { at: code_at + i });
            }
            if let Some(extra) = extra {
                return Err(PayloadError::ExtraFields {
                    count: extra.split('|').count(),
                    bytes: extra.len() + 1,
                });
            }
        }
        Ok(Payload { text, upn, code_id, extra })
    }

    /// The exact text, extra fields included.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The payload version (always [`VERSION`]: other versions do not parse).
    pub fn version(&self) -> u32 {
        VERSION
    }

    /// The user principal name.
    pub fn upn(&self) -> &'a str {
        self.upn
    }

    /// The code id as written (a GUID; lower case unless parsed leniently from upper case).
    pub fn code_id(&self) -> &'a str {
        self.code_id
    }

    /// The code id as a number, for comparing ids regardless of case.
    pub fn code_guid(&self) -> Guid {
        // Parsing validated the text, so this cannot fail; fall back to nil to avoid a panic path.
        self.code_id.parse().unwrap_or(Guid(0))
    }

    /// The opaque fields after the code id, in order.
    pub fn extra_fields(&self) -> impl Iterator<Item = &'a str> {
        self.extra.into_iter().flat_map(|e| e.split('|'))
    }

    /// How many fields follow the code id.
    pub fn extra_field_count(&self) -> usize {
        self.extra.map_or(0, |e| e.split('|').count())
    }

    /// The bytes that follow the code id, separators included (0 when there are none).
    pub fn extra_len(&self) -> usize {
        self.extra.map_or(0, |e| e.len() + 1)
    }

    /// Whether this is exactly what Graph produces: no extra fields, code id in lower case.
    pub fn is_canonical(&self) -> bool {
        self.extra.is_none() && is_canonical_guid(self.code_id)
    }

    /// An owned copy.
    pub fn to_buf(&self) -> PayloadBuf {
        PayloadBuf {
            text: self.text.to_owned(),
            upn_end: PREFIX.len() + self.upn.len(),
            code_end: PREFIX.len() + self.upn.len() + 1 + self.code_id.len(),
        }
    }
}

fn check_version(v: &str) -> Result<(), PayloadError> {
    let digits = v.strip_prefix('v').unwrap_or("");
    let well_formed = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'));
    if !well_formed {
        return Err(PayloadError::BadVersion { found: quote(v) });
    }
    match digits.parse::<u64>() {
        Ok(1) => Ok(()),
        Ok(version) => Err(PayloadError::UnsupportedVersion { version }),
        Err(_) => Err(PayloadError::BadVersion { found: quote(v) }),
    }
}

/// Writes the payload with extra fields redacted.
fn fmt_redacted(
    f: &mut fmt::Formatter<'_>,
    upn: &str,
    code_id: &str,
    extra_len: usize,
) -> fmt::Result {
    write!(f, "{PREFIX}{upn}|{code_id}")?;
    if extra_len > 0 {
        write!(f, "|<redacted: {} bytes>", extra_len - 1)?;
    }
    Ok(())
}

impl fmt::Display for Payload<'_> {
    /// The payload with any extra fields shown as `<redacted: N bytes>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_redacted(f, self.upn, self.code_id, self.extra_len())
    }
}

impl fmt::Debug for Payload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Payload(\"{self}\")")
    }
}

/// An owned payload.
///
/// ```
/// use qrpin_codec::PayloadBuf;
/// let p = PayloadBuf::build("admin@xpfq8.onmicrosoft.com", "44F2F040-EA9D-4283-9E7B-B63DDAE391A9")?;
/// assert_eq!(p.as_str(), "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9");
/// # Ok::<(), qrpin_codec::PayloadError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PayloadBuf {
    text: String,
    upn_end: usize,
    code_end: usize,
}

impl PayloadBuf {
    /// Builds a payload from a UPN and a code id, checking both; the code id is written in
    /// lower case, as Graph does.
    pub fn build(upn: &str, code_id: &str) -> Result<Self, PayloadError> {
        let mut text = String::with_capacity(PREFIX.len() + upn.len() + 1 + code_id.len());
        build_into(&mut text, upn, code_id)?;
        Ok(PayloadBuf { upn_end: PREFIX.len() + upn.len(), code_end: text.len(), text })
    }

    /// Appends an opaque extra field (it may not contain `|` or start/end with white space).
    pub fn with_extra_field(mut self, field: &str) -> Result<Self, PayloadError> {
        if field.contains('|') || field.trim() != field {
            return Err(PayloadError::BadExtraField);
        }
        self.text.push('|');
        self.text.push_str(field);
        Ok(self)
    }

    /// The exact text, extra fields included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// A borrowed view.
    pub fn as_payload(&self) -> Payload<'_> {
        Payload {
            text: &self.text,
            upn: &self.text[PREFIX.len()..self.upn_end],
            code_id: &self.text[self.upn_end + 1..self.code_end],
            extra: self.text.get(self.code_end + 1..),
        }
    }

    /// The user principal name.
    pub fn upn(&self) -> &str {
        &self.text[PREFIX.len()..self.upn_end]
    }

    /// The code id as written.
    pub fn code_id(&self) -> &str {
        &self.text[self.upn_end + 1..self.code_end]
    }

    /// The exact text, consuming the value.
    pub fn into_string(self) -> String {
        self.text
    }
}

/// Appends the canonical payload for `upn` and `code_id` to `out` after checking both: the
/// allocation-free builder for batch work (clear and reuse one `String`). On error `out` is
/// left as it was. Error offsets are into the `upn` or `code_id` argument.
pub fn build_into(out: &mut String, upn: &str, code_id: &str) -> Result<(), PayloadError> {
    validate_upn(upn).map_err(PayloadError::Upn)?;
    validate_guid(code_id).map_err(PayloadError::CodeId)?;
    out.reserve(PREFIX.len() + upn.len() + 1 + code_id.len());
    out.push_str(PREFIX);
    out.push_str(upn);
    out.push('|');
    for c in code_id.chars() {
        out.push(c.to_ascii_lowercase());
    }
    Ok(())
}

impl FromStr for PayloadBuf {
    type Err = PayloadError;

    /// Parses leniently and keeps the exact text.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Payload::parse(s).map(|p| p.to_buf())
    }
}

impl fmt::Display for PayloadBuf {
    /// The payload with any extra fields shown as `<redacted: N bytes>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_payload().fmt(f)
    }
}

impl fmt::Debug for PayloadBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadBuf(\"{self}\")")
    }
}

impl<'a> From<Payload<'a>> for PayloadBuf {
    fn from(p: Payload<'a>) -> Self {
        p.to_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";

    #[test]
    fn sample_parses_and_is_76_bytes() {
        let p = Payload::parse_with(SAMPLE, ParseOptions::STRICT).unwrap();
        assert_eq!(SAMPLE.len(), 76);
        assert!(p.is_canonical());
        assert_eq!(p.to_string(), SAMPLE);
        assert_eq!(p.to_buf().as_payload(), p);
    }

    #[test]
    fn extra_fields_round_trip_but_are_redacted() {
        let text = format!("{SAMPLE}|c2VjcmV0LWtleQ==|x");
        let p = Payload::parse(&text).unwrap();
        assert_eq!(p.extra_fields().collect::<Vec<_>>(), ["c2VjcmV0LWtleQ==", "x"]);
        assert_eq!(p.as_str(), text);
        let shown = p.to_string();
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.ends_with("|<redacted: 18 bytes>"), "{shown}");
        assert!(!format!("{p:?}").contains("c2VjcmV0"));
        let buf: PayloadBuf = text.parse().unwrap();
        assert_eq!(buf.as_str(), text);
        assert_eq!(buf.to_string(), shown);
        let strict = Payload::parse_with(&text, ParseOptions::STRICT).unwrap_err();
        assert_eq!(strict, PayloadError::ExtraFields { count: 2, bytes: 19 });
    }

    #[test]
    fn upper_case_code_id_is_lenient_only() {
        let text = SAMPLE.to_ascii_uppercase().replacen("MS-QRPIN:V1", "ms-qrpin:v1", 1);
        let p = Payload::parse(&text).unwrap();
        assert!(!p.is_canonical());
        assert_eq!(p.code_guid(), Payload::parse(SAMPLE).unwrap().code_guid());
        assert_eq!(
            Payload::parse_with(&text, ParseOptions::STRICT),
            Err(PayloadError::NonCanonicalCodeId { at: 42 })
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        use PayloadError as E;
        let cases: &[(&str, PayloadError)] = &[
            ("", E::Empty),
            ("ms-qrpin", E::MissingScheme),
            ("http:v1|a@b|x", E::UnknownScheme { found: "http".into() }),
            ("ms-qrpin:v2|a@b|x", E::UnsupportedVersion { version: 2 }),
            ("ms-qrpin:va|a@b|x", E::BadVersion { found: "va".into() }),
            ("ms-qrpin:v01|a@b|x", E::BadVersion { found: "v01".into() }),
            ("ms-qrpin:v1|a@b", E::FieldCount { found: 2 }),
            ("ms-qrpin:v1", E::FieldCount { found: 1 }),
            ("ms-qrpin:v1||44f2f040-ea9d-4283-9e7b-b63ddae391a9", E::Upn(UpnError::Empty)),
            (
                "ms-qrpin:v1|a b@c|44f2f040-ea9d-4283-9e7b-b63ddae391a9",
                E::Upn(UpnError::BadChar { ch: ' ', at: 13 }),
            ),
            (
                "ms-qrpin:v1|a@c|44f2f040-ea9d-4283-9e7b-b63ddae391a",
                E::CodeId(GuidError::Length { len: 35 }),
            ),
            (
                "ms-qrpin:v1|a@c|44f2f040-ea9d-4283-9e7b-b63ddae391aZ",
                E::CodeId(GuidError::NotHex { at: 51 }),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Payload::parse(text).as_ref(), Err(want), "{text:?}");
        }
        let nl = format!("{SAMPLE}\n");
        assert_eq!(Payload::parse(&nl), Err(E::TrailingWhitespace { ch: '\n', at: 76 }));
        assert!(Payload::parse(&nl).unwrap_err().to_string().contains("U+000A"));
        assert_eq!(
            Payload::parse_bytes(b"ms-qrpin:v1|a\xff@b", ParseOptions::LENIENT),
            Err(E::NotUtf8 { at: 13 })
        );
        assert_eq!(
            Payload::parse("ms-qrpin:v2|x").unwrap_err().to_string(),
            "unsupported version 2: only version 1 is understood"
        );
    }

    #[test]
    fn build_checks_and_lowercases() {
        let p = PayloadBuf::build(
            "admin@xpfq8.onmicrosoft.com",
            "44F2F040-EA9D-4283-9E7B-B63DDAE391A9",
        )
        .unwrap();
        assert_eq!(p.as_str(), SAMPLE);
        assert_eq!(p.upn(), "admin@xpfq8.onmicrosoft.com");
        assert_eq!(p.code_id(), "44f2f040-ea9d-4283-9e7b-b63ddae391a9");
        assert!(matches!(
            PayloadBuf::build("a|b@c", "44f2f040-ea9d-4283-9e7b-b63ddae391a9"),
            Err(PayloadError::Upn(_))
        ));
        let mut s = String::from("keep");
        assert!(build_into(&mut s, "a@b", "nope").is_err());
        assert_eq!(s, "keep");
        let e = PayloadBuf::build("a@b", "44f2f040-ea9d-4283-9e7b-b63ddae391a9")
            .unwrap()
            .with_extra_field("a|b");
        assert!(e.is_err());
    }
}
