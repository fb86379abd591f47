//! The journal file, `DIR/journal.jsonl`: opened once per run, records appended and synced
//! to disk (fsync) one at a time, and what it holds indexed by user.
//!
//! The record format and the torn-tail rule are `qrpin_codec::graph::journal`'s. Here: the file
//! is mode 0600 from its creation; a torn last record (a crash mid-write) is reported and cut
//! off before anything is appended, so it is never glued to the next record; each append is
//! one `write` of the whole line under a lock (records never interleave), and returns only once
//! an `fdatasync` that began after the write has finished: a record counts only once it is on
//! disk. Concurrent appends share one `fdatasync` (group commit), so 16 workers do not queue
//! behind 16 syncs.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use qrpin_codec::graph::journal::{read_journal, Event, JournalUser, Record};
use qrpin_codec::graph::CodeKind;

use crate::error::CliError;
use crate::ui::Ui;

/// The journal's file name in DIR.
pub const JOURNAL_FILE: &str = "journal.jsonl";

/// An open journal.
pub struct JournalFile {
    path: PathBuf,
    /// The file for writing, and the seq of the last record written.
    inner: Mutex<(File, u64)>,
    /// The same file for syncing, and the seq up to which records are on disk.
    synced: Mutex<(File, u64)>,
}

/// The time now, as records write it.
pub fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A record about `user` and a kind of code (its seq and time are set when appended).
pub fn record(event: Event, user: &JournalUser, kind: CodeKind) -> Record {
    Record { kind: Some(kind_name(kind).to_owned()), ..Record::new(event, user.clone()) }
}

/// `standard` or `temporary`.
pub fn kind_name(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Standard => "standard",
        CodeKind::Temporary => "temporary",
    }
}

/// Reads DIR's journal without opening it for writing (for `--status`, `--dry-run`).
pub fn read_only(dir: &Path, ui: &Ui) -> Result<Vec<Record>, CliError> {
    let path = dir.join(JOURNAL_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(CliError::bad_input(format!("{}: {e}", path.display()))),
    };
    let j = read_journal(&bytes)
        .map_err(|e| CliError::bad_input(format!("{}: {e}", path.display())))?;
    if let Some(t) = j.torn {
        ui.warn(format_args!(
            "{}: line {} is a record torn by a crash ({} bytes); it is not data and is ignored",
            path.display(),
            t.line,
            t.bytes
        ));
    }
    Ok(j.records)
}

impl JournalFile {
    /// Opens (or creates, mode 0600) DIR's journal and returns what it holds. A torn last
    /// record is reported and removed.
    pub fn open(dir: &Path, ui: &Ui) -> Result<(JournalFile, Vec<Record>), CliError> {
        let path = dir.join(JOURNAL_FILE);
        let fail = |e: std::io::Error| CliError::bad_input(format!("{}: {e}", path.display()));
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&path).map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = file.metadata().map_err(fail)?.permissions().mode() & 0o777;
            if mode != 0o600 {
                ui.warn(format_args!(
                    "{} was mode {mode:o}; it holds PINs and codes, so it is now 0600",
                    path.display()
                ));
                file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
            }
        }
        crate::io::sync_dir(dir).map_err(fail)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(fail)?;
        let j = read_journal(&bytes)
            .map_err(|e| CliError::bad_input(format!("{}: {e}", path.display())))?;
        if let Some(t) = j.torn {
            ui.warn(format_args!(
                "{}: line {} is a record torn by a crash ({} bytes); it is not data and is removed",
                path.display(),
                t.line,
                t.bytes
            ));
            file.set_len(j.valid_len as u64).map_err(fail)?;
            file.sync_all().map_err(fail)?;
        }
        file.seek(SeekFrom::Start(j.valid_len as u64)).map_err(fail)?;
        let seq = j.records.last().map_or(0, |r| r.seq);
        let sync = file.try_clone().map_err(fail)?;
        let journal =
            JournalFile { path, inner: Mutex::new((file, seq)), synced: Mutex::new((sync, seq)) };
        Ok((journal, j.records))
    }

    /// Appends a record and syncs it to disk before returning.
    pub fn append(&self, mut rec: Record) -> Result<Record, CliError> {
        let fail = |e: std::io::Error| {
            CliError::bad_input(format!("{}: cannot write: {e}", self.path.display()))
        };
        {
            let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            let (file, seq) = &mut *g;
            rec.seq = *seq + 1;
            rec.at = now_text();
            let mut line = serde_json::to_vec(&rec)
                .map_err(|e| CliError::bad_input(format!("cannot encode a journal record: {e}")))?;
            line.push(b'\n');
            file.write_all(&line).map_err(fail)?;
            *seq = rec.seq;
        }
        let mut s = self.synced.lock().unwrap_or_else(|p| p.into_inner());
        if s.1 < rec.seq {
            // Every record up to `upto` was fully written before this read: the sync covers
            // them all, and appends waiting here behind it find themselves synced.
            let upto = self.inner.lock().unwrap_or_else(|p| p.into_inner()).1;
            s.0.sync_data().map_err(fail)?;
            s.1 = upto;
        }
        Ok(rec)
    }
}

