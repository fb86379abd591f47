//! A local Microsoft Graph for Entra's "QR code + PIN" sign-in method, for tests.
//!
//! The emulator serves, on one loopback address, what a Graph client of this method talks to:
//! the `qrCodePinMethod` API under `/beta/` and `/v1.0/` (method, standard and temporary codes,
//! PIN reset and change, the method's policy, `GET /users/{id | upn}`), the Microsoft identity
//! platform's token endpoint (`POST /{tenant}/oauth2/v2.0/token`, client credentials and
//! password grants, signed JWTs), and `GET /openapi.json`. It follows Microsoft's documented
//! rules (one active code of each kind, lifetimes, the image and a generated PIN returned once,
//! PIN rules and policy length) and answers every error in Graph's error shape. State lives in
//! memory or in an SQLite file that keeps every acknowledged write across a crash. Seeded faults
//! (429, 503, 504, dropped connections after a write), a per-app token bucket and added latency
//! let a client's retry logic be tested. Where Microsoft's documentation is silent, the choice
//! made is listed in `docs/emulator.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), qrpin_emulator::EmulatorError> {
//! use qrpin_emulator::{Config, Emulator};
//!
//! let emulator = Emulator::start(Config::default()).await?;
//! println!("{}", emulator.base_url()); // http://127.0.0.1:PORT
//! // ... point a Graph client at it ...
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Not here: any other Graph API, real Entra key material (the opaque field in a code's content
//! is random bytes), sign-in with a code, and TLS (it listens on loopback only).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod auth;
mod body;
mod clock;
mod config;
mod error;
mod faults;
mod graph_error;
mod image;
mod jwt;
mod log;
mod openapi;
mod policy;
mod route;
mod server;
mod service;
mod store;
mod users;

pub use config::{
    Config, ImageFormat, Throttle, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
    DEFAULT_USER_PASSWORD, ROLE_METHOD_READ_WRITE, ROLE_POLICY_READ_WRITE,
};
pub use error::EmulatorError;
pub use server::Emulator;
pub use users::{load_users, User, MAX_USERS};
