//! `qrpin batch` through the binary: bad rows, hostile names, resume, shards, kill and resume.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Std;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn qrpin() -> Command {
    Command::cargo_bin("qrpin").unwrap()
}

/// A deterministic GUID for row `i`.
fn guid(i: u32) -> String {
    let x = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xffff,
        i & 0xfff,
        (x >> 4) & 0xfff,
        x & 0xffff_ffff_ffff
    )
}

fn csv(rows: u32) -> String {
    let mut s = String::from("upn,codeId,displayName\n");
    for i in 0..rows {
        s.push_str(&format!("user{i}@contoso.com,{},User {i}\n", guid(i)));
    }
    s
}

/// Every file under `dir` (relative path → bytes).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn report(path: &Path) -> (Vec<Value>, Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary = lines.pop().unwrap();
    (lines, summary["summary"].clone())
}

fn decodes_to(bytes: &[u8], text: &str) -> bool {
    let scanner = qrpin_scan::Scanner::default();
    qrpin_scan::verify(&scanner, bytes, text, None).unwrap().is_match()
}

#[test]
fn bad_rows_are_reported_and_the_rest_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut input = csv(30);
    input.push_str("upn,codeId,displayName,file\n"); // a stray header line is a bad row
    let g = guid(1000);
    let input = input.replacen("upn,codeId,displayName\n", "upn,codeId,displayName,file\n", 1)
        + &format!("bad|upn@c.com,{g},x,\n")
        + &format!("a@c.com,{},x,../../escape\n", guid(1001))
        + &format!("b@c.com,{},x,/etc/escape\n", guid(1002))
        + &format!("c@c.com,{},x,con\n", guid(1003))
        + &format!("\"d@c.com\",{},x,\"a\nb\"\n", guid(1004))
        + &format!("e@c.com,{},x,same\n", guid(1005))
        + &format!("f@c.com,{},x,Same.png\n", guid(1006))
        + &format!("g@c.com,{},x,\n", guid(0)); // duplicate codeId: same default name as row 1
    std::fs::write(root.join("in.csv"), input).unwrap();
    let out = root.join("out");
    qrpin()
        .current_dir(root)
        .args(["batch", "in.csv", "--out", "out", "--report", "r.jsonl", "--verify", "--ecl", "m"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("batch: 39 rows: 31 written, 0 already there, 8 failed"));
    let (rows, summary) = report(&root.join("r.jsonl"));
    assert_eq!(rows.len(), 39, "every row is in the report");
    assert_eq!(summary["failed"], 8);
    let nums: Vec<u64> = rows.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(nums, (1..=39).collect::<Vec<_>>(), "report is in input order");
    let failed: Vec<&Value> = rows.iter().filter(|r| r["status"] == "failed").collect();
    let errors: Vec<&str> = failed.iter().map(|r| r["error"].as_str().unwrap()).collect();
    assert!(errors.iter().any(|e| e.contains("bad UPN")));
    assert!(errors.iter().filter(|e| e.contains("file column")).count() >= 3);
    assert_eq!(
        errors.iter().filter(|e| e.contains("already used by an earlier row")).count(),
        1,
        "{errors:?}"
    );
    assert_eq!(
        errors.iter().filter(|e| e.contains("already appears in row 1")).count(),
        1,
        "{errors:?}"
    );
    // Nothing escaped --out: the only files outside it are our inputs and the report.
    let all = files(root);
    assert!(
        all.keys().all(|k| k.starts_with("out/") || k == "in.csv" || k == "r.jsonl"),
        "{:?}",
        all.keys()
    );
    let written = files(&out);
    assert_eq!(written.len(), 31);
    for i in [0u32, 7, 29] {
        let text = format!("ms-qrpin:v1|user{i}@contoso.com|{}", guid(i));
        assert!(decodes_to(&written[&format!("{}.png", guid(i))], &text));
    }
    assert!(written.contains_key("same.png"));
}

