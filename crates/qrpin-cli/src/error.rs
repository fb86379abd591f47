//! The one place where failures become exit codes.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | a check ran and failed (invalid PIN, code does not match, …) |
//! | 2 | bad input or usage (unreadable file, malformed payload, bad flag value) |

use std::fmt;
use std::process::ExitCode;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The input or the arguments were unusable: exit 2.
    BadInput(String),
    /// A check ran and its answer was "no": exit 1. The report was already printed; the message
    /// is a one-line summary for stderr, or empty to print nothing more.
    CheckFailed(String),
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

    /// Prints the message (if any) to stderr and returns the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            CliError::BadInput(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(2)
            }
            CliError::CheckFailed(msg) => {
                if !msg.is_empty() {
                    eprintln!("error: {msg}");
                }
                ExitCode::from(1)
            }
            CliError::BrokenPipe => ExitCode::SUCCESS,
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
