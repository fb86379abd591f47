//! The `--report` file: one JSON line per row, then a summary line; and the stderr summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Rendered (and verified, with `--verify`) and written.
    Ok,
    /// `--resume`: a valid output was already there.
    Exists,
    /// Not done; see `error`.
    Failed,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// 1-based row number.
    pub row: u64,
    /// 1-based line where the row starts.
    pub line: u64,
    /// The row's code id, when it could be read.
    pub key: Option<String>,
    /// The files written or found, relative to the working directory.
    pub output: Vec<String>,
    /// The outcome.
    pub status: Status,
    /// Why it failed.
    pub error: Option<String>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    /// Rows of this shard read.
    pub rows: u64,
    /// Rows written.
    pub ok: u64,
    /// Rows whose output already existed (`--resume`).
    pub exists: u64,
    /// Rows that failed.
    pub failed: u64,
    /// Rows that belong to other shards.
    pub other_shards: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Summary {
    /// Adds one row's outcome.
    pub fn count(&mut self, s: Status) {
        self.rows += 1;
        match s {
            Status::Ok => self.ok += 1,
            Status::Exists => self.exists += 1,
            Status::Failed => self.failed += 1,
        }
    }

    /// One line for stderr.
    pub fn line(&self) -> String {
        let rate = if self.seconds > 0.0 { self.ok as f64 / self.seconds } else { 0.0 };
        let mut s = format!(
            "batch: {} rows: {} written, {} already there, {} failed in {:.2} s ({:.0} codes/s)",
            self.rows, self.ok, self.exists, self.failed, self.seconds, rate
        );
        if self.other_shards > 0 {
            s.push_str(&format!("; {} rows belong to other shards", self.other_shards));
        }
        s
    }
}

/// Writes report lines to a temporary file beside the report, renamed into place by
/// [`ReportFile::finish`], so a report is never half-written.
pub struct ReportFile {
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl ReportFile {
    /// Starts a report at `path`.
    pub fn create(path: &Path) -> std::io::Result<ReportFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new().prefix(".qrpin-report-").tempfile_in(dir)?;
        Ok(ReportFile { out: std::io::BufWriter::new(tmp), path: path.to_owned() })
    }

    /// Adds a row.
    pub fn row(&mut self, r: &RowReport) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, r)?;
        self.out.write_all(b"\n")
    }

    /// Adds the summary (and an input error, if reading stopped early) and moves the report
    /// into place.
    pub fn finish(mut self, summary: &Summary, input_error: Option<&str>) -> std::io::Result<()> {
        let v = serde_json::json!({"summary": summary, "inputError": input_error});
        serde_json::to_writer(&mut self.out, &v)?;
        self.out.write_all(b"\n")?;
        let tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}
