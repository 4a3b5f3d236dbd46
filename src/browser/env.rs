//! Access to the page: clock, randomness, location, history, storage, timers. Every global is
//! looked up at call time (so tests can install mocks, and workers work too).

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::core::config::PendingStorage;
use crate::core::error::AuthError;
use crate::core::time::Millis;

/// Milliseconds since the epoch (`Date.now()`).
pub(crate) fn now_ms() -> Millis {
    Millis(crate::browser::sys::date_now())
}

/// Fills `buf` from `crypto.getRandomValues` (in place: a large buffer is not moved through a
/// `Result`).
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), AuthError> {
    if random(buf) {
        return Ok(());
    }
    Err(AuthError::config(
        "crypto",
        brief!(
            "no crypto.getRandomValues",
            "crypto.getRandomValues is not available in this environment"
        ),
    ))
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    fn random(buf: &mut [u8]) -> bool;
    // (A string or undefined comes back as a JsValue, read by `as_string`: one way back for
    // every such import, not a string passed into the wasm by each import's own glue.)
    #[wasm_bindgen(js_name = input)]
    fn input_raw(value: &JsValue, base: Option<&str>) -> JsValue;
    /// The page's address, one step per `op` (see `place` in js/executor.js).
    #[wasm_bindgen(js_name = place)]
    fn place_raw(op: u32, a: Option<&str>, b: Option<&str>) -> JsValue;
    /// One step on the storage, by `op` (see `store` in js/executor.js; a number, not a
    /// name: no string crosses for it).
    #[wasm_bindgen(js_name = store)]
    fn store_raw(local: bool, op: u32, key: &str, value: &str) -> JsValue;
}

fn place(op: u32, a: Option<&str>, b: Option<&str>) -> Option<String> {
    place_raw(op, a, b).as_string()
}

fn store_js(local: bool, op: u32, key: &str, value: &str) -> Option<String> {
    store_raw(local, op, key, value).as_string()
}

/// What `auth.fetch` was given (`value`), parsed as fetch parses it (a URL string or a `URL`
/// against `base`): "r" for a `Request`, else "s", then its href and origin on two lines
/// (nothing more when the browser cannot parse it); `None` when it is none of the three kinds.
pub(crate) fn input(value: &JsValue, base: Option<&str>) -> Option<String> {
    input_raw(value, base).as_string()
}

fn page() -> Option<String> {
    place(0, None, None)
}

/// `location.href`, if there is a page.
pub(crate) fn location_href() -> Option<String> {
    page()
}

/// `location.origin` (its href's origin, parsed as `url` parses), if there is a page: one
/// crossing.
pub(crate) fn location_origin() -> Option<String> {
    place(3, None, None)
}

/// `input` parsed as the browser does (against `base` when given): its href and origin.
pub(crate) fn url(input: &str, base: Option<&str>) -> Option<(String, String)> {
    let both = place(1, Some(input), base)?;
    let (href, origin) = both.cut(b'\n')?;
    Some((href.to_owned(), origin.to_owned()))
}

/// The query of a URL the browser gave (`href`): between `?` and `#`, without the `?`.
pub(crate) fn query(href: &str) -> &str {
    let before_hash = href.parts(b'#').next().unwrap_or("");
    before_hash.cut(b'?').map_or("", |(_, q)| q)
}

/// Navigates the page (top-level) to `url`.
pub(crate) fn navigate(url: &str) -> Result<(), AuthError> {
    if page().is_none() {
        return Err(AuthError::config(
            "login",
            explained!("login() needs a page", " (window.location)"),
        ));
    }
    if place(4, Some(url), None).is_none() {
        return Ok(());
    }
    Err(AuthError::config(
        "login",
        brief!(
            "navigation to the provider refused",
            "the browser refused to navigate to the provider (authorization or end-session endpoint)"
        ),
    ))
}

