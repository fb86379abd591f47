//! Batch throughput: the real `qrpin batch` (release build, run as a process) against a plain
//! rayon loop of `fast_qr` + `image` writing the same PNGs (ECL M, 5 px/module, border 4), in
//! the same run; then the peak RSS of `qrpin batch` on 1,000,000 input rows.
//!
//! `cargo bench -p qrpin-benches --bench batch`. Not criterion: each configuration is one timed
//! run of thousands of files (best of `QRPIN_BENCH_REPEAT`, default 2). Knobs (environment):
//! `QRPIN_BENCH_ROWS` (default 20000), `QRPIN_BENCH_RSS_ROWS` (default 1000000, 0 skips),
//! `QRPIN_BENCH_THREADS` (default 2), `QRPIN_BENCH_DIR` (default /dev/shm if present, else the
//! temporary directory: outputs are written there and deleted). Needs `/usr/bin/time` (Debian
//! package `time`) for the RSS figure, and fails if it is missing.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Builds `qrpin` with `--release` and returns the executable's path (from cargo's JSON
/// messages, so any target directory works).
fn build_qrpin() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--release", "-p", "qrpin-cli", "--bin", "qrpin"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(out.status.success(), "cargo build --release -p qrpin-cli failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("executable").and_then(|e| e.as_str()).map(PathBuf::from))
        .find(|p| p.file_stem().is_some_and(|s| s == "qrpin"))
        .expect("cargo reported the qrpin executable")
}

/// A deterministic lower-case GUID for row `i`.
fn guid(i: u64) -> String {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x1234_5678);
    let mut next = || {
        z ^= z >> 31;
        z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z ^= z >> 29;
        z
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        b >> 52,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// `(upn, codeId)` of row `i`: realistic lengths (payloads of 80–90 bytes).
fn row(i: u64) -> (String, String) {
    (format!("user.{i:07}@contoso{}.onmicrosoft.com", i % 97), guid(i))
}

fn write_csv(path: &Path, rows: u64) {
    let mut s = String::with_capacity(rows as usize * 80 + 16);
    s.push_str("upn,codeId\n");
    for i in 0..rows {
        let (upn, id) = row(i);
        let _ = writeln!(s, "{upn},{id}");
    }
    std::fs::write(path, s).expect("write CSV");
}

fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let d = base.join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create output directory");
    d
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|r| r.count()).unwrap_or(0)
}

/// One timed `qrpin batch` run into a fresh directory.
fn run_qrpin(bin: &Path, csv: &Path, out: &Path, threads: usize, verify: bool) -> Duration {
    let mut cmd = Command::new(bin);
    cmd.arg("batch")
        .arg(csv)
        .arg("--out")
        .arg(out)
        .args(["--ecl", "m", "--scale", "5", "--border", "4", "-q"])
        .args(["--jobs", &threads.to_string()]);
    if verify {
        cmd.arg("--verify");
    }
    let start = Instant::now();
    let status = cmd.stdout(Stdio::null()).status().expect("run qrpin batch");
    let took = start.elapsed();
    assert!(status.success(), "qrpin batch failed: {status}");
    took
}

/// The peer: a rayon loop of fast_qr (byte mode, ECL M) + image (draw, PNG) writing files.
fn run_peer(rows: u64, out: &Path, threads: usize) -> Duration {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let start = Instant::now();
    pool.install(|| {
        (0..rows).into_par_iter().for_each(|i| {
            let (upn, id) = row(i);
            let text = format!("ms-qrpin:v1|{upn}|{id}");
            let qr = fast_qr::QRBuilder::new(text.as_bytes())
                .ecl(fast_qr::ECL::M)
                .mode(fast_qr::Mode::Byte)
                .build()
                .expect("fits");
            common::fast_qr_image(&qr, 5, 4)
                .save_with_format(out.join(format!("{id}.png")), image::ImageFormat::Png)
                .expect("write PNG");
        })
    });
    start.elapsed()
}

