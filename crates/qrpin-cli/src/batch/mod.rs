//! `qrpin batch`: render every row of a CSV / JSON Lines file, in parallel, safely.
//!
//! Rows are read one chunk at a time ([`CHUNK`] rows), so memory does not grow with the input.
//! For each chunk, names are given and collisions found in input order (first row wins), the
//! rows are rendered (and verified) in parallel with rayon, and the report lines are written in
//! input order, so the output does not depend on thread timing.

mod badges;
mod codes;
mod input;
mod names;
mod output;
mod report;
mod shard;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use qrpin_codec::rows::{Row, RowError, RowReader};
use qrpin_codec::Ecl;
use qrpin_render::RenderOptions;
use qrpin_scan::Scanner;
use rayon::prelude::*;

use crate::error::{CliError, CliResult};
use crate::ui::Ui;
use input::{input_format, open_input};
use names::Template;
use report::{ReportFile, RowReport, Status, Summary};
use shard::Shard;

/// Rows handled per parallel step.
const CHUNK: usize = 512;
/// Failed rows printed on stderr before the rest are only counted.
const MAX_ERRORS_SHOWN: u64 = 20;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// One PNG per row.
    Png,
    /// One SVG per row.
    Svg,
    /// A PNG and an SVG per row.
    Both,
}

/// Arguments of `qrpin batch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV (header: upn,codeId[,displayName,ecl,startDateTime,expireDateTime,file]) or JSON
    /// Lines (the same keys, or Graph qrCode create responses); `-` reads standard input.
    pub input: String,
    /// The directory to write into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// What to write per row.
    #[arg(long, value_enum, default_value = "png")]
    pub format: OutFormat,
    /// csv or jsonl; by default from the file extension (standard input: sniffed).
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Error-correction level for rows without an `ecl` column value [default: l, or m with
    /// --badge].
    #[arg(long, value_parser = parse_ecl)]
    pub ecl: Option<Ecl>,
    /// Pixels per module (PNG) / pixel unit (SVG).
    #[arg(long, default_value_t = 5)]
    pub scale: u32,
    /// Quiet zone in modules.
    #[arg(long, default_value_t = 4)]
    pub border: u32,
    /// Resolution written into PNGs (pHYs).
    #[arg(long)]
    pub dpi: Option<u32>,
    /// File name template: {codeId}, {upn}, {row}; the `file` column overrides it.
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Decode every file before writing it; a row whose file does not read back fails.
    #[arg(long)]
    pub verify: bool,
    /// Skip rows whose output already exists and decodes to the row's code.
    #[arg(long)]
    pub resume: bool,
    /// Only this shard of the rows: K/N (K from 0), `k8s` (JOB_COMPLETION_INDEX with
    /// --shard-count) or `slurm` (SLURM_ARRAY_TASK_ID/_MIN/_COUNT).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Number of shards, with the index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u64>,
    /// Write one JSON line per row and a summary line to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write a printable badge per row (name, UPN, validity) instead of a bare code.
    #[arg(long)]
    pub badge: bool,
    /// With --badge: the file format of each badge.
    #[arg(long, value_enum, default_value = "pdf", requires = "badge")]
    pub badge_format: BadgeFormat,
    /// With --badge: card (85.6 x 54 mm) or card-portrait.
    #[arg(long, value_enum, default_value = "card", requires = "badge")]
    pub layout: BadgeLayout,
    /// With --badge: printed size of the code including its quiet zone, e.g. 2in, 40mm.
    #[arg(long, value_name = "LEN", default_value = "2in", requires = "badge")]
    pub qr_size: String,
    /// With --badge: an organisation line on every badge.
    #[arg(long, value_name = "TEXT", requires = "badge")]
    pub org: Option<String>,
    /// With --badge: one PDF of N-up sheets (DIR/badges.pdf) instead of a file per badge.
    #[arg(long, value_enum, requires = "badge")]
    pub sheet: Option<crate::cmd::badge::SheetArg>,
}

/// Badge file formats in batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BadgeFormat {
    /// Vector PDF.
    Pdf,
    /// PNG at --dpi (default 300).
    Png,
    /// SVG.
    Svg,
}

/// Badge layouts in batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BadgeLayout {
    /// ID-1 card, landscape.
    Card,
    /// ID-1 card, portrait.
    CardPortrait,
}

fn parse_ecl(s: &str) -> Result<Ecl, String> {
    s.parse().map_err(|e: qrpin_codec::UnknownEcl| e.to_string())
}

/// Everything a worker needs, checked.
struct Config {
    out: PathBuf,
    pngs: bool,
    svgs: bool,
    ecl: Ecl,
    render: RenderOptions,
    dpi: Option<u32>,
    template: Template,
    verify: bool,
    resume: bool,
    temp_prefix: String,
    badge: Option<badges::BadgeConfig>,
}

