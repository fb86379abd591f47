//! The typed calls: one method of [`Client`] per endpoint of the QR code + PIN method.

use qrpin_codec::graph::{CodeKind, QrCode, QrCodePinAuthenticationMethod, QrPin};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::client::{Client, Repeat, Reply};
use crate::transport::SEGMENT;
use crate::Error;

/// A user of the directory, as `GET /users/{id | userPrincipalName}` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// The object id (a GUID).
    pub id: String,
    /// The user principal name.
    pub user_principal_name: String,
    /// The display name, if set.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// The parts of the method's policy a client needs
/// (`/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodPolicy {
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub state: Option<String>,
    /// The shortest PIN allowed (8–20).
    #[serde(default)]
    pub pin_length: Option<u32>,
    /// The longest standard code lifetime, in days (1–395).
    #[serde(rename = "standardQRCodeLifetimeInDays", default)]
    pub standard_qr_code_lifetime_in_days: Option<u32>,
}

/// The answer to a create or reset: the body exactly as Graph sent it (the image and the PIN
/// come only here, once) and its parsed value.
#[derive(Debug, Clone)]
pub struct Created<T> {
    /// The HTTP status (201).
    pub status: u16,
    /// The body, byte for byte.
    pub body: String,
    /// The body parsed.
    pub value: T,
}

/// A code to create: when it starts and when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCode {
    /// `startDateTime`.
    pub start: OffsetDateTime,
    /// `expireDateTime`.
    pub expire: OffsetDateTime,
}

/// A date as Graph takes it (RFC 3339, UTC).
fn date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

fn segment(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Standard => "standardQRCode",
        CodeKind::Temporary => "temporaryQRCode",
    }
}

fn user_path(user: &str) -> String {
    format!("/users/{}", percent_encoding::utf8_percent_encode(user, SEGMENT))
}

fn method_path(user: &str) -> String {
    format!("{}/authentication/qrCodePinMethod", user_path(user))
}

fn parse<T: DeserializeOwned>(m: &'static str, path: &str, r: &Reply) -> Result<T, Error> {
    serde_json::from_str(&r.body).map_err(|e| Error::Response {
        method: m,
        path: path.to_owned(),
        why: format!("status {}, a body that is not the documented object: {e}", r.status),
    })
}

fn created<T: DeserializeOwned>(
    m: &'static str,
    path: &str,
    r: Reply,
) -> Result<Created<T>, Error> {
    let value = parse(m, path, &r)?;
    Ok(Created { status: r.status, body: r.body, value })
}

