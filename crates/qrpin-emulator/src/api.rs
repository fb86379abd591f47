//! The one request handler: route, read the body, authenticate, throttle, inject faults, run
//! the rules, answer (or drop the connection), log.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tokio::sync::Notify;

use crate::auth::{Auth, Caller};
use crate::body::MAX_BODY;
use crate::clock;
use crate::faults::{Buckets, Fault, Faults};
use crate::graph_error::GraphError;
use crate::image::ImageSpec;
use crate::log;
use crate::route::{self, Route};
use crate::service::{self, Ctx, Done, Reply};
use crate::store::{self, Store};

/// Closes the request's connection without an answer when notified.
#[derive(Clone)]
pub struct DropSwitch(pub Arc<Notify>);

/// Everything the handler shares.
pub struct App {
    /// The database.
    pub store: Mutex<Store>,
    /// Tokens.
    pub auth: Auth,
    /// Injected faults.
    pub faults: Faults,
    /// The per-app token bucket, if throttling.
    pub buckets: Option<Buckets>,
    /// `Retry-After` of injected 429 and 503 answers.
    pub fault_retry_after: u64,
    /// Added to every answer.
    pub latency: Duration,
    /// How images are made.
    pub image: ImageSpec,
    /// The OpenAPI description, serialised once.
    pub openapi: String,
}

/// What the log line and the headers need to know about the request.
struct Meta {
    at: String,
    request_id: String,
    client_request_id: String,
}

impl Meta {
    fn json(&self, status: StatusCode, body: &serde_json::Value) -> Response {
        let mut r = (status, body.to_string()).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.ids(h);
        r
    }

    fn ids(&self, h: &mut HeaderMap) {
        for (k, v) in
            [("request-id", &self.request_id), ("client-request-id", &self.client_request_id)]
        {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(k, v);
            }
        }
    }

    fn error(&self, e: &GraphError) -> Response {
        let mut r =
            self.json(e.status, &e.body(&self.at, &self.request_id, &self.client_request_id));
        if let Some(s) = e.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if e.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"\", error=\"invalid_token\""),
            );
        }
        r
    }
}

/// Handles every request.
pub async fn handle(
    State(app): State<Arc<App>>,
    Extension(switch): Extension<DropSwitch>,
    req: Request,
) -> Response {
    let started = Instant::now();
    let request_id = random_id();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 100 && v.chars().all(|c| c.is_ascii_graphic()))
        .map_or_else(|| request_id.clone(), str::to_owned);
    let meta = Meta { at: clock::format(clock::now()), request_id, client_request_id };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut app_id: Option<String> = None;
    let mut note = String::new();
    let response = match serve(&app, &meta, req, &mut app_id, &mut note).await {
        Outcome::Answer(r) => r,
        Outcome::Drop => {
            log::request(&log::Line {
                at: &meta.at,
                app: app_id.as_deref(),
                method: method.as_str(),
                path: &path,
                status: 0,
                took: started.elapsed(),
                note: "dropped",
            });
            switch.0.notify_one();
            // The connection task drops this future with the connection.
            return std::future::pending::<Response>().await;
        }
    };
    log::request(&log::Line {
        at: &meta.at,
        app: app_id.as_deref(),
        method: method.as_str(),
        path: &path,
        status: response.status().as_u16(),
        took: started.elapsed(),
        note: &note,
    });
    response
}

enum Outcome {
    Answer(Response),
    Drop,
}

