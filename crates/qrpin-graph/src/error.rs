//! What a call can fail with. No message ever holds a token, a secret, a PIN or a code's
//! content: Graph's own error messages do not, and transport errors are described, not quoted
//! with their request.

/// A failed call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Graph answered with an error (after any retries).
    #[error("{method} {path}: {status} {code}: {message}{}", request_id.as_deref().map(|r| format!(" (request-id {r})")).unwrap_or_default())]
    Graph {
        /// The request's method.
        method: &'static str,
        /// The request's path (user ids and UPNs, never a query or a secret).
        path: String,
        /// The HTTP status.
        status: u16,
        /// Graph's `error.code`, e.g. `ActiveQRCodeExisted`.
        code: String,
        /// Graph's `error.message`.
        message: String,
        /// Graph's `request-id` header, for Microsoft support.
        request_id: Option<String>,
    },
    /// A write was sent and its answer never came (the connection dropped, or it timed out):
    /// it may or may not have been done. It is not retried; look at what Graph holds.
    #[error("{method} {path}: no answer ({why}); the write may or may not have been done")]
    Unknown {
        /// The request's method.
        method: &'static str,
        /// The request's path.
        path: String,
        /// What happened to the connection.
        why: String,
    },
    /// Graph could not be reached, or kept failing, within the attempts allowed.
    #[error("{method} {path}: gave up after {attempts} attempts: {last}")]
    GaveUp {
        /// The request's method.
        method: &'static str,
        /// The request's path.
        path: String,
        /// How many were made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The token endpoint refused, or its answer could not be read.
    #[error("sign-in failed: {0}")]
    Auth(String),
    /// Graph answered 2xx with a body that is not what the API documents.
    #[error("{method} {path}: unexpected answer: {why}")]
    Response {
        /// The request's method.
        method: &'static str,
        /// The request's path.
        path: String,
        /// What was wrong with it.
        why: String,
    },
    /// The client was set up wrongly (a bad URL, say).
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// Graph's error code, for [`Error::Graph`].
    pub fn graph_code(&self) -> Option<&str> {
        match self {
            Error::Graph { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status, for [`Error::Graph`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Graph { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is Graph's 400 `ActiveQRCodeExisted`: the user already has an active code
    /// of that kind.
    pub fn is_active_code_existed(&self) -> bool {
        self.graph_code().is_some_and(|c| c.eq_ignore_ascii_case(ACTIVE_QR_CODE_EXISTED))
    }
}

/// Graph's error code for a second active code of one kind.
pub const ACTIVE_QR_CODE_EXISTED: &str = "ActiveQRCodeExisted";
