//! Access to the page: clock, randomness, location, history, storage, timers. Every global is
//! looked up at call time (so tests can install mocks, and workers work too).

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::config::PendingStorage;
use crate::core::error::AuthError;

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Random bytes from `crypto.getRandomValues` (through getrandom).
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|_| {
        AuthError::config(
            "crypto",
            "crypto.getRandomValues is not available in this environment",
        )
    })?;
    Ok(buf)
}

pub(crate) fn window() -> Option<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().ok()
}

/// `location.href`, if there is a page.
pub(crate) fn location_href() -> Option<String> {
    window()?.location().href().ok()
}

/// `location.origin`, if there is a page.
pub(crate) fn location_origin() -> Option<String> {
    window()?.location().origin().ok()
}

/// Navigates the page (top-level) to `url`.
pub(crate) fn navigate(url: &str) -> Result<(), AuthError> {
    let w = window()
        .ok_or_else(|| AuthError::config("login", "login() needs a page (window.location)"))?;
    w.location().assign(url).map_err(|_| {
        AuthError::config(
            "login",
            "the browser refused to navigate to the provider (authorization or end-session endpoint)",
        )
    })
}

/// Replaces the address bar URL (absolute) without a navigation or history entry. With no page
/// or no history there is nothing to replace (`Ok`). The browser may refuse: WebKit throws a
/// `SecurityError` past 100 `replaceState` calls in 10 seconds, Chromium drops calls past its
/// navigation flood limit without a word; either is an `invalid_config` error on `history`
/// naming only the exception's name (its message may quote the URL).
pub(crate) fn replace_url(url: &str) -> Result<(), AuthError> {
    let Some(w) = window() else {
        return Ok(());
    };
    let Ok(h) = w.history() else {
        return Ok(());
    };
    let state = h.state().unwrap_or(JsValue::NULL);
    let why = match h.replace_state_with_url(&state, "", Some(url)) {
        Ok(()) if w.location().href().map_or(true, |now| now == url) => return Ok(()),
        Ok(()) => "history.replaceState was ignored, e.g. past Chromium's navigation flood limit"
            .to_owned(),
        Err(thrown) => {
            let name = thrown
                .dyn_ref::<js_sys::Error>()
                .map_or_else(|| "a non-Error value".to_owned(), |e| e.name().into());
            [
                "history.replaceState threw ",
                &name,
                ", e.g. past WebKit's limit of 100 calls per 10 seconds",
            ]
            .concat()
        }
    };
    Err(AuthError::config(
        "history",
        [
            "the browser refused to clean the address bar (",
            &why,
            "): the callback's code and state stay in it",
        ]
        .concat(),
    ))
}

/// The storage holding pending logins.
pub(crate) fn storage(kind: PendingStorage) -> Result<web_sys::Storage, AuthError> {
    let w = window().ok_or_else(|| {
        AuthError::config(
            "pendingStorage",
            "no window: pending logins need sessionStorage or localStorage",
        )
    })?;
    let s = match kind {
        PendingStorage::Session => w.session_storage(),
        PendingStorage::Local => w.local_storage(),
    };
    s.ok().flatten().ok_or_else(|| {
        AuthError::config(
            "pendingStorage",
            "the browser denies access to storage (private mode or blocked site data?)",
        )
    })
}

fn global_function(name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

/// `setTimeout(callback, ms)`; returns the timer id.
pub(crate) fn set_timeout(callback: &js_sys::Function, ms: f64) -> Option<JsValue> {
    global_function("setTimeout")?
        .call2(&JsValue::UNDEFINED, callback, &JsValue::from_f64(ms))
        .ok()
}

/// The current `fetch` function (looked up each time so tests and polyfills can replace it).
pub(crate) fn fetch_function() -> Option<js_sys::Function> {
    global_function("fetch")
}
