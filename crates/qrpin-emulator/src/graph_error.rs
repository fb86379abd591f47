//! Graph's error answers: a status, a code and a message, written as
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.

use axum::http::StatusCode;

/// One error answer. Messages never hold a token, a PIN or a code's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Graph's `error.code`.
    pub code: &'static str,
    /// Graph's `error.message`.
    pub message: String,
    /// `Retry-After` in seconds, for 429 and 503.
    pub retry_after: Option<u64>,
}

impl GraphError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        GraphError { status, code, message: message.into(), retry_after: None }
    }

    /// 400 `BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 400 with a specific code.
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 `Request_ResourceNotFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Request_ResourceNotFound", message)
    }

    /// 401 `InvalidAuthenticationToken`.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message)
    }

    /// 403 `Authorization_RequestDenied`.
    pub fn denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Authorization_RequestDenied", message)
    }

    /// With a `Retry-After`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The JSON body, with the request's ids and the time.
    pub fn body(&self, date: &str, request_id: &str, client_request_id: &str) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": date,
                    "request-id": request_id,
                    "client-request-id": client_request_id,
                }
            }
        })
    }
}

/// The codes the emulator answers with, for the OpenAPI description and the docs.
pub const ACTIVE_QR_CODE_EXISTED: &str = "ActiveQRCodeExisted";
/// A code's lifetime is longer than allowed.
pub const LIFETIME_EXCEEDS_LIMIT: &str = "qrCodeLifeTimeExceedLimit";