/// `Ok(None)` for a 404.
fn found<T>(r: Result<T, Error>) -> Result<Option<T>, Error> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.status() == Some(404) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Client {
    /// `GET /users/{key}`: resolves a UPN (or checks an id).
    ///
    /// # Errors
    /// [`Error::Graph`] with status 404 for an unknown user, or any other failure.
    pub async fn get_user(&self, key: &str) -> Result<DirectoryUser, Error> {
        let path = format!("{}?$select=id,userPrincipalName,displayName", user_path(key));
        let r = self.send(Method::GET, &path, None, Repeat::Safe).await?;
        parse("GET", &user_path(key), &r)
    }

    /// `GET .../authentication/qrCodePinMethod`: the method with its codes and PIN (no image,
    /// no PIN code: Graph returns those only on create). `None` when the user has none.
    ///
    /// # Errors
    /// Any failure but 404.
    pub async fn get_method(
        &self,
        user: &str,
    ) -> Result<Option<QrCodePinAuthenticationMethod>, Error> {
        let path = method_path(user);
        let r = found(self.send(Method::GET, &path, None, Repeat::Safe).await)?;
        r.map(|r| parse("GET", &path, &r)).transpose()
    }

    /// `PUT .../authentication/qrCodePinMethod`: creates the method with a standard code and
    /// a PIN (`pin`, or one Graph generates). The answer holds the image and the PIN, once.
    ///
    /// # Errors
    /// [`Error::Unknown`] when the answer was lost (the method may exist now); 400
    /// `ActiveQRCodeExisted` when the user has an active standard code.
    pub async fn create_method(
        &self,
        user: &str,
        code: NewCode,
        pin: Option<&str>,
    ) -> Result<Created<QrCodePinAuthenticationMethod>, Error> {
        let path = method_path(user);
        let mut body = json!({
            "standardQRCode": {"startDateTime": date(code.start), "expireDateTime": date(code.expire)},
        });
        if let Some(p) = pin {
            body["pin"] = json!({ "code": p });
        }
        let r = self.send(Method::PUT, &path, Some(&body), Repeat::Once).await?;
        created("PUT", &path, r)
    }

    /// `DELETE .../authentication/qrCodePinMethod`. `false` when there was none.
    ///
    /// # Errors
    /// Any failure but 404.
    pub async fn delete_method(&self, user: &str) -> Result<bool, Error> {
        let path = method_path(user);
        Ok(found(self.send(Method::DELETE, &path, None, Repeat::Safe).await)?.is_some())
    }

    /// `GET .../standardQRCode` or `.../temporaryQRCode`. `None` when there is none.
    ///
    /// # Errors
    /// Any failure but 404.
    pub async fn get_code(&self, user: &str, kind: CodeKind) -> Result<Option<QrCode>, Error> {
        let path = format!("{}/{}", method_path(user), segment(kind));
        let r = found(self.send(Method::GET, &path, None, Repeat::Safe).await)?;
        r.map(|r| parse("GET", &path, &r)).transpose()
    }

    /// `PATCH .../standardQRCode` (or temporary) with both dates: creates a code for a user who
    /// has the method. The answer holds the image, once.
    ///
    /// # Errors
    /// [`Error::Unknown`] when the answer was lost; 400 `ActiveQRCodeExisted` when an active
    /// code of that kind exists; 404 when the user has no method.
    pub async fn create_code(
        &self,
        user: &str,
        kind: CodeKind,
        code: NewCode,
    ) -> Result<Created<QrCode>, Error> {
        let path = format!("{}/{}", method_path(user), segment(kind));
        let body = json!({"startDateTime": date(code.start), "expireDateTime": date(code.expire)});
        let r = self.send(Method::PATCH, &path, Some(&body), Repeat::Once).await?;
        created("PATCH", &path, r)
    }

    /// `PATCH .../standardQRCode` with only `expireDateTime`: moves the active code's expiry.
    ///
    /// # Errors
    /// Any failure (a temporary code's expiry cannot be changed: 400).
    pub async fn update_code_expiry(
        &self,
        user: &str,
        kind: CodeKind,
        expire: OffsetDateTime,
    ) -> Result<(), Error> {
        let path = format!("{}/{}", method_path(user), segment(kind));
        let body = json!({ "expireDateTime": date(expire) });
        // Setting the same expiry twice is the same as once.
        self.send(Method::PATCH, &path, Some(&body), Repeat::Safe).await?;
        Ok(())
    }

    /// `DELETE .../standardQRCode` (or temporary). `false` when there was none.
    ///
    /// # Errors
    /// Any failure but 404.
    pub async fn delete_code(&self, user: &str, kind: CodeKind) -> Result<bool, Error> {
        let path = format!("{}/{}", method_path(user), segment(kind));
        Ok(found(self.send(Method::DELETE, &path, None, Repeat::Safe).await)?.is_some())
    }

    /// `PATCH .../pin` with `{}`: a new generated PIN, returned once, that the user must change
    /// at the next sign-in.
    ///
    /// # Errors
    /// [`Error::Unknown`] when the answer was lost (the PIN may have changed); 404 when the
    /// user has no method.
    pub async fn reset_pin(&self, user: &str) -> Result<Created<QrPin>, Error> {
        let path = format!("{}/pin", method_path(user));
        let r = self.send(Method::PATCH, &path, Some(&json!({})), Repeat::Once).await?;
        created("PATCH", &path, r)
    }

    /// `GET` the method's policy.
    ///
    /// # Errors
    /// Any failure (it needs `Policy.Read.All` or `Policy.ReadWrite.AuthenticationMethod`).
    pub async fn get_policy(&self) -> Result<MethodPolicy, Error> {
        let path =
            "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin";
        let r = self.send(Method::GET, path, None, Repeat::Safe).await?;
        let v: Value = parse("GET", path, &r)?;
        serde_json::from_value(v).map_err(|e| Error::Response {
            method: "GET",
            path: path.to_owned(),
            why: format!("not the policy: {e}"),
        })
    }
}
