//! The facts `restore: "auto"` is decided on (`core::session::may_auto_restore`): a per-client
//! signed-in marker in localStorage (the value `1`: a session was established in this browser;
//! it survives a browser restart and is removed at `logout()`) and the time of this tab's last
//! failed silent attempt in sessionStorage — a flag and a time, never a token.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::env;
use crate::core::config::PendingStorage;
use crate::core::time::Millis;

const SIGNED_IN_PREFIX: &str = "salesforce-pkce:signed-in:";
const FAILED_KEY: &str = "salesforce-pkce:restore-failed";

fn signed_in_key(client_id: &str) -> String {
    [SIGNED_IN_PREFIX, client_id].cat()
}

/// Whether `restore: "auto"` may try now.
pub(crate) fn may_auto_restore(client_id: &str, now_ms: Millis) -> bool {
    let signed_in = env::storage(PendingStorage::Local)
        .ok()
        .and_then(|s| s.get_item(&signed_in_key(client_id)))
        .is_some();
    let last_failure = env::storage(PendingStorage::Session)
        .ok()
        .and_then(|s| s.get_item(FAILED_KEY))
        .and_then(|t| crate::core::text::parse_u64(&t))
        .map(|t| Millis(t as f64));
    crate::core::session::may_auto_restore(signed_in, last_failure, now_ms)
}

/// After `logout()`: no silent restore until the user signs in again.
pub(crate) fn note_signed_out(client_id: &str) {
    if let Ok(s) = env::storage(PendingStorage::Local) {
        s.remove_item(&signed_in_key(client_id));
    }
}

/// When a session is established in this tab (a login, a popup login, a successful restore, a
/// session taken over from another tab): `restore: "auto"` may try after a reload or restart.
pub(crate) fn note_signed_in(client_id: &str) {
    if let Ok(s) = env::storage(PendingStorage::Local) {
        s.set_item(&signed_in_key(client_id), "1");
    }
    if let Ok(s) = env::storage(PendingStorage::Session) {
        s.remove_item(FAILED_KEY);
    }
}

/// After a failed silent restore.
pub(crate) fn note_failed(now_ms: Millis) {
    if let Ok(s) = env::storage(PendingStorage::Session) {
        s.set_item(FAILED_KEY, &crate::core::text::decimal(now_ms.as_u64()));
    }
}