/// Cleans the address bar: replaces it with `href` (absolute: the page's) without the query
/// parameters `names` (one a line), with no navigation or history entry, in one step of the
/// executor. With no page or no history there is nothing to replace (`Ok`). The browser may
/// refuse: WebKit throws a `SecurityError` past 100 `replaceState` calls in 10 seconds,
/// Chromium drops calls past its navigation flood limit without a word; either is an
/// `invalid_config` error on `history` naming only the exception's name (its message may quote
/// the URL).
pub(crate) fn clean_url(href: &str, names: &str) -> Result<(), AuthError> {
    let Some(why) = place(2, Some(href), Some(names)) else {
        return Ok(());
    };
    let why = if why == "ignored" {
        aside!(
            "history.replaceState was ignored",
            ", e.g. past Chromium's navigation flood limit"
        )
        .to_owned()
    } else {
        [
            "history.replaceState threw ",
            &why,
            brief!(
                ", e.g. WebKit's rate limit",
                ", e.g. past WebKit's limit of 100 calls per 10 seconds"
            ),
        ]
        .cat()
    };
    Err(AuthError::config(
        "history",
        [
            brief!(
                "address bar not cleaned (",
                "the browser refused to clean the address bar ("
            ),
            &why,
            brief!(
                "): code and state stay in it",
                "): the callback's code and state stay in it"
            ),
        ]
        .cat(),
    ))
}

/// One step on the restore marks of `client_id` (ops 6–9 of `store` in js/executor.js; what
/// they mean is src/browser/restore.rs's).
pub(crate) fn mark(op: u32, client_id: &str, value: &str) -> Option<String> {
    store_js(false, op, client_id, value)
}

/// sessionStorage or localStorage, through the executor.
#[derive(Clone, Copy)]
pub(crate) struct Store {
    local: bool,
}

impl Store {
    /// The storage for `kind`, not checked: on a storage the browser denies, every step
    /// answers as if it found nothing or could not store (see [`storage`] for the checked one).
    pub(crate) fn of(kind: PendingStorage) -> Store {
        Store {
            local: kind == PendingStorage::Local,
        }
    }

    /// The value under `key`.
    pub(crate) fn get_item(&self, key: &str) -> Option<String> {
        store_js(self.local, 1, key, "")
    }

    /// Takes the value under `key`: read and removed in one step.
    pub(crate) fn take_item(&self, key: &str) -> Option<String> {
        store_js(self.local, 1, key, "1")
    }

    /// Stores `value` under `key`; whether the browser took it.
    pub(crate) fn set_item(&self, key: &str, value: &str) -> bool {
        store_js(self.local, 2, key, value).is_some()
    }

    /// Stores a login's record and gives back the promise of its URL, from the one text
    /// `key\nrecord\nurl` (`LoginTexts`: one crossing and one text for the three: op 5 of
    /// `store` in js/executor.js), or `None` when not stored.
    pub(crate) fn set_item_then(&self, texts: &str) -> Option<JsValue> {
        let done = store_raw(self.local, 5, texts, "");
        // Stored: a promise; not stored: a string.
        if done.as_string().is_some() {
            return None;
        }
        Some(done)
    }

    /// Deletes `key`.
    pub(crate) fn remove_item(&self, key: &str) {
        let _ = store_js(self.local, 3, key, "");
    }

    /// The keys that start with `prefix`, one a line (empty when there is none).
    pub(crate) fn keys(&self, prefix: &str) -> String {
        store_js(self.local, 4, prefix, "").unwrap_or_default()
    }
}

/// The storage holding pending logins.
pub(crate) fn storage(kind: PendingStorage) -> Result<Store, AuthError> {
    let store = Store::of(kind);
    let ok = store_js(store.local, 0, "", "");
    if ok.as_deref() == Some("none") {
        return Err(AuthError::config(
            "pendingStorage",
            explained!(
                "no window",
                ": pending logins need sessionStorage or localStorage"
            ),
        ));
    }
    if ok.is_none() {
        return Err(AuthError::config(
            "pendingStorage",
            brief!(
                "storage access denied",
                "the browser denies access to storage (private mode or blocked site data?)"
            ),
        ));
    }
    Ok(store)
}
