//! Turns the criterion results of the `hotpath` bench into the Markdown tables of BENCHMARKS.md:
//! medians per implementation and case, the ratio of each peer to qrpin, and whether each
//! target is met.
//!
//! `cargo run -p qrpin-benches --bin bench-report [-- CRITERION_DIR]` (default
//! `target/criterion` under the workspace).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `(group, qrpin's id, peers, the peer a target is set against, the ratio it must reach)`.
const GROUPS: [(&str, &str, &[&str], &str, f64); 5] = [
    ("encode", "qrpin", &["qrcodegen", "fast_qr", "qrcode"], "fast_qr", 6.0),
    ("svg", "qrpin", &["qrcode"], "qrcode", 4.0),
    ("png", "qrpin", &["qrcode+image"], "qrcode+image", 2.0),
    ("verify", "qrpin", &["qrpin-decode", "qrpin-from-png", "rqrr", "rxing"], "rxing", 2.0),
    ("pipeline", "qrpin", &["fast_qr+image+rxing"], "fast_qr+image+rxing", 1.0),
];

/// Median in nanoseconds of one benchmark directory.
fn median(dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join("new").join("estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("median")?.get("point_estimate")?.as_f64()
}

/// `case → median` for one implementation of a group.
fn cases(root: &Path, group: &str, imp: &str) -> BTreeMap<String, f64> {
    let dir = root.join(group).join(imp.replace('+', "_"));
    let dir = if dir.is_dir() { dir } else { root.join(group).join(imp) };
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(m) = median(&e.path()) {
                out.insert(name, m);
            }
        }
    }
    out
}

/// Sort key for `P1-M-s2`-style case names: payload, then level in L, M, Q, H order, then scale.
fn case_key(case: &str) -> (String, usize, String) {
    let mut parts = case.splitn(3, '-');
    let payload = parts.next().unwrap_or_default().to_owned();
    let level = parts.next().and_then(|l| ["L", "M", "Q", "H"].iter().position(|&x| x == l));
    (payload, level.unwrap_or(9), parts.next().unwrap_or_default().to_owned())
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    let root = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
        target.join("criterion")
    });
    if !root.is_dir() {
        eprintln!("no criterion results at {} (run the hotpath bench first)", root.display());
        std::process::exit(2);
    }
    for (group, ours, peers, target_peer, target) in GROUPS {
        let mine = cases(&root, group, ours);
        if mine.is_empty() {
            continue;
        }
        let theirs: Vec<_> = peers.iter().map(|p| cases(&root, group, p)).collect();
        println!("\n### {group}\n");
        let mut head = String::from("| case | qrpin |");
        let mut rule = String::from("|---|---:|");
        for p in peers {
            head.push_str(&format!(" {p} | ratio |"));
            rule.push_str("---:|---:|");
        }
        head.push_str(&format!(" target ≥ {target}× vs {target_peer} |"));
        rule.push_str(":---:|");
        println!("{head}\n{rule}");
        let mut worst = f64::INFINITY;
        let mut order: Vec<(&String, &f64)> = mine.iter().collect();
        order.sort_by_key(|(case, _)| case_key(case));
        for (case, &m) in order {
            let mut line = format!("| {case} | {} |", fmt_time(m));
            let mut met = String::from("–");
            for (p, t) in peers.iter().zip(&theirs) {
                match t.get(case) {
                    Some(&x) => {
                        let r = x / m;
                        line.push_str(&format!(" {} | {r:.1}× |", fmt_time(x)));
                        if *p == target_peer {
                            worst = worst.min(r);
                            met = if r >= target { "yes".into() } else { "**no**".into() };
                        }
                    }
                    None => line.push_str(" – | – |"),
                }
            }
            println!("{line} {met} |");
        }
        if worst.is_finite() {
            println!("\nLowest ratio vs {target_peer}: {worst:.1}×.");
        }
    }
    let codec = ["build", "parse", "base64-round-trip", "pin-check"];
    println!("\n### codec\n\n| operation | case | median |\n|---|---|---:|");
    for op in codec {
        let c = cases(&root, "codec", op);
        if c.is_empty() {
            if let Some(m) = median(&root.join("codec").join(op)) {
                println!("| {op} | – | {} |", fmt_time(m));
            }
        }
        for (case, m) in c {
            println!("| {op} | {case} | {} |", fmt_time(m));
        }
    }
}
