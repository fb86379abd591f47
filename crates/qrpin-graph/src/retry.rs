//! When and how long to wait before trying a request again.
//!
//! Graph's throttling guidance: on 429 (and 503 with `Retry-After`) wait what `Retry-After`
//! says; otherwise back off exponentially. [`Pause`] makes one throttled answer pause every
//! task of a client, since Graph throttles per app, not per connection.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// Attempts and backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (at least 1).
    pub attempts: u32,
    /// The first backoff; each further one doubles, with full jitter.
    pub base: Duration,
    /// The longest backoff.
    pub cap: Duration,
    /// The longest `Retry-After` waited out; a longer one fails the request instead (a
    /// `Retry-After` is always honoured in full, never cut short).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 10 attempts, 200 ms doubling to at most 60 s; `Retry-After` up to an hour.
    fn default() -> Self {
        RetryPolicy {
            attempts: 10,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` after `attempt` failures with no `Retry-After`:
    /// a uniform draw in `[0, min(cap, base * 2^(attempt-1))]` ("full jitter", so tasks that
    /// failed together do not retry together).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let ceiling = exp.min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Reads a `Retry-After` value: whole seconds, or an HTTP date (RFC 9110), relative to `now`.
/// A date in the past is zero; anything unreadable is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A pause every task of a client honours: set by whichever task was throttled, waited out by
/// all before their next request.
#[derive(Debug, Default)]
pub struct Pause {
    state: Mutex<PauseState>,
}

#[derive(Debug, Default)]
struct PauseState {
    until: Option<Instant>,
    total: Duration,
}

impl Pause {
    /// Extends the pause to at least `now + d`.
    pub fn extend(&self, d: Duration) {
        let now = Instant::now();
        let until = now + d;
        let mut g = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let from = g.until.map_or(now, |u| u.max(now));
        if until > from {
            g.total += until - from;
            g.until = Some(until);
        }
    }

    /// How long pauses have been in force in all (overlapping pauses counted once).
    pub fn total(&self) -> Duration {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// Waits until no pause is in force (at once if none is). Returns how long it waited.
    pub async fn wait(&self) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            let until = self.state.lock().unwrap_or_else(|p| p.into_inner()).until;
            let now = Instant::now();
            match until {
                Some(u) if u > now => {
                    tokio::time::sleep_until(u).await;
                    waited += u - now;
                }
                _ => return waited,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Wed, 02 Dec 2026 10:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::new(7, 0)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 02 Dec 2026 10:00:30 GMT", now),
            Some(Duration::new(30, 0))
        );
        assert_eq!(parse_retry_after("Wed, 02 Dec 2026 09:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_is_jittered_under_a_doubling_ceiling() {
        let p = RetryPolicy {
            attempts: 5,
            base: Duration::new(0, 100000000),
            cap: Duration::new(1, 0),
            max_retry_after: Duration::new(60, 0),
        };
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::new(0, 100000000));
            assert!(p.backoff(3) <= Duration::new(0, 400000000));
            assert!(p.backoff(30) <= Duration::new(1, 0));
        }
        // Full jitter: the draws are not all the same.
        let draws: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(4)).collect();
        assert!(draws.len() > 10);
    }
}
