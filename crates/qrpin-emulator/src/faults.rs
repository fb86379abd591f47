//! Faults for testing clients: seeded 429/503/504 answers, dropped connections after a write,
//! and a per-app token bucket.
//!
//! The draws come from two seeded generators, one for injected answers and one for drops, each
//! taken once per Graph request (drops once per successful write) in the order requests reach
//! them: the same seed and the same request order give the same faults.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Throttle;

/// An injected answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After`.
    TooManyRequests,
    /// 503 with `Retry-After`.
    Unavailable,
    /// 504.
    GatewayTimeout,
}

/// The fault draws.
#[derive(Debug)]
pub struct Faults {
    rate: f64,
    drop_rate: f64,
    answers: Mutex<fastrand::Rng>,
    drops: Mutex<fastrand::Rng>,
}

impl Faults {
    /// Faults at these rates (each 0–1) from `seed`.
    pub fn new(rate: f64, drop_rate: f64, seed: u64) -> Self {
        Faults {
            rate,
            drop_rate,
            answers: Mutex::new(fastrand::Rng::with_seed(seed)),
            drops: Mutex::new(fastrand::Rng::with_seed(seed ^ 0x9e37_79b9_7f4a_7c15)),
        }
    }

    /// Whether this request gets an injected answer, and which.
    pub fn draw(&self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let mut rng = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        let hit = rng.f64() < self.rate;
        let which = rng.u8(0..3);
        hit.then_some(match which {
            0 => Fault::TooManyRequests,
            1 => Fault::Unavailable,
            _ => Fault::GatewayTimeout,
        })
    }

    /// Whether this successful write loses its answer.
    pub fn draw_drop(&self) -> bool {
        if self.drop_rate <= 0.0 {
            return false;
        }
        self.drops.lock().unwrap_or_else(|p| p.into_inner()).f64() < self.drop_rate
    }
}

/// A token bucket per app.
#[derive(Debug)]
pub struct Buckets {
    spec: Throttle,
    apps: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Buckets {
    /// Buckets of this size and refill period.
    pub fn new(spec: Throttle) -> Self {
        Buckets { spec, apps: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `app` at `now`, or says how many whole seconds until one is there.
    pub fn take(&self, app: &str, now: Instant) -> Result<(), u64> {
        let size = f64::from(self.spec.requests);
        let rate = size / self.spec.per.as_secs_f64(); // tokens per second
        let mut apps = self.apps.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: one entry per app id seen, and app ids come from tokens this emulator signed.
        let (tokens, last) = apps.entry(app.to_owned()).or_insert((size, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * rate).min(size);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - *tokens) / rate);
            Err(wait.as_secs_f64().ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults() {
        let a = Faults::new(0.3, 0.2, 42);
        let b = Faults::new(0.3, 0.2, 42);
        let da: Vec<_> = (0..200).map(|_| (a.draw(), a.draw_drop())).collect();
        let db: Vec<_> = (0..200).map(|_| (b.draw(), b.draw_drop())).collect();
        assert_eq!(da, db);
        let hits = da.iter().filter(|(f, _)| f.is_some()).count();
        assert!((30..=90).contains(&hits), "{hits} of 200 at 0.3");
        assert!(Faults::new(0.0, 0.0, 1).draw().is_none());
    }

    #[test]
    fn bucket_refills_at_its_rate() {
        let b = Buckets::new(Throttle { requests: 2, per: Duration::from_secs(1) });
        let t0 = Instant::now();
        assert_eq!(b.take("app", t0), Ok(()));
        assert_eq!(b.take("app", t0), Ok(()));
        assert_eq!(b.take("app", t0), Err(1));
        assert_eq!(b.take("other", t0), Ok(()), "one bucket per app");
        // Half a second later one token (2 per second) is back.
        assert_eq!(b.take("app", t0 + Duration::from_millis(500)), Ok(()));
        assert_eq!(b.take("app", t0 + Duration::from_millis(500)), Err(1));
    }
}
