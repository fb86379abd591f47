//! Where Graph is and who signs in.

use std::time::Duration;

use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// Microsoft Graph's public cloud.
pub const GRAPH_URL: &str = "https://graph.microsoft.com";
/// The identity platform's public cloud.
pub const LOGIN_URL: &str = "https://login.microsoftonline.com";

/// The base URLs. `qrpin graph serve` serves both on one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Graph, without a trailing slash or version (`https://graph.microsoft.com`).
    pub graph: String,
    /// The identity platform (`https://login.microsoftonline.com`).
    pub login: String,
    /// The API version path segment: `beta` (the QR code + PIN method is documented there
    /// first) or `v1.0`.
    pub version: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints { graph: GRAPH_URL.into(), login: LOGIN_URL.into(), version: "beta".into() }
    }
}

impl Endpoints {
    /// Both URLs checked (http or https, a host) and their trailing slashes removed.
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the bad URL.
    pub fn new(graph: &str, login: &str) -> Result<Endpoints, crate::Error> {
        Ok(Endpoints { graph: base(graph)?, login: base(login)?, version: "beta".into() })
    }
}

fn base(url: &str) -> Result<String, crate::Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| crate::Error::Config(format!("{url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(crate::Error::Config(format!("{url:?} is not an http(s) URL with a host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(crate::Error::Config(format!("{url:?}: a base URL has no query or fragment")));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// How the client gets its access tokens.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// The OAuth 2.0 client-credentials grant of an app registration: tokens fetched from the
    /// tenant's token endpoint and refreshed before they expire.
    ClientSecret {
        /// The tenant id or domain.
        tenant: String,
        /// The app registration's application (client) id.
        client_id: String,
        /// Its client secret.
        secret: Secret,
    },
    /// A bearer token obtained elsewhere (never refreshed: when it expires, calls fail with 401).
    Bearer(Secret),
}

/// Everything a [`crate::Client`] needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where Graph and the token endpoint are.
    pub endpoints: Endpoints,
    /// Who signs in.
    pub credentials: Credentials,
    /// The most requests in flight at once (at least 1).
    pub concurrency: usize,
    /// Retries of throttled and failed requests.
    pub retry: RetryPolicy,
    /// How long one attempt may take before it counts as failed (a write: as unknown).
    pub timeout: Duration,
}

impl ClientConfig {
    /// Default endpoints, 4 requests at a time, the default retries, 60 s per attempt.
    pub fn new(credentials: Credentials) -> ClientConfig {
        ClientConfig {
            endpoints: Endpoints::default(),
            credentials,
            concurrency: 4,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
        }
    }
}
