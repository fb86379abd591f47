//! Durable state in SQLite: users, methods, codes, PINs (as salted hashes), the policy and the
//! token-signing key.
//!
//! With a file, the database runs in WAL mode with `synchronous=FULL`: a transaction's commit
//! returns only once it is on disk, and the API answers only after its commit, so a killed
//! emulator restarted on the same file has every acknowledged write. Without a file the same
//! schema lives in memory. Codes' content (and so their key material) is never stored.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::EmulatorError;
use crate::policy::Policy;
use crate::users::User;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, upn TEXT NOT NULL, upn_key TEXT NOT NULL UNIQUE, display_name TEXT);
CREATE TABLE IF NOT EXISTS methods (
    user_id TEXT PRIMARY KEY, id TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    user_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, created TEXT NOT NULL,
    start TEXT NOT NULL, expire TEXT NOT NULL, last_used TEXT NOT NULL,
    PRIMARY KEY (user_id, kind));
CREATE TABLE IF NOT EXISTS pins (
    user_id TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL,
    force_change INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policy (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
";

/// Which of a user's two codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `standardQRCode`.
    Standard,
    /// `temporaryQRCode`.
    Temporary,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Standard => "standard",
            Kind::Temporary => "temporary",
        }
    }
}

/// A stored code (no content, no image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// The code id.
    pub id: String,
    /// Graph timestamps.
    pub created: String,
    /// When it becomes usable.
    pub start: String,
    /// When it stops.
    pub expire: String,
    /// Last sign-in, or `0001-01-01T00:00:00Z`.
    pub last_used: String,
}

/// A stored PIN: a salted SHA-256, never the digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRow {
    /// Random salt.
    pub salt: Vec<u8>,
    /// SHA-256 of salt and PIN.
    pub hash: Vec<u8>,
    /// `forceChangePinNextSignIn`.
    pub force_change: bool,
    /// Graph timestamps.
    pub created: String,
    /// When it last changed.
    pub updated: String,
}

/// A stored method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodRow {
    /// The method id.
    pub id: String,
    /// When it was made.
    pub created: String,
}

/// The database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating with mode 0600) the file, or an in-memory database.
    pub fn open(path: Option<&Path>) -> Result<Store, EmulatorError> {
        let shown = path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf);
        let fail = |e: &dyn std::fmt::Display| EmulatorError::State {
            path: shown.clone(),
            message: e.to_string(),
        };
        let conn = match path {
            Some(p) => {
                create_private(p).map_err(|e| fail(&e))?;
                let c = Connection::open(p).map_err(|e| fail(&e))?;
                c.pragma_update(None, "journal_mode", "WAL").map_err(|e| fail(&e))?;
                c.pragma_update(None, "synchronous", "FULL").map_err(|e| fail(&e))?;
                c
            }
            None => Connection::open_in_memory().map_err(|e| fail(&e))?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| fail(&e))?;
        conn.execute_batch(SCHEMA).map_err(|e| fail(&e))?;
        Ok(Store { conn, path: shown })
    }

    fn fail(&self, e: rusqlite::Error) -> EmulatorError {
        EmulatorError::State { path: self.path.clone(), message: e.to_string() }
    }

    /// Replaces the directory's users with `users` (codes of users no longer listed stay, out of
    /// reach, until those users come back).
    pub fn replace_users(&mut self, users: &[User]) -> Result<(), EmulatorError> {
        let tx = self.conn.transaction().map_err(|e| EmulatorError::State {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        let r = (|| {
            tx.execute("DELETE FROM users", [])?;
            let mut ins = tx.prepare(
                "INSERT INTO users (id, upn, upn_key, display_name) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for u in users {
                ins.execute(params![u.id, u.upn, u.upn.to_lowercase(), u.display_name])?;
            }
            drop(ins);
            tx.commit()
        })();
        r.map_err(|e| self.fail(e))
    }

    /// The token-signing key, made (from the OS CSPRNG) and stored on first use.
    pub fn signing_key(&mut self) -> Result<Vec<u8>, EmulatorError> {
        let existing: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'signing_key'", [], |r| r.get(0))
            .optional()
            .map_err(|e| self.fail(e))?;
        if let Some(k) = existing {
            return Ok(k);
        }
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key).map_err(|e| EmulatorError::State {
            path: self.path.clone(),
            message: format!("no random numbers: {e}"),
        })?;
        self.conn
            .execute("INSERT INTO meta (key, value) VALUES ('signing_key', ?1)", [&key])
            .map_err(|e| self.fail(e))?;
        Ok(key)
    }

    /// Starts a transaction.
    pub fn transaction(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn.transaction()
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Creates `p` empty with mode 0600 if it does not exist, and narrows an existing file to 0600.
fn create_private(p: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(0o600);
        let f = o.open(p)?;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    o.open(p)?;
    Ok(())
}

/// A user by object id or (without regard to case) UPN.
pub fn find_user(c: &Connection, key: &str) -> rusqlite::Result<Option<User>> {
    let row =
        |r: &rusqlite::Row<'_>| Ok(User { id: r.get(0)?, upn: r.get(1)?, display_name: r.get(2)? });
    if key.contains('@') {
        c.query_row(
            "SELECT id, upn, display_name FROM users WHERE upn_key = ?1",
            [key.to_lowercase()],
            row,
        )
        .optional()
    } else {
        c.query_row("SELECT id, upn, display_name FROM users WHERE id = ?1", [key], row).optional()
    }
}

/// The user's method.
pub fn method(c: &Connection, user: &str) -> rusqlite::Result<Option<MethodRow>> {
    c.query_row("SELECT id, created FROM methods WHERE user_id = ?1", [user], |r| {
        Ok(MethodRow { id: r.get(0)?, created: r.get(1)? })
    })
    .optional()
}

/// Stores the user's method.
pub fn put_method(c: &Connection, user: &str, m: &MethodRow) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO methods (user_id, id, created) VALUES (?1, ?2, ?3)",
        params![user, m.id, m.created],
    )?;
    Ok(())
}

