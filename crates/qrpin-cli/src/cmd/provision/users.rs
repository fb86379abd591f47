//! The USERS file of `qrpin provision`: CSV with a header, or JSON Lines; each user by
//! `userPrincipalName` (or `upn`) and/or `id`, with an optional `displayName`.

use std::collections::HashMap;
use std::io::BufRead;

use qrpin_codec::Guid;
use serde::Deserialize;

use crate::error::CliError;

/// The most users one run takes.
pub const MAX_USERS: usize = 1_000_000;
/// The longest line read.
const MAX_LINE: usize = 64 * 1024;

/// One user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputUser {
    /// 1-based line in the file.
    pub line: u64,
    /// The UPN, if given.
    pub upn: Option<String>,
    /// The object id (canonical GUID), if given.
    pub id: Option<String>,
    /// The display name, if given.
    pub display_name: Option<String>,
    /// Why this row cannot be used (it is reported as failed).
    pub bad: Option<String>,
}

impl InputUser {
    /// How the user is named in messages and the report.
    pub fn label(&self) -> String {
        self.upn
            .clone()
            .or_else(|| self.id.clone())
            .unwrap_or_else(|| format!("line {}", self.line))
    }
}

#[derive(Debug, Default, Deserialize)]
struct JsonUser {
    #[serde(alias = "upn", alias = "UserPrincipalName")]
    #[serde(rename = "userPrincipalName")]
    upn: Option<String>,
    #[serde(alias = "Id", alias = "objectId")]
    id: Option<String>,
    #[serde(rename = "displayName", alias = "DisplayName")]
    display_name: Option<String>,
}

/// Reads the USERS file. Bad rows become users with [`InputUser::bad`] set; a file that cannot
/// be read at all (or has no usable header) is an error.
pub fn read_users(path: &str) -> Result<Vec<InputUser>, CliError> {
    let bad = |m: String| CliError::bad_input(format!("{path}: {m}"));
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut reader = std::io::BufReader::new(file);
    let lower = path.to_ascii_lowercase();
    let jsonl = if lower.ends_with(".csv") {
        false
    } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
        true
    } else {
        let head = reader.fill_buf().map_err(|e| bad(e.to_string()))?;
        head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
    };
    let mut users = if jsonl { read_jsonl(reader, path)? } else { read_csv(reader, path)? };
    mark_duplicates(&mut users);
    Ok(users)
}

fn check(line: u64, upn: Option<String>, id: Option<String>, name: Option<String>) -> InputUser {
    let trim = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (upn, id, display_name) = (trim(upn), trim(id), trim(name));
    let mut u = InputUser { line, upn, id: None, display_name, bad: None };
    if let Some(raw) = id {
        match raw.parse::<Guid>() {
            Ok(g) => u.id = Some(g.to_string()),
            Err(e) => u.bad = Some(format!("id {raw:?} is not a GUID: {e}")),
        }
    }
    if let Some(upn) = &u.upn {
        if let Err(e) = qrpin_codec::upn::validate_upn(upn) {
            u.bad = Some(format!("userPrincipalName: {e}"));
        }
    }
    if u.upn.is_none() && u.id.is_none() && u.bad.is_none() {
        u.bad = Some("needs userPrincipalName (or upn) or id".into());
    }
    if u.display_name.as_ref().is_some_and(|n| n.chars().count() > 256) {
        u.bad = Some("displayName is longer than 256 characters".into());
    }
    u
}

fn too_many(path: &str) -> CliError {
    CliError::bad_input(format!("{path}: more than {MAX_USERS} users; split the file"))
}

