//! Compact JWS with HS256 (RFC 7515, RFC 7518 §3.2): the emulator's access tokens.
//!
//! Only what the emulator issues is accepted: header `{"alg":"HS256","typ":"JWT"}`, a JSON
//! object as payload, and a signature made with the emulator's key. The signature is checked in
//! constant time before the payload is read.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The longest token accepted, in bytes.
const MAX_TOKEN: usize = 16 * 1024;

/// Why a token is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts, or too long.
    #[error("the access token is not a well-formed JWT")]
    Malformed,
    /// A header other than HS256.
    #[error("the access token's algorithm is not the one this issuer signs with")]
    Algorithm,
    /// The signature does not match.
    #[error("the access token's signature is invalid")]
    Signature,
}

/// Signs `claims` (a JSON object) with `key`.
pub fn sign(claims: &serde_json::Value, key: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let sig = URL_SAFE_NO_PAD.encode(mac(key, input.as_bytes()).finalize().into_bytes());
    format!("{input}.{sig}")
}

/// Checks `token`'s signature with `key` and returns its claims.
pub fn verify(token: &str, key: &[u8]) -> Result<serde_json::Value, JwtError> {
    if token.len() > MAX_TOKEN {
        return Err(JwtError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header = URL_SAFE_NO_PAD.decode(h).map_err(|_| JwtError::Malformed)?;
    let header: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| JwtError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::Algorithm);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let signed = &token[..h.len() + 1 + p.len()];
    mac(key, signed.as_bytes()).verify_slice(&sig).map_err(|_| JwtError::Signature)?;
    let payload = URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed)?;
    let claims: serde_json::Value =
        serde_json::from_slice(&payload).map_err(|_| JwtError::Malformed)?;
    if !claims.is_object() {
        return Err(JwtError::Malformed);
    }
    Ok(claims)
}

fn mac(key: &[u8], data: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length (RFC 2104 §3).
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    m.update(data);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let claims = serde_json::json!({"tid": "t", "exp": 5});
        let t = sign(&claims, b"key");
        assert_eq!(verify(&t, b"key"), Ok(claims));
        assert_eq!(verify(&t, b"other"), Err(JwtError::Signature));
        let mut forged = t.clone();
        forged.push('x');
        assert!(verify(&forged, b"key").is_err());
        for bad in ["", "a.b", "a.b.c.d", "!!.??.**"] {
            assert_eq!(verify(bad, b"key"), Err(JwtError::Malformed), "{bad}");
        }
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(b"{}")
        );
        assert_eq!(verify(&none, b"key"), Err(JwtError::Algorithm));
    }
}
