//! Containing panics of third-party decoders.
//!
//! rqrr panics on some images (its issue #54; here, among others, `zxing-cpp/qrcode-6/7.png` of
//! the shared corpus panics inside `detect_grids`), and rxing documents that its finder-pattern
//! search can panic. Every call into them goes through [`contain`], so a panic becomes
//! [`ScanError::Panicked`] for that image instead of ending the program.
//!
//! While a contained call runs on a thread, the panic message is not printed: the first call
//! installs a panic hook that stays silent for such threads and hands every other panic to the
//! hook that was in place before, so panics elsewhere in the program print as usual. (A hook the
//! program installs later replaces ours; contained panics then print but are still contained.)

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::ScanError;

thread_local! {
    /// How many contained calls are running on this thread (they may nest).
    static CONTAINED: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let quiet = CONTAINED.try_with(|c| c.get() > 0).unwrap_or(false);
            if !quiet {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into [`ScanError::Panicked`] with `stage`.
pub(crate) fn contain<T>(stage: &'static str, f: impl FnOnce() -> T) -> Result<T, ScanError> {
    install_hook();
    CONTAINED.with(|c| c.set(c.get() + 1));
    // The closures only read their inputs and build fresh values, so no broken invariant can be
    // observed after an unwind.
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(c.get() - 1));
    r.map_err(|_| ScanError::Panicked { stage })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let r: Result<(), _> = contain("test stage", || panic!("boom"));
        assert!(matches!(r, Err(ScanError::Panicked { stage: "test stage" })));
        assert_eq!(contain("x", || 7).unwrap(), 7);
        assert_eq!(CONTAINED.with(|c| c.get()), 0);
    }
}
