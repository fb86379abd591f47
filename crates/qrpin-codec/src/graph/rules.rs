//! The rules a Graph QR code + PIN object must follow, as named checks.
//!
//! From the Graph pages (qrCode create, qrPin create/update):
//! - a standard code lives at most 395 days, a temporary one 1 to 12 hours, and
//!   `startDateTime` comes before `expireDateTime`;
//! - `image` comes only with the create response; its `rawContent` is base64 of the payload
//!   `ms-qrpin:v1|<upn>|<codeId>` whose codeId is the qrCode's `id`, `version` is the payload
//!   version and `errorCorrectionLevel` one of `l`, `m`, `q`, `h` (or Graph's
//!   `unknownFutureValue`); `binaryValue` is base64 of an image: an SVG in the beta docs'
//!   example, a PNG in the v1.0 docs' (both are accepted; see [`ImageKind`]);
//! - `lastUsedDateTime` of `0001-01-01T00:00:00Z` means never used;
//! - a qrPin's `code` follows the PIN rules of [`crate::pin`], and is null or empty on read.

use std::fmt;

use time::Duration;

use super::types::{QrCode, QrCodePinAuthenticationMethod, QrPin};
use super::GraphObject;
use crate::base64;
use crate::guid::{is_canonical_guid, Guid};
use crate::payload::{ParseOptions, Payload};
use crate::pin::{check_pin, PinPolicy};

/// The longest a standard code may live.
pub const STANDARD_MAX_LIFETIME: Duration = Duration::days(395);
/// The shortest a temporary code may live.
pub const TEMPORARY_MIN_LIFETIME: Duration = Duration::hours(1);
/// The longest a temporary code may live.
pub const TEMPORARY_MAX_LIFETIME: Duration = Duration::hours(12);

/// What `image.binaryValue` holds: Graph's beta docs show an SVG, its v1.0 docs a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// `<svg ...>` markup (optionally after an XML declaration or a comment).
    Svg,
    /// A PNG file (its 8-byte signature).
    Png,
}

impl ImageKind {
    /// Tells the two apart by their first bytes; `None` for anything else.
    ///
    /// ```
    /// use qrpin_codec::graph::ImageKind;
    /// assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
    /// assert_eq!(ImageKind::sniff(b"<?xml version=\"1.0\"?><svg/>"), Some(ImageKind::Svg));
    /// assert_eq!(ImageKind::sniff(b"GIF89a"), None);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(ImageKind::Png);
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
        head.contains("<svg").then_some(ImageKind::Svg)
    }

    /// `svg` or `png`: the file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Svg => "svg",
            ImageKind::Png => "png",
        }
    }

    /// `an SVG` or `a PNG`, for messages.
    pub fn article_name(self) -> &'static str {
        match self {
            ImageKind::Svg => "an SVG",
            ImageKind::Png => "a PNG",
        }
    }
}

/// Which lifetime rule applies to a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeKind {
    /// A standard code: up to 395 days.
    #[default]
    Standard,
    /// A temporary code: 1 to 12 hours.
    Temporary,
}

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule holds.
    Pass,
    /// The rule is broken.
    Fail,
    /// Nothing to judge, but worth saying (a property absent on read, a "never" date…).
    Info,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "ok",
            Outcome::Fail => "FAIL",
            Outcome::Info => "info",
        })
    }
}

/// One named check and what it found. `detail` never contains a PIN or a payload's extra
/// fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Where and what, e.g. `standardQRCode.lifetime`.
    pub name: String,
    /// The outcome.
    pub outcome: Outcome,
    /// A sentence for people.
    pub detail: String,
}

/// All checks of one object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether no check failed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Fail)
    }

    fn push(&mut self, prefix: &str, name: &str, outcome: Outcome, detail: impl Into<String>) {
        let name = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") };
        self.checks.push(Check { name, outcome, detail: detail.into() });
    }
}

