//! `qrpin provision --status DIR`: where each user of a journal stands, from the journal alone
//! (no Graph call, no sign-in).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use qrpin_codec::graph::journal::{Event, Record};

use super::engine::{Outcome, Status};
use super::journal::{self, JOURNAL_FILE};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Each user's standing, in the order they first appear in the journal.
pub fn standings(records: &[Record]) -> Vec<Outcome> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut latest: HashMap<(String, String), Outcome> = HashMap::new();
    for r in records {
        if r.event == Event::PinReset {
            continue;
        }
        // Users never resolved have no id: they are known by the name the input gave.
        let who = if r.user.id.is_empty() {
            format!("name:{}", r.user.user_principal_name)
        } else {
            r.user.id.clone()
        };
        let key = (who, r.kind.clone().unwrap_or_default());
        let o = latest.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Outcome {
                label: r.user.user_principal_name.clone(),
                upn: Some(r.user.user_principal_name.clone()),
                id: Some(r.user.id.clone()).filter(|i| !i.is_empty()),
                status: Status::Failed,
                code_id: None,
                expire: None,
                why: None,
                new: false,
            }
        });
        match r.event {
            Event::Created => {
                let code = r.created_code();
                o.status = Status::Created;
                o.code_id = code.as_ref().and_then(|c| c.id.clone());
                o.expire = code.and_then(|c| c.expire_date_time).map(|d| d.to_string());
                o.why = None;
            }
            Event::Intent => {
                // Sent, and no answer journaled after it (yet).
                o.status = Status::Failed;
                o.why = Some(format!(
                    "{} was sent and no answer was journaled (a crash or a lost answer); run provision again to find out",
                    r.request.as_deref().unwrap_or("a create")
                ));
            }
            Event::Outcome => {
                o.status = match r.outcome.as_deref() {
                    Some("exists") => Status::Exists,
                    Some("lost") => Status::Lost,
                    _ => Status::Failed,
                };
                o.code_id = r.code_id.clone();
                o.expire = None;
                o.why = r.why.clone();
            }
            Event::PinReset => {}
        }
    }
    order.into_iter().filter_map(|k| latest.remove(&k)).collect()
}

/// Runs `--status DIR`: exit 0 when every user is created, 1 otherwise.
pub fn run(dir: &Path, ui: &Ui) -> CliResult {
    if !dir.join(JOURNAL_FILE).exists() {
        return Err(CliError::bad_input(format!(
            "{}: no {JOURNAL_FILE} (is this a qrpin provision --out folder?)",
            dir.display()
        )));
    }
    let records = journal::read_only(dir, ui)?;
    let all = standings(&records);
    let mut out = std::io::stdout().lock();
    let width = all.iter().map(|o| o.label.len()).max().unwrap_or(0);
    for o in &all {
        if ui.json() {
            writeln!(out, "{}", super::outcome_json(o))?;
        } else {
            let detail = match o.status {
                Status::Created => format!(
                    "{}  expires {}",
                    o.code_id.as_deref().unwrap_or("-"),
                    o.expire.as_deref().unwrap_or("-")
                ),
                _ => o.why.clone().unwrap_or_default(),
            };
            writeln!(out, "{:<8} {:<width$}  {detail}", o.status.name(), o.label)?;
        }
    }
    let created = all.iter().filter(|o| o.status == Status::Created).count();
    ui.summary(format_args!(
        "{}: {} users: {created} created, {} exists, {} lost, {} failed",
        dir.display(),
        all.len(),
        all.iter().filter(|o| o.status == Status::Exists).count(),
        all.iter().filter(|o| o.status == Status::Lost).count(),
        all.iter().filter(|o| o.status == Status::Failed).count(),
    ));
    if created == all.len() {
        Ok(())
    } else {
        Err(CliError::reported(format!(
            "{} of {} users not created",
            all.len() - created,
            all.len()
        )))
    }
}
