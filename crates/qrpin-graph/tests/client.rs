//! The client against the emulator (in-process): every typed call, retries and their counts,
//! unknown outcomes, token refusal and refresh, and errors that carry no secret.

use qrpin_emulator::{
    Config, Emulator, User, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use qrpin_graph::{
    Client, ClientConfig, CodeKind, Credentials, Endpoints, Error, NewCode, RetryPolicy, Secret,
};
use time::{Duration, OffsetDateTime};

const AVERY: &str = "4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b";

fn users() -> Vec<User> {
    vec![User {
        id: AVERY.into(),
        upn: "avery@contoso.com".into(),
        display_name: Some("Avery".into()),
    }]
}

fn client(base: &str, secret: &str, retry: RetryPolicy) -> Client {
    let mut c = ClientConfig::new(Credentials::ClientSecret {
        tenant: DEFAULT_TENANT.into(),
        client_id: DEFAULT_CLIENT_ID.into(),
        secret: Secret::new(secret),
    });
    c.endpoints = Endpoints::new(base, base).unwrap();
    c.retry = retry;
    Client::new(c).unwrap()
}

fn days(n: i64) -> NewCode {
    let start = OffsetDateTime::now_utc();
    NewCode { start, expire: start + Duration::days(n) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_does_what_graph_documents() {
    let em = Emulator::start(Config { users: users(), ..Config::default() }).await.unwrap();
    let c = client(&em.base_url(), DEFAULT_CLIENT_SECRET, RetryPolicy::default());
    let u = c.get_user("avery@contoso.com").await.unwrap();
    assert_eq!((u.id.as_str(), u.display_name.as_deref()), (AVERY, Some("Avery")));
    assert_eq!(c.get_user("nobody@contoso.com").await.unwrap_err().status(), Some(404));
    assert!(c.get_method(AVERY).await.unwrap().is_none());
    let p = c.get_policy().await.unwrap();
    assert_eq!((p.pin_length, p.standard_qr_code_lifetime_in_days), (Some(8), Some(365)));

    let made = c.create_method(AVERY, days(30), Some("27193856")).await.unwrap();
    assert_eq!(made.status, 201);
    let code = made.value.standard_qr_code.clone().unwrap();
    assert!(code.image.unwrap().raw_content.is_some());
    assert_eq!(made.value.pin.unwrap().code.as_deref(), Some("27193856"));
    assert!(made.body.contains("\"rawContent\""), "the body is kept as sent");

    // A second standard code is refused as Graph documents.
    let e = c.create_code(AVERY, CodeKind::Standard, days(10)).await.unwrap_err();
    assert!(e.is_active_code_existed(), "{e}");
    let read = c.get_method(AVERY).await.unwrap().unwrap();
    assert_eq!(read.standard_qr_code.unwrap().id, code.id);
    c.update_code_expiry(AVERY, CodeKind::Standard, OffsetDateTime::now_utc() + Duration::days(5))
        .await
        .unwrap();
    let t = c
        .create_code(
            AVERY,
            CodeKind::Temporary,
            NewCode {
                start: OffsetDateTime::now_utc(),
                expire: OffsetDateTime::now_utc() + Duration::hours(2),
            },
        )
        .await
        .unwrap();
    assert!(t.value.image.is_some());
    assert!(c.get_code(AVERY, CodeKind::Temporary).await.unwrap().is_some());
    let pin = c.reset_pin(AVERY).await.unwrap();
    assert_eq!(pin.value.force_change_pin_next_sign_in, Some(true));
    assert_eq!(pin.value.code.as_ref().map(String::len), Some(8));
    assert!(c.delete_code(AVERY, CodeKind::Temporary).await.unwrap());
    assert!(!c.delete_code(AVERY, CodeKind::Temporary).await.unwrap());
    assert!(c.delete_method(AVERY).await.unwrap());
    assert!(c.get_method(AVERY).await.unwrap().is_none());
    let s = c.stats();
    assert_eq!((s.retries, s.throttled), (0, 0));
    em.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_retried_a_bounded_number_of_times() {
    let em = Emulator::start(Config {
        users: users(),
        fault_rate: 1.0,
        fault_retry_after: 0,
        ..Config::default()
    })
    .await
    .unwrap();
    let retry = RetryPolicy { attempts: 4, ..RetryPolicy::default() };
    let c = client(&em.base_url(), DEFAULT_CLIENT_SECRET, retry);
    let e = c.get_method(AVERY).await.unwrap_err();
    assert!(matches!(e, Error::GaveUp { attempts: 4, .. }), "{e}");
    let s = c.stats();
    assert_eq!((s.requests, s.retries), (4, 3));
    em.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_beyond_the_limit_fails_instead_of_being_cut_short() {
    let em = Emulator::start(Config {
        users: users(),
        fault_rate: 1.0,
        fault_retry_after: 7200,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = client(&em.base_url(), DEFAULT_CLIENT_SECRET, RetryPolicy::default());
    // Injected faults are 429 and 503 with Retry-After, or 504 without (then a backoff).
    let e = loop {
        match c.get_method(AVERY).await {
            Err(e @ Error::GaveUp { .. }) if e.to_string().contains("Retry-After 7200 s") => {
                break e
            }
            Err(Error::GaveUp { .. }) => continue,
            other => panic!("{other:?}"),
        }
    };
    assert!(e.to_string().contains("longer than the 3600 s"), "{e}");
    assert_eq!(c.stats().paused_ms, 0, "no pause was taken for a wait it will not do");
    em.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_an_unknown_outcome_not_a_retry() {
    let em = Emulator::start(Config { users: users(), drop_rate: 1.0, ..Config::default() })
        .await
        .unwrap();
    let c = client(&em.base_url(), DEFAULT_CLIENT_SECRET, RetryPolicy::default());
    let e = c.create_method(AVERY, days(30), None).await.unwrap_err();
    assert!(matches!(e, Error::Unknown { method: "PUT", .. }), "{e}");
    assert_eq!(c.stats().requests, 1, "a write whose answer was lost is not sent again");
    // It was done: the code exists, and its image is gone for good.
    let m = c.get_method(AVERY).await.unwrap().unwrap();
    assert!(m.standard_qr_code.unwrap().image.is_none());
    em.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_fetched_again_and_a_bad_secret_is_an_auth_error() {
    let em = Emulator::start(Config { users: users(), ..Config::default() }).await.unwrap();
    let addr = em.addr();
    let base = em.base_url();
    let c = client(&base, DEFAULT_CLIENT_SECRET, RetryPolicy::default());
    assert!(c.get_method(AVERY).await.unwrap().is_none());
    // A new server on the same address signs with a new key: the cached token is refused (401)
    // and the client fetches another once.
    em.shutdown().await;
    let em = Emulator::start(Config { users: users(), listen: addr, ..Config::default() })
        .await
        .unwrap();
    assert!(c.get_method(AVERY).await.unwrap().is_none());
    let wrong = client(&base, "not-the-secret", RetryPolicy::default());
    let e = wrong.get_method(AVERY).await.unwrap_err();
    assert!(matches!(e, Error::Auth(_)), "{e}");
    assert!(!e.to_string().contains("not-the-secret"), "{e}");
    // A bearer token that is not a token: 401 as Graph answers it, no refresh possible.
    let mut cfg = ClientConfig::new(Credentials::Bearer(Secret::new("garbage.token.value")));
    cfg.endpoints = Endpoints::new(&base, &base).unwrap();
    let bearer = Client::new(cfg).unwrap();
    let e = bearer.get_method(AVERY).await.unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
    assert!(!e.to_string().contains("garbage"), "{e}");
    em.shutdown().await;
}

#[test]
fn endpoints_are_checked() {
    assert!(
        Endpoints::new("https://graph.microsoft.com/", "https://login.microsoftonline.com").is_ok()
    );
    for bad in ["graph.microsoft.com", "ftp://x", "https://x/?a=1", ""] {
        assert!(Endpoints::new(bad, "https://login.microsoftonline.com").is_err(), "{bad}");
    }
    let e = Endpoints::new("https://graph.microsoft.com/", "http://127.0.0.1:1/").unwrap();
    assert_eq!(
        (e.graph.as_str(), e.login.as_str()),
        ("https://graph.microsoft.com", "http://127.0.0.1:1")
    );
}
