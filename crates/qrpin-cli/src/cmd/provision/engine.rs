//! What `qrpin provision` does for one user, against Graph and the journal.
//!
//! The order is what keeps once-only data safe: an `intent` record is on disk before a create
//! is sent; the answer (image, content, PIN) is on disk before anything else is done for that
//! user; a create whose answer was lost is found on the next look (an active code whose image
//! the journal does not hold, after an intent) and reported `lost`, or with `--replace-lost`
//! deleted and made again.

use std::sync::Mutex;

use qrpin_codec::graph::journal::{Event, JournalUser, Record};
use qrpin_codec::graph::{CodeKind, QrCode, QrCodePinAuthenticationMethod};
use qrpin_codec::PinPolicy;
use qrpin_graph::{Client, Error, NewCode};
use time::OffsetDateTime;

use super::journal::{record, Index, JournalFile};
use super::users::InputUser;
use crate::error::CliError;

/// How many times one user's create is tried again after an unknown outcome.
const ROUNDS: usize = 5;

/// What is asked of every user.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Standard or temporary codes.
    pub kind: CodeKind,
    /// `startDateTime` of new codes.
    pub start: OffsetDateTime,
    /// `expireDateTime` of new codes.
    pub expire: OffsetDateTime,
    /// Delete an existing active code first.
    pub replace: bool,
    /// Delete a code whose create answer was lost, and make it again.
    pub replace_lost: bool,
    /// Look, but write nothing.
    pub dry_run: bool,
    /// The PINs generated here follow these rules.
    pub pins: PinPolicy,
}

/// Where a user ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A code was made and its answer is in the journal (this run or an earlier one).
    Created,
    /// The user has an active code qrpin did not make; skipped (see `--replace`).
    Exists,
    /// A create's answer was lost: the user has an active code whose image nobody has.
    Lost,
    /// Something failed; `why` says what.
    Failed,
    /// `--dry-run`: a code would be made.
    WouldCreate,
    /// `--dry-run`: an existing code would be deleted and a new one made.
    WouldReplace,
}

impl Status {
    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Exists => "exists",
            Status::Lost => "lost",
            Status::Failed => "failed",
            Status::WouldCreate => "would-create",
            Status::WouldReplace => "would-replace",
        }
    }
}

/// One user's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The user as named in the input.
    pub label: String,
    /// The UPN, once known.
    pub upn: Option<String>,
    /// The object id, once known.
    pub id: Option<String>,
    /// Where it ended up.
    pub status: Status,
    /// The code: made, or found.
    pub code_id: Option<String>,
    /// Its expiry.
    pub expire: Option<String>,
    /// Why, when not created.
    pub why: Option<String>,
    /// Whether it was made in this run.
    pub new: bool,
}

impl Outcome {
    /// A user not (yet) done: `failed`, with no code and no reason.
    pub fn of(u: &InputUser) -> Outcome {
        Outcome {
            label: u.label(),
            upn: u.upn.clone(),
            id: u.id.clone(),
            status: Status::Failed,
            code_id: None,
            expire: None,
            why: None,
            new: false,
        }
    }
}

/// Runs users against Graph and the journal.
pub struct Engine {
    /// The Graph client.
    pub client: Client,
    /// The journal (`None` in a dry run).
    pub journal: Option<JournalFile>,
    /// What the journal holds.
    pub index: Mutex<Index>,
    /// What to do.
    pub plan: Plan,
}

fn segment(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Standard => "standardQRCode",
        CodeKind::Temporary => "temporaryQRCode",
    }
}

fn kind_code(m: &QrCodePinAuthenticationMethod, kind: CodeKind) -> Option<&QrCode> {
    match kind {
        CodeKind::Standard => m.standard_qr_code.as_ref(),
        CodeKind::Temporary => m.temporary_qr_code.as_ref(),
    }
}

fn is_active(c: &QrCode, now: OffsetDateTime) -> bool {
    c.expire_date_time.as_ref().is_some_and(|e| e.instant() > now)
}

/// Why a call failed, for the report (Graph's message, never a secret).
fn why(e: &Error) -> String {
    e.to_string()
}

impl Engine {
    fn append(&self, rec: Record) -> Result<(), CliError> {
        let Some(j) = &self.journal else { return Ok(()) };
        let rec = tokio::task::block_in_place(|| j.append(rec))?;
        self.index.lock().unwrap_or_else(|p| p.into_inner()).add(&rec);
        Ok(())
    }

    fn state(&self, user: &JournalUser) -> (Option<Record>, Option<Record>, Option<Record>) {
        let ix = self.index.lock().unwrap_or_else(|p| p.into_inner());
        match ix.get(Some(&user.id), Some(&user.user_principal_name), self.plan.kind) {
            Some(s) => (s.created.clone(), s.pending.clone(), s.outcome.clone()),
            None => (None, None, None),
        }
    }

