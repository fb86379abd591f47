//! Which resource a path names. Graph's path segments are case-insensitive (Microsoft's own
//! pages write both `qrCodePinMethod` and `qrcodepinmethod`), so paths are matched here rather
//! than by a case-sensitive router.

use crate::graph_error::GraphError;
use crate::store::Kind;

/// Whose method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `/me`: the signed-in user.
    Me,
    /// `/users/{id | userPrincipalName}`.
    User(String),
}

/// What under the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// The user object itself.
    User,
    /// `authentication/qrCodePinMethod`.
    Method,
    /// `.../standardQRCode` or `.../temporaryQRCode`.
    Code(Kind),
    /// `.../pin`.
    Pin,
    /// `.../pin/updatePin`.
    UpdatePin,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET /openapi.json`.
    OpenApi,
    /// `POST /{tenant}/oauth2/v2.0/token`.
    Token(String),
    /// A user's resource under `/beta` or `/v1.0`.
    Graph(Subject, Item),
    /// The method's policy.
    Policy,
}

/// Parses a request path (without its query).
pub fn parse(path: &str) -> Result<Route, GraphError> {
    let mut segs = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s = percent_encoding::percent_decode_str(raw).decode_utf8().map_err(|_| {
            GraphError::bad_request("The request path is not valid UTF-8 once decoded.")
        })?;
        segs.push(s.into_owned());
    }
    let eq = |s: &String, name: &str| s.eq_ignore_ascii_case(name);
    match segs.as_slice() {
        [f] if eq(f, "openapi.json") => return Ok(Route::OpenApi),
        [tenant, a, b, c] if eq(a, "oauth2") && eq(b, "v2.0") && eq(c, "token") => {
            return Ok(Route::Token(tenant.clone()))
        }
        _ => {}
    }
    let Some((version, rest)) = segs.split_first() else {
        return Err(not_found_path());
    };
    if !(eq(version, "beta") || eq(version, "v1.0")) {
        return Err(not_found_path());
    }
    let (subject, rest) = match rest {
        [me, rest @ ..] if eq(me, "me") => (Subject::Me, rest),
        [users, key, rest @ ..] if eq(users, "users") => (Subject::User(key.clone()), rest),
        [p, a, b, q]
            if eq(p, "policies")
                && eq(a, "authenticationMethodsPolicy")
                && eq(b, "authenticationMethodConfigurations")
                && (eq(q, "qrCodePin") || eq(q, "QRCodePin")) =>
        {
            return Ok(Route::Policy)
        }
        [first, ..] => return Err(segment(first)),
        [] => return Err(GraphError::bad_request("Invalid request: no resource is named.")),
    };
    let item = match rest {
        [] => Item::User,
        [a, m] if eq(a, "authentication") && eq(m, "qrCodePinMethod") => Item::Method,
        [a, m, c] if eq(a, "authentication") && eq(m, "qrCodePinMethod") => {
            if eq(c, "standardQRCode") {
                Item::Code(Kind::Standard)
            } else if eq(c, "temporaryQRCode") {
                Item::Code(Kind::Temporary)
            } else if eq(c, "pin") {
                Item::Pin
            } else {
                return Err(segment(c));
            }
        }
        [a, m, p, u] if eq(a, "authentication") && eq(m, "qrCodePinMethod") && eq(p, "pin") => {
            if eq(u, "updatePin") || eq(u, "microsoft.graph.updatePin") {
                Item::UpdatePin
            } else {
                return Err(segment(u));
            }
        }
        [a, m, ..] if eq(a, "authentication") => return Err(segment(m)),
        [other, ..] => return Err(segment(other)),
    };
    if subject == Subject::Me && item == Item::User {
        // `GET /me` exists in Graph; the emulator serves the user object through /users only.
        return Err(segment("me"));
    }
    Ok(Route::Graph(subject, item))
}

/// Graph's answer for a segment it does not know.
fn segment(s: &str) -> GraphError {
    let shown: String = s.chars().filter(|c| !c.is_control()).take(80).collect();
    GraphError::bad_request(format!("Resource not found for the segment '{shown}'."))
}

fn not_found_path() -> GraphError {
    GraphError::new(
        axum::http::StatusCode::NOT_FOUND,
        "NotFound",
        "No such path: the emulator serves /beta/..., /v1.0/..., /{tenant}/oauth2/v2.0/token and /openapi.json.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_segments_without_regard_to_case() {
        let u = |k: &str| Subject::User(k.to_owned());
        assert_eq!(
            parse("/beta/users/a%40b.com/authentication/qrcodepinmethod/StandardQRCode").unwrap(),
            Route::Graph(u("a@b.com"), Item::Code(Kind::Standard))
        );
        assert_eq!(
            parse("/v1.0/me/authentication/qrCodePinMethod/pin/updatePin/").unwrap(),
            Route::Graph(Subject::Me, Item::UpdatePin)
        );
        assert_eq!(parse("/beta/users/x").unwrap(), Route::Graph(u("x"), Item::User));
        assert_eq!(
            parse("/beta/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin").unwrap(),
            Route::Policy
        );
        assert_eq!(parse("/T/oauth2/v2.0/token").unwrap(), Route::Token("T".into()));
        assert_eq!(parse("/openapi.json").unwrap(), Route::OpenApi);
    }

    #[test]
    fn unknown_paths_are_graph_errors() {
        assert_eq!(parse("/").unwrap_err().status, 404);
        assert_eq!(parse("/v2/users/x").unwrap_err().status, 404);
        let e = parse("/beta/users/x/authentication/fido2Methods").unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.message.as_str()),
            (400, "Resource not found for the segment 'fido2Methods'.")
        );
        assert_eq!(parse("/beta/users/%ff").unwrap_err().status, 400);
        assert_eq!(parse("/beta/me").unwrap_err().status, 400);
    }
}