/// Per-thread buffers, reused across rows.
struct Worker {
    png: Vec<u8>,
    svg: String,
    scanner: Scanner,
    fonts: Option<qrpin_render::badge::FontSet>,
}

/// One row's result, before it is reported.
struct Done {
    report: RowReport,
    /// With `--badge --sheet`: the badge, placed on sheets at the end.
    sheet: Option<qrpin_render::badge::BadgeSvg>,
}

/// The progress bar's layout (shown only on a terminal, and not with `-q`). The bar follows the
/// input's bytes (known up front for a file); the message counts rows and their rate, see
/// [`progress_message`].
const PROGRESS: &str = "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} \
                        (eta {eta})";

/// The progress bar's message: rows done so far, and codes written per second since the start
/// (the figure the summary line ends with).
fn progress_message(rows: u64, written: u64, elapsed: std::time::Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 0.001 {
        return format!("{rows} rows");
    }
    format!("{rows} rows, {:.0} codes/s", written as f64 / secs)
}

/// Runs `qrpin batch`. Standard error gets the first [`MAX_ERRORS_SHOWN`] failed rows (all of
/// them and a line per row with `-v`, none with `-q`) and a summary line; `--json` prints the
/// summary as JSON on standard output instead.
pub fn run(args: Args, ui: &Ui) -> CliResult {
    let started = Instant::now();
    let shard =
        Shard::from_args(args.shard.as_deref(), args.shard_count, |k| std::env::var(k).ok())
            .map_err(CliError::bad_input)?;
    let template = match &args.name {
        Some(t) => Template::parse(t).map_err(CliError::bad_input)?,
        None => Template::default(),
    };
    let render =
        RenderOptions { scale: args.scale, border: args.border, ..RenderOptions::default() };
    render.validate().map_err(CliError::bad_input)?;
    if let Some(dpi) = args.dpi {
        qrpin_render::check_dpi(dpi).map_err(CliError::bad_input)?;
    }
    if args.jobs == Some(0) {
        return Err(CliError::bad_input("--jobs must be at least 1"));
    }
    let badge = badges::BadgeConfig::from_args(&args)?;
    let cfg = Config {
        out: args.out.clone(),
        pngs: args.format != OutFormat::Svg,
        svgs: args.format != OutFormat::Png,
        ecl: args.ecl.unwrap_or(if badge.is_some() { Ecl::M } else { Ecl::L }),
        render,
        dpi: args.dpi,
        template,
        verify: args.verify,
        resume: args.resume,
        temp_prefix: output::temp_prefix(shard.index),
        badge,
    };

    let (mut input, total_bytes, consumed) = open_input(&args.input)?;
    let format = input_format(&args, &mut input)?;
    let mut reader = RowReader::new(input, format)
        .map_err(|e| CliError::bad_input(format!("{}: {e}", args.input)))?;
    output::prepare_dir(&cfg.out, shard.index)
        .map_err(|e| CliError::bad_input(format!("cannot use --out {}: {e}", cfg.out.display())))?;
    let mut report = match &args.report {
        Some(p) => Some(ReportFile::create(p).map_err(|e| {
            CliError::bad_input(format!("cannot write --report {}: {e}", p.display()))
        })?),
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| CliError::bad_input(format!("cannot start worker threads: {e}")))?;
    let progress = ui.progress_bar(total_bytes, PROGRESS);

    let mut summary = Summary::default();
    let mut seen = Seen::default();
    let mut chunk: Vec<Result<Row, RowError>> = Vec::with_capacity(CHUNK);
    let mut input_error = None;
    let mut sheet_badges = Vec::new();
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            match reader.next_row() {
                Ok(Some(item)) => {
                    let key = match &item {
                        Ok(r) => Some(r.payload.code_id()),
                        Err(e) => e.key.as_deref(),
                    };
                    if shard.owns(key) {
                        chunk.push(item);
                    } else {
                        summary.other_shards += 1;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    input_error = Some(format!("{}: {e}", args.input));
                    break;
                }
            }
        }
        if chunk.is_empty() {
            break;
        }
        // Names in input order: the first row to claim a name keeps it.
        let planned: Vec<Result<(&Row, String), RowReport>> =
            chunk.iter().map(|item| plan(item, &cfg, &mut seen)).collect();
        let mut done: Vec<Done> = pool.install(|| {
            planned
                .par_iter()
                .map_init(
                    || Worker {
                        png: Vec::new(),
                        svg: String::new(),
                        scanner: Scanner::default(),
                        fonts: cfg
                            .badge
                            .as_ref()
                            .map(|_| qrpin_render::badge::FontSet::with_system_fallback()),
                    },
                    |w, p| match p {
                        Ok((row, stem)) if cfg.badge.is_some() => {
                            badges::process(row, stem, &cfg, w)
                        }
                        Ok((row, stem)) => {
                            Done { report: codes::process(row, stem, &cfg, w), sheet: None }
                        }
                        Err(r) => Done { report: r.clone(), sheet: None },
                    },
                )
                .collect()
        });
        for d in &mut done {
            if let Some(b) = d.sheet.take() {
                sheet_badges.push(b);
            }
            summary.count(d.report.status);
            let r = &d.report;
            if r.status == Status::Failed && (summary.failed <= MAX_ERRORS_SHOWN || ui.is_verbose())
            {
                let why = r.error.as_deref().unwrap_or("failed");
                progress
                    .suspend(|| ui.problem(format_args!("row {} (line {}): {why}", r.row, r.line)));
            } else if r.status != Status::Failed && ui.is_verbose() {
                let status = if r.status == Status::Ok { "written" } else { "already there" };
                progress.suspend(|| {
                    ui.verbose(format_args!(
                        "row {} (line {}): {status}: {}",
                        r.row,
                        r.line,
                        r.output.join(", ")
                    ))
                });
            }
            if let Some(r) = report.as_mut() {
                r.row(&d.report)
                    .map_err(|e| CliError::bad_input(format!("cannot write the report: {e}")))?;
            }
        }
        progress.set_position(consumed.load(Ordering::Relaxed));
        progress.set_message(progress_message(summary.rows, summary.ok, started.elapsed()));
        if input_error.is_some() {
            break;
        }
    }
    progress.finish_and_clear();
    if let Some(b) = &cfg.badge {
        badges::write_sheets(b, &sheet_badges, &cfg)?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    if let Some(r) = report {
        r.finish(&summary, input_error.as_deref())
            .map_err(|e| CliError::bad_input(format!("cannot write the report: {e}")))?;
    }
    if summary.failed > MAX_ERRORS_SHOWN && !ui.is_verbose() {
        ui.problem(format_args!(
            "… and {} more failed rows (see --report)",
            summary.failed - MAX_ERRORS_SHOWN
        ));
    }
    if ui.json() {
        ui.print_json(&serde_json::json!({
            "summary": summary,
            "inputError": input_error,
            "out": cfg.out.display().to_string(),
            "report": args.report.as_ref().map(|p| p.display().to_string()),
        }))?;
    } else {
        ui.summary(summary.line());
    }
    if let Some(e) = input_error {
        return Err(CliError::bad_input(e));
    }
    if summary.failed > 0 {
        return Err(CliError::reported(format!(
            "{} of {} rows failed",
            summary.failed, summary.rows
        )));
    }
    Ok(())
}

