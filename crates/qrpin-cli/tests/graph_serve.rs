//! `qrpin graph serve` as a process: its URL line, its exit codes, and a SIGKILL during a
//! stream of writes that loses no acknowledged write and invents none.

#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::{json, Value};

const USERS: u32 = 400;

fn guid(i: u32) -> String {
    format!("{i:08x}-0000-4000-8000-{:012x}", u64::from(i) * 7919)
}

fn write_users(dir: &Path) -> std::path::PathBuf {
    let mut s = String::from("id,userPrincipalName,displayName\n");
    for i in 0..USERS {
        s.push_str(&format!("{},user{i}@contoso.com,User {i}\n", guid(i)));
    }
    let p = dir.join("users.csv");
    std::fs::write(&p, s).unwrap();
    p
}

/// Starts the server and reads its one stdout line: the base URL.
fn serve(args: &[&str]) -> (Child, String) {
    let mut child = Command::cargo_bin("qrpin")
        .unwrap()
        .args(["graph", "serve"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    (child, url)
}

fn token(http: &reqwest::blocking::Client, url: &str) -> String {
    let body = "grant_type=client_credentials&client_id=3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002\
                &client_secret=qrpin-local-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
    let r = http
        .post(format!("{url}/7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .unwrap();
    let v: Value = serde_json::from_str(&r.text().unwrap()).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// PUTs a standard code for `user`: `Some(code id)` when acknowledged, `None` when the server is
/// gone (no answer); any other answer fails the test.
fn put_method(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    user: u32,
) -> Option<String> {
    let now = time::OffsetDateTime::now_utc();
    let fmt = &time::format_description::well_known::Rfc3339;
    let body = json!({"standardQRCode": {
        "startDateTime": now.format(fmt).unwrap(),
        "expireDateTime": (now + time::Duration::days(30)).format(fmt).unwrap()}});
    let r = http
        .put(format!("{url}/beta/users/{}/authentication/qrCodePinMethod", guid(user)))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .ok()?;
    let status = r.status().as_u16();
    let text = r.text().ok()?; // a body cut short: the server died while answering
    assert_eq!(status, 201, "PUT for user {user} answered {status}: {text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    Some(v["standardQRCode"]["id"].as_str().unwrap().to_owned())
}

fn get_code(http: &reqwest::blocking::Client, url: &str, token: &str, user: u32) -> Option<String> {
    let r = http
        .get(format!(
            "{url}/beta/users/{}/authentication/qrCodePinMethod/standardQRCode",
            guid(user)
        ))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .unwrap();
    match r.status().as_u16() {
        200 => {
            let v: Value = serde_json::from_str(&r.text().unwrap()).unwrap();
            Some(v["id"].as_str().unwrap().to_owned())
        }
        404 => None,
        s => panic!("GET answered {s}"),
    }
}

/// Signals a writer's stop when dropped, also when it panics.
struct Stops<'a>(&'a dyn Fn(bool));

impl Drop for Stops<'_> {
    fn drop(&mut self) {
        (self.0)(true);
    }
}

/// Three rounds: writers stream PUTs into a server on a state file, the server is SIGKILLed
/// once a seeded number of writes were acknowledged, and a restart on the same file must hold
/// every acknowledged write, nothing never asked for, and at most the writes under way. Each
/// round's writers go on from the users the last round reached.
#[test]
fn a_killed_server_keeps_every_acknowledged_write() {
    let tmp = tempfile::tempdir().unwrap();
    let users = write_users(tmp.path());
    let state = tmp.path().join("graph.db");
    let args = ["--users", users.to_str().unwrap(), "--state", state.to_str().unwrap()];
    let acked: Arc<Mutex<BTreeMap<u32, String>>> = Arc::default();
    let next = Arc::new(AtomicUsize::new(0));
    let mut seed: u64 = 0x51a7e;
    for round in 0..3 {
        let (mut child, url) = serve(&args);
        let http = reqwest::blocking::Client::new();
        let tok = token(&http, &url);
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let target = acked.lock().unwrap().len() + 20 + (seed >> 33) as usize % 40;
        let in_flight: Arc<Mutex<BTreeSet<u32>>> = Arc::default();
        // How many writers stopped, with a signal after every acknowledged write and stop.
        let progress = Arc::new((Mutex::new(0usize), Condvar::new()));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let (acked, next, in_flight) = (acked.clone(), next.clone(), in_flight.clone());
                let progress = progress.clone();
                let (url, tok) = (url.clone(), tok.clone());
                std::thread::spawn(move || {
                    let http = reqwest::blocking::Client::new();
                    let signal = |stopped: bool| {
                        *progress.0.lock().unwrap_or_else(|p| p.into_inner()) +=
                            usize::from(stopped);
                        progress.1.notify_all();
                    };
                    // A writer that panics stops too (the main thread must not wait for it).
                    let _stops = Stops(&signal);
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst) as u32;
                        if i >= USERS {
                            return;
                        }
                        in_flight.lock().unwrap().insert(i);
                        match put_method(&http, &url, &tok, i) {
                            Some(id) => {
                                acked.lock().unwrap().insert(i, id);
                                in_flight.lock().unwrap().remove(&i);
                                signal(false);
                            }
                            None => return, // the server is gone
                        }
                    }
                })
            })
            .collect();
        // Kill at a progress point: once `target` writes are acknowledged.
        {
            let mut stopped = progress.0.lock().unwrap();
            while acked.lock().unwrap().len() < target {
                assert!(
                    *stopped < writers.len(),
                    "round {round}: the writers stopped before {target} writes were acknowledged"
                );
                stopped = progress.1.wait(stopped).unwrap();
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for w in writers {
            w.join().expect("a writer failed");
        }
        // Writers that got no answer: their writes may or may not have landed.
        let maybe: BTreeSet<u32> = in_flight.lock().unwrap().clone();

        let (mut child, url) = serve(&args);
        let tok = token(&http, &url);
        let acked_now = acked.lock().unwrap().clone();
        for i in 0..USERS {
            let got = get_code(&http, &url, &tok, i);
            match acked_now.get(&i) {
                Some(id) => {
                    assert_eq!(got.as_ref(), Some(id), "round {round}: acknowledged user {i} lost")
                }
                None if maybe.contains(&i) => {
                    if let Some(id) = got {
                        acked.lock().unwrap().insert(i, id); // it landed: from now on it counts
                    }
                }
                None => {
                    assert_eq!(got, None, "round {round}: user {i} has a code nobody asked for")
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&state).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "the state file is private");
    eprintln!("{} acknowledged writes kept across 3 SIGKILLs", acked.lock().unwrap().len());
}

#[test]
fn sigterm_stops_it_cleanly_and_bad_flags_exit_2() {
    let (child, url) = serve(&[]);
    let http = reqwest::blocking::Client::new();
    let r = http.get(format!("{url}/openapi.json")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    rustix::process::kill_process(
        rustix::process::Pid::from_child(&child),
        rustix::process::Signal::TERM,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));

    for (args, want) in [
        (vec!["--listen", "0.0.0.0:0"], "loopback"),
        (vec!["--fault-rate", "2"], "--fault-rate"),
        (vec!["--throttle", "0/1"], "N must be at least 1"),
        (vec!["--users", "/nonexistent/users.csv"], "cannot read"),
    ] {
        let out = Command::cargo_bin("qrpin")
            .unwrap()
            .args(["graph", "serve"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "no URL line when it does not start");
    }
}
