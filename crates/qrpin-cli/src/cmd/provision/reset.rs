//! `qrpin pin reset USER… --out DIR`: new temporary PINs through Graph (`PATCH .../pin`),
//! journaled like provisioning's answers and printed on PIN slips.

use std::path::PathBuf;

use qrpin_codec::graph::journal::{Event, JournalUser};
use qrpin_codec::graph::CodeKind;
use qrpin_graph::Error;

use super::journal::{record, JournalFile};
use super::outputs;
use crate::cmd::graph_client::{runtime, GraphArgs};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Arguments of `qrpin pin reset`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The users: UPNs or object ids.
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
    /// The folder of the journal and pin-slips.pdf (a `qrpin provision --out` folder is fine;
    /// pin-slips.pdf then holds every user's latest PIN).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Graph and sign-in.
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// Runs `qrpin pin reset`: exit 0 when every PIN was reset and journaled, 1 otherwise.
pub fn run(a: Args, ui: &Ui) -> CliResult {
    if a.users.len() > super::users::MAX_USERS {
        return Err(CliError::bad_input("too many users; use a file with qrpin provision"));
    }
    let client = a.graph.client(ui)?;
    outputs::create_private_dir(&a.out)?;
    let (journal, _) = JournalFile::open(&a.out, ui)?;
    let rt = runtime()?;
    let mut failed = 0usize;
    for key in &a.users {
        let r: Result<(), String> = rt.block_on(async {
            let d = client.get_user(key).await.map_err(|e| match e.status() {
                Some(404) => format!("{key} is not a user of the directory"),
                _ => e.to_string(),
            })?;
            let user = JournalUser {
                id: d.id,
                user_principal_name: d.user_principal_name,
                display_name: d.display_name,
            };
            let mut intent = record(Event::Intent, &user, CodeKind::Standard);
            intent.request = Some("PATCH pin".into());
            intent.kind = None;
            journal.append(intent).map_err(|e| e.message().to_owned())?;
            match client.reset_pin(&user.id).await {
                Ok(c) => {
                    let mut rec = record(Event::PinReset, &user, CodeKind::Standard);
                    rec.kind = None;
                    rec.request = Some("PATCH pin".into());
                    rec.status = Some(c.status);
                    rec.body = Some(c.body);
                    journal.append(rec).map_err(|e| e.message().to_owned())?;
                    Ok(())
                }
                Err(e @ Error::Unknown { .. }) => {
                    Err(format!("{e}: the PIN may have changed and nobody has it; reset it again"))
                }
                Err(e) => Err(e.to_string()),
            }
        });
        match r {
            Ok(()) => ui.note(format_args!("reset the PIN of {key}")),
            Err(why) => {
                failed += 1;
                ui.problem(format_args!("{key}: {why}"));
            }
        }
    }
    let records = super::journal::read_only(&a.out, ui)?;
    if let Some((path, n)) = outputs::write_pin_slips(&a.out, &records)? {
        ui.note(format_args!("PIN slips: {n} in {}", path.display()));
    }
    ui.summary(format_args!(
        "pin reset: {} users: {} reset, {failed} failed",
        a.users.len(),
        a.users.len() - failed
    ));
    match failed {
        0 => Ok(()),
        n => Err(CliError::reported(format!("{n} of {} PINs not reset", a.users.len()))),
    }
}