/// Removes the method with both codes and the PIN.
pub fn delete_method(c: &Connection, user: &str) -> rusqlite::Result<bool> {
    let n = c.execute("DELETE FROM methods WHERE user_id = ?1", [user])?;
    c.execute("DELETE FROM codes WHERE user_id = ?1", [user])?;
    c.execute("DELETE FROM pins WHERE user_id = ?1", [user])?;
    Ok(n > 0)
}

/// One of the user's codes.
pub fn code(c: &Connection, user: &str, kind: Kind) -> rusqlite::Result<Option<CodeRow>> {
    c.query_row(
        "SELECT id, created, start, expire, last_used FROM codes WHERE user_id = ?1 AND kind = ?2",
        params![user, kind.as_str()],
        |r| {
            Ok(CodeRow {
                id: r.get(0)?,
                created: r.get(1)?,
                start: r.get(2)?,
                expire: r.get(3)?,
                last_used: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Stores (replacing) one of the user's codes.
pub fn put_code(c: &Connection, user: &str, kind: Kind, code: &CodeRow) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO codes (user_id, kind, id, created, start, expire, last_used)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            user,
            kind.as_str(),
            code.id,
            code.created,
            code.start,
            code.expire,
            code.last_used
        ],
    )?;
    Ok(())
}

/// Removes one of the user's codes.
pub fn delete_code(c: &Connection, user: &str, kind: Kind) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "DELETE FROM codes WHERE user_id = ?1 AND kind = ?2",
        params![user, kind.as_str()],
    )? > 0)
}

/// The user's PIN.
pub fn pin(c: &Connection, user: &str) -> rusqlite::Result<Option<PinRow>> {
    c.query_row(
        "SELECT salt, hash, force_change, created, updated FROM pins WHERE user_id = ?1",
        [user],
        |r| {
            Ok(PinRow {
                salt: r.get(0)?,
                hash: r.get(1)?,
                force_change: r.get(2)?,
                created: r.get(3)?,
                updated: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Stores the user's PIN.
pub fn put_pin(c: &Connection, user: &str, p: &PinRow) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO pins (user_id, salt, hash, force_change, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![user, p.salt, p.hash, p.force_change, p.created, p.updated],
    )?;
    Ok(())
}

/// The policy (the defaults until one is stored).
pub fn policy(c: &Connection) -> rusqlite::Result<Policy> {
    let json: Option<String> =
        c.query_row("SELECT json FROM policy WHERE id = 1", [], |r| r.get(0)).optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

/// Stores the policy.
pub fn put_policy(c: &Connection, p: &Policy) -> rusqlite::Result<()> {
    let json = serde_json::to_string(p).unwrap_or_default();
    c.execute("INSERT OR REPLACE INTO policy (id, json) VALUES (1, ?1)", [json])?;
    Ok(())
}

/// Restores the default policy.
pub fn delete_policy(c: &Connection) -> rusqlite::Result<()> {
    c.execute("DELETE FROM policy", [])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_is_private_and_keeps_writes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.db");
        let key = {
            let mut s = Store::open(Some(&p)).unwrap();
            let u = User {
                id: "7c4999f7-9c25-4f8e-8b84-766eb28a1b49".into(),
                upn: "A@b.com".into(),
                display_name: None,
            };
            s.replace_users(&[u]).unwrap();
            let tx = s.transaction().unwrap();
            put_method(
                &tx,
                "7c4999f7-9c25-4f8e-8b84-766eb28a1b49",
                &MethodRow { id: "m".into(), created: "c".into() },
            )
            .unwrap();
            tx.commit().unwrap();
            s.signing_key().unwrap()
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let mut s = Store::open(Some(&p)).unwrap();
        assert_eq!(s.signing_key().unwrap(), key);
        let u = find_user(s.conn(), "a@B.COM").unwrap().unwrap();
        assert!(method(s.conn(), &u.id).unwrap().is_some());
        assert!(find_user(s.conn(), "7c4999f7-9c25-4f8e-8b84-766eb28a1b49").unwrap().is_some());
    }
}