async fn serve(
    app: &Arc<App>,
    meta: &Meta,
    req: Request,
    app_id: &mut Option<String>,
    note: &mut String,
) -> Outcome {
    let answer = |e: GraphError| Outcome::Answer(meta.error(&e));
    let route = match route::parse(req.uri().path()) {
        Ok(r) => r,
        Err(e) => return answer(e),
    };
    let method = req.method().clone();
    let headers = req.headers().clone();
    if !app.latency.is_zero() {
        tokio::time::sleep(app.latency).await;
    }
    let body = match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || headers
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
                    .is_some_and(|n| n > MAX_BODY);
            return answer(if too_large {
                GraphError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "RequestEntityTooLarge",
                    format!("The request body is larger than {MAX_BODY} bytes."),
                )
            } else {
                GraphError::bad_request("The request body could not be read.")
            });
        }
    };
    match route {
        Route::OpenApi => {
            if method != Method::GET {
                return answer(service::allow(&method, Some(route::Item::User)).unwrap_err());
            }
            let mut r = (StatusCode::OK, app.openapi.clone()).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Outcome::Answer(r)
        }
        Route::Token(tenant) => {
            if method != Method::POST {
                return answer(GraphError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "Request_BadRequest",
                    "The token endpoint takes POST.",
                ));
            }
            let now = clock::now().unix_timestamp();
            let find = |u: &str| {
                let s = app.store.lock().unwrap_or_else(|p| p.into_inner());
                store::find_user(s.conn(), u).ok().flatten()
            };
            let mut r = match app.auth.token(&tenant, &body, now, find) {
                Ok(v) => meta.json(StatusCode::OK, &v),
                Err(e) => meta.json(e.status, &e.body(&meta.at, &meta.request_id)),
            };
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Outcome::Answer(r)
        }
        Route::Graph(..) | Route::Policy => {
            if matches!(method, Method::PUT | Method::PATCH | Method::POST) && !body.is_empty() {
                let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
                if ct.is_some_and(|c| !c.to_ascii_lowercase().contains("json")) {
                    return answer(GraphError::new(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "UnsupportedMediaType",
                        "The request body must be application/json.",
                    ));
                }
            }
            let caller = match app.auth.authenticate(&headers, clock::now().unix_timestamp()) {
                Ok(c) => c,
                Err(e) => return answer(e),
            };
            *app_id = Some(caller.app_id().to_owned());
            if let Some(b) = &app.buckets {
                if let Err(secs) = b.take(caller.app_id(), Instant::now()) {
                    *note = format!("throttled retry-after={secs}");
                    return answer(
                        GraphError::new(
                            StatusCode::TOO_MANY_REQUESTS,
                            "TooManyRequests",
                            "Too many requests: this app is over its request rate. Retry after the time in Retry-After.",
                        )
                        .retry_after(secs),
                    );
                }
            }
            if let Some(f) = app.faults.draw() {
                let s = app.fault_retry_after;
                let e = match f {
                    Fault::TooManyRequests => GraphError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "TooManyRequests",
                        "Too many requests (an injected fault).",
                    )
                    .retry_after(s),
                    Fault::Unavailable => GraphError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "serviceNotAvailable",
                        "The service is unavailable (an injected fault).",
                    )
                    .retry_after(s),
                    Fault::GatewayTimeout => GraphError::new(
                        StatusCode::GATEWAY_TIMEOUT,
                        "gatewayTimeout",
                        "The gateway timed out (an injected fault).",
                    ),
                };
                *note = match e.retry_after {
                    Some(s) => format!("fault={} retry-after={s}", e.status.as_u16()),
                    None => format!("fault={}", e.status.as_u16()),
                };
                return answer(e);
            }
            let done = run(app, caller, method, route, body).await;
            match done {
                Ok(d) if d.wrote && app.faults.draw_drop() => Outcome::Drop,
                Ok(Done { reply: Reply::Json(status, v), .. }) => {
                    Outcome::Answer(meta.json(status, &v))
                }
                Ok(Done { reply: Reply::NoContent, .. }) => {
                    let mut r = StatusCode::NO_CONTENT.into_response();
                    meta.ids(r.headers_mut());
                    *r.body_mut() = Body::empty();
                    Outcome::Answer(r)
                }
                Err(e) => answer(e),
            }
        }
    }
}

/// Runs the rules on a blocking thread (SQLite commits wait for the disk).
async fn run(
    app: &Arc<App>,
    caller: Caller,
    method: Method,
    route: Route,
    body: bytes::Bytes,
) -> Result<Done, GraphError> {
    let app = Arc::clone(app);
    let joined = tokio::task::spawn_blocking(move || {
        let mut s = app.store.lock().unwrap_or_else(|p| p.into_inner());
        let ctx = Ctx { now: clock::now(), image: app.image, caller: &caller };
        match route {
            Route::Policy => service::policy_request(&mut s, &caller, &method, &body),
            Route::Graph(subject, item) => {
                service::user_request(&mut s, &ctx, &method, &subject, item, &body)
            }
            _ => Err(GraphError::bad_request("not a Graph resource")),
        }
    })
    .await;
    joined.unwrap_or_else(|e| {
        Err(GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!("the request failed: {e}"),
        ))
    })
}

/// A random request id (a GUID).
fn random_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        b = fastrand::u128(..).to_be_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    qrpin_codec::guid::Guid(u128::from_be_bytes(b)).to_string()
}
