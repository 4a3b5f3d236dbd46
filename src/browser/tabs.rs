//! `sessionSharing: "tabs-locks"` (and `"tabs"` where SharedWorker is missing): every tab of
//! the origin holds the token set in its memory; the tab holding a Web Lock is the leader and
//! the only one that refreshes; token sets, logout and session expiry travel over a
//! BroadcastChannel (messages, never storage). When the leader closes, the next tab in the
//! lock's queue leads with the token set it already holds: no new login.
//!
//! This file is transport only: it turns channel messages into `core::session::TabMessage`s
//! for the session machine (which orders them by login id and version) and posts the ones
//! the machine broadcasts.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::driver::{self, Inner};
use crate::browser::env;
use crate::browser::share::{self, get, get_str, message};
use crate::core::config::ClientConfig;
use crate::core::session::TabMessage;
use crate::core::wire;

/// How long a new tab waits for another tab to answer its hello.
const HELLO_WAIT_MS: f64 = 1_000.0;

pub(crate) struct Tabs {
    channel: JsValue,
    /// Resolves the join promise of a new tab.
    joined: RefCell<Option<js_sys::Function>>,
}

impl Tabs {
    /// Posts a message of the session machine to the other tabs.
    pub(crate) fn post_message(&self, m: &TabMessage) {
        let n = |x: u64| JsValue::from(x as f64);
        let pairs: Vec<(&str, JsValue)> = match m {
            TabMessage::Hello => vec![("t", "hello".into())],
            TabMessage::NoSession => vec![("t", "none".into())],
            TabMessage::Tokens {
                login,
                version,
                tokens,
            } => vec![
                ("t", "tokens".into()),
                ("l", n(*login)),
                ("v", n(*version)),
                ("data", wire::encode_tokens(tokens).into()),
            ],
            TabMessage::Refresh { version } => vec![("t", "refresh".into()), ("v", n(*version))],
            TabMessage::RefreshFailed { version, error } => vec![
                ("t", "refresh_failed".into()),
                ("v", n(*version)),
                ("error", wire::encode_error(error).into()),
            ],
            TabMessage::Logout { login } => vec![("t", "logout".into()), ("l", n(*login))],
            TabMessage::Expired { login, error } => vec![
                ("t", "expired".into()),
                ("l", n(*login)),
                ("error", wire::encode_error(error).into()),
            ],
        };
        let _ = share::post(&self.channel, &message(&pairs), &JsValue::UNDEFINED);
    }

    fn finish_join(&self) {
        if let Some(f) = self.joined.borrow_mut().take() {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Joins the tabs of this client's scope. The returned promise resolves once this tab knows
/// the shared session (the lock was free: it is alone; or another tab answered; or 1 s passed).
pub(crate) fn start(inner: &Rc<Inner>) -> Option<(Rc<Tabs>, js_sys::Promise)> {
    let config = &inner.config;
    let name = share::scope_name(config, &inner.options);
    let weak = Rc::downgrade(inner);
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| {
        if let Some(inner) = weak.upgrade() {
            on_message(&inner, &m);
        }
    });
    let channel = share::open_channel(&name, on_message.as_ref().unchecked_ref()).ok()?;
    on_message.forget();
    let mut resolve = None;
    let joined = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    let tabs = Rc::new(Tabs {
        channel,
        joined: RefCell::new(resolve),
    });
    let weak = Rc::downgrade(inner);
    let on_leader = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            inner
                .session
                .borrow_mut()
                .handle_became_leader(env::now_ms());
            driver::pump(&inner);
        }
    });
    let alone = share::lead(&name, on_leader.unchecked_ref());
    let t = tabs.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(alone).await.ok().and_then(|a| a.as_bool()) == Some(true) {
            t.finish_join();
        } else {
            t.post_message(&TabMessage::Hello);
            let t2 = t.clone();
            let give_up = Closure::once_into_js(move || t2.finish_join());
            env::set_timeout(give_up.unchecked_ref(), HELLO_WAIT_MS);
        }
    });
    Some((tabs, joined))
}

/// A login id or version: a whole number from 0 to 2^53 − 1 (a malformed one is `None`).
fn number(m: &JsValue, key: &str) -> Option<u64> {
    wire::tab_version(get(m, key).as_f64()?).ok()
}

/// Reads a channel message; `None` when it is malformed or its token set breaks the
/// token-response trust rules (an untrusted instance URL, say).
fn decode(config: &ClientConfig, m: &JsValue) -> Option<TabMessage> {
    let error = || get_str(m, "error").map(|e| wire::decode_error(&e));
    Some(match get_str(m, "t")?.as_str() {
        "hello" => TabMessage::Hello,
        "none" => TabMessage::NoSession,
        "tokens" => TabMessage::Tokens {
            login: number(m, "l")?,
            version: number(m, "v")?,
            tokens: wire::decode_tab_tokens(config, &get_str(m, "data")?).ok()?,
        },
        "refresh" => TabMessage::Refresh {
            version: number(m, "v")?,
        },
        "refresh_failed" => TabMessage::RefreshFailed {
            version: number(m, "v")?,
            error: error()?,
        },
        "logout" => TabMessage::Logout {
            login: number(m, "l")?,
        },
        "expired" => TabMessage::Expired {
            login: number(m, "l")?,
            error: error()?,
        },
        _ => return None,
    })
}

fn on_message(inner: &Rc<Inner>, m: &JsValue) {
    let Some(tabs) = inner.tabs() else { return };
    let now = env::now_ms();
    match decode(&inner.config, m) {
        Some(message) => {
            let answers_hello =
                matches!(message, TabMessage::Tokens { .. } | TabMessage::NoSession);
            inner.session.borrow_mut().handle_tab_message(now, message);
            driver::pump(inner);
            if answers_hello {
                tabs.finish_join();
            }
        }
        None => inner.session.borrow_mut().note_bad_tab_message(),
    }
}