    fn holds_code(&self, id: &str) -> bool {
        self.index.lock().unwrap_or_else(|p| p.into_inner()).codes.contains(id)
    }

    fn outcome_record(
        &self,
        user: &JournalUser,
        what: &str,
        why: &str,
        code: Option<&str>,
    ) -> Result<(), CliError> {
        let mut r = record(Event::Outcome, user, self.plan.kind);
        r.outcome = Some(what.to_owned());
        r.why = Some(why.to_owned());
        r.code_id = code.map(str::to_owned);
        self.append(r)
    }

    /// Provisions one user. Only a journal that cannot be written is an error: everything
    /// else is the user's outcome.
    pub async fn user(&self, u: &InputUser) -> Result<Outcome, CliError> {
        let mut out = Outcome::of(u);
        if let Some(bad) = &u.bad {
            return self.unresolved(out, u, bad.clone());
        }
        // Done in an earlier run?
        let known = {
            let ix = self.index.lock().unwrap_or_else(|p| p.into_inner());
            ix.get(u.id.as_deref(), u.upn.as_deref(), self.plan.kind)
                .and_then(|s| s.created.clone())
        };
        if let Some(rec) = known {
            return Ok(created_from(out, &rec, false));
        }
        let user = match (&u.id, &u.upn) {
            (Some(id), Some(upn)) => JournalUser {
                id: id.clone(),
                user_principal_name: upn.clone(),
                display_name: u.display_name.clone(),
            },
            _ => {
                let key = u.id.as_deref().or(u.upn.as_deref()).unwrap_or_default();
                match self.client.get_user(key).await {
                    Ok(d) => JournalUser {
                        id: d.id,
                        user_principal_name: d.user_principal_name,
                        display_name: u.display_name.clone().or(d.display_name),
                    },
                    Err(e) if e.status() == Some(404) => {
                        let msg = format!("{key} is not a user of the directory");
                        return self.unresolved(out, u, msg);
                    }
                    Err(e) => return self.unresolved(out, u, why(&e)),
                }
            }
        };
        out.upn = Some(user.user_principal_name.clone());
        out.id = Some(user.id.clone());
        self.user_resolved(out, &user).await
    }

