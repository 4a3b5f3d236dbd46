//! The pending-login record in sessionStorage (or localStorage with `pendingStorage: "local"`):
//! keyed by state, 10-minute TTL, deleted the moment it is read. Never holds a token.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::JsValue;

use crate::browser::env::{self, Store};
use crate::core::authorize::{
    LoginTexts, PENDING_KEY_PREFIX, PENDING_TTL_MS, PendingLogin, pending_key,
};
use crate::core::callback::PendingLookup;
use crate::core::config::PendingStorage;
use crate::core::end_session::{LOGOUT_KEY_PREFIX, PendingLogout};
use crate::core::error::AuthError;
use crate::core::state::State;
use crate::core::time::Millis;

/// How often `store` sweeps expired records (the callback always sweeps).
pub(crate) const PURGE_INTERVAL_MS: Millis = Millis(60_000.0);

/// Stores a pending login; sweeps expired ones first when `purge` (at most once a minute, so a
/// burst of logins stays O(1) each). The storage is checked only when the record could not be
/// stored, to tell which error it is: a login crosses to JS once for its record, not twice
/// (the PKCE row of make bench). Gives back the promise of the login's authorize URL (its
/// three texts cross as one: `Store::set_item_then`).
pub(crate) fn store(
    kind: PendingStorage,
    texts: &LoginTexts,
    now_ms: Millis,
    purge: bool,
) -> Result<JsValue, AuthError> {
    let storage = Store::of(kind);
    if purge {
        let _ = purge_expired(&storage, now_ms);
    }
    if let Some(url) = storage.set_item_then(texts.text()) {
        return Ok(url);
    }
    if let Err(e) = env::storage(kind) {
        return Err(e);
    }
    Err(AuthError::config(
        "pendingStorage",
        explained!(
            "the browser refused to store the pending login",
            " (storage full or blocked)"
        ),
    ))
}

/// Takes (reads and deletes) the record for `state`, telling apart "none at all" from "none
/// matching". Expired records of other logins (and logouts) are purged on the way.
pub(crate) fn take(
    kind: PendingStorage,
    state: Option<&str>,
    now_ms: Millis,
) -> Result<PendingLookup, AuthError> {
    let storage = match env::storage(kind) {
        Ok(storage) => storage,
        Err(e) => return Err(e),
    };
    if let Some(state) = state {
        let key = pending_key(&State::new(state));
        if let Some(text) = storage.take_item(&key) {
            return PendingLogin::from_storage(&text).map(PendingLookup::Found);
        }
    }
    let any = purge_expired(&storage, now_ms);
    Ok(if any {
        PendingLookup::NoneMatching
    } else {
        PendingLookup::NoneAtAll
    })
}

/// Reads the record under `key` without taking it (`None`: none, or corrupt).
pub(crate) fn peek(kind: PendingStorage, key: &str) -> Option<PendingLogin> {
    // Not checked first: a storage the browser denies finds no record.
    let text = Store::of(kind).get_item(key)?;
    let Ok(pending) = PendingLogin::from_storage(&text) else {
        return None;
    };
    Some(pending)
}

/// Deletes the pending records (logins and logouts, `storage` holds both) that are past their
/// time to live, or corrupt; whether any pending login was there (expired or not) before. One
/// sweep for both kinds: each caller (a login stored, a callback, the way back from end
/// session, a logout's record stored) sweeps every record of the client's storage.
pub(crate) fn purge_expired(storage: &Store, now_ms: Millis) -> bool {
    let mut logins = false;
    // Both prefixes start with it; other keys under it (the restore marks) are not records.
    for key in storage.keys("salesforce-pkce:").parts(b'\n') {
        let login = key.starts_with(PENDING_KEY_PREFIX);
        if !login && !key.starts_with(LOGOUT_KEY_PREFIX) {
            continue;
        }
        logins |= login;
        let live = storage.get_item(key).is_some_and(|t| {
            if login {
                PendingLogin::read(&t).is_some_and(|p| now_ms - p.created_at_ms <= PENDING_TTL_MS)
            } else {
                PendingLogout::from_storage(&t).is_some_and(|p| !p.expired(now_ms))
            }
        });
        if !live {
            storage.remove_item(key);
        }
    }
    logins
}