/// Checks any object. A bare qrCode is judged by `kind`'s lifetime rule; inside a method,
/// `standardQRCode` and `temporaryQRCode` pick their own.
pub fn check_object(obj: &GraphObject, kind: CodeKind) -> Report {
    let mut r = Report::default();
    match obj {
        GraphObject::QrCode(c) => qr_code(&mut r, "", c, kind, true),
        GraphObject::QrPin(p) => qr_pin(&mut r, "", p),
        GraphObject::Method(m) => method(&mut r, m),
    }
    r
}

/// Checks a qrCode (`image_expected`: whether this came from the create call, which returns
/// the image).
pub fn check_qr_code(code: &QrCode, kind: CodeKind) -> Report {
    let mut r = Report::default();
    qr_code(&mut r, "", code, kind, true);
    r
}

/// Checks a qrPin.
pub fn check_qr_pin(pin: &QrPin) -> Report {
    let mut r = Report::default();
    qr_pin(&mut r, "", pin);
    r
}

fn method(r: &mut Report, m: &QrCodePinAuthenticationMethod) {
    if let Some(c) = &m.standard_qr_code {
        qr_code(r, "standardQRCode", c, CodeKind::Standard, false);
    }
    if let Some(c) = &m.temporary_qr_code {
        qr_code(r, "temporaryQRCode", c, CodeKind::Temporary, false);
    }
    if let Some(p) = &m.pin {
        qr_pin(r, "pin", p);
    }
    if m.standard_qr_code.is_none() && m.temporary_qr_code.is_none() && m.pin.is_none() {
        r.push("", "method", Outcome::Info, "no standardQRCode, temporaryQRCode or pin returned");
    }
}

fn qr_code(r: &mut Report, at: &str, c: &QrCode, kind: CodeKind, create: bool) {
    let id = match c.id.as_deref() {
        None => {
            r.push(at, "id", Outcome::Fail, "missing");
            None
        }
        Some(id) => match id.parse::<Guid>() {
            Ok(g) => {
                let note = if is_canonical_guid(id) {
                    "a GUID"
                } else {
                    "a GUID (upper case; Graph writes lower case)"
                };
                r.push(at, "id", Outcome::Pass, note);
                Some(g)
            }
            Err(e) => {
                r.push(at, "id", Outcome::Fail, format!("not a GUID: {e}"));
                None
            }
        },
    };
    lifetime(r, at, c, kind);
    if let Some(t) = &c.last_used_date_time {
        let detail = if t.is_min_value() {
            "never used (0001-01-01T00:00:00Z)".to_owned()
        } else {
            format!("last used {t}")
        };
        r.push(at, "lastUsedDateTime", Outcome::Info, detail);
    }
    match &c.image {
        None if create => r.push(
            at,
            "image",
            Outcome::Info,
            "absent (Graph returns it only when the code is created)",
        ),
        None => {}
        Some(img) => {
            if !create {
                r.push(
                    at,
                    "image",
                    Outcome::Info,
                    "present; Graph returns it only when the code is created",
                );
            }
            image(r, at, img, id);
        }
    }
}

fn lifetime(r: &mut Report, at: &str, c: &QrCode, kind: CodeKind) {
    let (Some(start), Some(end)) = (&c.start_date_time, &c.expire_date_time) else {
        if c.start_date_time.is_none() {
            r.push(at, "startDateTime", Outcome::Fail, "missing");
        }
        if c.expire_date_time.is_none() {
            r.push(at, "expireDateTime", Outcome::Fail, "missing");
        }
        return;
    };
    let life = end.instant() - start.instant();
    if life <= Duration::ZERO {
        r.push(
            at,
            "lifetime",
            Outcome::Fail,
            format!("expireDateTime {end} is not after startDateTime {start}"),
        );
        return;
    }
    let (lo, hi, name) = match kind {
        CodeKind::Standard => {
            (Duration::ZERO, STANDARD_MAX_LIFETIME, "standard code: up to 395 days")
        }
        CodeKind::Temporary => {
            (TEMPORARY_MIN_LIFETIME, TEMPORARY_MAX_LIFETIME, "temporary code: 1 to 12 hours")
        }
    };
    let ok = life >= lo && life <= hi;
    let detail = format!("{} ({name})", describe(life));
    r.push(at, "lifetime", if ok { Outcome::Pass } else { Outcome::Fail }, detail);
}