/// What earlier rows claimed: file names and code ids, as 64-bit hashes so memory stays flat
/// for millions of rows (a false match needs about 2^32 rows).
#[derive(Default)]
struct Seen {
    names: HashSet<u64>,
    /// Code id hash → the row that has it.
    ids: HashMap<u64, u64>,
}

fn hash64(v: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Names a row's output and claims its code id and file name, or reports why the row cannot
/// be done. The first row to claim either keeps it; a later one fails, so nothing is
/// overwritten silently.
fn plan<'a>(
    item: &'a Result<Row, RowError>,
    cfg: &Config,
    seen: &mut Seen,
) -> Result<(&'a Row, String), RowReport> {
    let row = match item {
        Ok(row) => row,
        Err(e) => return Err(failed(e.row, e.line, e.key.clone(), e.message.clone())),
    };
    let key = Some(row.payload.code_id().to_owned());
    if let Some(first) = seen.ids.get(&hash64(row.payload.as_payload().code_guid())) {
        let msg = format!("codeId {} already appears in row {first}", row.payload.code_id());
        return Err(failed(row.row, row.line, key, msg));
    }
    seen.ids.insert(hash64(row.payload.as_payload().code_guid()), row.row);
    let stem = names::stem_for(row, &cfg.template)
        .map_err(|m| failed(row.row, row.line, key.clone(), m))?;
    // Case-insensitive, as file systems on Windows and macOS are.
    if !seen.names.insert(hash64(stem.to_lowercase())) {
        return Err(failed(
            row.row,
            row.line,
            key,
            format!("the file name {stem:?} is already used by an earlier row"),
        ));
    }
    Ok((row, stem))
}

fn failed(row: u64, line: u64, key: Option<String>, message: String) -> RowReport {
    RowReport { row, line, key, output: Vec::new(), status: Status::Failed, error: Some(message) }
}

#[cfg(test)]
mod tests {
    use super::progress_message;
    use std::time::Duration;

    #[test]
    fn progress_counts_rows_and_their_rate() {
        assert_eq!(progress_message(0, 0, Duration::ZERO), "0 rows");
        assert_eq!(
            progress_message(25_000, 24_000, Duration::from_secs(2)),
            "25000 rows, 12000 codes/s"
        );
    }
}