fn read_jsonl<R: BufRead>(mut r: R, path: &str) -> Result<Vec<InputUser>, CliError> {
    let mut users = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = std::io::Read::take(&mut r, MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::bad_input(format!("{path}: {e}")))?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.len() > MAX_LINE {
            return Err(CliError::bad_input(format!(
                "{path}: line {line} is longer than {MAX_LINE} bytes"
            )));
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if users.len() == MAX_USERS {
            return Err(too_many(path));
        }
        users.push(match serde_json::from_slice::<JsonUser>(&buf) {
            Ok(j) => check(line, j.upn, j.id, j.display_name),
            Err(e) => InputUser {
                line,
                upn: None,
                id: None,
                display_name: None,
                bad: Some(format!("not a user object: {e}")),
            },
        });
    }
    Ok(users)
}

fn read_csv(r: impl BufRead, path: &str) -> Result<Vec<InputUser>, CliError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(r);
    let header =
        csv.headers().map_err(|e| CliError::bad_input(format!("{path}: CSV header: {e}")))?.clone();
    let find = |names: &[&str]| {
        header.iter().position(|h| {
            let h = h.trim_start_matches('\u{feff}').to_ascii_lowercase();
            names.contains(&h.as_str())
        })
    };
    let upn = find(&["userprincipalname", "upn"]);
    let id = find(&["id", "objectid"]);
    let name = find(&["displayname"]);
    if upn.is_none() && id.is_none() {
        return Err(CliError::bad_input(format!(
            "{path}: CSV header: needs a userPrincipalName (or upn) or an id column"
        )));
    }
    let mut users = Vec::new();
    for rec in csv.records() {
        let (rec, line) = match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                (r, line)
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(CliError::bad_input(format!("{path}: {e}")));
                }
                users.push(InputUser {
                    line,
                    upn: None,
                    id: None,
                    display_name: None,
                    bad: Some(format!("malformed CSV: {e}")),
                });
                continue;
            }
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if users.len() == MAX_USERS {
            return Err(too_many(path));
        }
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::to_owned);
        users.push(check(line, get(upn), get(id), get(name)));
    }
    Ok(users)
}

/// A user listed twice is provisioned once: later rows are failed, naming the first.
fn mark_duplicates(users: &mut [InputUser]) {
    let mut seen: HashMap<String, u64> = HashMap::new();
    for u in users.iter_mut().filter(|u| u.bad.is_none()) {
        let keys: Vec<String> = [u.upn.as_ref().map(|s| s.to_ascii_lowercase()), u.id.clone()]
            .into_iter()
            .flatten()
            .collect();
        if let Some(first) = keys.iter().find_map(|k| seen.get(k)) {
            u.bad = Some(format!("the same user as line {first}"));
            continue;
        }
        for k in keys {
            seen.insert(k, u.line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Vec<InputUser> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        read_users(p.to_str().unwrap()).unwrap()
    }

    #[test]
    fn csv_and_json_lines_name_users_either_way() {
        let u = read(
            "u.csv",
            "upn,displayName\navery@contoso.com,Avery\n\nbad@@x,No\nAVERY@contoso.com,Again\n",
        );
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].upn.as_deref(), Some("avery@contoso.com"));
        assert_eq!(u[0].display_name.as_deref(), Some("Avery"));
        assert!(u[1].bad.as_ref().unwrap().contains("userPrincipalName"), "{:?}", u[1]);
        assert_eq!(u[2].bad.as_deref(), Some("the same user as line 2"));
        let u = read(
            "u.jsonl",
            "{\"id\":\"4A3F0C2E-1B5D-4E6F-8A7B-9C0D1E2F3A4B\"}\n{\"userPrincipalName\":\"b@contoso.com\"}\n[1]\n",
        );
        assert_eq!(u[0].id.as_deref(), Some("4a3f0c2e-1b5d-4e6f-8a7b-9c0d1e2f3a4b"));
        assert_eq!(u[1].upn.as_deref(), Some("b@contoso.com"));
        assert!(u[2].bad.is_some());
    }

    #[test]
    fn a_header_without_a_user_column_is_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("u.csv");
        std::fs::write(&p, "name,email\nA,a@b.c\n").unwrap();
        let e = read_users(p.to_str().unwrap()).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message().contains("userPrincipalName"), "{}", e.message());
    }
}
