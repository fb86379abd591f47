//! The provisioning journal: JSON Lines that `qrpin provision` writes (and fsyncs) before it
//! acts on anything Graph returned once, and that `qrpin batch`, `qrpin badge --graph` and
//! `qrpin provision --status` read.
//!
//! One [`Record`] per line. `created` and `pinReset` records hold the answer **exactly as Graph
//! sent it** in `body` (a JSON string, so any bytes of it survive); `intent` records are written
//! before a create is sent, so that a create whose answer was lost is recognised later;
//! `outcome` records say why a user is not done. A journal may end in a torn record (a crash
//! during a write): [`read_journal`] reports it and never returns it as a record.
//!
//! ```
//! use qrpin_codec::graph::journal::read_journal;
//! let text = concat!(
//!     r#"{"journal":1,"seq":1,"at":"2026-12-03T09:00:00Z","event":"outcome","#,
//!     r#""user":{"id":"4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b","userPrincipalName":"avery@contoso.com"},"#,
//!     r#""outcome":"exists"}"#, "\n",
//!     r#"{"journal":1,"seq":2,"at":"2026-12"#,
//! );
//! let j = read_journal(text.as_bytes()).unwrap();
//! assert_eq!(j.records.len(), 1);
//! assert_eq!(j.torn.unwrap().line, 2);
//! ```

use serde::{Deserialize, Serialize};

use super::types::{QrCode, QrCodePinAuthenticationMethod, QrPin};
use super::CodeKind;

/// The format version written in every record's `journal` field.
pub const JOURNAL_VERSION: u32 = 1;
/// The longest record read (a PNG image in base64 is the largest part).
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// What a record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Event {
    /// A create is about to be sent (`request`; for a method `PUT`, the `pin` sent).
    Intent,
    /// A create answered: `body` is the method (`PUT`) or the qrCode (`PATCH`).
    Created,
    /// A PIN reset answered: `body` is the qrPin.
    PinReset,
    /// Why a user is not done: `outcome` is `exists`, `lost` or `failed`, `why` says more.
    Outcome,
}

/// The user a record is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalUser {
    /// The object id (a GUID), once resolved; empty when the user could not be resolved.
    pub id: String,
    /// The user principal name.
    pub user_principal_name: String,
    /// The display name, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// One line of the journal.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// [`JOURNAL_VERSION`].
    pub journal: u32,
    /// 1-based position in the journal.
    pub seq: u64,
    /// When the record was written (RFC 3339, UTC).
    pub at: String,
    /// What happened.
    pub event: Event,
    /// To whom.
    pub user: JournalUser,
    /// `standard` or `temporary` (intent, created, outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The request: `PUT qrCodePinMethod`, `PATCH standardQRCode`, `PATCH pin`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The PIN sent with a method `PUT` (intent only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// The HTTP status of the answer (created, pinReset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The answer's body, exactly as received (created, pinReset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `exists`, `lost` or `failed` (outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Why (outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The id of the code Graph holds (outcome `exists` / `lost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_id: Option<String>,
}

impl std::fmt::Debug for Record {
    /// Never prints the PIN or the body (which holds the image, the content and maybe a PIN).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("seq", &self.seq)
            .field("event", &self.event)
            .field("user", &self.user)
            .field("kind", &self.kind)
            .field("request", &self.request)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("status", &self.status)
            .field("body", &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .field("outcome", &self.outcome)
            .field("code_id", &self.code_id)
            .finish()
    }
}

impl Record {
    /// A record of `event` about `user`, every optional field empty; `seq` and `at` are set
    /// by whoever appends it.
    pub fn new(event: Event, user: JournalUser) -> Record {
        Record {
            journal: JOURNAL_VERSION,
            seq: 0,
            at: String::new(),
            event,
            user,
            kind: None,
            request: None,
            pin: None,
            status: None,
            body: None,
            outcome: None,
            why: None,
            code_id: None,
        }
    }