fn best<F: FnMut() -> Duration>(repeat: usize, mut f: F) -> Duration {
    (0..repeat.max(1)).map(|_| f()).min().expect("at least one run")
}

/// Peak RSS (KiB) and wall time of `qrpin batch` over `rows` rows, via GNU time.
fn peak_rss(bin: &Path, base: &Path, rows: u64, threads: usize) -> (u64, Duration) {
    let time = Path::new("/usr/bin/time");
    assert!(time.exists(), "/usr/bin/time is missing: apt-get install time");
    let csv = base.join("rss-rows.csv");
    write_csv(&csv, rows);
    let out = fresh_dir(base, "rss-out");
    let start = Instant::now();
    let res = Command::new(time)
        .arg("-v")
        .arg(bin)
        .arg("batch")
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .args(["--ecl", "m", "--format", "svg", "-q", "--jobs", &threads.to_string()])
        .stdout(Stdio::null())
        .output()
        .expect("run /usr/bin/time");
    let took = start.elapsed();
    let report = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "qrpin batch under time -v failed:\n{report}");
    let written = count_files(&out);
    assert_eq!(written as u64, rows, "every row written");
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_file(&csv);
    let kib = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .expect("time -v reports the maximum RSS");
    (kib, took)
}

fn main() {
    // Under `cargo bench` the harness gets `--bench`; a filter argument that is not ours means
    // another target was asked for.
    if std::env::args().skip(1).any(|a| !a.starts_with("--") && a != "batch") {
        return;
    }
    let rows = env_usize("QRPIN_BENCH_ROWS", 20_000) as u64;
    let rss_rows = env_usize("QRPIN_BENCH_RSS_ROWS", 1_000_000) as u64;
    let threads = env_usize("QRPIN_BENCH_THREADS", 2);
    let repeat = env_usize("QRPIN_BENCH_REPEAT", 2);
    let base = std::env::var_os("QRPIN_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let shm = Path::new("/dev/shm");
        if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        }
    });
    let base = base.join(format!("qrpin-batch-bench-{}", std::process::id()));
    std::fs::create_dir_all(&base).expect("bench directory");

    let bin = build_qrpin();
    let csv = base.join("rows.csv");
    write_csv(&csv, rows);
    println!("batch: {rows} rows, ECL M, scale 5, border 4, {threads} threads, best of {repeat}");
    println!("  qrpin: {}", bin.display());
    println!("  output under {}", base.display());

    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    let mut results = Vec::new();
    for (name, verify) in [("qrpin batch", false), ("qrpin batch --verify", true)] {
        let d = best(repeat, || {
            let out = fresh_dir(&base, "qrpin-out");
            let d = run_qrpin(&bin, &csv, &out, threads, verify);
            assert_eq!(count_files(&out) as u64, rows, "{name}: every row written");
            d
        });
        results.push((name, d));
    }
    let peer = best(repeat, || {
        let out = fresh_dir(&base, "peer-out");
        let d = run_peer(rows, &out, threads);
        assert_eq!(count_files(&out) as u64, rows, "peer: every row written");
        d
    });
    results.push(("fast_qr + image (rayon)", peer));
    for (name, d) in &results {
        println!(
            "  {name:<26} {:>8.3} s  {:>9.0} codes/s  {:>5.2}x the peer",
            d.as_secs_f64(),
            rate(*d),
            peer.as_secs_f64() / d.as_secs_f64()
        );
    }

    if rss_rows > 0 {
        let (kib, took) = peak_rss(&bin, &base, rss_rows, threads);
        println!(
            "  peak RSS, {rss_rows} rows (--format svg): {:.1} MiB ({kib} KiB), {:.1} s, {:.0} codes/s",
            kib as f64 / 1024.0,
            took.as_secs_f64(),
            rss_rows as f64 / took.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}
