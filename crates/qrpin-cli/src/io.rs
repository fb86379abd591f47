//! Reading the inputs every subcommand shares: a TEXT argument or standard input, and files.

use std::io::Read;

use crate::error::CliError;

/// The most bytes read from standard input or a text file: payloads and Graph responses are
/// small, so anything larger is refused before it is read into memory.
pub const MAX_TEXT_INPUT: u64 = 16 * 1024 * 1024;

/// Returns `text` if given, else all of standard input with one final line ending (`\n` or
/// `\r\n`) removed: the line ending belongs to the shell, not to the payload. Anything else,
/// including a second newline, is kept and judged by the parser.
pub fn text_or_stdin(text: Option<String>) -> Result<Vec<u8>, CliError> {
    if let Some(t) = text {
        return Ok(t.into_bytes());
    }
    let mut buf = read_limited(std::io::stdin().lock(), "standard input")?;
    if buf.ends_with(b"\r\n") {
        buf.truncate(buf.len() - 2);
    } else if buf.ends_with(b"\n") {
        buf.truncate(buf.len() - 1);
    }
    Ok(buf)
}

/// Reads a whole file (or standard input for `-`), refusing more than [`MAX_TEXT_INPUT`] bytes.
pub fn read_file_or_stdin(path: &str) -> Result<Vec<u8>, CliError> {
    if path == "-" {
        return read_limited(std::io::stdin().lock(), "standard input");
    }
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::bad_input(format!("cannot open {path}: {e}")))?;
    read_limited(file, path)
}

fn read_limited(r: impl Read, name: &str) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    r.take(MAX_TEXT_INPUT + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::bad_input(format!("cannot read {name}: {e}")))?;
    if buf.len() as u64 > MAX_TEXT_INPUT {
        return Err(CliError::bad_input(format!(
            "{name} is larger than the {MAX_TEXT_INPUT}-byte limit for text input"
        )));
    }
    Ok(buf)
}
