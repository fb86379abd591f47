//! How an emulator is set up: address, users, state, credentials, images and faults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use qrpin_codec::Ecl;

use crate::users::User;

/// The tenant id the emulator answers to unless told otherwise (local use only).
pub const DEFAULT_TENANT: &str = "7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001";
/// The client id of the one app registration unless told otherwise (local use only).
pub const DEFAULT_CLIENT_ID: &str = "3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002";
/// The client secret of that app unless told otherwise (local use only; never a real secret).
pub const DEFAULT_CLIENT_SECRET: &str = "qrpin-local-secret";
/// The password every seeded user signs in with (password grant) unless told otherwise.
pub const DEFAULT_USER_PASSWORD: &str = "qrpin-local-password";
/// The application permission the method's endpoints ask for.
pub const ROLE_METHOD_READ_WRITE: &str = "UserAuthMethod-QR.ReadWrite.All";
/// The application permission the policy's endpoints ask for.
pub const ROLE_POLICY_READ_WRITE: &str = "Policy.ReadWrite.AuthenticationMethod";

/// What `image.binaryValue` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    /// An SVG, as in the beta documentation's example (the default).
    #[default]
    Svg,
    /// A PNG, as in the v1.0 documentation's example.
    Png,
}

/// A token bucket per app: `requests` per `per` on average, bursts of up to `requests`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Requests allowed in each period (the bucket's size), at least 1.
    pub requests: u32,
    /// The period the bucket refills in, more than zero.
    pub per: Duration,
}

impl std::str::FromStr for Throttle {
    type Err = String;

    /// Parses `N/SECONDS`, e.g. `50/1`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (n, secs) = s.split_once('/').ok_or_else(|| format!("{s:?} is not N/SECONDS"))?;
        let requests: u32 = n.trim().parse().map_err(|_| format!("{n:?} is not a count"))?;
        let secs: f64 = secs.trim().parse().map_err(|_| format!("{secs:?} is not seconds"))?;
        if requests == 0 || !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
            return Err(format!("{s:?}: N must be at least 1 and SECONDS within (0, 86400]"));
        }
        Ok(Throttle { requests, per: Duration::from_secs_f64(secs) })
    }
}

/// Everything an [`crate::Emulator`] is started with. `Default` is a loopback server on any
/// free port, in memory, with no users, the default credentials, SVG images at level L, and
/// no faults.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (must be a loopback address). Port 0 picks a free port.
    pub listen: SocketAddr,
    /// The users the directory holds (see [`crate::load_users`]).
    pub users: Vec<User>,
    /// An SQLite file for durable state; `None` keeps state in memory.
    pub state: Option<PathBuf>,
    /// The tenant id tokens are issued for and checked against.
    pub tenant: String,
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: String,
    /// The application permissions (roles) its client-credentials tokens carry.
    pub roles: Vec<String>,
    /// The password of every seeded user (password grant).
    pub user_password: String,
    /// How long an access token lives.
    pub token_lifetime: Duration,
    /// The error-correction level of the codes' images.
    pub ecl: Ecl,
    /// SVG or PNG in `image.binaryValue`.
    pub image_format: ImageFormat,
    /// The markup of SVG images (Graph's own style by default).
    pub svg_style: qrpin_render::SvgStyle,
    /// Leave the opaque key field out of the codes' content.
    pub no_key_field: bool,
    /// The share of Graph requests answered 429 / 503 / 504 without doing anything, 0–1.
    pub fault_rate: f64,
    /// The share of successful Graph writes whose connection is dropped after the write, 0–1.
    pub drop_rate: f64,
    /// The seed of the fault draws.
    pub fault_seed: u64,
    /// `Retry-After` of an injected 429 or 503, in seconds.
    pub fault_retry_after: u64,
    /// A token bucket per app, if any.
    pub throttle: Option<Throttle>,
    /// Added to every Graph response.
    pub latency: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            users: Vec::new(),
            state: None,
            tenant: DEFAULT_TENANT.to_owned(),
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            roles: vec![ROLE_METHOD_READ_WRITE.to_owned(), ROLE_POLICY_READ_WRITE.to_owned()],
            user_password: DEFAULT_USER_PASSWORD.to_owned(),
            token_lifetime: Duration::from_secs(3600),
            ecl: Ecl::L,
            image_format: ImageFormat::Svg,
            svg_style: qrpin_render::SvgStyle::Entra,
            no_key_field: false,
            fault_rate: 0.0,
            drop_rate: 0.0,
            fault_seed: 0,
            fault_retry_after: 1,
            throttle: None,
            latency: Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_parses_and_refuses() {
        let t: Throttle = "50/1".parse().unwrap();
        assert_eq!((t.requests, t.per), (50, Duration::from_secs(1)));
        let t: Throttle = "3/0.5".parse().unwrap();
        assert_eq!(t.per, Duration::from_millis(500));
        for bad in ["50", "0/1", "5/0", "5/-1", "x/1", "5/nan", "5/100000"] {
            assert!(bad.parse::<Throttle>().is_err(), "{bad}");
        }
    }
}
