//! Access tokens: the client-credentials grant, cached and refreshed before expiry.

use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::{Credentials, Endpoints};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::Error;

/// A token is refreshed when less than this much of its life is left (or a quarter of its
/// lifetime, for short-lived tokens).
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// Hands out a valid token, fetching a new one when the cached one is near its end.
#[derive(Debug)]
pub(crate) struct Tokens {
    credentials: Credentials,
    endpoints: Endpoints,
    cached: Mutex<Option<Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    token: Secret,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
    error_description: Option<String>,
}

impl Tokens {
    pub(crate) fn new(credentials: Credentials, endpoints: Endpoints) -> Tokens {
        Tokens { credentials, endpoints, cached: Mutex::new(None) }
    }

    /// Whether a refused token can be replaced by fetching another.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ClientSecret { .. })
    }

    /// A token to send now.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
    ) -> Result<Secret, Error> {
        let (tenant, client_id, secret) = match &self.credentials {
            Credentials::Bearer(t) => return Ok(t.clone()),
            Credentials::ClientSecret { tenant, client_id, secret } => (tenant, client_id, secret),
        };
        // One fetch at a time: the lock is held across it, so tasks that find the token stale
        // together wait for one new token instead of each fetching their own.
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref() {
            if Instant::now() < c.refresh_at {
                return Ok(c.token.clone());
            }
        }
        let fresh = self.fetch(http, retry, tenant, client_id, secret).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets the cached token (Graph refused it).
    pub(crate) async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
        tenant: &str,
        client_id: &str,
        secret: &Secret,
    ) -> Result<Cached, Error> {
        let url = format!(
            "{}/{}/oauth2/v2.0/token",
            self.endpoints.login,
            percent_encoding::utf8_percent_encode(tenant, crate::transport::SEGMENT)
        );
        let scope = format!("{}/.default", self.endpoints.graph);
        let form = serde_urlencoded::to_string([
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.expose()),
            ("scope", scope.as_str()),
        ])
        .map_err(|e| Error::Auth(format!("cannot encode the token request: {e}")))?;
        let mut last = String::new();
        for attempt in 1..=retry.attempts.max(1) {
            let started = Instant::now();
            let sent = http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form.clone())
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = crate::transport::describe(&e);
                    tokio::time::sleep(retry.backoff(attempt)).await;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            let body =
                resp.bytes().await.map_err(|e| Error::Auth(crate::transport::describe(&e)))?;
            if status == 429 || status >= 500 {
                last = format!("the token endpoint answered {status}");
                tokio::time::sleep(retry.backoff(attempt)).await;
                continue;
            }
            if !(200..300).contains(&status) {
                let e: TokenError = serde_json::from_slice(&body)
                    .unwrap_or(TokenError { error: None, error_description: None });
                return Err(Error::Auth(format!(
                    "the token endpoint answered {status} {}: {}",
                    e.error.as_deref().unwrap_or("(no error code)"),
                    e.error_description.as_deref().unwrap_or("(no description)")
                )));
            }
            let reply: TokenReply = serde_json::from_slice(&body)
                .map_err(|e| Error::Auth(format!("the token answer is not readable: {e}")))?;
            if reply.access_token.is_empty() {
                return Err(Error::Auth("the token answer holds an empty access_token".into()));
            }
            let life = Duration::from_secs(reply.expires_in.unwrap_or(3600));
            let margin = REFRESH_MARGIN.min(life / 4);
            return Ok(Cached {
                token: Secret::new(reply.access_token),
                refresh_at: started + life.saturating_sub(margin),
            });
        }
        Err(Error::Auth(format!("gave up after {} attempts: {last}", retry.attempts)))
    }
}
