//! `qrpin provision`, `qrpin pin reset` and `qrpin graph get|delete` against `qrpin graph
//! serve`: resume after SIGKILLs at progress points under injected faults and dropped answers,
//! throttling honoured, badges and PIN slips that match the journal, and no secret in any
//! output.

#![cfg(unix)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

const TENANT: &str = "7d5a0c9e-5c2b-4f4e-9a43-0a11ce000001";
const CLIENT: &str = "3f6d8a2b-51c4-4e0a-9d7e-0a11ce000002";
const SECRET: &str = "qrpin-local-secret";

fn guid(i: u32) -> String {
    format!("{i:08x}-0000-4000-8000-{:012x}", u64::from(i) * 7919)
}

/// The directory the emulator serves: `n` users.
fn directory(dir: &Path, n: u32) -> PathBuf {
    let mut s = String::from("id,userPrincipalName,displayName\n");
    for i in 0..n {
        s.push_str(&format!("{},user{i}@contoso.com,User {i}\n", guid(i)));
    }
    let p = dir.join("directory.csv");
    std::fs::write(&p, s).unwrap();
    p
}

/// A running `qrpin graph serve`, its log in a file; killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, args: &[&str]) -> Server {
    let log = dir.join(format!("serve-{}.log", args.len()));
    let mut child = Command::cargo_bin("qrpin")
        .unwrap()
        .current_dir(dir)
        .args(["graph", "serve"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    Server { child, url, log }
}

/// `qrpin` with the sign-in flags for `url`; the secret comes from the environment.
fn qrpin(url: &str, args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("qrpin").unwrap();
    c.args(args)
        .args(["--graph-url", url, "--login-url", url, "--tenant", TENANT, "--client-id", CLIENT])
        .args(["--client-secret-env", "QRPIN_TEST_SECRET"])
        .env("QRPIN_TEST_SECRET", SECRET)
        .env("NO_COLOR", "1");
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(mut c: Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn records(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The latest created code of each user: user id -> (code id, rawContent text).
fn journaled_codes(recs: &[Value]) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for r in recs.iter().filter(|r| r["event"] == "created") {
        let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
        let code =
            if body.get("standardQRCode").is_some() { &body["standardQRCode"] } else { &body };
        let raw = code["image"]["rawContent"].as_str().unwrap();
        let text = String::from_utf8(qrpin_codec::base64::decode(raw).unwrap()).unwrap();
        out.insert(
            r["user"]["id"].as_str().unwrap().to_owned(),
            (code["id"].as_str().unwrap().to_owned(), text),
        );
    }
    out
}

/// The latest PIN of each user by UPN, from created and reset answers and lost method creates.
fn journaled_pins(recs: &[Value]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in recs {
        let upn = r["user"]["userPrincipalName"].as_str().unwrap().to_owned();
        let pin = match r["event"].as_str().unwrap() {
            "created" | "pinReset" => {
                let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
                let p = if body.get("pin").is_some() {
                    body["pin"]["code"].clone()
                } else {
                    body["code"].clone()
                };
                p.as_str().map(str::to_owned)
            }
            "outcome" if r["outcome"] == "lost" => r["pin"].as_str().map(str::to_owned),
            _ => None,
        };
        if let Some(p) = pin {
            out.insert(upn, p);
        }
    }
    out
}

/// The slips of pin-slips.pdf: UPN -> PIN, read from its text (`PIN for`, the UPN, the PIN).
fn slips(pdf: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(pdf);
    let strings: Vec<&str> =
        text.split(") Tj").filter_map(|s| s.rfind('(').map(|i| &s[i + 1..])).collect();
    let mut out = BTreeMap::new();
    for w in strings.windows(3) {
        if w[0] == "PIN for" {
            assert!(
                out.insert(w[1].to_owned(), w[2].to_owned()).is_none(),
                "two slips for {}",
                w[1]
            );
        }
    }
    out
}

fn token(url: &str) -> String {
    let r = reqwest::blocking::Client::new()
        .post(format!("{url}/{TENANT}/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .unwrap();
    let v: Value = serde_json::from_str(&r.text().unwrap()).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// The method of a user as Graph holds it (`None`: no method), asking again after injected
/// faults (they come with `Retry-After: 0` in these tests).
fn method(url: &str, token: &str, user: &str) -> Option<Value> {
    for _ in 0..50 {
        let r = reqwest::blocking::Client::new()
            .get(format!("{url}/beta/users/{user}/authentication/qrCodePinMethod"))
            .bearer_auth(token)
            .send()
            .unwrap();
        match r.status().as_u16() {
            200 => return Some(serde_json::from_str(&r.text().unwrap()).unwrap()),
            404 => return None,
            429 | 503 | 504 => continue,
            s => panic!("GET method of {user}: {s}"),
        }
    }
    panic!("GET method of {user}: 50 faults in a row")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn decodes_to(bytes: &[u8], text: &str) -> bool {
    let codes = qrpin_scan::Scanner::default().scan_bytes(bytes).unwrap_or_default();
    codes.iter().any(|c| c.text == text)
}

/// No PIN, rawContent or token of the journal in any of `outputs`.
fn assert_no_secrets(recs: &[Value], outputs: &[&str]) {
    let pins = journaled_pins(recs);
    let codes = journaled_codes(recs);
    for out in outputs {
        assert!(!out.contains("eyJ"), "a token in the output");
        for p in pins.values() {
            assert!(!out.contains(p.as_str()), "a PIN in the output");
        }
        for (_, text) in codes.values() {
            let raw = qrpin_codec::base64::encode(text.as_bytes());
            assert!(
                !out.contains(&raw) && !out.contains(text.as_str()),
                "rawContent in the output"
            );
        }
    }
}

/// Reads `-v` lines from a provision run's stderr until `n` users are done, then SIGKILLs it.
/// Returns everything it printed. Each line is printed after the user's journal record is on
/// disk, so the kill lands at a progress point, never at a time.
fn kill_after(mut c: Command, n: usize) -> String {
    let mut child = c.arg("-v").stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let (mut printed, mut done) = (String::new(), 0);
    let mut line = String::new();
    while done < n {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "the run ended before {n} users: {printed}");
        if ["created ", "exists ", "lost ", "failed "].iter().any(|p| line.starts_with(p)) {
            done += 1;
        }
        printed.push_str(&line);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    err.read_to_string(&mut printed).unwrap();
    printed
}

fn done_users(recs: &[Value]) -> usize {
    recs.iter()
        .filter(|r| r["event"] == "created")
        .map(|r| r["user"]["id"].as_str().unwrap().to_owned())
        .collect::<BTreeSet<_>>()
        .len()
}

/// 1,000 users, a tenth of requests failing with 429/503/504 and 2% of writes done but
/// unanswered; the provisioner SIGKILLed at six progress points, then resumed with
/// `--replace-lost`: every user has exactly one active standard code, the journal's, every
/// badge holds its rawContent, every slip its user's journaled PIN, and nothing secret leaks.
#[test]
fn faults_drops_and_kills_lose_nothing() {
    const USERS: u32 = 1000;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    directory(d, USERS);
    let server = serve(
        d,
        &[
            "--users",
            "directory.csv",
            "--fault-rate",
            "0.1",
            "--drop-rate",
            "0.02",
            "--fault-retry-after",
            "0",
            "--fault-seed",
            "16",
        ],
    );
    let users = d.join("users.csv");
    let mut s = String::from("userPrincipalName\n");
    for i in 0..USERS {
        s.push_str(&format!("user{i}@contoso.com\n"));
    }
    std::fs::write(&users, s).unwrap();
    let out = d.join("run");
    let report = d.join("report.jsonl");
    let args = |extra: &[&str]| {
        let mut c = qrpin(
            &server.url,
            &[
                "provision",
                users.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--badge-format",
                "svg",
                "--jobs",
                "8",
            ],
        );
        c.args(extra);
        c
    };
    let mut printed = Vec::new();
    let mut kills = 0;
    for step in [60, 130, 90, 150, 70, 110] {
        let before = if out.exists() { done_users(&records(&out)) } else { 0 };
        printed.push(kill_after(args(&[]), before + step));
        kills += 1;
    }
    assert!(kills >= 5);
    let last = run(args(&["--replace-lost", "--verify", "--report", report.to_str().unwrap()]));
    assert_eq!(last.code, 0, "{}", last.stderr);
    assert!(last.stderr.contains("provision: 1000 users: 1000 created"), "{}", last.stderr);

    let recs = records(&out);
    let codes = journaled_codes(&recs);
    assert_eq!(codes.len(), USERS as usize);
    // Dropped answers did make lost codes, and they were replaced.
    assert!(recs.iter().any(|r| r["event"] == "outcome" && r["outcome"] == "lost"), "no lost code");
    // Graph holds exactly the journal's code for every user.
    let token = token(&server.url);
    for i in 0..USERS {
        let m = method(&server.url, &token, &guid(i)).expect("a method");
        let id = m["standardQRCode"]["id"].as_str().unwrap();
        assert_eq!(id, codes[&guid(i)].0, "user {i}");
        assert!(m["temporaryQRCode"].is_null());
    }
    // Every badge holds its user's rawContent.
    let badges = out.join("badges");
    assert_eq!(std::fs::read_dir(&badges).unwrap().count(), USERS as usize);
    for (code_id, text) in codes.values() {
        let svg = std::fs::read(badges.join(format!("{code_id}.svg"))).unwrap();
        assert!(decodes_to(&svg, text), "badge {code_id}");
    }
    // Every slip holds its user's journaled PIN, and every user has one.
    let pins = journaled_pins(&recs);
    assert_eq!(pins.len(), USERS as usize);
    assert_eq!(slips(&std::fs::read(out.join("pin-slips.pdf")).unwrap()), pins);
    // Files at the top of DIR are private.
    for f in ["journal.jsonl", "pin-slips.pdf"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
    // The report: one line per user, all created, no secrets.
    let rep = std::fs::read_to_string(&report).unwrap();
    assert_eq!(rep.lines().count(), USERS as usize);
    assert!(rep.lines().all(|l| serde_json::from_str::<Value>(l).unwrap()["status"] == "created"));
    printed.push(last.stdout.clone());
    printed.push(last.stderr.clone());
    printed.push(rep);
    let outputs: Vec<&str> = printed.iter().map(String::as_str).collect();
    assert_no_secrets(&recs, &outputs);
    // The faults happened: the server's log shows dropped answers and injected errors.
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(log.contains(" dropped"), "no dropped answer");
    assert!(log.contains("fault=503") && log.contains("fault=504") && log.contains("fault=429"));
    assert!(!log.contains("eyJ") && !log.contains(SECRET));
}

/// Small runs: users named by UPN (resolved) or id, one unknown, one bad row, one with a code
/// made elsewhere; the report and exit codes; `--replace`; `--status`; a dry run that writes
/// nothing; a PIN reset; `graph get` and `graph delete`.
#[test]
fn a_run_reports_every_user_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    directory(d, 8);
    let server = serve(d, &["--users", "directory.csv"]);
    let url = server.url.clone();
    let token = token(&url);
    // user3 already has a code, made by someone else.
    let now = time::OffsetDateTime::now_utc();
    let fmt = &time::format_description::well_known::Rfc3339;
    let r = reqwest::blocking::Client::new()
        .put(format!("{url}/beta/users/{}/authentication/qrCodePinMethod", guid(3)))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(
            serde_json::json!({"standardQRCode": {
            "startDateTime": now.format(fmt).unwrap(),
            "expireDateTime": (now + time::Duration::days(30)).format(fmt).unwrap()}})
            .to_string(),
        )
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let users = d.join("users.csv");
    std::fs::write(
        &users,
        format!(
            "upn,id,displayName\nuser0@contoso.com,,Ada\n,{},\nuser2@contoso.com,{},Grace\nuser3@contoso.com,,\nnobody@contoso.com,,\nbad@@x,,\n",
            guid(1),
            guid(2)
        ),
    )
    .unwrap();
    let out = d.join("run");
    let report = d.join("report.jsonl");
    let provision = |extra: &[&str]| {
        let mut c =
            qrpin(&url, &["provision", users.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        c.args(extra);
        run(c)
    };

    // A dry run says what it would do and writes nothing.
    let dry = provision(&["--dry-run"]);
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    assert!(!out.exists(), "a dry run made DIR");
    assert!(dry.stdout.contains("would-create  user0@contoso.com"), "{}", dry.stdout);
    assert!(dry.stdout.contains("exists        user3@contoso.com"), "{}", dry.stdout);
    let log = std::fs::read_to_string(&server.log).unwrap();
    let writes = |log: &str| {
        log.lines()
            .filter(|l| l.contains(" PUT ") || l.contains(" PATCH ") || l.contains(" DELETE "))
            .count()
    };
    assert_eq!(writes(&log), 1, "the dry run wrote: {log}"); // the setup PUT only

    let first = provision(&["--report", report.to_str().unwrap()]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(
        first.stderr.contains("provision: 6 users: 3 created, 1 exists, 0 failed")
            || first.stderr.contains("provision: 6 users: 3 created, 1 exists, 2 failed"),
        "{}",
        first.stderr
    );
    let rep: Vec<Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let status: Vec<&str> = rep.iter().map(|v| v["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["created", "created", "created", "exists", "failed", "failed"]);
    assert_eq!(rep[1]["userPrincipalName"], "user1@contoso.com"); // resolved from the id
    assert_eq!(rep[0]["id"], guid(0)); // resolved from the UPN
    assert!(rep[4]["why"].as_str().unwrap().contains("not a user of the directory"));
    assert!(rep[5]["why"].as_str().unwrap().contains("userPrincipalName"));
    for v in &rep[..3] {
        let badge = out.join("badges").join(format!("{}.pdf", v["codeId"].as_str().unwrap()));
        assert!(std::fs::read(&badge).unwrap().starts_with(b"%PDF-"), "{}", badge.display());
    }
    let recs = records(&out);
    assert_eq!(slips(&std::fs::read(out.join("pin-slips.pdf")).unwrap()), journaled_pins(&recs));
    assert_eq!(journaled_pins(&recs).len(), 3);

    // --status, from the journal alone.
    let st = run({
        let mut c = Command::cargo_bin("qrpin").unwrap();
        c.args(["provision", "--json", "--status", out.to_str().unwrap()]);
        c
    });
    assert_eq!(st.code, 1);
    let lines: Vec<Value> = st.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let by_upn: HashMap<&str, &str> = lines
        .iter()
        .map(|v| (v["userPrincipalName"].as_str().unwrap(), v["status"].as_str().unwrap()))
        .collect();
    assert_eq!(by_upn["user0@contoso.com"], "created");
    assert_eq!(by_upn["user3@contoso.com"], "exists");
    for v in &lines {
        for k in ["userPrincipalName", "id", "status", "codeId", "expireDateTime"] {
            assert!(v.get(k).is_some(), "{k} in {v}");
        }
    }

    // A record torn by a crash is reported, never taken for data, and cut off by the next run.
    let journal = out.join("journal.jsonl");
    let whole = std::fs::read(&journal).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(br#"{"journal":1,"seq":99,"event":"created","body":"{\"standardQR"#);
    std::fs::write(&journal, &torn).unwrap();
    let st2 = run({
        let mut c = Command::cargo_bin("qrpin").unwrap();
        c.args(["provision", "--status", out.to_str().unwrap()]);
        c
    });
    assert_eq!(st2.code, 1);
    assert!(st2.stderr.contains("torn by a crash"), "{}", st2.stderr);
    assert_eq!(st2.stdout.lines().count(), 6, "{}", st2.stdout);

    // Again with --replace: done users are skipped, user3's code is replaced.
    let before3 = method(&url, &token, &guid(3)).unwrap()["standardQRCode"]["id"].clone();
    let second = provision(&["--replace"]);
    assert_eq!(second.code, 1, "{}", second.stderr); // the unknown user and the bad row
    assert!(second.stderr.contains("4 created"), "{}", second.stderr);
    assert!(second.stderr.contains("torn by a crash") && second.stderr.contains("removed"));
    assert!(std::fs::read(&journal).unwrap().starts_with(&whole));
    let after3 = method(&url, &token, &guid(3)).unwrap()["standardQRCode"]["id"].clone();
    assert_ne!(before3, after3);
    assert_eq!(journaled_codes(&records(&out))[&guid(3)].0, after3.as_str().unwrap());

    // A PIN reset: journaled, on the slips, never printed.
    let reset =
        run(qrpin(&url, &["pin", "reset", "user0@contoso.com", "--out", out.to_str().unwrap()]));
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    let recs = records(&out);
    let pins = journaled_pins(&recs);
    assert!(recs.last().unwrap()["event"] == "pinReset");
    assert_eq!(slips(&std::fs::read(out.join("pin-slips.pdf")).unwrap()), pins);
    let m0 = method(&url, &token, &guid(0)).unwrap();
    assert_eq!(m0["pin"]["forceChangePinNextSignIn"], true);

    // graph get: dates, no secrets; graph delete: the code goes, then there is nothing to delete.
    let got = run(qrpin(&url, &["graph", "get", "user2@contoso.com"]));
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert!(got.stdout.contains(journaled_codes(&recs)[&guid(2)].0.as_str()), "{}", got.stdout);
    assert!(got.stdout.contains("active"));
    let unknown = run(qrpin(&url, &["graph", "get", "nobody@contoso.com"]));
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("not a user of the directory"), "{}", unknown.stderr);
    let del = run(qrpin(&url, &["graph", "delete", "user2@contoso.com", "--standard"]));
    assert_eq!(del.code, 0, "{}", del.stderr);
    assert!(method(&url, &token, &guid(2)).unwrap()["standardQRCode"].is_null());
    let again = run(qrpin(&url, &["graph", "delete", "user2@contoso.com", "--standard"]));
    assert_eq!(again.code, 1, "{}", again.stderr);
    let gone = run(qrpin(&url, &["graph", "get", "--json", "user2@contoso.com"]));
    let v: Value = serde_json::from_str(gone.stdout.trim()).unwrap();
    assert!(v["method"]["standardQRCode"].is_null());

    for f in ["journal.jsonl", "pin-slips.pdf"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
    let all = [&dry, &first, &second, &reset, &got, &del, &again, &gone];
    let texts: Vec<&str> =
        all.iter().flat_map(|r| [r.stdout.as_str(), r.stderr.as_str()]).collect();
    let rep_text = std::fs::read_to_string(&report).unwrap();
    let mut outputs = texts.clone();
    outputs.push(&rep_text);
    assert_no_secrets(&records(&out), &outputs);
}

/// A Graph request in the server's log: arrival in seconds, status, Retry-After if any.
type Logged = (f64, u16, Option<f64>);

/// Provisions 150 users through a bucket of 50 requests a second with `jobs` workers; returns
/// the client's (requests, throttled) counts and the server's Graph requests as (arrival in
/// seconds, status, Retry-After).
fn throttled_run(jobs: usize) -> ((u64, u64), Vec<Logged>) {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    directory(d, 150);
    let server = serve(d, &["--users", "directory.csv", "--throttle", "50/1"]);
    let users = d.join("users.csv");
    let mut s = String::from("id,upn\n");
    for i in 0..150 {
        s.push_str(&format!("{},user{i}@contoso.com\n", guid(i)));
    }
    std::fs::write(&users, s).unwrap();
    let out = d.join("run");
    let jobs = jobs.to_string();
    let mut c =
        qrpin(&server.url, &["provision", users.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    c.args(["--badge-format", "svg", "--jobs", &jobs]);
    let r = run(c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary = r.stderr.lines().find(|l| l.starts_with("provision: ")).unwrap().to_owned();
    let num = |word: &str| -> u64 {
        let i = summary.find(&format!(" {word}")).unwrap_or_else(|| panic!("{word} in {summary}"));
        summary[..i].rsplit(' ').next().unwrap().parse().unwrap()
    };
    let counts = (num("requests"), num("throttled"));
    let log = std::fs::read_to_string(&server.log).unwrap();
    let mut seen = Vec::new();
    for l in log.lines().filter(|l| l.contains(" app=") && !l.contains("oauth2")) {
        let at = time::OffsetDateTime::parse(
            l.split(' ').next().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let status: u16 = l.split(' ').nth(4).unwrap().parse().unwrap();
        let retry = l.split("retry-after=").nth(1).map(|s| s.trim().parse::<f64>().unwrap());
        seen.push(((at - time::OffsetDateTime::UNIX_EPOCH).as_seconds_f64(), status, retry));
    }
    assert!(counts.1 > 0, "the bucket never refused: {summary}");
    // The client counts what the server saw: every request, every 429.
    assert_eq!(seen.len() as u64, counts.0, "{summary}");
    assert_eq!(seen.iter().filter(|s| s.1 == 429).count() as u64, counts.1, "{summary}");
    (counts, seen)
}

/// A bucket of 50 requests a second, one worker: the run completes and after every 429 the
/// next request arrives only once its Retry-After has passed, whatever the load.
#[test]
fn throttling_is_honoured() {
    let (_, seen) = throttled_run(1);
    for (at, _, retry) in seen.iter().filter(|s| s.1 == 429) {
        let until = at + retry.unwrap();
        let inside: Vec<_> = seen.iter().filter(|s| s.0 > *at && s.0 < until).collect();
        assert!(inside.is_empty(), "requests inside the pause from {at} to {until}: {inside:?}");
    }
}

/// The same bucket with four workers sharing one pause: the run completes and the client's
/// counts of requests and 429s are the server's. (Requests already on the wire when a 429 is
/// answered may arrive inside its pause; how many depends on scheduling, so it is not counted.)
#[test]
fn throttling_with_four_workers_completes() {
    let ((requests, throttled), _) = throttled_run(4);
    assert!(requests > 300 && throttled > 0);
}

/// Bad input exits 2 before any request: no secret source, a secret file that is empty, a
/// USERS file without a user column, a temporary code of 13 hours.
#[test]
fn bad_input_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let users = d.join("u.csv");
    std::fs::write(&users, "upn\na@contoso.com\n").unwrap();
    let u = users.to_str().unwrap();
    let o = d.join("o");
    let o = o.to_str().unwrap();
    let base = [
        "provision",
        u,
        "--out",
        o,
        "--graph-url",
        "http://127.0.0.1:9",
        "--login-url",
        "http://127.0.0.1:9",
    ];
    let mut no_secret = Command::cargo_bin("qrpin").unwrap();
    no_secret.args(base).args(["--tenant", TENANT, "--client-id", CLIENT]);
    let r = run(no_secret);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--client-secret-env"), "{}", r.stderr);
    let empty = d.join("secret");
    std::fs::write(&empty, "\n").unwrap();
    let mut c = Command::cargo_bin("qrpin").unwrap();
    c.args(base).args([
        "--tenant",
        TENANT,
        "--client-id",
        CLIENT,
        "--client-secret-file",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(run(c).code, 2);
    let mut c = Command::cargo_bin("qrpin").unwrap();
    c.args(base).args(["--token-env", "QRPIN_NO_SUCH_VAR"]).env_remove("QRPIN_NO_SUCH_VAR");
    let r = run(c);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("QRPIN_NO_SUCH_VAR is not set"), "{}", r.stderr);
    std::fs::write(&users, "name\nx\n").unwrap();
    let r = run(qrpin("http://127.0.0.1:9", &["provision", u, "--out", o]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(qrpin(
        "http://127.0.0.1:9",
        &["provision", u, "--out", o, "--temporary", "--hours", "13"],
    ));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!Path::new(o).exists());
}

/// Graph's v1.0 example sends a PNG in `binaryValue` and names the level `H`: provisioning,
/// `graph check`, `graph verify`, `badge --graph` and `batch` take it like an SVG.
#[test]
fn png_images_from_graph_are_accepted_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    directory(d, 3);
    let server = serve(d, &["--users", "directory.csv", "--image-format", "png", "--ecl", "h"]);
    let users = d.join("users.csv");
    std::fs::write(&users, "upn\nuser0@contoso.com\nuser1@contoso.com\nuser2@contoso.com\n")
        .unwrap();
    let out = d.join("run");
    let r = run(qrpin(
        &server.url,
        &[
            "provision",
            users.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--verify",
            "--badge-format",
            "png",
        ],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Graph's images: 3 png"), "{}", r.stderr);
    let recs = records(&out);
    let created = recs.iter().find(|r| r["event"] == "created").unwrap();
    let body: Value = serde_json::from_str(created["body"].as_str().unwrap()).unwrap();
    let code = &body["standardQRCode"];
    assert!(code["image"]["binaryValue"].as_str().unwrap().starts_with("iVBORw0KGgo"));
    let f = d.join("code.json");
    std::fs::write(&f, code.to_string()).unwrap();
    for sub in ["check", "verify"] {
        let mut c = Command::cargo_bin("qrpin").unwrap();
        c.args(["graph", sub, f.to_str().unwrap()]);
        let r = run(c);
        assert_eq!(r.code, 0, "graph {sub}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("a PNG image"), "graph {sub}: {}", r.stdout);
    }
    let journal = out.join("journal.jsonl");
    let mut c = Command::cargo_bin("qrpin").unwrap();
    let sheet = d.join("sheet.pdf");
    c.args([
        "badge",
        "--graph",
        journal.to_str().unwrap(),
        "--sheet",
        "a4",
        "-o",
        sheet.to_str().unwrap(),
    ]);
    let r = run(c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF-"));
    let mut c = Command::cargo_bin("qrpin").unwrap();
    let codes = d.join("codes");
    c.args([
        "batch",
        journal.to_str().unwrap(),
        "--out",
        codes.to_str().unwrap(),
        "--format",
        "png",
    ]);
    let r = run(c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (code_id, text) in journaled_codes(&recs).values() {
        assert!(decodes_to(&std::fs::read(codes.join(format!("{code_id}.png"))).unwrap(), text));
        assert!(decodes_to(
            &std::fs::read(out.join("badges").join(format!("{code_id}.png"))).unwrap(),
            text
        ));
    }
}
