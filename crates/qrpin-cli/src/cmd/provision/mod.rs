//! `qrpin provision USERS --out DIR`: codes for a list of users through Microsoft Graph,
//! every answer journaled before anything else happens, then badges and PIN slips from the
//! journal. `qrpin provision --status DIR` says where each user stands.
//!
//! Modules: [`users`] reads USERS; [`journal`] is the journal file and its index; [`engine`]
//! does one user against Graph; [`outputs`] makes badges and PIN slips; [`status`] reads a
//! journal back for `--status`.

pub mod engine;
pub mod journal;
pub mod outputs;
pub mod reset;
pub mod status;
pub mod users;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use qrpin_codec::graph::CodeKind;
use qrpin_codec::PinPolicy;
use time::{Duration, OffsetDateTime};

use crate::cmd::badge::StyleArgs;
use crate::cmd::graph_client::{runtime, GraphArgs};
use crate::error::{CliError, CliResult};
use crate::ui::Ui;
use engine::{Engine, Outcome, Plan, Status};
use journal::{Index, JournalFile};
use outputs::BadgeFormat;

/// Arguments of `qrpin provision`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").args(["standard", "temporary"])))]
pub struct Args {
    /// The users: CSV with a header or JSON Lines, with userPrincipalName (or upn) and/or id,
    /// optional displayName.
    #[arg(required_unless_present = "status", value_name = "USERS")]
    pub users: Option<String>,
    /// The folder for the journal, badges/ and pin-slips.pdf (created, mode 0700).
    #[arg(long, value_name = "DIR", required_unless_present = "status")]
    pub out: Option<PathBuf>,
    /// Say where every user of DIR's journal stands (created, exists, lost, failed) and exit.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["users", "out", "dry_run"])]
    pub status: Option<PathBuf>,
    /// Standard codes (the default), living --days.
    #[arg(long)]
    pub standard: bool,
    /// Temporary codes, living --hours.
    #[arg(long, conflicts_with = "days")]
    pub temporary: bool,
    /// A standard code's lifetime in days (default: the policy's standardQRCodeLifetimeInDays).
    #[arg(long, value_name = "D", value_parser = clap::value_parser!(u32).range(1..=395))]
    pub days: Option<u32>,
    /// A temporary code's lifetime in hours, 1-12.
    #[arg(long, value_name = "H", requires = "temporary", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub hours: Option<u32>,
    /// When new codes start: an RFC 3339 date-time or YYYY-MM-DD (default: now).
    #[arg(long, value_name = "T")]
    pub start: Option<String>,
    /// Delete a user's existing active code first (without it such users are `exists`).
    #[arg(long)]
    pub replace: bool,
    /// Delete a code whose create answer was lost (a `lost` user) and make a new one.
    #[arg(long = "replace-lost")]
    pub replace_lost: bool,
    /// Say what would be done; write nothing, to Graph or to DIR.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// Decode every badge and check it holds its rawContent.
    #[arg(long)]
    pub verify: bool,
    /// Badge file format.
    #[arg(long = "badge-format", value_enum, default_value = "pdf")]
    pub badge_format: BadgeFormat,
    /// How badges look (as `qrpin badge`).
    #[command(flatten)]
    pub style: StyleArgs,
    /// Write one JSON line per user here (no secrets).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Graph and sign-in.
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// Runs `qrpin provision`.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    if let Some(dir) = &args.status {
        return status::run(dir, ui);
    }
    let (Some(users_path), Some(dir)) = (args.users.clone(), args.out.clone()) else {
        return Err(CliError::bad_input("give USERS and --out DIR (or --status DIR)"));
    };
    let started = Instant::now();
    if let Some(report) = &args.report {
        // Found out now, not after every user was done.
        let parent =
            report.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(CliError::bad_input(format!(
                "--report {}: the folder {} does not exist",
                report.display(),
                parent.display()
            )));
        }
    }
    let users = users::read_users(&users_path)?;
    if users.is_empty() {
        return Err(CliError::bad_input(format!("{users_path}: no users")));
    }
    let start = match &args.start {
        None => OffsetDateTime::now_utc(),
        Some(s) => parse_start(s)?,
    };
    let kind = if args.temporary { CodeKind::Temporary } else { CodeKind::Standard };
    let client = args.graph.client(ui)?;
    let rt = runtime()?;
    let (journal, records) = if args.dry_run {
        (None, journal::read_only(&dir, ui)?)
    } else {
        outputs::create_private_dir(&dir)?;
        let (j, r) = JournalFile::open(&dir, ui)?;
        (Some(j), r)
    };
    let outcomes = rt.block_on(async {
        // The policy gives the default lifetime and the shortest PIN.
        let policy = match client.get_policy().await {
            Ok(p) => Some(p),
            Err(e) => {
                ui.warn(format_args!(
                    "cannot read the method's policy ({e}); assuming PINs of 8 digits{}",
                    if kind == CodeKind::Standard && args.days.is_none() { " and 365-day codes" } else { "" }
                ));
                None
            }
        };
        if let Some(p) = &policy {
            if p.state.as_deref() == Some("disabled") {
                return Err(CliError::check_failed(
                    "the QR code + PIN method is disabled in the tenant's authentication methods policy",
                ));
            }
        }
        let lifetime = match kind {
            CodeKind::Temporary => Duration::hours(i64::from(args.hours.unwrap_or(12))),
            CodeKind::Standard => {
                let days = args
                    .days
                    .or(policy.as_ref().and_then(|p| p.standard_qr_code_lifetime_in_days))
                    .unwrap_or(365);
                Duration::days(i64::from(days))
            }
        };
        let pin_len = policy.as_ref().and_then(|p| p.pin_length).unwrap_or(8) as usize;
        let pins = PinPolicy::with_min_length(pin_len.clamp(8, 20)).unwrap_or_default();
        let plan = Plan {
            kind,
            start,
            expire: start + lifetime,
            replace: args.replace,
            replace_lost: args.replace_lost,
            dry_run: args.dry_run,
            pins,
        };
        let engine = Arc::new(Engine {
            client: client.clone(),
            journal,
            index: Mutex::new(Index::new(&records)),
            plan,
        });
        run_all(engine, users, usize::from(args.graph.jobs), ui, &client).await
    })?;
    let graph_secs = started.elapsed().as_secs_f64();
    let mut outcomes = outcomes;
    if args.dry_run {
        return finish(&args, &outcomes, &client, (started, graph_secs), None, ui);
    }
    // Badges and PIN slips, from the journal as it is on disk now.
    let records = journal::read_only(&dir, ui)?;
    let codes = outputs::latest_codes(&records);
    let wanted: std::collections::HashSet<String> = outcomes
        .iter()
        .filter(|o| o.status == Status::Created)
        .filter_map(|o| o.id.clone())
        .collect();
    let kind_name = journal::kind_name(kind);
    let codes: Vec<_> = codes
        .into_iter()
        .filter(|j| {
            wanted.contains(&j.record.user.id) && j.record.kind.as_deref() == Some(kind_name)
        })
        .collect();
    let made = outputs::make_badges(&dir, &codes, args.badge_format, &args.style, args.verify)?;
    for p in &made.problems {
        if let Some(o) = outcomes.iter_mut().find(|o| o.id.as_deref() == Some(&p.user_id)) {
            o.status = Status::Failed;
            o.why = Some(p.why.clone());
        }
    }
    let slips = outputs::write_pin_slips(&dir, &records)?;
    let mut formats: Vec<String> =
        made.graph_images.iter().map(|(k, n)| format!("{n} {k}")).collect();
    formats.sort();
    ui.note(format_args!(
        "badges: {} written, {} kept from an earlier run{}{} in {}; Graph's images: {}",
        made.written,
        made.kept,
        if args.verify { format!(", {} verified", made.verified) } else { String::new() },
        if made.problems.is_empty() {
            String::new()
        } else {
            format!(", {} failed", made.problems.len())
        },
        dir.join(outputs::BADGES_DIR).display(),
        if formats.is_empty() { "none".to_owned() } else { formats.join(", ") }
    ));
    if let Some((path, n)) = &slips {
        ui.note(format_args!("PIN slips: {n} in {}", path.display()));
    }
    finish(&args, &outcomes, &client, (started, graph_secs), Some(&dir), ui)
}

