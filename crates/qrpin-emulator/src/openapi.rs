//! `GET /openapi.json`: an OpenAPI 3.0 description of everything the emulator serves, errors
//! included, written from the same facts the handlers follow.

use serde_json::{json, Map, Value};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_body(schema: Value) -> Value {
    json!({ "content": { "application/json": { "schema": schema } } })
}

/// The error answers every Graph operation may give.
fn errors(extra: &[(&str, &str)]) -> Map<String, Value> {
    let mut m = Map::new();
    let mut add = |code: &str, what: &str| {
        let mut resp = json_body(r("Error"));
        resp["description"] = json!(what);
        if code == "429" || code == "503" {
            resp["headers"] = json!({ "Retry-After": {
                "description": "Seconds to wait before retrying",
                "schema": { "type": "integer", "minimum": 0 } } });
        }
        m.insert(code.to_owned(), resp);
    };
    for (c, w) in [
        ("400", "Bad request: malformed JSON (with line and column), wrong types, unknown properties, bad dates, rules broken"),
        ("401", "InvalidAuthenticationToken: no, malformed, expired or foreign token"),
        ("403", "Authorization_RequestDenied: the token lacks the permission"),
        ("405", "Method not allowed"),
        ("413", "RequestEntityTooLarge: a body over 1 MiB"),
        ("415", "UnsupportedMediaType: a body that is not JSON"),
        ("429", "TooManyRequests: throttled (Retry-After)"),
        ("503", "serviceNotAvailable (an injected fault; Retry-After)"),
        ("504", "gatewayTimeout (an injected fault)"),
    ] {
        add(c, w);
    }
    for (c, w) in extra {
        add(c, w);
    }
    m
}

fn op(
    summary: &str,
    ok: (&str, Option<Value>),
    body: Option<Value>,
    extra_errors: &[(&str, &str)],
) -> Value {
    let mut responses = errors(extra_errors);
    let mut success = match ok.1 {
        Some(schema) => json_body(schema),
        None => json!({}),
    };
    success["description"] = json!(summary);
    responses.insert(ok.0.to_owned(), success);
    let mut o =
        json!({ "summary": summary, "responses": responses, "security": [{ "bearer": [] }] });
    if let Some(schema) = body {
        let mut b = json_body(schema);
        b["required"] = json!(true);
        o["requestBody"] = b;
    }
    o
}

fn user_param() -> Value {
    json!([{ "name": "userId", "in": "path", "required": true,
             "description": "The user's object id (a GUID) or userPrincipalName",
             "schema": { "type": "string" } }])
}

