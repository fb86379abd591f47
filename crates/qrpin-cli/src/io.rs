//! Reading the inputs every subcommand shares: a TEXT argument or standard input, and files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `dir/name` atomically: a temporary file named `prefix…` in the same
/// directory, renamed over the final name once complete (a rename within a directory is
/// atomic). A file it replaces keeps its permissions; a new one gets 0666 less the umask.
///
/// Atomic against the process being killed, which is what `batch --resume` relies on. There
/// is no `fsync`: surviving a power cut is the file system's job, and syncing each of tens of
/// thousands of files would cost more than rendering them.
pub fn write_atomic_in(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    prefix: &str,
) -> std::io::Result<PathBuf> {
    let path = dir.join(name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o666);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

/// Writes one output file atomically (see [`write_atomic_in`]); errors name the file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| CliError::bad_input(format!("{} is not a file name", path.display())))?;
    write_atomic_in(dir, name, bytes, ".qrpin-tmp-")
        .map(|_| ())
        .map_err(|e| CliError::bad_input(format!("cannot write {}: {e}", path.display())))
}

/// Writes a file that holds secrets (PINs, Graph answers): mode 0600 from the start, synced to
/// disk (file, then directory) before it replaces `path`, so a crash leaves the old file or the
/// whole new one, never a part, and never a moment where others could read it.
pub fn write_secret_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail =
        |e: std::io::Error| CliError::bad_input(format!("cannot write {}: {e}", path.display()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".qrpin-tmp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    sync_dir(dir).map_err(fail)
}

/// Syncs a directory, so that a file created or renamed in it survives a crash.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