/// `--start`: RFC 3339 or a plain date (midnight UTC).
fn parse_start(s: &str) -> Result<OffsetDateTime, CliError> {
    let full = if s.len() == 10 { format!("{s}T00:00:00Z") } else { s.to_owned() };
    OffsetDateTime::parse(&full, &time::format_description::well_known::Rfc3339).map_err(|e| {
        CliError::bad_input(format!("--start {s:?}: {e} (give RFC 3339 or YYYY-MM-DD)"))
    })
}

/// Runs every user, `jobs` at a time, with a progress bar on a terminal.
async fn run_all(
    engine: Arc<Engine>,
    users: Vec<users::InputUser>,
    jobs: usize,
    ui: &Ui,
    client: &qrpin_graph::Client,
) -> Result<Vec<Outcome>, CliError> {
    let total = users.len();
    let users = Arc::new(users);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Result<Outcome, CliError>)>();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..jobs.min(total).max(1) {
        let (engine, users, next, tx) = (engine.clone(), users.clone(), next.clone(), tx.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(u) = users.get(i) else { break };
                let r = engine.user(u).await;
                let stop = r.is_err();
                if tx.send((i, r)).is_err() || stop {
                    break;
                }
            }
        });
    }
    drop(tx);
    let bar = ui.progress_bar(
        Some(total as u64),
        "{bar:30} {pos}/{len} users  {msg}  {elapsed_precise} (ETA {eta})",
    );
    let started = Instant::now();
    let mut results: Vec<Option<Outcome>> = vec![None; total];
    let mut failure = None;
    while let Some((i, r)) = rx.recv().await {
        match r {
            Ok(o) => {
                if ui.is_verbose() {
                    ui.verbose(format_args!("{} {}", o.status.name(), o.label));
                }
                results[i] = Some(o);
            }
            Err(e) => {
                // The journal cannot be written: stop every worker, nothing more is safe.
                failure = Some(e);
                next.store(usize::MAX / 2, Ordering::Relaxed);
            }
        }
        let s = client.stats();
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{:.0} requests/s, {} throttled, {:.1} s paused",
            s.requests as f64 / secs,
            s.throttled,
            s.paused_ms as f64 / 1000.0
        ));
        bar.inc(1);
    }
    while tasks.join_next().await.is_some() {}
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(results
        .into_iter()
        .zip(users.iter())
        .map(|(r, u)| {
            r.unwrap_or_else(|| Outcome { why: Some("not run".into()), ..Outcome::of(u) })
        })
        .collect())
}