/// The whole document.
pub fn document() -> Value {
    let nf = ("404", "Request_ResourceNotFound: no such user, method or code");
    let mut paths = Map::new();
    for v in ["beta", "v1.0"] {
        for (prefix, with_param) in
            [(format!("/{v}/users/{{userId}}"), true), (format!("/{v}/me"), false)]
        {
            let mut put = |suffix: &str, mut item: Value| {
                if with_param {
                    item["parameters"] = user_param();
                }
                paths.insert(format!("{prefix}{suffix}"), item);
            };
            if with_param {
                put("", json!({ "get": op("Get a user", ("200", Some(r("User"))), None, &[nf]) }));
            }
            let m = "/authentication/qrCodePinMethod";
            put(
                m,
                json!({
                    "get": op("Get the QR code + PIN method (images and PIN null)", ("200", Some(r("Method"))), None, &[nf]),
                    "put": op("Create the method with a standard code and a PIN (image and PIN returned once)",
                              ("201", Some(r("Method"))), Some(r("MethodCreate")), &[nf]),
                    "delete": op("Delete the method: both codes and the PIN", ("204", None), None, &[nf]),
                }),
            );
            for code in ["standardQRCode", "temporaryQRCode"] {
                let mut patch = op(
                    "Create a code (201, image returned once) or, for an active standard code, change its expiry (204)",
                    ("201", Some(r("QrCode"))),
                    Some(r("CodeWrite")),
                    &[nf],
                );
                patch["responses"]["204"] = json!({ "description": "Expiry changed" });
                put(
                    &format!("{m}/{code}"),
                    json!({
                        "get": op("Get the code (image null)", ("200", Some(r("QrCode"))), None, &[nf]),
                        "patch": patch,
                        "delete": op("Delete the code", ("204", None), None, &[nf]),
                    }),
                );
            }
            put(
                &format!("{m}/pin"),
                json!({
                    "patch": op("Reset the PIN: a new generated PIN, returned once", ("201", Some(r("QrPin"))), Some(r("PinReset")), &[nf]),
                }),
            );
            put(
                &format!("{m}/pin/updatePin"),
                json!({
                    "post": op("Change the signed-in user's PIN (delegated tokens only)", ("204", None), Some(r("UpdatePin")), &[nf]),
                    "patch": op("Change the signed-in user's PIN (delegated tokens only)", ("204", None), Some(r("UpdatePin")), &[nf]),
                }),
            );
        }
        paths.insert(
            format!("/{v}/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin"),
            json!({
                "get": op("Get the method's policy", ("200", Some(r("Policy"))), None, &[]),
                "patch": op("Change the method's policy", ("204", None), Some(r("PolicyPatch")), &[]),
                "delete": op("Restore the policy's defaults", ("204", None), None, &[]),
            }),
        );
    }
    paths.insert("/{tenant}/oauth2/v2.0/token".into(), json!({
        "parameters": [{ "name": "tenant", "in": "path", "required": true, "schema": { "type": "string" } }],
        "post": {
            "summary": "Get an access token (client credentials or password grant)",
            "requestBody": { "required": true, "content": { "application/x-www-form-urlencoded": { "schema": r("TokenRequest") } } },
            "responses": {
                "200": { "description": "A token", "content": { "application/json": { "schema": r("Token") } } },
                "400": { "description": "invalid_request, invalid_grant, invalid_scope, unsupported_grant_type, unauthorized_client", "content": { "application/json": { "schema": r("OAuthError") } } },
                "401": { "description": "invalid_client", "content": { "application/json": { "schema": r("OAuthError") } } },
                "405": { "description": "Method not allowed", "content": { "application/json": { "schema": r("Error") } } },
                "413": { "description": "A body over 1 MiB", "content": { "application/json": { "schema": r("Error") } } }
            }
        }
    }));
    paths.insert("/openapi.json".into(), json!({
        "get": { "summary": "This document", "responses": {
            "200": { "description": "OpenAPI 3.0", "content": { "application/json": { "schema": { "type": "object" } } } },
            "405": { "description": "Method not allowed", "content": { "application/json": { "schema": r("Error") } } } } }
    }));
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "qrpin graph serve: a local Microsoft Graph for QR code + PIN",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The qrCodePinAuthenticationMethod API of Microsoft Graph (beta and v1.0), its policy, GET /users and the token endpoint, as the emulator serves them. See docs/emulator.md."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
            "schemas": schemas(),
        }
    })
}

