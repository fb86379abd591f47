//! The directory's users, from CSV or JSON Lines.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use qrpin_codec::guid::Guid;
use qrpin_codec::upn::validate_upn;
use serde::Deserialize;

use crate::error::EmulatorError;

/// The most users a file may hold.
pub const MAX_USERS: usize = 1_000_000;
/// The longest display name kept, in characters.
const MAX_DISPLAY_NAME: usize = 256;
/// The longest line of a users file.
const MAX_LINE: usize = 64 * 1024;

/// A user of the emulated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The object id: a GUID in Graph's lower-case form.
    pub id: String,
    /// The user principal name, as given.
    pub upn: String,
    /// The display name, if any.
    pub display_name: Option<String>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(alias = "ID", alias = "Id", alias = "objectId")]
    id: Option<String>,
    #[serde(alias = "upn", alias = "UserPrincipalName", alias = "UPN")]
    #[serde(rename = "userPrincipalName")]
    upn: Option<String>,
    #[serde(alias = "DisplayName", alias = "displayname")]
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

/// Reads users from a CSV file (a header with `id`, `userPrincipalName` (or `upn`) and
/// optionally `displayName`) or JSON Lines (one object per line with those keys). A name ending
/// `.csv` is CSV, `.jsonl` / `.ndjson` / `.json` is JSON Lines; otherwise the first character
/// decides (`{` for JSON Lines). Ids must be GUIDs and UPNs valid; neither may repeat (UPNs
/// compared without regard to case).
///
/// # Errors
/// [`EmulatorError::UsersRead`], [`EmulatorError::UsersRecord`] (with the line),
/// [`EmulatorError::TooManyUsers`].
pub fn load_users(path: &Path) -> Result<Vec<User>, EmulatorError> {
    let read_err = |source| EmulatorError::UsersRead { path: path.to_owned(), source };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(read_err)?
        .take(512 * 1024 * 1024)
        .read_to_string(&mut text)
        .map_err(read_err)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let json = match ext.as_str() {
        "csv" => false,
        "jsonl" | "ndjson" | "json" => true,
        _ => text.trim_start().starts_with('{'),
    };
    let bad = |line: u64, message: String| EmulatorError::UsersRecord {
        path: path.to_owned(),
        line,
        message,
    };
    let mut records = Vec::new();
    if json {
        for (i, line) in BufReader::new(text.as_bytes()).lines().enumerate() {
            let line = line.map_err(read_err)?;
            let n = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            if line.len() > MAX_LINE {
                return Err(bad(n, format!("the line is longer than {MAX_LINE} bytes")));
            }
            let r: Record = serde_json::from_str(&line)
                .map_err(|e| bad(n, format!("column {}: {}", e.column(), strip_position(&e))))?;
            records.push((n, r));
        }
    } else {
        let mut reader =
            csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        for r in reader.deserialize::<Record>() {
            let r = r.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                bad(line, e.to_string())
            })?;
            // The header is line 1; csv counts from there.
            records.push((records.len() as u64 + 2, r));
        }
    }
    if records.len() > MAX_USERS {
        return Err(EmulatorError::TooManyUsers { path: path.to_owned(), max: MAX_USERS });
    }
    let (mut ids, mut upns) = (HashSet::new(), HashSet::new());
    let mut users = Vec::with_capacity(records.len());
    for (n, r) in records {
        let id = r.id.ok_or_else(|| bad(n, "no id".into()))?;
        let guid: Guid = id.parse().map_err(|e| bad(n, format!("id {id:?}: {e}")))?;
        let upn = r.upn.ok_or_else(|| bad(n, "no userPrincipalName".into()))?;
        validate_upn(&upn).map_err(|e| bad(n, format!("userPrincipalName: {e}")))?;
        let id = guid.to_string();
        if !ids.insert(id.clone()) {
            return Err(bad(n, format!("id {id} appears twice")));
        }
        if !upns.insert(upn.to_lowercase()) {
            return Err(bad(n, format!("userPrincipalName {upn} appears twice")));
        }
        let display_name = r
            .display_name
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().filter(|c| !c.is_control()).take(MAX_DISPLAY_NAME).collect());
        users.push(User { id, upn, display_name });
    }
    Ok(users)
}

/// serde_json's message without its " at line L column C" tail.
fn strip_position(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str, text: &str) -> Result<Vec<User>, EmulatorError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        load_users(&p)
    }

    #[test]
    fn reads_csv_and_json_lines() {
        let csv = "id,userPrincipalName,displayName\n\
                   7C4999F7-9C25-4F8E-8B84-766EB28A1B49,adele@contoso.com,Adele Vance\n\
                   44f2f040-ea9d-4283-9e7b-b63ddae391a9,bob@contoso.com,\n";
        let users = load("u.csv", csv).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].id, "7c4999f7-9c25-4f8e-8b84-766eb28a1b49");
        assert_eq!(users[0].display_name.as_deref(), Some("Adele Vance"));
        assert_eq!(users[1].display_name, None);
        let jsonl =
            "{\"id\":\"7c4999f7-9c25-4f8e-8b84-766eb28a1b49\",\"upn\":\"a@contoso.com\"}\n\n";
        assert_eq!(load("u.txt", jsonl).unwrap()[0].upn, "a@contoso.com");
    }

    #[test]
    fn refuses_bad_records_with_their_line() {
        let e = load("u.csv", "id,upn\nnot-a-guid,a@contoso.com\n").unwrap_err();
        assert!(e.to_string().contains("line 2: id \"not-a-guid\""), "{e}");
        let dup = "id,upn\n7c4999f7-9c25-4f8e-8b84-766eb28a1b49,a@contoso.com\n\
                   44f2f040-ea9d-4283-9e7b-b63ddae391a9,A@Contoso.com\n";
        let e = load("u.csv", dup).unwrap_err();
        assert!(
            e.to_string().contains("line 3: userPrincipalName A@Contoso.com appears twice"),
            "{e}"
        );
        let e = load("u.jsonl", "{\"id\": 5}\n").unwrap_err();
        assert!(e.to_string().contains("line 1: column"), "{e}");
        let e =
            load("u.csv", "id,upn\n7c4999f7-9c25-4f8e-8b84-766eb28a1b49,not a upn\n").unwrap_err();
        assert!(e.to_string().contains("line 2: userPrincipalName"), "{e}");
    }
}