/// The JSON line of a user in reports (no secrets).
pub fn outcome_json(o: &Outcome) -> serde_json::Value {
    let mut v = serde_json::json!({
        "userPrincipalName": o.upn,
        "id": o.id,
        "status": o.status.name(),
        "codeId": o.code_id,
        "expireDateTime": o.expire,
    });
    if let Some(w) = &o.why {
        v["why"] = w.clone().into();
    }
    v
}

/// The report, the summary line and the exit code.
fn finish(
    args: &Args,
    outcomes: &[Outcome],
    client: &qrpin_graph::Client,
    (started, graph_secs): (Instant, f64),
    dir: Option<&Path>,
    ui: &Ui,
) -> CliResult {
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    if let Some(path) = &args.report {
        let mut text = Vec::new();
        for o in outcomes {
            writeln!(text, "{}", outcome_json(o))?;
        }
        crate::io::write_file_atomic(path, &text)?;
    }
    if args.dry_run || ui.json() {
        let mut out = std::io::stdout().lock();
        for o in outcomes {
            if ui.json() {
                writeln!(out, "{}", outcome_json(o))?;
            } else if args.dry_run {
                writeln!(
                    out,
                    "{:<13} {}{}",
                    o.status.name(),
                    o.label,
                    o.why.as_deref().map(|w| format!("  ({w})")).unwrap_or_default()
                )?;
            }
        }
    }
    let s = client.stats();
    let mut parts = vec![format!("{} created", count(Status::Created))];
    for (st, n) in [
        (Status::WouldCreate, count(Status::WouldCreate)),
        (Status::WouldReplace, count(Status::WouldReplace)),
        (Status::Exists, count(Status::Exists)),
        (Status::Lost, count(Status::Lost)),
        (Status::Failed, count(Status::Failed)),
    ] {
        if n > 0 || matches!(st, Status::Failed) {
            parts.push(format!("{n} {}", st.name()));
        }
    }
    let new = outcomes.iter().filter(|o| o.new).count();
    ui.summary(format_args!(
        "provision: {} users: {} ({new} new this run); {} requests, {} retries, {} throttled, {:.1} s paused; {:.1} s (Graph {graph_secs:.1} s, {:.1} users/s){}",
        outcomes.len(),
        parts.join(", "),
        s.requests,
        s.retries,
        s.throttled,
        s.paused_ms as f64 / 1000.0,
        started.elapsed().as_secs_f64(),
        outcomes.len() as f64 / graph_secs.max(1e-6),
        dir.map(|d| format!("; journal in {}", d.join(journal::JOURNAL_FILE).display())).unwrap_or_default()
    ));
    for o in outcomes.iter().filter(|o| {
        !matches!(o.status, Status::Created | Status::WouldCreate | Status::WouldReplace)
    }) {
        if !ui.is_verbose() {
            ui.problem(format_args!(
                "{}: {}: {}",
                o.label,
                o.status.name(),
                o.why.as_deref().unwrap_or("")
            ));
        }
    }
    let done = outcomes
        .iter()
        .all(|o| matches!(o.status, Status::Created | Status::WouldCreate | Status::WouldReplace));
    if done {
        Ok(())
    } else {
        let not = outcomes.len()
            - count(Status::Created)
            - count(Status::WouldCreate)
            - count(Status::WouldReplace);
        Err(CliError::reported(format!("{not} of {} users not done", outcomes.len())))
    }
}
