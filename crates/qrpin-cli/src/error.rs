//! The one place where failures become exit codes and the final error message.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | a check ran and failed (invalid PIN, code does not match, …) |
//! | 2 | bad input or usage (unreadable file, malformed payload, bad flag value) |
//!
//! A leaf module: it names no other. The final message goes through [`crate::ui::Ui::fail`]
//! (and [`crate::ui::Ui::error`]): `error: <message>` on standard
//! error, or with `--json` exactly one JSON object as the last line of standard error:
//!
//! ```text
//! {"error":"bad UPN: '|' at byte 1 is not allowed","exit":2}
//! ```
//!
//! `"error"` is the same text the plain form prints (never empty; never a PIN), `"exit"` the
//! process's exit code (1 or 2). Clap's usage errors take the same shape under `--json`.

use std::fmt;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The input or the arguments were unusable: exit 2.
    BadInput(String),
    /// A check ran and its answer was "no": exit 1, with a one-line summary for stderr.
    CheckFailed(String),
    /// A check ran and failed, and the lines already printed say so (a report on standard
    /// output, per-item errors): exit 1. The message, a one-line summary, is printed as text
    /// only with `-q` (which hid those lines), and always with `--json`.
    Reported(String),
    /// Standard output went away (`qrpin … | head`): stop quietly with success.
    BrokenPipe,
}

impl CliError {
    /// Bad input with a message.
    pub fn bad_input(msg: impl fmt::Display) -> Self {
        CliError::BadInput(msg.to_string())
    }

    /// A failed check with a message.
    pub fn check_failed(msg: impl fmt::Display) -> Self {
        CliError::CheckFailed(msg.to_string())
    }

    /// A failed check whose details were already printed; `msg` sums it up.
    pub fn reported(msg: impl fmt::Display) -> Self {
        CliError::Reported(msg.to_string())
    }

    /// The message (empty for [`CliError::BrokenPipe`]).
    pub fn message(&self) -> &str {
        match self {
            CliError::BadInput(m) | CliError::CheckFailed(m) | CliError::Reported(m) => m,
            CliError::BrokenPipe => "",
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::CheckFailed(_) | CliError::Reported(_) => 1,
            CliError::BrokenPipe => 0,
        }
    }
}

impl From<std::io::Error> for CliError {
    /// Errors writing to standard output: a closed pipe is not a failure, anything else is.
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::BadInput(format!("cannot write output: {e}"))
        }
    }
}

/// The result of a subcommand.
pub type CliResult = Result<(), CliError>;
