//! Tokens: the identity platform's token endpoint (client credentials and password grants), and
//! checking the bearer token of every Graph request, with the permissions it carries.

use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::graph_error::GraphError;
use crate::jwt;
use crate::users::User;

/// Graph's resource: the `aud` of the tokens.
pub const AUDIENCE: &str = "https://graph.microsoft.com";
/// Delegated permissions of a password-grant token.
pub const DELEGATED_SCOPES: &str =
    "UserAuthMethod-QR.ReadWrite UserAuthenticationMethod.ReadWrite User.Read";

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An application token (client credentials).
    App {
        /// The app's client id.
        app_id: String,
        /// Its application permissions.
        roles: Vec<String>,
    },
    /// A delegated token (a signed-in user).
    User {
        /// The app's client id.
        app_id: String,
        /// The user's object id.
        user_id: String,
        /// Its delegated permissions.
        scopes: Vec<String>,
    },
}

impl Caller {
    /// The app, for throttling and logs.
    pub fn app_id(&self) -> &str {
        match self {
            Caller::App { app_id, .. } | Caller::User { app_id, .. } => app_id,
        }
    }

    /// Whether it holds any of these application permissions (App) or scopes (User).
    pub fn has_any(&self, names: &[&str]) -> bool {
        let held = match self {
            Caller::App { roles, .. } => roles,
            Caller::User { scopes, .. } => scopes,
        };
        held.iter().any(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }
}

/// An error of the token endpoint, in its own shape
/// (`{"error","error_description","error_codes",...}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type`, ...
    pub error: &'static str,
    /// The AADSTS number.
    pub aadsts: u32,
    /// What was wrong.
    pub description: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, aadsts: u32, d: impl Into<String>) -> Self {
        OAuthError { status, error, aadsts, description: d.into() }
    }

    /// The JSON body.
    pub fn body(&self, timestamp: &str, trace_id: &str) -> serde_json::Value {
        serde_json::json!({
            "error": self.error,
            "error_description": format!("AADSTS{}: {}", self.aadsts, self.description),
            "error_codes": [self.aadsts],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": trace_id,
        })
    }
}

/// The token issuer and checker.
#[derive(Debug, Clone)]
pub struct Auth {
    /// HMAC key of the tokens.
    pub key: Vec<u8>,
    /// The tenant id.
    pub tenant: String,
    /// The app's client id.
    pub client_id: String,
    /// The app's secret.
    pub client_secret: String,
    /// Its application permissions.
    pub roles: Vec<String>,
    /// Every user's password.
    pub user_password: String,
    /// Token lifetime in seconds.
    pub lifetime: u64,
}

#[derive(Deserialize, Default)]
struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