fn schemas() -> Value {
    let date = json!({ "type": "string", "format": "date-time" });
    let odata = json!({ "type": "string" });
    // The policy as read, and the properties a PATCH may set: the same ones.
    let policy_props = json!({
        "@odata.type": odata, "id": { "type": "string" },
        "state": { "type": "string", "enum": ["enabled", "disabled"] },
        "pinLength": { "type": "integer", "minimum": 8, "maximum": 20 },
        "standardQRCodeLifetimeInDays": { "type": "integer", "minimum": 1, "maximum": 395 },
        "includeTargets": { "type": "array", "items": r("Target") },
        "excludeTargets": { "type": "array", "items": r("Target") }
    });
    json!({
        "Error": {
            "type": "object", "required": ["error"],
            "properties": { "error": {
                "type": "object", "required": ["code", "message", "innerError"],
                "properties": {
                    "code": { "type": "string" }, "message": { "type": "string" },
                    "innerError": { "type": "object", "required": ["date", "request-id", "client-request-id"],
                        "properties": { "date": date, "request-id": { "type": "string" }, "client-request-id": { "type": "string" } } }
                } } }
        },
        "OAuthError": {
            "type": "object", "required": ["error", "error_description", "error_codes"],
            "properties": {
                "error": { "type": "string" }, "error_description": { "type": "string" },
                "error_codes": { "type": "array", "items": { "type": "integer" } },
                "timestamp": { "type": "string" }, "trace_id": { "type": "string" }, "correlation_id": { "type": "string" }
            }
        },
        "User": {
            "type": "object", "required": ["id", "userPrincipalName"],
            "properties": { "@odata.context": { "type": "string" }, "id": { "type": "string" },
                "userPrincipalName": { "type": "string" }, "displayName": { "type": "string", "nullable": true } }
        },
        "QrCodeImage": {
            "type": "object", "required": ["binaryValue", "rawContent", "version", "errorCorrectionLevel"],
            "properties": {
                "binaryValue": { "type": "string", "description": "base64 of an SVG or PNG of the code" },
                "rawContent": { "type": "string", "description": "base64 of the code's text" },
                "version": { "type": "integer" },
                "errorCorrectionLevel": { "type": "string", "enum": ["l", "m", "q", "h"] }
            }
        },
        "QrCode": {
            "type": "object", "required": ["id", "startDateTime", "expireDateTime", "createdDateTime", "lastUsedDateTime"],
            "properties": {
                "@odata.type": odata, "id": { "type": "string" },
                "startDateTime": date, "expireDateTime": date, "createdDateTime": date, "lastUsedDateTime": date,
                "image": { "allOf": [r("QrCodeImage")], "nullable": true }
            }
        },
        "QrPin": {
            "type": "object", "required": ["forceChangePinNextSignIn"],
            "properties": {
                "@odata.type": odata, "code": { "type": "string", "nullable": true },
                "forceChangePinNextSignIn": { "type": "boolean" }, "createdDateTime": date, "updatedDateTime": date
            }
        },
        "Method": {
            "type": "object", "required": ["id"],
            "properties": {
                "@odata.type": odata, "id": { "type": "string" }, "createdDateTime": date,
                "standardQRCode": { "allOf": [r("QrCode")], "nullable": true },
                "temporaryQRCode": { "allOf": [r("QrCode")], "nullable": true },
                "pin": { "allOf": [r("QrPin")], "nullable": true }
            }
        },
        "CodeWrite": {
            "type": "object", "additionalProperties": false,
            "properties": { "@odata.type": odata, "startDateTime": date, "expireDateTime": date }
        },
        "MethodCreate": {
            "type": "object", "additionalProperties": false, "required": ["standardQRCode"],
            "properties": {
                "@odata.type": odata,
                "standardQRCode": r("CodeWrite"),
                "pin": { "type": "object", "additionalProperties": false,
                         "properties": { "@odata.type": odata, "code": { "type": "string", "pattern": "^[0-9]{8,20}$" } } }
            }
        },
        "PinReset": { "type": "object", "additionalProperties": false, "properties": { "@odata.type": odata } },
        "UpdatePin": {
            "type": "object", "additionalProperties": false, "required": ["currentPin", "newPin"],
            "properties": { "currentPin": { "type": "string" }, "newPin": { "type": "string" } }
        },
        "Target": {
            "type": "object", "additionalProperties": false, "required": ["targetType", "id"],
            "properties": { "targetType": { "type": "string", "enum": ["group", "user"] }, "id": { "type": "string" },
                            "isRegistrationRequired": { "type": "boolean" } }
        },
        "Policy": {
            "type": "object",
            "required": ["id", "state", "pinLength", "standardQRCodeLifetimeInDays", "includeTargets", "excludeTargets"],
            "properties": policy_props
        },
        "PolicyPatch": {
            "type": "object", "additionalProperties": false,
            "properties": policy_props
        },
        "TokenRequest": {
            "type": "object", "required": ["grant_type", "client_id", "scope"],
            "properties": {
                "grant_type": { "type": "string", "enum": ["client_credentials", "password"] },
                "client_id": { "type": "string" }, "client_secret": { "type": "string" },
                "scope": { "type": "string" }, "username": { "type": "string" }, "password": { "type": "string" }
            }
        },
        "Token": {
            "type": "object", "required": ["token_type", "expires_in", "access_token"],
            "properties": { "token_type": { "type": "string" }, "expires_in": { "type": "integer" },
                            "ext_expires_in": { "type": "integer" }, "access_token": { "type": "string" } }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_ref_resolves() {
        let doc = super::document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(schemas.contains_key(&name), "{name}");
        }
        assert!(
            doc["paths"]["/beta/users/{userId}/authentication/qrCodePinMethod"]["put"].is_object()
        );
        assert!(doc["paths"]["/v1.0/me/authentication/qrCodePinMethod/pin/updatePin"]["post"]
            .is_object());
    }
}
