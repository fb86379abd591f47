//! `qrpin graph get USER` and `qrpin graph delete USER`: look at or remove a user's QR code +
//! PIN method in Graph. Nothing secret is printed: Graph returns no image and no PIN on reads.

use std::io::Write;

use qrpin_codec::graph::{CodeKind, QrCode};
use time::OffsetDateTime;

use crate::cmd::graph_client::{runtime, GraphArgs};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;

/// Arguments of `qrpin graph get`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// The user: a UPN or an object id.
    pub user: String,
    /// Graph and sign-in.
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// Arguments of `qrpin graph delete`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["standard", "temporary", "method"])))]
pub struct DeleteArgs {
    /// The user: a UPN or an object id.
    pub user: String,
    /// Delete the standard code.
    #[arg(long)]
    pub standard: bool,
    /// Delete the temporary code.
    #[arg(long)]
    pub temporary: bool,
    /// Delete the whole method (codes and PIN).
    #[arg(long)]
    pub method: bool,
    /// Graph and sign-in.
    #[command(flatten)]
    pub graph: GraphArgs,
}

fn code_line(name: &str, c: Option<&QrCode>, now: OffsetDateTime) -> String {
    let Some(c) = c else { return format!("  {name:<16} none") };
    let active = c.expire_date_time.as_ref().is_some_and(|e| e.instant() > now);
    let date = |d: &Option<qrpin_codec::DateTimeOffset>| match d {
        Some(d) if d.is_min_value() => "never".to_owned(),
        Some(d) => d.to_string(),
        None => "-".to_owned(),
    };
    format!(
        "  {name:<16} {}  {}  start {}  expires {}  created {}  last used {}",
        c.id.as_deref().unwrap_or("-"),
        if active { "active " } else { "expired" },
        date(&c.start_date_time),
        date(&c.expire_date_time),
        date(&c.created_date_time),
        date(&c.last_used_date_time),
    )
}

/// Runs `qrpin graph get`: exit 0 (with or without a method), 2 for an unknown user.
pub fn get(a: GetArgs, ui: &Ui) -> CliResult {
    let client = a.graph.client(ui)?;
    // The user first: Graph answers 404 both for an unknown user and for a user without the
    // method, and only the second is "no method".
    let method = runtime()?
        .block_on(async {
            client.get_user(&a.user).await?;
            client.get_method(&a.user).await
        })
        .map_err(|e| match e.status() {
            Some(404) => CliError::bad_input(format!("{} is not a user of the directory", a.user)),
            _ => graph_error(e),
        })?;
    let mut out = std::io::stdout().lock();
    if ui.json() {
        let mut m = serde_json::to_value(&method).map_err(CliError::bad_input)?;
        // Reads carry no image or PIN; make sure none is ever printed.
        for k in ["standardQRCode", "temporaryQRCode"] {
            if let Some(c) = m.get_mut(k).and_then(|c| c.as_object_mut()) {
                c.remove("image");
            }
        }
        if let Some(p) = m.get_mut("pin").and_then(|p| p.as_object_mut()) {
            p.remove("code");
        }
        writeln!(out, "{}", serde_json::json!({"user": a.user, "method": m}))?;
        return Ok(());
    }
    let Some(m) = method else {
        writeln!(out, "{}: no QR code + PIN method", a.user)?;
        return Ok(());
    };
    let now = OffsetDateTime::now_utc();
    writeln!(out, "{}: QR code + PIN method {}", a.user, m.id.as_deref().unwrap_or("-"))?;
    writeln!(out, "{}", code_line("standardQRCode", m.standard_qr_code.as_ref(), now))?;
    writeln!(out, "{}", code_line("temporaryQRCode", m.temporary_qr_code.as_ref(), now))?;
    match &m.pin {
        Some(p) => writeln!(
            out,
            "  {:<16} forceChangePinNextSignIn {}  created {}  updated {}",
            "pin",
            p.force_change_pin_next_sign_in.map_or("-".to_owned(), |b| b.to_string()),
            p.created_date_time.as_ref().map_or("-".to_owned(), |d| d.to_string()),
            p.updated_date_time.as_ref().map_or("-".to_owned(), |d| d.to_string()),
        )?,
        None => writeln!(out, "  {:<16} none", "pin")?,
    }
    Ok(())
}

/// Runs `qrpin graph delete`: exit 0 deleted, 1 nothing to delete.
pub fn delete(a: DeleteArgs, ui: &Ui) -> CliResult {
    let client = a.graph.client(ui)?;
    let rt = runtime()?;
    let (what, deleted) = if a.method {
        ("QR code + PIN method", rt.block_on(client.delete_method(&a.user)))
    } else if a.temporary {
        ("temporary code", rt.block_on(client.delete_code(&a.user, CodeKind::Temporary)))
    } else {
        ("standard code", rt.block_on(client.delete_code(&a.user, CodeKind::Standard)))
    };
    let deleted = deleted.map_err(graph_error)?;
    if ui.json() {
        println!("{}", serde_json::json!({"user": a.user, "deleted": deleted, "what": what}));
    }
    if deleted {
        ui.note(format_args!("deleted the {what} of {}", a.user));
        Ok(())
    } else {
        Err(CliError::check_failed(format!("{} has no {what} to delete", a.user)))
    }
}

/// A Graph failure as a CLI error: Graph's 4xx for what was asked is bad input (exit 2),
/// anything else (unreachable, throttled past the retries) a failure (exit 1).
pub fn graph_error(e: qrpin_graph::Error) -> CliError {
    match e.status() {
        Some(s) if (400..500).contains(&s) => CliError::bad_input(e),
        _ => CliError::check_failed(e),
    }
}
