//! Batch input: CSV or JSON Lines rows, read one at a time and checked with the codec rules.
//!
//! Columns (CSV header names, JSON keys; matched without regard to case): `upn`, `codeId`,
//! optional `displayName`, `ecl`, `startDateTime`, `expireDateTime`, `file`. A JSON line may
//! instead be a Graph `qrCode` create response (it has `image` or `@odata.type`): the payload
//! then comes from `image.rawContent`, the level from `image.errorCorrectionLevel`.
//!
//! Memory does not grow with the number of rows: one row is read at a time, and a line longer
//! than [`MAX_LINE_BYTES`] is skipped (reported as a bad row) without being held in memory.
//! A bad row is a [`RowError`] and reading goes on; only unreadable input or an unusable CSV
//! header is an [`InputError`].

mod lines;

use std::io::BufRead;
use std::str::FromStr;

use serde::Deserialize;

use crate::datetime::DateTimeOffset;
use crate::ecl::Ecl;
use crate::graph::QrCode;
use crate::payload::{ParseOptions, Payload, PayloadBuf};
use lines::{Line, Lines};

/// The longest line (one CSV record or JSON line) read; longer ones are bad rows.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// The most CSV columns a row may have.
pub const MAX_COLUMNS: usize = 64;
/// The longest display name kept (characters).
pub const MAX_DISPLAY_NAME: usize = 256;

/// How the input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON Lines: one object per line, either the columns or a Graph qrCode.
    Jsonl,
}

impl InputFormat {
    /// The format a file name's extension implies (`.csv`; `.jsonl`, `.ndjson`, `.json`).
    pub fn from_path(path: &str) -> Option<InputFormat> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
            _ => None,
        }
    }
}

impl FromStr for InputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(InputFormat::Csv),
            "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
            _ => Err(format!("unknown input format {s:?} (expected csv or jsonl)")),
        }
    }
}

/// One valid input row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based number of the row among data rows (the CSV header is not a row).
    pub row: u64,
    /// 1-based line where the row starts.
    pub line: u64,
    /// The payload to render.
    pub payload: PayloadBuf,
    /// The worker's display name.
    pub display_name: Option<String>,
    /// The error-correction level asked for this row.
    pub ecl: Option<Ecl>,
    /// When the code becomes valid.
    pub start: Option<DateTimeOffset>,
    /// When the code expires.
    pub expire: Option<DateTimeOffset>,
    /// The output file name asked for this row (not yet checked as a file name).
    pub file: Option<String>,
}

/// A row that breaks a rule; reading goes on after it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} (line {line}): {message}")]
pub struct RowError {
    /// 1-based row number.
    pub row: u64,
    /// 1-based line where the row starts.
    pub line: u64,
    /// The row's code id as written, when it could be read.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Input that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Reading failed.
    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV header is missing or unusable.
    #[error("CSV header (line {line}): {message}")]
    Header {
        /// Its line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Column positions in a CSV header.
#[derive(Debug, Default)]
struct Columns {
    upn: usize,
    code_id: usize,
    display_name: Option<usize>,
    ecl: Option<usize>,
    start: Option<usize>,
    expire: Option<usize>,
    file: Option<usize>,
}

/// Reads rows one at a time.
pub struct RowReader<R> {
    lines: Lines<R>,
    format: InputFormat,
    columns: Option<Columns>,
    row: u64,
    buf: Vec<u8>,
    record: Vec<u8>,
}

/// The fields of a row before checking, whatever the format.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRow {
    upn: Option<String>,
    code_id: Option<String>,
    display_name: Option<String>,
    ecl: Option<String>,
    start_date_time: Option<String>,
    expire_date_time: Option<String>,
    file: Option<String>,
}

impl<R: BufRead> RowReader<R> {
    /// Starts reading; for CSV this reads and checks the header.
    pub fn new(input: R, format: InputFormat) -> Result<Self, InputError> {
        let mut r = RowReader {
            lines: Lines::new(input, MAX_LINE_BYTES),
            format,
            columns: None,
            row: 0,
            buf: Vec::new(),
            record: Vec::new(),
        };
        if format == InputFormat::Csv {
            r.read_header()?;
        }
        Ok(r)
    }

