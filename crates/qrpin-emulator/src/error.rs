//! Why an emulator could not start. (Errors it answers requests with are Graph's, in
//! `graph_error`.)

use std::path::PathBuf;

/// Why an emulator could not start or load its users.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The users file could not be read.
    #[error("cannot read {path}: {source}")]
    UsersRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A user record is malformed, named by its line.
    #[error("{path}, line {line}: {message}")]
    UsersRecord {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// More users than [`crate::MAX_USERS`].
    #[error("{path} holds more than {max} users")]
    TooManyUsers {
        /// The file.
        path: PathBuf,
        /// The limit.
        max: usize,
    },
    /// The state database could not be opened or written.
    #[error("state file {path}: {message}")]
    State {
        /// The file (`:memory:` for in-memory state).
        path: PathBuf,
        /// What SQLite or the file system said.
        message: String,
    },
    /// A setting is out of range.
    #[error("{0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}
