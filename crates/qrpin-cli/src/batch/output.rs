//! Writing output files so that a killed run never leaves a partial file under a final name.
//!
//! Each file is written to a temporary file in the same directory (named
//! `.qrpin-tmp-s<K>-…`, `K` this process's shard) and renamed over the final name once complete:
//! a rename within one directory is atomic. Temporary files a killed run left behind are
//! removed when the next run of the same shard starts.

use std::path::Path;

/// The prefix of this shard's temporary files.
pub fn temp_prefix(shard_index: u64) -> String {
    format!(".qrpin-tmp-s{shard_index}-")
}

/// Creates `dir` if needed and removes temporary files an earlier, killed run of this shard
/// left in it. Returns how many were removed.
pub fn prepare_dir(dir: &Path, shard_index: u64) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let prefix = temp_prefix(shard_index);
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

pub use crate::io::write_atomic_in as write_atomic;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_cleans_up_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let p = temp_prefix(0);
        std::fs::write(dir.path().join(format!("{p}stale")), b"partial").unwrap();
        std::fs::write(dir.path().join(".qrpin-tmp-s1-other-shard"), b"x").unwrap();
        assert_eq!(prepare_dir(dir.path(), 0).unwrap(), 1);
        let path = write_atomic(dir.path(), "a.png", b"hello", &p).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        write_atomic(dir.path(), "a.png", b"again", &p).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"again");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".qrpin-tmp-s1-other-shard", "a.png"]);
    }
}
