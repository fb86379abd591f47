//! A Microsoft Graph client for the QR code + PIN method of Microsoft Entra.
//!
//! ```no_run
//! use qrpin_graph::{Client, ClientConfig, Credentials, Secret};
//! # async fn demo() -> Result<(), qrpin_graph::Error> {
//! let client = Client::new(ClientConfig::new(Credentials::ClientSecret {
//!     tenant: "contoso.onmicrosoft.com".into(),
//!     client_id: "3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002".into(),
//!     secret: Secret::new(std::env::var("QRPIN_CLIENT_SECRET").unwrap_or_default()),
//! }))?;
//! let user = client.get_user("avery@contoso.com").await?;
//! let method = client.get_method(&user.id).await?;
//! println!("{} has a method: {}", user.user_principal_name, method.is_some());
//! # Ok(()) }
//! ```
//!
//! - [`Client`]: typed calls ([`Client::get_method`], [`Client::create_method`],
//!   [`Client::create_code`], [`Client::reset_pin`], …) on `qrpin_codec::graph`'s types.
//!   Creates and resets return [`Created`], the body exactly as Graph sent it.
//! - Tokens: the client-credentials grant ([`Credentials::ClientSecret`]), cached and fetched
//!   again before they expire, or a bearer token ([`Credentials::Bearer`]). A [`Secret`]
//!   never prints.
//! - Retries ([`RetryPolicy`]): 429, 503 and 504 again after `Retry-After` (seconds or an HTTP
//!   date) or an exponential backoff with full jitter; any answer with `Retry-After`
//!   pauses every task of the client (Graph throttles per app). A `Retry-After` is waited
//!   out in full (up to [`RetryPolicy::max_retry_after`]), never cut short. Connection failures before a
//!   request was sent are retried; a write whose answer was lost is not, and comes back as
//!   [`Error::Unknown`] for the caller to resolve by reading what Graph holds.
//! - [`ClientConfig::concurrency`] bounds the requests in flight; [`Client::stats`] counts
//!   requests, retries, throttled answers and paused time.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod auth;
mod client;
mod config;
mod error;
pub mod retry;
mod secret;
mod transport;

pub use api::{Created, DirectoryUser, MethodPolicy, NewCode};
pub use client::{Client, Stats};
pub use config::{ClientConfig, Credentials, Endpoints, GRAPH_URL, LOGIN_URL};
pub use error::{Error, ACTIVE_QR_CODE_EXISTED};
pub use qrpin_codec::graph::CodeKind;
pub use retry::RetryPolicy;
pub use secret::Secret;
/// The `time` crate, whose `OffsetDateTime` the dates of [`NewCode`] are.
pub use time;