    fn read_header(&mut self) -> Result<(), InputError> {
        let header_err = |line, message: String| InputError::Header { line, message };
        loop {
            match self.lines.read(&mut self.buf)? {
                Line::Eof => return Err(header_err(0, "the input is empty".into())),
                Line::TooLong(n) => {
                    return Err(header_err(
                        self.lines.number,
                        format!("{n} bytes long; the limit is {MAX_LINE_BYTES}"),
                    ))
                }
                Line::Read if self.buf.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Read => break,
            }
        }
        let line = self.lines.number;
        let fields = parse_csv_record(&self.buf).map_err(|m| header_err(line, m))?;
        if fields.len() > MAX_COLUMNS {
            return Err(header_err(
                line,
                format!("{} columns; at most {MAX_COLUMNS}", fields.len()),
            ));
        }
        let mut found: [Option<usize>; 7] = [None; 7];
        const NAMES: [&str; 7] =
            ["upn", "codeid", "displayname", "ecl", "startdatetime", "expiredatetime", "file"];
        for (i, name) in fields.iter().enumerate() {
            let key = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            if let Some(k) = NAMES.iter().position(|n| *n == key) {
                if found[k].is_some() {
                    return Err(header_err(
                        line,
                        format!("column {:?} appears twice", name.trim()),
                    ));
                }
                found[k] = Some(i);
            }
        }
        let (Some(upn), Some(code_id)) = (found[0], found[1]) else {
            return Err(header_err(line, "needs the columns upn and codeId".into()));
        };
        self.columns = Some(Columns {
            upn,
            code_id,
            display_name: found[2],
            ecl: found[3],
            start: found[4],
            expire: found[5],
            file: found[6],
        });
        Ok(())
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err(_)))` for a bad row (go on reading),
    /// `Err(_)` when the input cannot be read further.
    pub fn next_row(&mut self) -> Result<Option<Result<Row, RowError>>, InputError> {
        loop {
            let first = match self.lines.read(&mut self.buf)? {
                Line::Eof => return Ok(None),
                Line::TooLong(n) => {
                    self.row += 1;
                    return Ok(Some(Err(self.error(
                        self.lines.number,
                        None,
                        format!("the line is {n} bytes long; the limit is {MAX_LINE_BYTES}"),
                    ))));
                }
                Line::Read => self.lines.number,
            };
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.row += 1;
            let raw = match self.format {
                InputFormat::Csv => self.csv_row(first)?.map(Parsed::Fields),
                InputFormat::Jsonl => match json_row(&self.buf) {
                    Ok(None) => {
                        // A journal record that holds no code (an intent, a PIN reset).
                        self.row -= 1;
                        continue;
                    }
                    Ok(Some(p)) => Ok(p),
                    Err(e) => Err(e),
                },
            };
            return Ok(Some(match raw {
                Ok(raw) => self.check(raw, first),
                Err((key, message)) => Err(self.error(first, key, message)),
            }));
        }
    }

    fn error(&self, line: u64, key: Option<String>, message: String) -> RowError {
        RowError { row: self.row, line, key, message }
    }

    /// Reads a CSV record that may continue over lines inside quotes.
    fn csv_row(&mut self, first: u64) -> Result<Result<RawRow, BadRow>, InputError> {
        self.record.clear();
        self.record.extend_from_slice(&self.buf);
        while quotes_open(&self.record) {
            match self.lines.read(&mut self.buf)? {
                Line::Read if self.record.len() + self.buf.len() < MAX_LINE_BYTES => {
                    self.record.push(b'\n');
                    self.record.extend_from_slice(&self.buf);
                }
                Line::Eof => return Ok(Err((None, "a quoted field is never closed".into()))),
                _ => {
                    return Ok(Err((
                        None,
                        format!(
                            "the record from line {first} is longer than {MAX_LINE_BYTES} bytes"
                        ),
                    )))
                }
            }
        }
        let fields = match parse_csv_record(&self.record) {
            Ok(f) => f,
            Err(m) => return Ok(Err((None, m))),
        };
        if fields.len() > MAX_COLUMNS {
            return Ok(Err((None, format!("{} columns; at most {MAX_COLUMNS}", fields.len()))));
        }
        let Some(c) = &self.columns else {
            return Ok(Err((None, "no header".into())));
        };
        let get =
            |i: Option<usize>| i.and_then(|i| fields.get(i)).filter(|s| !s.is_empty()).cloned();
        Ok(Ok(RawRow {
            upn: get(Some(c.upn)),
            code_id: get(Some(c.code_id)),
            display_name: get(c.display_name),
            ecl: get(c.ecl),
            start_date_time: get(c.start),
            expire_date_time: get(c.expire),
            file: get(c.file),
        }))
    }

    /// Applies the codec rules to a row's fields.
    fn check(&self, raw: Parsed, line: u64) -> Result<Row, RowError> {
        let key = raw.key();
        let fail = |message: String| Err(self.error(line, key.clone(), message));
        let (payload, fields) = match raw {
            Parsed::Fields(f) => {
                let (Some(upn), Some(code_id)) = (&f.upn, &f.code_id) else {
                    return fail("needs both upn and codeId".into());
                };
                match PayloadBuf::build(upn, code_id) {
                    Ok(p) => (p, f),
                    Err(e) => return fail(e.to_string()),
                }
            }
            Parsed::Graph(p, f) => (p, f),
        };
        let ecl = match fields.ecl.as_deref().map(str::parse::<Ecl>).transpose() {
            Ok(e) => e,
            Err(e) => return fail(e.to_string()),
        };
        let date = |v: &Option<String>, name: &str| -> Result<Option<DateTimeOffset>, String> {
            v.as_deref().map(|s| s.parse().map_err(|e| format!("{name}: {e}"))).transpose()
        };
        let start = match date(&fields.start_date_time, "startDateTime") {
            Ok(d) => d,
            Err(m) => return fail(m),
        };
        let expire = match date(&fields.expire_date_time, "expireDateTime") {
            Ok(d) => d,
            Err(m) => return fail(m),
        };
        if let (Some(s), Some(e)) = (&start, &expire) {
            if e.instant() <= s.instant() {
                return fail(format!("expireDateTime {e} is not after startDateTime {s}"));
            }
        }
        if let Some(name) = &fields.display_name {
            if name.chars().count() > MAX_DISPLAY_NAME {
                return fail(format!("displayName is longer than {MAX_DISPLAY_NAME} characters"));
            }
        }
        Ok(Row {
            row: self.row,
            line,
            payload,
            display_name: fields.display_name,
            ecl,
            start,
            expire,
            file: fields.file,
        })
    }
}

/// A row's fields, or a Graph response's payload with the fields it implies.
enum Parsed {
    Fields(RawRow),
    Graph(PayloadBuf, RawRow),
}

impl Parsed {
    fn key(&self) -> Option<String> {
        match self {
            Parsed::Fields(f) => f.code_id.clone(),
            Parsed::Graph(p, _) => Some(p.code_id().to_owned()),
        }
    }
}

/// A bad row before numbering: its key if known, and the message.
type BadRow = (Option<String>, String);

/// Whether a CSV record ends inside a quoted field (an odd number of `"`).
fn quotes_open(record: &[u8]) -> bool {
    record.iter().filter(|&&b| b == b'"').count() % 2 == 1
}

/// Splits one CSV record (RFC 4180 quoting) into fields.
fn parse_csv_record(record: &[u8]) -> Result<Vec<String>, String> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(record);
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => Ok(rec.iter().map(str::to_owned).collect()),
        Ok(false) => Ok(Vec::new()),
        Err(e) => Err(match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
            _ => format!("malformed CSV: {e}"),
        }),
    }
}

