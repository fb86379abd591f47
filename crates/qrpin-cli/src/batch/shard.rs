//! Splitting a batch across machines: `--shard K/N`, Kubernetes Indexed Jobs, Slurm arrays.
//!
//! A row belongs to shard `fnv1a64(codeId) % N`, where `codeId` is the lower-case GUID text
//! and FNV-1a 64 uses offset basis `0xcbf29ce484222325` and prime `0x100000001b3`. The hash
//! depends on the code, not on the row's position, so shards stay the same when the input is
//! reordered or filtered. Rows whose code id cannot be read are reported by shard 0 only.

use std::fmt;

/// This process's share of the rows: shard `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based shard number, below `count`.
    pub index: u64,
    /// How many shards there are.
    pub count: u64,
}

impl Shard {
    /// The whole input.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 {
            return Err("the shard count must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard index {index} is not below the shard count {count} (indexes are 0-based)"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Reads `--shard` (`K/N`, `k8s` or `slurm`) and `--shard-count`, taking indexes from the
    /// environment through `env` for the scheduler forms.
    pub fn from_args(
        shard: Option<&str>,
        shard_count: Option<u64>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, String> {
        let var = |name: &str| -> Result<u64, String> {
            let v = env(name).ok_or_else(|| format!("{name} is not set"))?;
            v.trim().parse().map_err(|_| format!("{name}={v:?} is not a whole number"))
        };
        match (shard, shard_count) {
            (None, None) => Ok(Shard::ALL),
            (None, Some(_)) | (Some("k8s"), Some(_)) => {
                // Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based.
                Shard::new(var("JOB_COMPLETION_INDEX")?, shard_count.unwrap_or(1))
            }
            (Some("k8s"), None) => {
                Err("--shard k8s needs --shard-count N (the Job's completions)".into())
            }
            (Some("slurm"), count) => {
                // Slurm array: ids run from SLURM_ARRAY_TASK_MIN (often 0 or 1).
                let min =
                    env("SLURM_ARRAY_TASK_MIN").map_or(Ok(0), |_| var("SLURM_ARRAY_TASK_MIN"))?;
                let id = var("SLURM_ARRAY_TASK_ID")?;
                let n = match count {
                    Some(n) => n,
                    None => var("SLURM_ARRAY_TASK_COUNT")?,
                };
                let index = id
                    .checked_sub(min)
                    .ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?;
                Shard::new(index, n)
            }
            (Some(spec), count) => {
                if count.is_some() {
                    return Err("--shard K/N already gives the count; drop --shard-count".into());
                }
                let (k, n) = spec
                    .split_once('/')
                    .ok_or_else(|| format!("--shard {spec:?}: expected K/N, k8s or slurm"))?;
                let k = k
                    .trim()
                    .parse()
                    .map_err(|_| format!("--shard {spec:?}: K is not a whole number"))?;
                let n = n
                    .trim()
                    .parse()
                    .map_err(|_| format!("--shard {spec:?}: N is not a whole number"))?;
                Shard::new(k, n)
            }
        }
    }

    /// Whether a row with this code id (any case) belongs here; `None` (unreadable id) goes to
    /// shard 0.
    pub fn owns(&self, code_id: Option<&str>) -> bool {
        match code_id {
            Some(id) => shard_hash(id) % self.count == self.index,
            None => self.index == 0,
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a 64 of the code id in lower case.
pub fn shard_hash(code_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code_id.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn explicit_and_scheduler_forms() {
        let none = env(&[]);
        assert_eq!(Shard::from_args(None, None, &none), Ok(Shard::ALL));
        assert_eq!(Shard::from_args(Some("2/5"), None, &none), Ok(Shard { index: 2, count: 5 }));
        assert!(Shard::from_args(Some("5/5"), None, &none).is_err());
        assert!(Shard::from_args(Some("1/0"), None, &none).is_err());
        assert!(Shard::from_args(Some("x"), None, &none).is_err());
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3")]);
        assert_eq!(Shard::from_args(None, Some(4), &k8s), Ok(Shard { index: 3, count: 4 }));
        assert_eq!(Shard::from_args(Some("k8s"), Some(4), &k8s), Ok(Shard { index: 3, count: 4 }));
        assert!(Shard::from_args(None, Some(4), &none)
            .unwrap_err()
            .contains("JOB_COMPLETION_INDEX is not set"));
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(Shard::from_args(Some("slurm"), None, &slurm), Ok(Shard { index: 2, count: 3 }));
    }

    #[test]
    fn hash_is_fnv1a_of_lower_case() {
        // FNV-1a 64 test vectors: "" and "a".
        assert_eq!(shard_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(shard_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(shard_hash("ABC"), shard_hash("abc"));
    }

    #[test]
    fn every_id_has_exactly_one_shard() {
        for i in 0..1000u32 {
            let id = format!("{i:08x}-0000-4000-8000-000000000000");
            let owners = (0..7).filter(|k| Shard { index: *k, count: 7 }.owns(Some(&id))).count();
            assert_eq!(owners, 1);
        }
        assert!(Shard { index: 0, count: 3 }.owns(None));
        assert!(!Shard { index: 1, count: 3 }.owns(None));
    }
}
