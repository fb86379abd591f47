//! What the typed calls and the token fetch share about HTTP: how a path segment is escaped and
//! how a transport failure is put into words. A leaf: it names no other module.

use percent_encoding::{AsciiSet, CONTROLS};

/// Characters percent-encoded in one path segment (a UPN's `@` stays, as Graph writes it).
pub(crate) const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'?')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// A transport error in words, without its URL (which is ours anyway) or any header.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer's body broke off"
    } else if e.is_request() {
        "the connection closed before an answer"
    } else {
        "transport error"
    };
    let mut source = std::error::Error::source(e);
    let mut chain = String::new();
    while let Some(s) = source {
        chain = s.to_string();
        source = s.source();
    }
    if chain.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {chain}")
    }
}