#[test]
fn json_lines_of_graph_responses_and_stdin() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/graph/qrcode-create-response.json"),
    )
    .unwrap();
    let one_line: Value = serde_json::from_str(&sample).unwrap();
    let input =
        format!("{one_line}\n{{\"upn\":\"x@y.com\",\"codeId\":\"{}\",\"ecl\":\"h\"}}\n", guid(5));
    qrpin()
        .args(["batch", "-", "--format", "both", "--out"])
        .arg(tmp.path())
        .write_stdin(input)
        .assert()
        .success();
    let written = files(tmp.path());
    assert_eq!(written.len(), 4, "{:?}", written.keys());
    let p = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    assert!(decodes_to(&written["44f2f040-ea9d-4283-9e7b-b63ddae391a9.png"], p));
    assert!(decodes_to(&written["44f2f040-ea9d-4283-9e7b-b63ddae391a9.svg"], p));
}

#[test]
fn unusable_input_and_arguments_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("no-header.csv"), "a@b.com,x\n").unwrap();
    std::fs::write(d.join("rows.txt"), csv(2)).unwrap();
    let cases: &[&[&str]] = &[
        &["batch", "missing.csv", "--out", "o"],
        &["batch", "no-header.csv", "--out", "o"],
        &["batch", "rows.txt", "--out", "o"],
        &["batch", "rows.txt", "--input-format", "xml", "--out", "o"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--shard", "3/3"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--name", "a/{codeId}"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--name", "{nope}"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--scale", "0"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--jobs", "0"],
        &["batch", "rows.txt", "--input-format", "csv", "--out", "o", "--shard-count", "2"],
    ];
    for args in cases {
        qrpin()
            .current_dir(d)
            .env_remove("JOB_COMPLETION_INDEX")
            .args(*args)
            .assert()
            .code(2)
            .stderr(
                predicate::str::starts_with("error: ")
                    .and(predicate::str::contains("panicked").not()),
            );
    }
}

#[test]
fn shards_partition_the_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("in.csv"), csv(60)).unwrap();
    qrpin().current_dir(d).args(["batch", "in.csv", "--out", "full", "-q"]).assert().success();
    let full = files(&d.join("full"));
    let mut union = BTreeMap::new();
    let mut rows_reported = 0;
    for k in 0..3 {
        let mut cmd = qrpin();
        cmd.current_dir(d).args([
            "batch",
            "in.csv",
            "--out",
            "sharded",
            "-q",
            "--report",
            &format!("r{k}.jsonl"),
        ]);
        // One shard each way the schedulers say it.
        match k {
            0 => cmd.args(["--shard", "0/3"]),
            1 => cmd.env("JOB_COMPLETION_INDEX", "1").args(["--shard-count", "3"]),
            _ => cmd
                .env("SLURM_ARRAY_TASK_ID", "3")
                .env("SLURM_ARRAY_TASK_MIN", "1")
                .env("SLURM_ARRAY_TASK_COUNT", "3")
                .args(["--shard", "slurm"]),
        };
        let before = files(&d.join("sharded")).len();
        cmd.assert().success();
        let (rows, summary) = report(&d.join(format!("r{k}.jsonl")));
        rows_reported += rows.len();
        assert_eq!(summary["other_shards"].as_u64().unwrap() + rows.len() as u64, 60);
        let after = files(&d.join("sharded"));
        assert_eq!(after.len(), before + rows.len(), "shard {k} overlapped another");
        union = after;
    }
    assert_eq!(rows_reported, 60);
    assert_eq!(union, full, "the shards' union is the full run, byte for byte");
}

