//! [`Client`]: one HTTP client, its tokens, its pause and its limit, and the request loop
//! every typed call goes through.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::auth::Tokens;
use crate::config::ClientConfig;
use crate::retry::{parse_retry_after, Pause, RetryPolicy};
use crate::transport::describe;
use crate::Error;

/// Whether a request may be sent again when its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Reads and deletes: the same request twice does the same as once.
    Safe,
    /// Creates and resets: a second one may do it twice (or fail because the first did).
    Once,
}

/// An answer with a 2xx status.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
}

/// Counts of what a client did, for progress and reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent to Graph (every attempt).
    pub requests: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// Answers that were 429.
    pub throttled: u64,
    /// Time every task was paused by `Retry-After`, in milliseconds (overlaps counted once).
    pub paused_ms: u64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
}

/// A Graph client: cheap to clone (clones share tokens, the pause, the limit and the counts).
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: String,
    tokens: Tokens,
    retry: RetryPolicy,
    limit: Semaphore,
    pause: Pause,
    counters: Counters,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: Option<String>,
    message: Option<String>,
}

/// Why one attempt did not give a final answer.
enum Attempt {
    /// Try again after this long (`None`: the backoff).
    Again { after: Option<Duration>, why: String },
    /// Stop with this.
    Fail(Error),
}

impl Client {
    /// A client for `config`.
    ///
    /// # Errors
    /// [`Error::Config`] when the HTTP client cannot be built.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("qrpin/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base = format!("{}/{}", config.endpoints.graph, config.endpoints.version);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                tokens: Tokens::new(config.credentials, config.endpoints),
                retry: config.retry,
                limit: Semaphore::new(config.concurrency.max(1)),
                pause: Pause::default(),
                counters: Counters::default(),
            }),
        })
    }

    /// What this client (and its clones) did so far.
    pub fn stats(&self) -> Stats {
        let c = &self.inner.counters;
        Stats {
            requests: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            paused_ms: u64::try_from(self.inner.pause.total().as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Sends a request, retrying throttled and failed attempts; a 2xx answer is returned,
    /// anything else becomes an [`Error`].
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        repeat: Repeat,
    ) -> Result<Reply, Error> {
        let inner = &self.inner;
        let name = method_name(&method);
        let url = format!("{}{path}", inner.base);
        let body = body.map(|b| b.to_string());
        let mut refreshed = false;
        let mut last = String::new();
        let attempts = inner.retry.attempts.max(1);
        for attempt in 1..=attempts {
            if attempt > 1 {
                inner.counters.retries.fetch_add(1, Ordering::Relaxed);
            }
            let token = inner.tokens.get(&inner.http, &inner.retry).await?;
            let sent = {
                let _permit =
                    inner.limit.acquire().await.map_err(|_| {
                        Error::Config("the client's request limit was closed".into())
                    })?;
                // After the permit: a task that waited for its turn must not send inside a
                // pause that began meanwhile.
                inner.pause.wait().await;
                inner.counters.requests.fetch_add(1, Ordering::Relaxed);
                let mut req = inner
                    .http
                    .request(method.clone(), &url)
                    .header(AUTHORIZATION, format!("Bearer {}", token.expose()));
                if let Some(b) = &body {
                    req = req.header(CONTENT_TYPE, "application/json").body(b.clone());
                }
                match req.send().await {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let headers = resp.headers().clone();
                        match resp.text().await {
                            Ok(text) => Ok((status, headers, text)),
                            Err(e) => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                }
            };
            let outcome = match sent {
                Ok((status, _, text)) if (200..300).contains(&status) => {
                    return Ok(Reply { status, body: text })
                }
                Ok((401, _, _)) if !refreshed && inner.tokens.can_refresh() => {
                    // The token was refused (revoked, or the server restarted with a new key):
                    // fetch another once.
                    refreshed = true;
                    inner.tokens.invalidate().await;
                    Attempt::Again { after: Some(Duration::ZERO), why: "401".into() }
                }
                Ok((status, headers, text)) => {
                    self.judge(name, path, status, &headers, &text, attempt)
                }
                Err(e) if e.is_connect() => {
                    Attempt::Again { after: None, why: format!("cannot connect: {}", describe(&e)) }
                }
                Err(e) if repeat == Repeat::Once => {
                    return Err(Error::Unknown {
                        method: name,
                        path: path.to_owned(),
                        why: describe(&e),
                    })
                }
                Err(e) => Attempt::Again { after: None, why: describe(&e) },
            };
            match outcome {
                Attempt::Fail(e) => return Err(e),
                Attempt::Again { after, why } => {
                    last = why;
                    if attempt < attempts {
                        let wait = after.unwrap_or_else(|| inner.retry.backoff(attempt));
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
        Err(Error::GaveUp { method: name, path: path.to_owned(), attempts, last })
    }

    /// What a non-2xx answer means: retry (429, 503, 504) or fail.
    fn judge(
        &self,
        name: &'static str,
        path: &str,
        status: u16,
        headers: &HeaderMap,
        text: &str,
        attempt: u32,
    ) -> Attempt {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        match status {
            429 | 503 | 504
                if retry_after.is_some_and(|d| d > self.inner.retry.max_retry_after) =>
            {
                let secs = retry_after.unwrap_or_default().as_secs();
                Attempt::Fail(Error::GaveUp {
                    method: name,
                    path: path.to_owned(),
                    attempts: attempt,
                    last: format!("{status} with Retry-After {secs} s, longer than the {} s this client waits", self.inner.retry.max_retry_after.as_secs()),
                })
            }
            429 | 503 | 504 => {
                if status == 429 {
                    self.inner.counters.throttled.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(d) = retry_after {
                    // Graph throttles the app, not the connection: every task waits.
                    self.inner.pause.extend(d);
                    Attempt::Again { after: Some(Duration::ZERO), why: format!("{status}") }
                } else {
                    Attempt::Again { after: None, why: format!("{status}") }
                }
            }
            _ => {
                let detail = serde_json::from_str::<ErrorBody>(text).ok().and_then(|b| b.error);
                let (code, message) = match detail {
                    Some(d) => (
                        d.code.unwrap_or_else(|| "(no code)".into()),
                        d.message.unwrap_or_default(),
                    ),
                    None => ("(no Graph error)".into(), format!("{} bytes of body", text.len())),
                };
                let request_id = headers
                    .get("request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(|s| s.chars().take(100).collect());
                Attempt::Fail(Error::Graph {
                    method: name,
                    path: path.to_owned(),
                    status,
                    code,
                    message: message.chars().take(1000).collect(),
                    request_id,
                })
            }
        }
    }
}

fn method_name(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::POST => "POST",
        _ => "request",
    }
}
