//! The facts `restore: "auto"` is decided on (`core::session::may_auto_restore`): a per-client
//! signed-in marker in localStorage (the value `1`: a session was established in this browser;
//! it survives a browser restart and is removed at `logout()`) and the time of this tab's last
//! failed silent attempt in sessionStorage — a flag and a time, never a token.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::env::Store;
use crate::core::config::PendingStorage;
use crate::core::time::Millis;

const SIGNED_IN_PREFIX: &str = "salesforce-pkce:signed-in:";
const FAILED_KEY: &str = "salesforce-pkce:restore-failed";

// The storages, not checked first: where the browser denies one (or in a worker, with none),
// each step answers as if it found nothing or could not store (`Store::of`), which is what
// these marks need.
fn local() -> Store {
    Store::of(PendingStorage::Local)
}

fn session() -> Store {
    Store::of(PendingStorage::Session)
}

fn signed_in_key(client_id: &str) -> String {
    [SIGNED_IN_PREFIX, client_id].cat()
}

/// Whether `restore: "auto"` may try now.
pub(crate) fn may_auto_restore(client_id: &str, now_ms: Millis) -> bool {
    let signed_in = local().get_item(&signed_in_key(client_id)).is_some();
    let last_failure = session()
        .get_item(FAILED_KEY)
        .and_then(|t| crate::core::text::parse_u64(&t))
        .map(|t| Millis(t as f64));
    crate::core::session::may_auto_restore(signed_in, last_failure, now_ms)
}

/// After `logout()`: no silent restore until the user signs in again.
pub(crate) fn note_signed_out(client_id: &str) {
    local().remove_item(&signed_in_key(client_id));
}

/// When a session is established in this tab (a login, a popup login, a successful restore, a
/// session taken over from another tab): `restore: "auto"` may try after a reload or restart.
pub(crate) fn note_signed_in(client_id: &str) {
    local().set_item(&signed_in_key(client_id), "1");
    session().remove_item(FAILED_KEY);
}

/// After a failed silent restore.
pub(crate) fn note_failed(now_ms: Millis) {
    session().set_item(FAILED_KEY, &crate::core::text::decimal(now_ms.as_u64()));
}