#[test]
fn resume_skips_valid_files_and_redoes_damaged_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("in.csv"), csv(12)).unwrap();
    qrpin().current_dir(d).args(["batch", "in.csv", "--out", "out", "-q"]).assert().success();
    let full = files(&d.join("out"));
    std::fs::remove_file(d.join("out").join(format!("{}.png", guid(3)))).unwrap();
    std::fs::write(d.join("out").join(format!("{}.png", guid(4))), b"truncated").unwrap();
    let other = std::fs::read(d.join("out").join(format!("{}.png", guid(6)))).unwrap();
    std::fs::write(d.join("out").join(format!("{}.png", guid(5))), other).unwrap(); // a different code
    qrpin()
        .current_dir(d)
        .args(["batch", "in.csv", "--out", "out", "--resume", "--report", "r.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains("12 rows: 3 written, 9 already there, 0 failed"));
    assert_eq!(files(&d.join("out")), full);
}

/// Rows `qrpin batch` reads before it renders them (its `CHUNK`): the kill test's input holds
/// more, so a run has written one whole chunk and waits for the rest of its input.
const BATCH_CHUNK: usize = 512;

/// Finished files in `dir`: every name but the batch's temporaries.
fn finished_files(dir: &Path) -> usize {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with(".qrpin-tmp-"))
            .count(),
        Err(_) => 0,
    }
}

/// Starts `qrpin batch --resume` into `out` with its input fed through a FIFO that stays open,
/// waits until `out` holds at least `threshold` finished files, then SIGKILLs it.
///
/// The run cannot end by itself: it renders the first [`BATCH_CHUNK`] rows and then waits for
/// the end of its input, which never comes while the FIFO is open. So every call is a real kill,
/// and where it lands is set by progress (a file count), never by a clock.
#[cfg(unix)]
fn kill_at_progress(d: &Path, input: &str, out: &str, threshold: usize, fifo: &str) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    let fifo_path = d.join(fifo);
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo_path, rustix::fs::Mode::from_raw_mode(0o600))
        .unwrap();
    // Read and write: opening does not wait for a reader, and the run sees no end of input while
    // this handle lives. The input fits the pipe's buffer (64 KiB on Linux), so the write does
    // not wait for the run either.
    assert!(input.len() < 60_000, "the input must fit a pipe buffer");
    let mut feed = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(&fifo_path)
        .unwrap();
    feed.write_all(input.as_bytes()).unwrap();
    let mut child = Std::cargo_bin("qrpin")
        .unwrap()
        .current_dir(d)
        .args(["batch", fifo, "--input-format", "csv", "--out", out, "-q", "--resume"])
        .args(["--jobs", "2"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out_dir = d.join(out);
    // A guard against a hang only: a file takes milliseconds.
    let guard = Duration::from_secs(120);
    let (mut seen, mut since) = (0, std::time::Instant::now());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("the run ended by itself ({status}) before {threshold} files: {err}");
        }
        let n = finished_files(&out_dir);
        if n >= threshold {
            break;
        }
        if n > seen {
            (seen, since) = (n, std::time::Instant::now());
        }
        assert!(since.elapsed() < guard, "no new file for {guard:?} at {n} files");
        std::thread::yield_now();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(feed);
    std::fs::remove_file(&fifo_path).unwrap();
}