    /// The code kind named in `kind` (standard when absent).
    pub fn code_kind(&self) -> CodeKind {
        match self.kind.as_deref() {
            Some("temporary") => CodeKind::Temporary,
            _ => CodeKind::Standard,
        }
    }

    /// The qrCode a `created` record's body holds: the body itself (a `PATCH` answer) or the
    /// method's code of [`Record::code_kind`] (a `PUT` answer).
    pub fn created_code(&self) -> Option<QrCode> {
        if self.event != Event::Created {
            return None;
        }
        let body = self.body.as_deref()?;
        let v: serde_json::Value = serde_json::from_str(body).ok()?;
        let is_method = v.get("standardQRCode").is_some()
            || v.get("temporaryQRCode").is_some()
            || v.get("pin").is_some();
        if is_method {
            let m: QrCodePinAuthenticationMethod = serde_json::from_value(v).ok()?;
            match self.code_kind() {
                CodeKind::Standard => m.standard_qr_code,
                CodeKind::Temporary => m.temporary_qr_code,
            }
        } else {
            serde_json::from_value(v).ok()
        }
    }

    /// The PIN a record carries: the `pin.code` of a method `PUT` answer, the `code` of a
    /// reset answer, or the PIN an intent sent.
    pub fn pin_code(&self) -> Option<String> {
        match self.event {
            Event::Intent => self.pin.clone(),
            Event::Created | Event::PinReset => {
                let v: serde_json::Value = serde_json::from_str(self.body.as_deref()?).ok()?;
                let pin: QrPin = match v.get("pin") {
                    Some(p) => serde_json::from_value(p.clone()).ok()?,
                    None if self.event == Event::PinReset => serde_json::from_value(v).ok()?,
                    None => return None,
                };
                pin.code.filter(|c| !c.is_empty())
            }
            Event::Outcome => None,
        }
    }
}

/// A last record cut short by a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Torn {
    /// Its 1-based line.
    pub line: u64,
    /// How many bytes of it were written.
    pub bytes: usize,
}

/// A journal read back.
#[derive(Debug, Default)]
pub struct Journal {
    /// Every complete record, in order.
    pub records: Vec<Record>,
    /// A torn last record, if the journal ends in one.
    pub torn: Option<Torn>,
    /// The length of the complete records: where the next record goes.
    pub valid_len: usize,
}

/// Why a journal cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// A line that is not the last one is broken: the file was changed by something else.
    #[error("line {line}: {message} (not the last line, so not a torn write: the journal was changed by something else)")]
    Corrupt {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A record is longer than [`MAX_RECORD_BYTES`].
    #[error("line {line} is {bytes} bytes long; records are at most {MAX_RECORD_BYTES}")]
    TooLong {
        /// 1-based line.
        line: u64,
        /// Its length.
        bytes: usize,
    },
}

