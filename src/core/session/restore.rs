//! The guards of `restore: "auto"` (a silent sign-in when no tab holds the session): only in a
//! browser that held a session for this client (a first-time visitor is never sent through the
//! provider and back), never after an explicit logout until the next sign-in, and not again
//! within a minute of a failed silent attempt in this tab (no redirect loops). The browser keeps
//! the two facts (a signed-in marker and a time, never a token) and asks here.

/// How long after a failed silent restore `restore: "auto"` waits before trying again.
use crate::core::time::Millis;

pub const RESTORE_RETRY_AFTER_MS: Millis = Millis(60_000.0);

/// Whether `restore: "auto"` may redirect now: `signed_in` is the client's marker (set when a
/// session is established in this browser, cleared at `logout()`), `last_failure_ms` when a
/// silent attempt in this tab failed.
pub fn may_auto_restore(signed_in: bool, last_failure_ms: Option<Millis>, now_ms: Millis) -> bool {
    signed_in && last_failure_ms.is_none_or(|t| now_ms - t >= RESTORE_RETRY_AFTER_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_after_a_session_never_after_logout_and_at_most_once_a_minute_after_a_failure() {
        assert!(may_auto_restore(true, None, Millis(0.0)));
        assert!(
            !may_auto_restore(false, None, Millis(0.0)),
            "a first-time visitor (or one who logged out) is not sent to the provider"
        );
        assert!(!may_auto_restore(false, Some(Millis(0.0)), Millis(1e12)));
        let failed = Millis(1_000_000.0);
        assert!(!may_auto_restore(true, Some(failed), failed));
        assert!(!may_auto_restore(
            true,
            Some(failed),
            failed + RESTORE_RETRY_AFTER_MS - Millis(1.0)
        ));
        assert!(may_auto_restore(
            true,
            Some(failed),
            failed + RESTORE_RETRY_AFTER_MS
        ));
        // A clock that went back (or a failure time from the future) waits too.
        assert!(!may_auto_restore(
            true,
            Some(failed),
            failed - Millis(5_000.0)
        ));
    }
}
