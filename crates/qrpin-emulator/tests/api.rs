//! The emulator through real HTTP: every documented request, its rules and its errors.

use qrpin_emulator::{
    Config, Emulator, ImageFormat, User, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

const ADELE: &str = "7c4999f7-9c25-4f8e-8b84-766eb28a1b49";
const BOB: &str = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";

fn users() -> Vec<User> {
    vec![
        User {
            id: ADELE.into(),
            upn: "Adele.Vance@contoso.com".into(),
            display_name: Some("Adele Vance".into()),
        },
        User { id: BOB.into(), upn: "bob@contoso.com".into(), display_name: None },
    ]
}

struct Client {
    base: String,
    http: reqwest::Client,
    token: String,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

async fn start(config: Config) -> (Emulator, Client) {
    let emulator = Emulator::start(Config { users: users(), ..config }).await.unwrap();
    let base = emulator.base_url();
    let http = reqwest::Client::new();
    let token = app_token(&http, &base).await;
    (emulator, Client { base, http, token })
}

async fn form(http: &reqwest::Client, base: &str, tenant: &str, body: &str) -> (u16, Value) {
    let r = http
        .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, serde_json::from_str(&r.text().await.unwrap()).unwrap())
}

async fn app_token(http: &reqwest::Client, base: &str) -> String {
    let body = format!(
        "grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}&client_secret={DEFAULT_CLIENT_SECRET}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
    let (status, v) = form(http, base, DEFAULT_TENANT, &body).await;
    assert_eq!(status, 200, "{v}");
    v["access_token"].as_str().unwrap().to_owned()
}

async fn user_token(c: &Client, upn: &str) -> String {
    let body = format!(
        "grant_type=password&client_id={DEFAULT_CLIENT_ID}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&username={upn}&password=qrpin-local-password"
    );
    let (status, v) = form(&c.http, &c.base, DEFAULT_TENANT, &body).await;
    assert_eq!(status, 200, "{v}");
    v["access_token"].as_str().unwrap().to_owned()
}

impl Client {
    async fn call_with(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Answer {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.http.request(m, format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            r = r.header("content-type", "application/json").body(b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        Answer { status, headers, body }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.call_with(Some(&self.token), method, path, body.map(|b| b.to_string())).await
    }
}

fn method_path(user: &str) -> String {
    format!("/beta/users/{user}/authentication/qrCodePinMethod")
}

/// Now plus `d`, in whole seconds (Graph takes at most 7 fractional digits).
fn from_now(d: time::Duration) -> String {
    let t = (time::OffsetDateTime::now_utc() + d).replace_nanosecond(0).unwrap();
    t.format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn days_from_now(d: i64) -> String {
    from_now(time::Duration::days(d))
}

fn hours_from_now(h: i64) -> String {
    from_now(time::Duration::hours(h))
}

fn dates(start: String, expire: String) -> Value {
    json!({"startDateTime": start, "expireDateTime": expire})
}

/// The `image` of a create answer decodes (with qrpin-scan) to exactly its `rawContent`.
fn assert_image_holds_raw_content(image: &Value, want_png: bool) -> String {
    let raw = qrpin_codec::base64::decode(image["rawContent"].as_str().unwrap()).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let picture = qrpin_codec::base64::decode(image["binaryValue"].as_str().unwrap()).unwrap();
    assert_eq!(picture.starts_with(b"\x89PNG"), want_png);
    if !want_png {
        assert!(picture.starts_with(b"<svg"), "an SVG");
    }
    let scanner = qrpin_scan::Scanner::default();
    let codes = scanner.scan_bytes(&picture).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, text, "binaryValue holds rawContent");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_lifecycle() {
    let (emulator, c) = start(Config::default()).await;
    let m = method_path(ADELE);

    assert_eq!(c.call("GET", &m, None).await.status, 404);
    // PUT: the method with its standard code (image) and the admin's PIN, once.
    let put = json!({
        "@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod",
        "standardQRCode": dates(days_from_now(-1), days_from_now(300)),
        "pin": {"code": "09599786"}
    });
    let a = c.call("PUT", &m, Some(put.clone())).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["pin"]["code"], "09599786");
    assert_eq!(a.body["pin"]["forceChangePinNextSignIn"], true);
    let std_code = a.body["standardQRCode"].clone();
    assert_eq!(std_code["lastUsedDateTime"], "0001-01-01T00:00:00Z");
    let text = assert_image_holds_raw_content(&std_code["image"], false);
    let payload = qrpin_codec::Payload::parse(&text).unwrap();
    assert_eq!(payload.upn(), "Adele.Vance@contoso.com");
    assert_eq!(payload.code_id(), std_code["id"].as_str().unwrap());
    assert_eq!(payload.extra_fields().count(), 1, "the key field");
    assert_eq!(std_code["image"]["errorCorrectionLevel"], "l");

    // One active standard code.
    let again = c.call("PUT", &m, Some(put)).await;
    assert_eq!((again.status, again.code()), (400, "ActiveQRCodeExisted"));
    let create = c
        .call(
            "PATCH",
            &format!("{m}/standardQRCode"),
            Some(dates(days_from_now(0), days_from_now(10))),
        )
        .await;
    assert_eq!((create.status, create.code()), (400, "ActiveQRCodeExisted"));

    // Reads: no image, no PIN, ever again.
    let got = c.call("GET", &m, None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["standardQRCode"]["id"], std_code["id"]);
    assert!(got.body["standardQRCode"]["image"].is_null());
    assert!(got.body["pin"]["code"].is_null());
    assert!(got.body["temporaryQRCode"].is_null());
    let got = c.call("GET", &format!("{m}/standardQRCode"), None).await;
    assert_eq!(got.status, 200);
    assert!(got.body["image"].is_null());
    // By UPN, without regard to case, and under v1.0.
    let by_upn = c
        .call(
            "GET",
            "/v1.0/users/adele.vance%40CONTOSO.com/authentication/qrcodepinmethod/standardqrcode",
            None,
        )
        .await;
    assert_eq!(by_upn.body["id"], std_code["id"]);

    // The active standard code's expiry moves within the policy's 365 days of its start.
    let a = c
        .call(
            "PATCH",
            &format!("{m}/standardQRCode"),
            Some(json!({"expireDateTime": days_from_now(200)})),
        )
        .await;
    assert_eq!(a.status, 204);
    let got = c.call("GET", &format!("{m}/standardQRCode"), None).await;
    assert_ne!(got.body["expireDateTime"], std_code["expireDateTime"]);
    let a = c
        .call(
            "PATCH",
            &format!("{m}/standardQRCode"),
            Some(json!({"expireDateTime": days_from_now(400)})),
        )
        .await;
    assert_eq!((a.status, a.code()), (400, "qrCodeLifeTimeExceedLimit"));

    // Temporary codes: up to 12 hours, one active, expiry fixed.
    let t = format!("{m}/temporaryQRCode");
    assert_eq!(c.call("GET", &t, None).await.status, 404);
    let a = c.call("PATCH", &t, Some(dates(hours_from_now(0), hours_from_now(13)))).await;
    assert_eq!((a.status, a.code()), (400, "qrCodeLifeTimeExceedLimit"));
    let a = c.call("PATCH", &t, Some(dates(hours_from_now(0), hours_from_now(8)))).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_image_holds_raw_content(&a.body["image"], false);
    let temp_id = a.body["id"].clone();
    assert_ne!(temp_id, std_code["id"]);
    let a = c.call("PATCH", &t, Some(dates(hours_from_now(0), hours_from_now(2)))).await;
    assert_eq!((a.status, a.code()), (400, "ActiveQRCodeExisted"));
    let a = c.call("PATCH", &t, Some(json!({"expireDateTime": hours_from_now(3)}))).await;
    assert_eq!(a.status, 400);
    assert_eq!(c.call("GET", &m, None).await.body["temporaryQRCode"]["id"], temp_id);
    assert_eq!(c.call("DELETE", &t, None).await.status, 204);
    assert_eq!(c.call("GET", &t, None).await.status, 404);
    assert_eq!(c.call("DELETE", &t, None).await.status, 404);

    // PIN reset: a generated PIN, once; an admin may not choose it here.
    let a = c.call("PATCH", &format!("{m}/pin"), Some(json!({}))).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let pin = a.body["code"].as_str().unwrap().to_owned();
    assert!(qrpin_codec::check_pin(&pin, qrpin_codec::PinPolicy::default()).is_ok());
    assert_eq!(a.body["forceChangePinNextSignIn"], true);
    assert_eq!(
        c.call("PATCH", &format!("{m}/pin"), Some(json!({"code": "09599786"}))).await.status,
        400
    );

    // updatePin: delegated only, the user's own, the current PIN first.
    let body = json!({"currentPin": pin, "newPin": "56745755"});
    let a = c.call("POST", &format!("{m}/pin/updatePin"), Some(body.clone())).await;
    assert_eq!((a.status, a.code()), (403, "Authorization_RequestDenied"));
    let me = user_token(&c, "adele.vance@contoso.com").await;
    let wrong = json!({"currentPin": "11223344", "newPin": "56745755"}).to_string();
    let a = c
        .call_with(
            Some(&me),
            "POST",
            "/beta/me/authentication/qrCodePinMethod/pin/updatePin",
            Some(wrong),
        )
        .await;
    assert_eq!(a.status, 400);
    let weak = json!({"currentPin": pin, "newPin": "12345678"}).to_string();
    let a = c
        .call_with(
            Some(&me),
            "POST",
            "/beta/me/authentication/qrCodePinMethod/pin/updatePin",
            Some(weak),
        )
        .await;
    assert_eq!(a.status, 400);
    let a = c
        .call_with(
            Some(&me),
            "PATCH",
            "/beta/me/authentication/qrCodePinMethod/pin/updatePin",
            Some(body.to_string()),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(c.call("GET", &m, None).await.body["pin"]["forceChangePinNextSignIn"], false);
    let a = c.call_with(Some(&me), "GET", "/beta/me/authentication/qrCodePinMethod", None).await;
    assert_eq!(a.status, 200);
    let a = c.call_with(Some(&me), "GET", &method_path(BOB), None).await;
    assert_eq!(a.status, 403, "a delegated token acts on its own user");
    let a = c.call("GET", "/beta/me/authentication/qrCodePinMethod", None).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.body["error"]["message"],
        "/me request is only valid with delegated authentication flow."
    );

    // A deleted standard code can be made again; a deleted method takes everything.
    assert_eq!(c.call("DELETE", &format!("{m}/standardQRCode"), None).await.status, 204);
    let a = c
        .call(
            "PATCH",
            &format!("{m}/standardQRCode"),
            Some(dates(days_from_now(0), days_from_now(30))),
        )
        .await;
    assert_eq!(a.status, 201);
    assert_image_holds_raw_content(&a.body["image"], false);
    assert_eq!(c.call("DELETE", &m, None).await.status, 204);
    assert_eq!(c.call("GET", &m, None).await.status, 404);
    assert_eq!(c.call("GET", &format!("{m}/standardQRCode"), None).await.status, 404);
    let a = c
        .call(
            "PATCH",
            &format!("{m}/standardQRCode"),
            Some(dates(days_from_now(0), days_from_now(30))),
        )
        .await;
    assert_eq!(a.status, 404, "no method, no code");
    assert_eq!(c.call("DELETE", &m, None).await.status, 404);

    // The user object.
    let a = c.call("GET", "/beta/users/BOB@contoso.com", None).await;
    assert_eq!((a.status, a.body["id"].as_str()), (200, Some(BOB)));
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_rules_codes_and_pins() {
    let (emulator, c) = start(Config::default()).await;
    let p =
        "/beta/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin";
    let a = c.call("GET", p, None).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        (a.body["state"].as_str(), a.body["pinLength"].as_i64()),
        (Some("enabled"), Some(8))
    );
    assert_eq!(a.body["standardQRCodeLifetimeInDays"], 365);
    let patch = json!({"@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethodConfiguration", "pinLength": 10, "standardQRCodeLifetimeInDays": 30});
    assert_eq!(c.call("PATCH", p, Some(patch)).await.status, 204);
    assert_eq!(c.call("PATCH", p, Some(json!({"pinLength": 7}))).await.status, 400);
    assert_eq!(
        c.call("PATCH", p, Some(json!({"standardQRCodeLifetimeInDays": 396}))).await.status,
        400
    );
    assert_eq!(c.call("GET", p, None).await.body["pinLength"], 10);

    let m = method_path(BOB);
    let short_pin = json!({"standardQRCode": dates(days_from_now(0), days_from_now(20)), "pin": {"code": "09599786"}});
    assert_eq!(
        c.call("PUT", &m, Some(short_pin)).await.status,
        400,
        "8 digits under a 10-digit policy"
    );
    let long = json!({"standardQRCode": dates(days_from_now(0), days_from_now(31))});
    assert_eq!(c.call("PUT", &m, Some(long)).await.code(), "qrCodeLifeTimeExceedLimit");
    let ok = json!({"standardQRCode": dates(days_from_now(0), days_from_now(30))});
    let a = c.call("PUT", &m, Some(ok)).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(
        a.body["pin"]["code"].as_str().unwrap().len(),
        10,
        "generated at the policy's length"
    );

    assert_eq!(c.call("PATCH", p, Some(json!({"state": "disabled"}))).await.status, 204);
    let a = c.call("PATCH", &format!("{m}/pin"), None).await;
    assert_eq!(a.status, 400, "a disabled method takes no writes");
    assert_eq!(c.call("DELETE", p, None).await.status, 204);
    let a = c.call("GET", p, None).await;
    assert_eq!(
        (a.body["state"].as_str(), a.body["pinLength"].as_i64()),
        (Some("enabled"), Some(8))
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_graph_errors_never_5xx() {
    let (emulator, c) = start(Config::default()).await;
    let m = method_path(ADELE);
    let raw = |b: &str| Some(b.to_owned());
    let t = Some(c.token.as_str());

    let a = c.call_with(t, "PUT", &m, raw("{\n  \"standardQRCode\": {,\n}")).await;
    assert_eq!((a.status, a.code()), (400, "BadRequest"));
    assert!(a.body["error"]["message"].as_str().unwrap().contains("Line 2, column"), "{}", a.body);
    let inner = &a.body["error"]["innerError"];
    assert!(
        inner["date"].is_string()
            && inner["request-id"].is_string()
            && inner["client-request-id"].is_string()
    );
    let a = c.call_with(t, "PUT", &m, raw(r#"{"standardQRCode": {"startDateTime": 5}}"#)).await;
    assert_eq!(a.status, 400);
    let a = c.call_with(t, "PUT", &m, raw(r#"{"standardQRCode": {}, "colour": "red"}"#)).await;
    assert!(a.body["error"]["message"].as_str().unwrap().contains("colour"));
    let a = c.call_with(t, "PUT", &m, raw(r#"{"standardQRCode": {"startDateTime": "tomorrow", "expireDateTime": "2030-01-01T00:00:00Z"}}"#)).await;
    assert!(a.body["error"]["message"].as_str().unwrap().contains("startDateTime"));
    let a = c.call_with(t, "PUT", &m, raw(r#"{"standardQRCode": {"startDateTime": "9999-12-31T23:59:59Z", "expireDateTime": "0001-01-01T00:00:00Z"}}"#)).await;
    assert_eq!(a.status, 400);
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(1024 * 1024 + 10));
    assert_eq!(c.call_with(t, "PUT", &m, Some(big)).await.status, 413);
    let a = c.call("POST", &m, Some(json!({}))).await;
    assert_eq!(a.status, 405);
    assert!(a.body["error"]["code"].is_string());
    let a = c.call("GET", "/beta/users/not-a-guid/authentication/qrCodePinMethod", None).await;
    assert_eq!(a.status, 400);
    let a = c.call("GET", &method_path("00000000-0000-4000-8000-000000000000"), None).await;
    assert_eq!((a.status, a.code()), (404, "Request_ResourceNotFound"));
    let a = c.call("GET", &method_path("nobody@contoso.com"), None).await;
    assert_eq!((a.status, a.code()), (404, "Request_ResourceNotFound"));
    let a = c.call("GET", "/beta/users/x/authentication/fido2Methods", None).await;
    assert_eq!(a.status, 400);
    let r = c
        .http
        .put(format!("{}{m}", c.base))
        .header("authorization", format!("Bearer {}", c.token))
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);

    // Tokens: none, malformed, forged, expired, too few permissions.
    let a = c.call_with(None, "GET", &m, None).await;
    assert_eq!((a.status, a.code()), (401, "InvalidAuthenticationToken"));
    assert!(a.headers.contains_key("www-authenticate"));
    assert_eq!(c.call_with(Some("abc"), "GET", &m, None).await.status, 401);
    let mut forged = c.token.clone();
    forged.truncate(forged.len() - 2);
    assert_eq!(c.call_with(Some(&forged), "GET", &m, None).await.status, 401);
    // The client's request id comes back in the header and the error.
    let r = c
        .http
        .get(format!("{}{m}", c.base))
        .header("client-request-id", "my-trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["client-request-id"], "my-trace-42");
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["innerError"]["client-request-id"], "my-trace-42");
    emulator.shutdown().await;

    let (emulator, c) =
        start(Config { token_lifetime: std::time::Duration::ZERO, ..Config::default() }).await;
    let a = c.call("GET", &method_path(ADELE), None).await;
    assert_eq!(a.status, 401);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("expired"));
    emulator.shutdown().await;

    let (emulator, c) =
        start(Config { roles: vec!["User.Read.All".into()], ..Config::default() }).await;
    let a = c.call("GET", &method_path(ADELE), None).await;
    assert_eq!((a.status, a.code()), (403, "Authorization_RequestDenied"));
    let p =
        "/beta/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/qrCodePin";
    assert_eq!(c.call("PATCH", p, Some(json!({"pinLength": 9}))).await.status, 403);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_errors_in_its_own_shape() {
    let (emulator, c) = start(Config::default()).await;
    let (s, v) = form(&c.http, &c.base, DEFAULT_TENANT, &format!("grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}&client_secret=wrong&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")).await;
    assert_eq!((s, v["error"].as_str()), (401, Some("invalid_client")));
    assert!(!v.to_string().contains("wrong"));
    let (s, v) = form(&c.http, &c.base, "other-tenant", "grant_type=client_credentials").await;
    assert_eq!(s, 400);
    assert!(v["error_description"].as_str().unwrap().starts_with("AADSTS90002"));
    let (s, v) = form(
        &c.http,
        &c.base,
        DEFAULT_TENANT,
        &format!("grant_type=implicit&client_id={DEFAULT_CLIENT_ID}&scope=x"),
    )
    .await;
    assert_eq!((s, v["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (s, _) = form(&c.http, &c.base, DEFAULT_TENANT, &format!("grant_type=password&client_id={DEFAULT_CLIENT_ID}&scope=x&username=bob@contoso.com&password=nope")).await;
    assert_eq!(s, 400);
    let spec = c.call_with(None, "GET", "/openapi.json", None).await;
    assert_eq!(spec.status, 200);
    assert_eq!(spec.body["openapi"], "3.0.3");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_images_and_levels() {
    let config = Config {
        image_format: ImageFormat::Png,
        ecl: qrpin_codec::Ecl::H,
        no_key_field: true,
        ..Config::default()
    };
    let (emulator, c) = start(config).await;
    let a = c
        .call(
            "PUT",
            &method_path(BOB),
            Some(json!({"standardQRCode": dates(days_from_now(0), days_from_now(1))})),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let image = &a.body["standardQRCode"]["image"];
    assert!(image["binaryValue"].as_str().unwrap().starts_with("iVBORw0KGgo"));
    assert_eq!(image["errorCorrectionLevel"], "h");
    let text = assert_image_holds_raw_content(image, true);
    assert_eq!(
        text,
        format!("ms-qrpin:v1|bob@contoso.com|{}", a.body["standardQRCode"]["id"].as_str().unwrap())
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_seeded_and_drops_keep_the_write() {
    let statuses = |seed| async move {
        let (emulator, c) =
            start(Config { fault_rate: 0.5, fault_seed: seed, ..Config::default() }).await;
        let mut seen = Vec::new();
        for _ in 0..40 {
            let a = c.call("GET", &method_path(ADELE), None).await;
            if a.status == 429 || a.status == 503 {
                assert!(a.headers.contains_key("retry-after"), "{}", a.status);
            }
            seen.push(a.status);
        }
        emulator.shutdown().await;
        seen
    };
    let a = statuses(7).await;
    assert_eq!(a, statuses(7).await, "the same seed, the same faults");
    assert!(a.contains(&404) && a.iter().any(|&s| [429, 503, 504].contains(&s)), "{a:?}");

    // A dropped answer: the write happened, the client saw no response.
    let (emulator, c) = start(Config { drop_rate: 1.0, ..Config::default() }).await;
    // A client that keeps no idle connection: on a reused one, hyper would send the PUT again.
    let once = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let r = once
        .put(format!("{}{}", c.base, method_path(ADELE)))
        .header("authorization", format!("Bearer {}", c.token))
        .header("content-type", "application/json")
        .body(json!({"standardQRCode": dates(days_from_now(0), days_from_now(5))}).to_string())
        .send()
        .await;
    assert!(r.is_err(), "no answer");
    let a = c.call("GET", &method_path(ADELE), None).await;
    assert_eq!(a.status, 200, "the write was done: {}", a.body);
    emulator.shutdown().await;

    // The token bucket: 2 a day (a token back every 12 hours, so no machine is slow enough for
    // one to come back within this test); the third is 429 with a Retry-After of up to 12 h.
    let throttle: qrpin_emulator::Throttle = "2/86400".parse().unwrap();
    let (emulator, c) = start(Config { throttle: Some(throttle), ..Config::default() }).await;
    assert_eq!(c.call("GET", &method_path(ADELE), None).await.status, 404);
    assert_eq!(c.call("GET", &method_path(ADELE), None).await.status, 404);
    let a = c.call("GET", &method_path(ADELE), None).await;
    assert_eq!((a.status, a.code()), (429, "TooManyRequests"));
    let secs: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=43_200).contains(&secs), "{secs}");
    emulator.shutdown().await;
}