/// What the journal says about one user and one kind of code.
#[derive(Debug, Default, Clone)]
pub struct UserState {
    /// The latest created code's record.
    pub created: Option<Record>,
    /// An intent sent after the latest created record, with no answer journaled.
    pub pending: Option<Record>,
    /// The latest outcome after the latest created record.
    pub outcome: Option<Record>,
}

/// The journal's records by user (object id, and lower-case UPN) and kind.
#[derive(Debug, Default)]
pub struct Index {
    by_id: HashMap<(String, &'static str), UserState>,
    upn_to_id: HashMap<String, String>,
    /// Every code id the journal holds an image of.
    pub codes: std::collections::HashSet<String>,
}

impl Index {
    /// Indexes records in order.
    pub fn new(records: &[Record]) -> Index {
        let mut ix = Index::default();
        for r in records {
            ix.add(r);
        }
        ix
    }

    /// Takes one more record into account.
    pub fn add(&mut self, r: &Record) {
        // Unresolved users have no id; PIN resets (no `kind`) say nothing about codes.
        if r.user.id.is_empty() || r.kind.is_none() {
            return;
        }
        self.upn_to_id.insert(r.user.user_principal_name.to_ascii_lowercase(), r.user.id.clone());
        let key = (r.user.id.clone(), kind_name(r.code_kind()));
        let st = self.by_id.entry(key).or_default();
        match r.event {
            Event::Created => {
                if let Some(id) = r.created_code().and_then(|c| c.id) {
                    self.codes.insert(id);
                }
                *st = UserState { created: Some(r.clone()), pending: None, outcome: None };
            }
            Event::Intent => st.pending = Some(r.clone()),
            Event::Outcome => {
                // A `lost` outcome resolves the intent it was about; others leave it (the
                // create may still have been done).
                if r.outcome.as_deref() == Some("lost") {
                    st.pending = None;
                }
                st.outcome = Some(r.clone());
            }
            Event::PinReset => {}
        }
    }

    /// The state of a user, by id or UPN.
    pub fn get(&self, id: Option<&str>, upn: Option<&str>, kind: CodeKind) -> Option<&UserState> {
        let id = match id {
            Some(i) => i.to_owned(),
            None => self.upn_to_id.get(&upn?.to_ascii_lowercase())?.clone(),
        };
        self.by_id.get(&(id, kind_name(kind)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> JournalUser {
        JournalUser {
            id: "4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b".into(),
            user_principal_name: "Avery@contoso.com".into(),
            display_name: None,
        }
    }

    #[test]
    fn the_index_follows_each_users_latest_state() {
        let u = user();
        let mut intent = record(Event::Intent, &u, CodeKind::Standard);
        intent.request = Some("PUT qrCodePinMethod".into());
        let mut ix = Index::new(&[intent.clone()]);
        let st = ix.get(None, Some("avery@CONTOSO.com"), CodeKind::Standard).unwrap();
        assert!(st.pending.is_some() && st.created.is_none());
        // A PIN reset's intent has no kind: it says nothing about codes.
        let mut reset = Record::new(Event::Intent, u.clone());
        reset.request = Some("PATCH pin".into());
        let mut fresh = Index::new(&[reset]);
        assert!(fresh.get(Some(&u.id), None, CodeKind::Standard).is_none());
        // A lost outcome resolves the intent; a created record clears everything.
        let mut lost = record(Event::Outcome, &u, CodeKind::Standard);
        lost.outcome = Some("lost".into());
        ix.add(&lost);
        let st = ix.get(Some(&u.id), None, CodeKind::Standard).unwrap();
        assert!(st.pending.is_none() && st.outcome.is_some());
        let mut created = record(Event::Created, &u, CodeKind::Standard);
        created.body = Some(r#"{"id":"44f2f040-ea9d-4283-9e7b-b63ddae391a9","image":{}}"#.into());
        ix.add(&created);
        let st = ix.get(Some(&u.id), None, CodeKind::Standard).unwrap();
        assert!(st.created.is_some() && st.outcome.is_none());
        assert!(ix.codes.contains("44f2f040-ea9d-4283-9e7b-b63ddae391a9"));
        assert!(ix.get(Some(&u.id), None, CodeKind::Temporary).is_none());
        fresh.add(&created);
        assert!(fresh.get(Some(&u.id), None, CodeKind::Standard).is_some());
    }
}