impl Auth {
    /// Answers `POST /{tenant}/oauth2/v2.0/token` with the form `body`; `find` looks a user up.
    pub fn token(
        &self,
        tenant: &str,
        body: &[u8],
        now: i64,
        find: impl FnOnce(&str) -> Option<User>,
    ) -> Result<serde_json::Value, OAuthError> {
        let bad = |aadsts, d: String| {
            OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", aadsts, d)
        };
        if !tenant.eq_ignore_ascii_case(&self.tenant) {
            return Err(bad(90002, format!("Tenant '{}' not found.", clip(tenant))));
        }
        let form: TokenForm = serde_urlencoded::from_bytes(body)
            .map_err(|e| bad(900144, format!("The request body is not a valid form: {e}")))?;
        let need = |v: Option<String>, name: &str| {
            v.filter(|s| !s.is_empty()).ok_or_else(|| {
                bad(
                    900144,
                    format!("The request body must contain the following parameter: '{name}'."),
                )
            })
        };
        let grant = need(form.grant_type, "grant_type")?;
        let client_id = need(form.client_id, "client_id")?;
        if client_id != self.client_id {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unauthorized_client",
                700016,
                format!(
                    "Application with identifier '{}' was not found in the directory.",
                    clip(&client_id)
                ),
            ));
        }
        let secret_ok = |s: &Option<String>| s.as_deref() == Some(self.client_secret.as_str());
        let scope = need(form.scope, "scope")?;
        let claims = match grant.as_str() {
            "client_credentials" => {
                if !secret_ok(&form.client_secret) {
                    return Err(OAuthError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        7000215,
                        "Invalid client secret provided.",
                    ));
                }
                if !scope.split_whitespace().any(|s| s.ends_with("/.default")) {
                    return Err(OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_scope",
                        1002012,
                        "The scope requested is invalid: a client credentials request asks for \
                         'https://graph.microsoft.com/.default'.",
                    ));
                }
                serde_json::json!({
                    "idtyp": "app",
                    "roles": self.roles,
                })
            }
            "password" => {
                if form.client_secret.is_some() && !secret_ok(&form.client_secret) {
                    return Err(OAuthError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        7000215,
                        "Invalid client secret provided.",
                    ));
                }
                let username = need(form.username, "username")?;
                let password = need(form.password, "password")?;
                let user = find(&username).filter(|_| password == self.user_password).ok_or_else(
                    || {
                        OAuthError::new(
                            StatusCode::BAD_REQUEST,
                            "invalid_grant",
                            50126,
                            "Error validating credentials due to invalid username or password.",
                        )
                    },
                )?;
                serde_json::json!({
                    "idtyp": "user",
                    "scp": DELEGATED_SCOPES,
                    "oid": user.id,
                    "upn": user.upn,
                })
            }
            other => {
                return Err(OAuthError::new(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    70003,
                    format!("The app requested an unsupported grant type '{}'.", clip(other)),
                ))
            }
        };
        let mut claims = claims;
        let exp = now + self.lifetime as i64;
        if let Some(m) = claims.as_object_mut() {
            for (k, v) in [
                ("aud", serde_json::json!(AUDIENCE)),
                ("iss", serde_json::json!(format!("https://sts.windows.net/{}/", self.tenant))),
                ("tid", serde_json::json!(self.tenant)),
                ("appid", serde_json::json!(self.client_id)),
                ("iat", serde_json::json!(now)),
                ("nbf", serde_json::json!(now)),
                ("exp", serde_json::json!(exp)),
            ] {
                m.insert(k.to_owned(), v);
            }
        }
        Ok(serde_json::json!({
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "ext_expires_in": self.lifetime,
            "access_token": jwt::sign(&claims, &self.key),
        }))
    }

    /// Checks the request's bearer token: signature, tenant, audience and lifetime.
    pub fn authenticate(&self, headers: &HeaderMap, now: i64) -> Result<Caller, GraphError> {
        let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
            return Err(GraphError::unauthenticated("Access token is empty."));
        };
        let value = value
            .to_str()
            .map_err(|_| GraphError::unauthenticated("The Authorization header is not text."))?;
        let token = match value.split_once(' ') {
            Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
            _ => {
                return Err(GraphError::unauthenticated(
                    "The Authorization header is not 'Bearer <token>'.",
                ))
            }
        };
        if token.is_empty() {
            return Err(GraphError::unauthenticated("Access token is empty."));
        }
        let claims = jwt::verify(token, &self.key)
            .map_err(|e| GraphError::unauthenticated(e.to_string()))?;
        let s = |k: &str| claims.get(k).and_then(|v| v.as_str());
        let n = |k: &str| claims.get(k).and_then(|v| v.as_i64());
        if s("tid").is_none_or(|t| !t.eq_ignore_ascii_case(&self.tenant)) {
            return Err(GraphError::unauthenticated(
                "Access token validation failure: the token was issued for another tenant.",
            ));
        }
        if s("aud") != Some(AUDIENCE) {
            return Err(GraphError::unauthenticated(
                "Access token validation failure. Invalid audience.",
            ));
        }
        match (n("nbf"), n("exp")) {
            (Some(nbf), Some(exp)) if nbf <= now && now < exp => {}
            (Some(_), Some(exp)) if now >= exp => {
                return Err(GraphError::unauthenticated(
                    "Lifetime validation failed, the token is expired.",
                ))
            }
            _ => {
                return Err(GraphError::unauthenticated(
                    "Lifetime validation failed, the token is not yet valid.",
                ))
            }
        }
        let app_id = s("appid").unwrap_or_default().to_owned();
        let list = |v: Option<&serde_json::Value>| -> Vec<String> {
            match v {
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()
                }
                Some(serde_json::Value::String(s)) => {
                    s.split_whitespace().map(str::to_owned).collect()
                }
                _ => Vec::new(),
            }
        };
        Ok(match s("idtyp") {
            Some("user") => Caller::User {
                app_id,
                user_id: s("oid").unwrap_or_default().to_owned(),
                scopes: list(claims.get("scp")),
            },
            _ => Caller::App { app_id, roles: list(claims.get("roles")) },
        })
    }
}

/// At most 80 characters of untrusted text, for messages.
fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        Auth {
            key: b"k".to_vec(),
            tenant: "t1".into(),
            client_id: "c1".into(),
            client_secret: "s1".into(),
            roles: vec!["UserAuthMethod-QR.ReadWrite.All".into()],
            user_password: "pw".into(),
            lifetime: 60,
        }
    }

    fn bearer(t: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("authorization", format!("Bearer {t}").parse().unwrap());
        h
    }

    #[test]
    fn client_credentials_then_lifetime() {
        let a = auth();
        let form = b"grant_type=client_credentials&client_id=c1&client_secret=s1&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
        let r = a.token("t1", form, 1000, |_| None).unwrap();
        let t = r["access_token"].as_str().unwrap();
        let caller = a.authenticate(&bearer(t), 1010).unwrap();
        assert!(caller.has_any(&["UserAuthMethod-QR.ReadWrite.All"]));
        assert_eq!(caller.app_id(), "c1");
        let e = a.authenticate(&bearer(t), 1060).unwrap_err();
        assert!(e.message.contains("expired"), "{}", e.message);
        let other = Auth { tenant: "t2".into(), ..auth() };
        assert!(other.authenticate(&bearer(t), 1010).is_err());
        assert_eq!(a.authenticate(&HeaderMap::new(), 1010).unwrap_err().status, 401);
    }

    #[test]
    fn token_errors_say_why_without_the_secret() {
        let a = auth();
        let e = a
            .token(
                "t1",
                b"grant_type=client_credentials&client_id=c1&client_secret=WRONG&scope=x/.default",
                0,
                |_| None,
            )
            .unwrap_err();
        assert_eq!((e.status.as_u16(), e.error), (401, "invalid_client"));
        assert!(!e.description.contains("WRONG"));
        let e = a.token("nope", b"", 0, |_| None).unwrap_err();
        assert_eq!(e.aadsts, 90002);
        let e = a.token("t1", b"client_id=c1", 0, |_| None).unwrap_err();
        assert!(e.description.contains("'grant_type'"));
        let e = a
            .token(
                "t1",
                b"grant_type=password&client_id=c1&scope=x&username=a@b.c&password=bad",
                0,
                |_| None,
            )
            .unwrap_err();
        assert_eq!(e.error, "invalid_grant");
    }
}
