//! The request log on standard error: one line per request, never a token, PIN or content.
//!
//! `2026-12-02T09:30:00.1234567Z app=<client id> PUT /beta/users/<id>/authentication/qrCodePinMethod 201 1.2ms`
//! followed by `retry-after=N` on throttled answers, `fault=...` on injected ones and
//! `dropped` when the connection was dropped after the write. Paths hold user ids and UPNs
//! (directory data, not secrets); query strings are left out.

use std::io::Write;
use std::time::Duration;

/// What one line says.
pub struct Line<'a> {
    /// When the request arrived (Graph format).
    pub at: &'a str,
    /// The calling app, if the token was read.
    pub app: Option<&'a str>,
    /// The method.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The answer's status (0 when the connection was dropped).
    pub status: u16,
    /// Time spent.
    pub took: Duration,
    /// Extra words (`retry-after=1`, `fault=503`, `dropped`).
    pub note: &'a str,
}

/// Writes the line to standard error (one `write` call, so lines never interleave).
pub fn request(l: &Line<'_>) {
    let path: String = l.path.chars().filter(|c| !c.is_control()).take(400).collect();
    let mut s = format!(
        "{} app={} {} {} {} {:.1}ms",
        l.at,
        l.app.unwrap_or("-"),
        l.method,
        path,
        l.status,
        l.took.as_secs_f64() * 1e3
    );
    if !l.note.is_empty() {
        s.push(' ');
        s.push_str(l.note);
    }
    s.push('\n');
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}
