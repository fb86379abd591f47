//! Opening `batch`'s input: a file or standard input, counted for the progress bar, and
//! telling CSV from JSON Lines.

use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use qrpin_codec::rows::InputFormat;

use super::Args;
use crate::error::CliError;

/// Counts bytes read, for the progress bar.
pub struct Counting<R> {
    inner: R,
    n: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

/// The buffered, counted input.
pub type Input = BufReader<Counting<Box<dyn Read>>>;

/// Opens the input (`-` is standard input): the reader, its length if known, and the count of
/// bytes read so far.
pub fn open_input(path: &str) -> Result<(Input, Option<u64>, Arc<AtomicU64>), CliError> {
    let n = Arc::new(AtomicU64::new(0));
    let (inner, len): (Box<dyn Read>, Option<u64>) = if path == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(path)
            .map_err(|e| CliError::bad_input(format!("cannot open {path}: {e}")))?;
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    Ok((BufReader::with_capacity(64 * 1024, Counting { inner, n: n.clone() }), len, n))
}

/// The input format: `--input-format`, else the file extension, else (standard input) sniffed.
pub fn input_format(args: &Args, input: &mut Input) -> Result<InputFormat, CliError> {
    if let Some(f) = &args.input_format {
        return f.parse().map_err(CliError::bad_input);
    }
    if let Some(f) = InputFormat::from_path(&args.input) {
        return Ok(f);
    }
    if args.input == "-" {
        // Sniff: JSON Lines start with '{'.
        let head = input
            .fill_buf()
            .map_err(|e| CliError::bad_input(format!("cannot read standard input: {e}")))?;
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        return Ok(if first == Some(&b'{') { InputFormat::Jsonl } else { InputFormat::Csv });
    }
    Err(CliError::bad_input(format!(
        "{}: cannot tell the input format from the name; use --input-format csv|jsonl",
        args.input
    )))
}