/// "394 days 12 h" / "11 h 30 min".
fn describe(d: Duration) -> String {
    let mins = d.whole_minutes();
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    match (days, hours, minutes) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

fn image(r: &mut Report, at: &str, img: &super::types::QrCodeImageDetails, id: Option<Guid>) {
    let at_img = if at.is_empty() { "image".to_owned() } else { format!("{at}.image") };
    let at = at_img.as_str();
    match img.error_correction_level {
        Some(l) => match l.ecl() {
            Some(e) => r.push(at, "errorCorrectionLevel", Outcome::Pass, format!("{e}")),
            None => r.push(
                at,
                "errorCorrectionLevel",
                Outcome::Info,
                "unknownFutureValue: cannot be checked",
            ),
        },
        None => r.push(at, "errorCorrectionLevel", Outcome::Fail, "missing"),
    }
    match img.binary_value.as_deref().map(base64::decode) {
        None => r.push(at, "binaryValue", Outcome::Fail, "missing"),
        Some(Err(e)) => r.push(at, "binaryValue", Outcome::Fail, e.to_string()),
        Some(Ok(bytes)) => match ImageKind::sniff(&bytes) {
            Some(kind) => r.push(
                at,
                "binaryValue",
                Outcome::Pass,
                format!("{} image, {} bytes", kind.article_name(), bytes.len()),
            ),
            None => r.push(
                at,
                "binaryValue",
                Outcome::Fail,
                format!("{} bytes that are neither an SVG nor a PNG image", bytes.len()),
            ),
        },
    }
    let raw = match img.raw_content.as_deref().map(base64::decode) {
        None => {
            r.push(at, "rawContent", Outcome::Fail, "missing");
            return;
        }
        Some(Err(e)) => {
            r.push(at, "rawContent", Outcome::Fail, e.to_string());
            return;
        }
        Some(Ok(raw)) => raw,
    };
    let payload = match Payload::parse_bytes(&raw, ParseOptions::LENIENT) {
        Ok(p) => p,
        Err(e) => {
            r.push(at, "rawContent", Outcome::Fail, format!("not an ms-qrpin payload: {e}"));
            return;
        }
    };
    r.push(at, "rawContent", Outcome::Pass, format!("{payload}"));
    if !payload.is_canonical() {
        let why = if payload.extra_field_count() > 0 {
            "has extra fields"
        } else {
            "code id in upper case"
        };
        r.push(at, "rawContent.canonical", Outcome::Info, why);
    }
    if let Some(id) = id {
        if payload.code_guid() == id {
            r.push(at, "rawContent.codeId", Outcome::Pass, "equals the qrCode id");
        } else {
            r.push(
                at,
                "rawContent.codeId",
                Outcome::Fail,
                format!("{} differs from the qrCode id", payload.code_id()),
            );
        }
    }
    match img.version {
        Some(v) if v == i64::from(payload.version()) => {
            r.push(at, "version", Outcome::Pass, format!("{v}, as in the payload"))
        }
        Some(v) => r.push(
            at,
            "version",
            Outcome::Fail,
            format!("{v}, but the payload is version {}", payload.version()),
        ),
        None => r.push(at, "version", Outcome::Info, "missing"),
    }
}

fn qr_pin(r: &mut Report, at: &str, p: &QrPin) {
    match p.code.as_deref() {
        None | Some("") => r.push(
            at,
            "code",
            Outcome::Info,
            "not returned (Graph returns it only on create/reset)",
        ),
        Some(code) => match check_pin(code, PinPolicy::default()) {
            Ok(()) => r.push(
                at,
                "code",
                Outcome::Pass,
                format!("{} digits, meets the PIN rules", code.len()),
            ),
            Err(e) => r.push(at, "code", Outcome::Fail, e.to_string()),
        },
    }
    match p.force_change_pin_next_sign_in {
        Some(v) => r.push(at, "forceChangePinNextSignIn", Outcome::Info, v.to_string()),
        None => r.push(at, "forceChangePinNextSignIn", Outcome::Info, "absent"),
    }
}