/// SIGKILL at progress points, at least [`KILLS`] times: each round kills `--resume` runs into
/// one output folder at rising file counts drawn from a seeded generator; a last `--resume`
/// must then leave exactly the files of an uninterrupted run (each decoding to its row's
/// payload, no temporary left) and a report with every row.
#[cfg(unix)]
#[test]
fn killed_runs_resume_to_the_same_files() {
    const ROWS: u32 = 600;
    const KILLS_PER_ROUND: usize = 3;
    const ROUNDS: usize = 7;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let input = csv(ROWS);
    assert!(ROWS as usize > BATCH_CHUNK);
    std::fs::write(d.join("in.csv"), &input).unwrap();
    // `--verify` decodes every code before it is written: the reference files all decode.
    qrpin()
        .current_dir(d)
        .args(["batch", "in.csv", "--out", "clean", "-q", "--jobs", "2", "--verify"])
        .assert()
        .success();
    let clean = files(&d.join("clean"));
    assert_eq!(clean.len(), ROWS as usize);

    let mut seed: u64 = 0x5eed;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % bound
    };
    let mut kills = 0;
    for round in 1..=ROUNDS {
        let out = format!("killed{round}");
        // Rising thresholds in 1..=BATCH_CHUNK: each resumed run is killed after it has written
        // more (a resumed run first checks the files already there).
        let mut thresholds: Vec<usize> =
            (0..KILLS_PER_ROUND).map(|_| 1 + next(BATCH_CHUNK)).collect();
        thresholds.sort_unstable();
        for (k, threshold) in thresholds.into_iter().enumerate() {
            kill_at_progress(d, &input, &out, threshold, &format!("feed-{round}-{k}"));
            kills += 1;
            // Whatever is under a final name is complete: the same bytes as the clean run.
            for (name, bytes) in files(&d.join(&out)) {
                if !name.starts_with(".qrpin-tmp-") {
                    assert_eq!(Some(&bytes), clean.get(&name), "{name} is partial or wrong");
                }
            }
        }
        let report_name = format!("{out}.jsonl");
        qrpin()
            .current_dir(d)
            .args(["batch", "in.csv", "--out", &out, "--resume", "--report", &report_name])
            .assert()
            .success();
        let got = files(&d.join(&out));
        assert_eq!(got, clean, "round {round}: same files, no temporary leftovers");
        let (rows, summary) = report(&d.join(&report_name));
        assert_eq!(rows.len(), ROWS as usize);
        // The killed runs wrote part of the first chunk; this run checks those and writes the rest.
        let (ok, exists) = (summary["ok"].as_u64().unwrap(), summary["exists"].as_u64().unwrap());
        assert!(exists > 0 && ok > 0, "round {round}: {exists} already there, {ok} written");
        assert_eq!((ok + exists, summary["failed"].as_u64()), (u64::from(ROWS), Some(0)));
        for row in &rows {
            let i = row["row"].as_u64().unwrap() as u32 - 1;
            let file = row["output"][0].as_str().unwrap();
            let payload = format!("ms-qrpin:v1|user{i}@contoso.com|{}", guid(i));
            assert!(decodes_to(&std::fs::read(d.join(file)).unwrap(), &payload), "{file}");
        }
    }
    assert!(kills >= 20);
    eprintln!("{kills} kills in {ROUNDS} rounds, each resumed to the clean run's files");
}

#[test]
fn badges_per_row_and_on_sheets() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut input = String::from("upn,codeId,displayName,expireDateTime\n");
    for i in 0..3u32 {
        input.push_str(&format!(
            "user{i}@contoso.com,{},\"<b>User & {i}\",2026-12-19T12:00:00Z\n",
            guid(i)
        ));
    }
    input.push_str("bad@@x.com,44f2f040-ea9d-4283-9e7b-b63ddae391a9,x,\n");
    std::fs::write(d.join("in.csv"), input).unwrap();
    qrpin()
        .current_dir(d)
        .args([
            "batch",
            "in.csv",
            "--out",
            "png",
            "--badge",
            "--badge-format",
            "png",
            "--verify",
            "-q",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("4 rows: 3 written, 0 already there, 1 failed"));
    let written = files(&d.join("png"));
    assert_eq!(written.len(), 3);
    for i in 0..3u32 {
        let text = format!("ms-qrpin:v1|user{i}@contoso.com|{}", guid(i));
        assert!(decodes_to(&written[&format!("{}.png", guid(i))], &text));
    }
    qrpin()
        .current_dir(d)
        .args([
            "batch", "in.csv", "--out", "sheets", "--badge", "--sheet", "a4", "--report", "r.jsonl",
        ])
        .assert()
        .code(1);
    let sheets = files(&d.join("sheets"));
    assert_eq!(sheets.keys().collect::<Vec<_>>(), ["badges.pdf"]);
    assert!(sheets["badges.pdf"].starts_with(b"%PDF-"));
    let (rows, _) = report(&d.join("r.jsonl"));
    assert_eq!(rows.iter().filter(|r| r["status"] == "ok").count(), 3);
    qrpin()
        .current_dir(d)
        .args([
            "batch",
            "in.csv",
            "--out",
            "x",
            "--badge",
            "--sheet",
            "a4",
            "--badge-format",
            "png",
        ])
        .assert()
        .code(2);
    qrpin()
        .current_dir(d)
        .args(["batch", "in.csv", "--out", "x", "--sheet", "a4"])
        .assert()
        .code(2);
}