/// Reads one JSON line: the columns, a Graph qrCode response, or a `qrpin provision` journal
/// record (`None` for a record that holds no code).
fn json_row(line: &[u8]) -> Result<Option<Parsed>, BadRow> {
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| (None, format!("invalid JSON: {e}")))?;
    let obj = value.as_object().ok_or((None, "a JSON line must be an object".to_owned()))?;
    if obj.contains_key("journal") && obj.contains_key("event") {
        return journal_row(value);
    }
    let is_graph = obj.contains_key("image") || obj.contains_key("@odata.type");
    if !is_graph {
        let raw: RawRow =
            serde_json::from_value(value).map_err(|e| (None, format!("invalid row: {e}")))?;
        return Ok(Some(Parsed::Fields(raw)));
    }
    let code: QrCode =
        serde_json::from_slice(line).map_err(|e| (None, format!("invalid qrCode: {e}")))?;
    graph_row(code, None).map(Some)
}

/// A journal record: its created code, with the user's display name.
fn journal_row(value: serde_json::Value) -> Result<Option<Parsed>, BadRow> {
    let rec: crate::graph::journal::Record = serde_json::from_value(value)
        .map_err(|e| (None, format!("invalid journal record: {e}")))?;
    if rec.event != crate::graph::journal::Event::Created {
        return Ok(None);
    }
    let code = rec
        .created_code()
        .ok_or_else(|| (None, format!("journal record {}: the answer holds no qrCode", rec.seq)))?;
    graph_row(code, rec.user.display_name).map(Some)
}

/// A Graph qrCode create response as a row.
fn graph_row(code: QrCode, display_name: Option<String>) -> Result<Parsed, BadRow> {
    let key = code.id.clone();
    let err = |m: String| (key.clone(), m);
    let img = code
        .image
        .as_ref()
        .ok_or_else(|| err("the qrCode has no image (only create responses do)".into()))?;
    let raw =
        img.raw_content.as_deref().ok_or_else(|| err("image.rawContent is missing".into()))?;
    let bytes = crate::base64::decode(raw).map_err(|e| err(format!("image.rawContent: {e}")))?;
    let payload = Payload::parse_bytes(&bytes, ParseOptions::LENIENT)
        .map_err(|e| err(format!("image.rawContent: {e}")))?;
    if let Some(id) = code.id.as_deref() {
        let same = id.parse::<crate::Guid>().map(|g| g == payload.code_guid()).unwrap_or(false);
        if !same {
            return Err(err(format!(
                "the payload's codeId {} is not the qrCode id",
                payload.code_id()
            )));
        }
    }
    let fields = RawRow {
        upn: None,
        code_id: code.id.clone(),
        display_name,
        ecl: img.error_correction_level.and_then(|e| e.ecl()).map(|e| e.to_string()),
        start_date_time: code.start_date_time.as_ref().map(|d| d.to_string()),
        expire_date_time: code.expire_date_time.as_ref().map(|d| d.to_string()),
        file: None,
    };
    Ok(Parsed::Graph(payload.to_buf(), fields))
}

#[cfg(test)]
mod tests;