    async fn user_resolved(
        &self,
        mut out: Outcome,
        user: &JournalUser,
    ) -> Result<Outcome, CliError> {
        let plan = &self.plan;
        if let (Some(rec), _, _) = self.state(user) {
            return Ok(created_from(out, &rec, false));
        }
        for _round in 0..ROUNDS {
            let method = match self.client.get_method(&user.id).await {
                Ok(m) => m,
                Err(e) => return self.fail(out, user, &why(&e)),
            };
            let now = OffsetDateTime::now_utc();
            let active =
                method.as_ref().and_then(|m| kind_code(m, plan.kind)).filter(|c| is_active(c, now));
            let mut replacing = false;
            if let Some(code) = active {
                let cid = code.id.clone().unwrap_or_default();
                if self.holds_code(&cid) {
                    // The journal has it (recorded under another name of the user).
                    out.status = Status::Created;
                    out.code_id = Some(cid);
                    return Ok(out);
                }
                let (_, pending, last) = self.state(user);
                let was_ours = pending.is_some()
                    || last.as_ref().and_then(|r| r.outcome.as_deref()) == Some("lost");
                out.code_id = Some(cid.clone());
                out.expire = code.expire_date_time.as_ref().map(|d| d.to_string());
                if was_ours {
                    let msg = format!(
                        "an active {} {cid} exists whose image the journal does not hold: the answer to qrpin's create was lost",
                        segment(plan.kind)
                    );
                    if !plan.dry_run {
                        let mut r = record(Event::Outcome, user, plan.kind);
                        r.outcome = Some("lost".into());
                        r.why = Some(msg.clone());
                        r.code_id = Some(cid.clone());
                        // A lost method PUT did set the PIN it sent: keep it for the slip.
                        if let Some(p) =
                            pending.filter(|p| p.request.as_deref() == Some("PUT qrCodePinMethod"))
                        {
                            r.pin = p.pin;
                            r.request = p.request;
                        }
                        self.append(r)?;
                    }
                    if !plan.replace_lost {
                        out.status = Status::Lost;
                        out.why =
                            Some(format!("{msg}; run again with --replace-lost to replace it"));
                        return Ok(out);
                    }
                } else if !plan.replace {
                    let msg = format!(
                        "the user has an active {} {cid} that qrpin did not make; --replace deletes it and makes a new one",
                        segment(plan.kind)
                    );
                    if !plan.dry_run {
                        self.outcome_record(user, "exists", &msg, Some(&cid))?;
                    }
                    out.status = Status::Exists;
                    out.why = Some(msg);
                    return Ok(out);
                }
                if plan.dry_run {
                    out.status = Status::WouldReplace;
                    return Ok(out);
                }
                match self.client.delete_code(&user.id, plan.kind).await {
                    Ok(_) => replacing = true,
                    Err(e) => return self.fail(out, user, &why(&e)),
                }
            }
            let has_method = method.is_some();
            if plan.dry_run {
                out.status = Status::WouldCreate;
                out.code_id = None;
                return Ok(out);
            }
            out.code_id = None;
            out.expire = None;
            let result = if has_method {
                let mut intent = record(Event::Intent, user, plan.kind);
                intent.request = Some(format!("PATCH {}", segment(plan.kind)));
                self.append(intent)?;
                let dates = NewCode { start: plan.start, expire: plan.expire };
                self.client
                    .create_code(&user.id, plan.kind, dates)
                    .await
                    .map(|c| (c.status, c.body, "PATCH"))
            } else if plan.kind == CodeKind::Temporary {
                return self.fail(
                    out,
                    user,
                    "the user has no QR code + PIN method; a temporary code needs one (provision a standard code first)",
                );
            } else {
                let pin = match qrpin_codec::generate_pin(plan.pins.min_length, plan.pins) {
                    Ok(p) => p,
                    Err(e) => return self.fail(out, user, &format!("cannot generate a PIN: {e}")),
                };
                let mut intent = record(Event::Intent, user, plan.kind);
                intent.request = Some("PUT qrCodePinMethod".into());
                intent.pin = Some(pin.clone());
                self.append(intent)?;
                let dates = NewCode { start: plan.start, expire: plan.expire };
                self.client
                    .create_method(&user.id, dates, Some(&pin))
                    .await
                    .map(|c| (c.status, c.body, "PUT"))
            };
            match result {
                Ok((status, body, verb)) => {
                    let mut r = record(Event::Created, user, plan.kind);
                    r.request = Some(match verb {
                        "PUT" => "PUT qrCodePinMethod".to_owned(),
                        _ => format!("PATCH {}", segment(plan.kind)),
                    });
                    r.status = Some(status);
                    r.body = Some(body);
                    let code = r.created_code();
                    self.append(r.clone())?;
                    if code.as_ref().and_then(|c| c.image.as_ref()).is_none() {
                        let msg = "Graph's answer holds no qrCode image";
                        self.outcome_record(user, "failed", msg, None)?;
                        out.why = Some(msg.into());
                        return Ok(out);
                    }
                    let mut o = created_from(out, &r, true);
                    if replacing {
                        o.why = Some("replaced an existing code".into());
                    }
                    return Ok(o);
                }
                // The create may have been done: look again (the next round finds it as lost).
                Err(Error::Unknown { .. }) => continue,
                Err(e) if e.is_active_code_existed() => continue,
                Err(e) if e.status() == Some(404) && has_method => continue,
                Err(e) => return self.fail(out, user, &why(&e)),
            }
        }
        self.fail(out, user, &format!("gave up after {ROUNDS} tries whose outcome was unknown"))
    }

    /// A user who could not be resolved: journaled under the name the input gave (no id),
    /// so that `--status` lists it too.
    fn unresolved(
        &self,
        mut out: Outcome,
        u: &InputUser,
        msg: String,
    ) -> Result<Outcome, CliError> {
        if !self.plan.dry_run {
            let user = JournalUser {
                id: String::new(),
                user_principal_name: u.upn.clone().or(u.id.clone()).unwrap_or_else(|| u.label()),
                display_name: None,
            };
            self.outcome_record(&user, "failed", &msg, None)?;
        }
        out.why = Some(msg);
        Ok(out)
    }

    fn fail(&self, mut out: Outcome, user: &JournalUser, msg: &str) -> Result<Outcome, CliError> {
        if !self.plan.dry_run {
            self.outcome_record(user, "failed", msg, None)?;
        }
        out.status = Status::Failed;
        out.why = Some(msg.to_owned());
        Ok(out)
    }
}

/// A created outcome from a created record.
fn created_from(mut out: Outcome, rec: &Record, new: bool) -> Outcome {
    let code = rec.created_code();
    out.status = Status::Created;
    out.upn = Some(rec.user.user_principal_name.clone());
    out.id = Some(rec.user.id.clone());
    out.code_id = code.as_ref().and_then(|c| c.id.clone());
    out.expire = code.and_then(|c| c.expire_date_time).map(|d| d.to_string());
    out.why = None;
    out.new = new;
    out
}
