//! Finding the corpus images and their expected texts.
//!
//! Each source project stores expectations its own way (see `../shared/corpus/README.md`):
//! zxing-cpp and most others a `<stem>.txt` beside the image; rqrr, quircs, node-quirc and
//! bardecoder an `expected.json` (an object per file with `text`, a `codes` list, a list of
//! texts, a list of objects, or `same_as` another file; `text_if_shiftjis` for Kanji samples).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// What an image must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Every one of these texts (with multiplicity) among the decoded codes.
    Texts(Vec<String>),
    /// No code at all (negative sets).
    Nothing,
    /// No expectation: only counted as "read something" and checked not to crash.
    Unknown,
}

/// One image of one set.
#[derive(Debug, Clone)]
pub struct Case {
    /// Set name, e.g. `zxing-cpp/qrcode-2` or `quircs/generated`.
    pub set: String,
    /// The image file.
    pub path: PathBuf,
    /// What it must give.
    pub expect: Expect,
}

const IMAGE_EXTS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "bmp", "svg"];

fn is_image(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// All cases under the corpus root.
pub fn discover(root: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let zx = root.join("zxing-cpp");
    for dir in sorted_entries(&zx).into_iter().filter(|p| p.is_dir()) {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        if name.starts_with("qrcode-7") {
            continue; // structured append: the parts merge into one text (not supported)
        }
        let negative = name.starts_with("falsepositives");
        for img in sorted_entries(&dir).into_iter().filter(|p| is_image(p)) {
            let txt = img.with_extension("txt");
            let expect = if negative {
                Expect::Nothing
            } else if txt.exists() {
                Expect::Texts(vec![read_text(&txt)?])
            } else {
                Expect::Unknown
            };
            cases.push(Case { set: format!("zxing-cpp/{name}"), path: img, expect });
        }
    }
    for (set, dir) in [
        ("rqrr", root.join("rqrr")),
        ("rqrr/full", root.join("rqrr/full")),
        ("rqrr/errors", root.join("rqrr/errors")),
        ("rqrr/benches-data", root.join("rqrr/benches-data")),
        ("quircs", root.join("quircs")),
        ("quircs/generated", root.join("quircs/generated")),
        ("node-quirc", root.join("node-quirc")),
        ("bardecoder", root.join("bardecoder")),
        ("bardecoder/wikipedia", root.join("bardecoder/wikipedia")),
    ] {
        json_set(set, &dir, root, &mut cases)?;
    }
    Ok(cases)
}

fn read_text(p: &Path) -> Result<String, String> {
    fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Cases of a directory with `expected.json` (possibly in a parent, keyed by relative path),
/// falling back to `<stem>.txt` files.
fn json_set(set: &str, dir: &Path, root: &Path, cases: &mut Vec<Case>) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("missing corpus directory {}", dir.display()));
    }
    let mut map: BTreeMap<String, Value> = BTreeMap::new();
    // bardecoder keeps wikipedia/… keys in the parent's file.
    for (file, prefix) in [
        (dir.join("expected.json"), String::new()),
        (
            dir.parent().unwrap_or(root).join("expected.json"),
            format!("{}/", dir.file_name().unwrap_or_default().to_string_lossy()),
        ),
    ] {
        if let Ok(s) = fs::read_to_string(&file) {
            let v: Value =
                serde_json::from_str(&s).map_err(|e| format!("{}: {e}", file.display()))?;
            if let Value::Object(o) = v {
                for (k, val) in o {
                    if let Some(rest) = k.strip_prefix(&prefix) {
                        if prefix.is_empty() || !rest.is_empty() {
                            map.entry(rest.to_string()).or_insert(val);
                        }
                    }
                }
            }
        }
    }
    for img in sorted_entries(dir).into_iter().filter(|p| is_image(p)) {
        let name = img.file_name().unwrap_or_default().to_string_lossy().to_string();
        let txt = img.with_extension("txt");
        let expect = match map.get(&name) {
            Some(v) => expect_from_json(v, &map, 0),
            None if txt.exists() => Expect::Texts(vec![read_text(&txt)?]),
            None => Expect::Unknown,
        };
        let expect = if set == "rqrr/errors" { Expect::Unknown } else { expect };
        cases.push(Case { set: set.to_string(), path: img, expect });
    }
    Ok(())
}

fn expect_from_json(v: &Value, map: &BTreeMap<String, Value>, depth: u32) -> Expect {
    let text_of = |c: &Value| -> Option<String> {
        match c {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o
                .get("text")
                .and_then(Value::as_str)
                .or_else(|| o.get("text_if_shiftjis").and_then(Value::as_str))
                .map(str::to_string),
            _ => None,
        }
    };
    let list = |l: &Vec<Value>| -> Expect {
        let t: Vec<String> = l.iter().filter_map(text_of).collect();
        if t.is_empty() {
            Expect::Nothing
        } else {
            Expect::Texts(t)
        }
    };
    match v {
        Value::Array(l) => list(l),
        Value::Object(o) => {
            if let (Some(Value::String(other)), true) = (o.get("same_as"), depth < 4) {
                return map
                    .get(other)
                    .map_or(Expect::Unknown, |v| expect_from_json(v, map, depth + 1));
            }
            if let Some(Value::Array(codes)) = o.get("codes") {
                return list(codes);
            }
            match text_of(v) {
                Some(t) => Expect::Texts(vec![t]),
                None => Expect::Unknown,
            }
        }
        _ => Expect::Unknown,
    }
}
