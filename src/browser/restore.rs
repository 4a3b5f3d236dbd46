//! The facts `restore: "auto"` is decided on (`core::session::may_auto_restore`): a per-client
//! signed-in marker in localStorage (the value `1`: a session was established in this browser;
//! it survives a browser restart and is removed at `logout()`) and the time of this tab's last
//! failed silent attempt in sessionStorage — a flag and a time, never a token.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::env::mark;
use crate::core::time::Millis;

// Each mark is one step of the executor (`store`'s ops 6–9 in js/executor.js, which holds the
// keys: `salesforce-pkce:signed-in:<client_id>` and `salesforce-pkce:restore-failed`); it
// reads and writes them and nothing else, and every decision on them is made here and in
// `core::session`. Where the browser denies a storage (or in a worker, with none), each step
// answers as if it found nothing or could not store, which is what these marks need.

/// Whether `restore: "auto"` may try now.
pub(crate) fn may_auto_restore(client_id: &str, now_ms: Millis) -> bool {
    // `None`: no signed-in marker; else the last failure's time ("" when none).
    let facts = mark(6, client_id, "");
    let last_failure = facts
        .as_deref()
        .and_then(crate::core::text::parse_u64)
        .map(|t| Millis(t as f64));
    crate::core::session::may_auto_restore(facts.is_some(), last_failure, now_ms)
}

/// After `logout()`: no silent restore until the user signs in again.
pub(crate) fn note_signed_out(client_id: &str) {
    mark(8, client_id, "");
}

/// When a session is established in this tab (a login, a popup login, a successful restore, a
/// session taken over from another tab): `restore: "auto"` may try after a reload or restart.
pub(crate) fn note_signed_in(client_id: &str) {
    mark(7, client_id, "");
}

/// After a failed silent restore: its time is now (`Date.now()`, the clock of `env::now_ms`).
pub(crate) fn note_failed() {
    mark(9, "", "");
}