/// Reads a journal. Every line must be a complete record ending in a newline, except that the
/// very last one may be torn (no newline, or not a record): that is [`Journal::torn`].
///
/// # Errors
/// [`JournalError`] when a line before the last is not a record.
pub fn read_journal(bytes: &[u8]) -> Result<Journal, JournalError> {
    let mut j = Journal::default();
    let mut at = 0usize;
    let mut line = 0u64;
    while at < bytes.len() {
        line += 1;
        let rest = &bytes[at..];
        let (text, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(n) => (&rest[..n], true),
            None => (rest, false),
        };
        if text.len() > MAX_RECORD_BYTES {
            return Err(JournalError::TooLong { line, bytes: text.len() });
        }
        let next = at + text.len() + usize::from(complete);
        let last = next >= bytes.len();
        if text.iter().all(u8::is_ascii_whitespace) && complete {
            at = next;
            j.valid_len = at;
            continue;
        }
        let parsed = serde_json::from_slice::<Record>(text);
        match parsed {
            // Without a newline the line is the file's last: a record cut short.
            _ if !complete => {
                j.torn = Some(Torn { line, bytes: rest.len() });
                return Ok(j);
            }
            Ok(r) if r.journal == JOURNAL_VERSION => {
                j.records.push(r);
                at = next;
                j.valid_len = at;
            }
            Ok(r) => {
                return Err(JournalError::Corrupt {
                    line,
                    message: format!(
                        "journal format {} is not {JOURNAL_VERSION}, the one this qrpin writes",
                        r.journal
                    ),
                })
            }
            Err(_) if last => {
                j.torn = Some(Torn { line, bytes: rest.len() });
                return Ok(j);
            }
            Err(e) => {
                return Err(JournalError::Corrupt { line, message: format!("not a record: {e}") })
            }
        }
    }
    Ok(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, event: Event) -> Record {
        let user = JournalUser {
            id: "4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b".into(),
            user_principal_name: "avery@contoso.com".into(),
            display_name: None,
        };
        Record { seq, kind: Some("standard".into()), ..Record::new(event, user) }
    }

    fn line(r: &Record) -> String {
        format!("{}\n", serde_json::to_string(r).unwrap())
    }

    #[test]
    fn complete_records_and_a_torn_tail() {
        let a = line(&record(1, Event::Intent));
        let b = line(&record(2, Event::Outcome));
        let whole = format!("{a}{b}");
        let j = read_journal(whole.as_bytes()).unwrap();
        assert_eq!((j.records.len(), j.torn, j.valid_len), (2, None, whole.len()));
        // Every cut inside the second record is a torn tail, never a record.
        for cut in a.len() + 1..whole.len() {
            let j = read_journal(&whole.as_bytes()[..cut]).unwrap();
            assert_eq!(j.records.len(), 1, "cut at {cut}");
            assert_eq!(j.torn, Some(Torn { line: 2, bytes: cut - a.len() }));
            assert_eq!(j.valid_len, a.len());
        }
        // A block of zeros after a crash is torn too.
        let zeros = format!("{a}\0\0\0\0");
        assert_eq!(read_journal(zeros.as_bytes()).unwrap().torn.unwrap().line, 2);
    }

    #[test]
    fn a_broken_line_before_the_end_is_corruption() {
        let text = format!("{{\"journal\":1,\n{}", line(&record(2, Event::Intent)));
        let e = read_journal(text.as_bytes()).unwrap_err();
        assert!(matches!(e, JournalError::Corrupt { line: 1, .. }), "{e}");
        let other = line(&record(1, Event::Intent)).replace("\"journal\":1", "\"journal\":9");
        assert!(matches!(
            read_journal(other.as_bytes()).unwrap_err(),
            JournalError::Corrupt { line: 1, .. }
        ));
    }

    #[test]
    fn codes_and_pins_come_out_of_bodies() {
        let mut put = record(1, Event::Created);
        put.body = Some(
            r#"{"id":"m","standardQRCode":{"id":"44f2f040-ea9d-4283-9e7b-b63ddae391a9","image":{"rawContent":"eA=="}},"pin":{"code":"27193856"}}"#
                .into(),
        );
        assert_eq!(
            put.created_code().unwrap().id.as_deref(),
            Some("44f2f040-ea9d-4283-9e7b-b63ddae391a9")
        );
        assert_eq!(put.pin_code().as_deref(), Some("27193856"));
        let mut patch = record(2, Event::Created);
        patch.body = Some(r#"{"id":"44f2f040-ea9d-4283-9e7b-b63ddae391a9","image":null}"#.into());
        assert!(patch.created_code().is_some());
        assert_eq!(patch.pin_code(), None);
        let mut reset = record(3, Event::PinReset);
        reset.body = Some(r#"{"code":"38261947","forceChangePinNextSignIn":true}"#.into());
        assert_eq!(reset.pin_code().as_deref(), Some("38261947"));
        assert!(!format!("{put:?}{reset:?}").contains("2719"));
    }
}
