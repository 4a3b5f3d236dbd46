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

use alloc::rc::{Rc, Weak};
use core::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::env;
use crate::browser::share::{self, get, get_str, message};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::session::TabMessage;
use crate::core::wire;

/// How long a new tab waits for another tab to answer its hello.
const HELLO_WAIT_MS: f64 = 1_000.0;

/// What the tabs link tells its client (given at start: this module knows no client).
pub(crate) struct Hooks {
    /// A message from another tab, for the session machine, and the DPoP key posted with a
    /// token set (`undefined` without).
    pub(crate) message: Box<dyn Fn(TabMessage, JsValue)>,
    /// A message that could not be read (counted as `invalid_tab_message`).
    pub(crate) bad: Box<dyn Fn()>,
    /// This tab holds the leader lock now.
    pub(crate) leader: Box<dyn Fn()>,
    /// Another tab took the leader lock over from this one.
    pub(crate) lost: Box<dyn Fn()>,
    /// Whether this tab still wants to take the lock over (asked when it is about to).
    pub(crate) wants_lead: Box<dyn Fn() -> bool>,
}

pub(crate) struct Tabs {
    channel: JsValue,
    /// Resolves the join promise of a new tab.
    joined: RefCell<Option<js_sys::Function>>,
    /// Takes the leader lock over (`js/tabs.js`, `lead`).
    steal: RefCell<Option<js_sys::Function>>,
}

impl Tabs {
    /// Posts a message of the session machine to the other tabs; a token set goes with the
    /// session's DPoP key (`key`: the CryptoKey pair object, structured-cloned; or `undefined`).
    pub(crate) fn post_message(&self, m: &TabMessage, key: &JsValue) {
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
                ("k", key.clone()),
            ],
            TabMessage::Refresh { version, at } => vec![
                ("t", "refresh".into()),
                ("v", n(*version)),
                ("at", at.map_or(JsValue::UNDEFINED, n)),
            ],
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

    /// Takes the leader lock over, as the session machine asked (`Action::TakeLead`).
    pub(crate) fn take_over(&self) {
        if let Some(steal) = &*self.steal.borrow() {
            let _ = steal.call0(&JsValue::UNDEFINED);
        }
    }

    fn finish_join(&self) {
        if let Some(f) = self.joined.borrow_mut().take() {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Joins the tabs of this client's scope. The returned promise resolves once this tab knows
/// the shared session (the lock was free: it is alone; or another tab answered; or 1 s passed).
pub(crate) fn start(
    config: &ClientConfig,
    options: &ClientOptions,
    hooks: Hooks,
) -> Option<(Rc<Tabs>, js_sys::Promise)> {
    let name = share::scope_name(config, options);
    let hooks = Rc::new(hooks);
    // Messages arrive only after this returns, once the Tabs exists.
    let slot: Rc<RefCell<Weak<Tabs>>> = Rc::new(RefCell::new(Weak::new()));
    let (target, on_hooks, decode_config) = (slot.clone(), hooks.clone(), config.clone());
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| {
        let tabs = target.borrow().upgrade();
        if let Some(tabs) = tabs {
            on_message(&tabs, &decode_config, &on_hooks, &m);
        }
    });
    let channel = share::open_channel(&name, on_message.as_ref().unchecked_ref()).ok()?;
    on_message.forget();
    let mut resolve = None;
    let joined = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    let tabs = Rc::new(Tabs {
        channel,
        joined: RefCell::new(resolve),
        steal: RefCell::new(None),
    });
    *slot.borrow_mut() = Rc::downgrade(&tabs);
    // Both run more than once: a tab whose lock was taken over may lead again later.
    let (lead_hooks, lost_hooks) = (hooks.clone(), hooks.clone());
    let on_leader = Closure::<dyn Fn()>::new(move || (lead_hooks.leader)());
    let on_lost = Closure::<dyn Fn()>::new(move || (lost_hooks.lost)());
    let wants_lead = Closure::<dyn Fn() -> bool>::new(move || (hooks.wants_lead)());
    let line = share::lead(
        &name,
        on_leader.as_ref().unchecked_ref(),
        on_lost.as_ref().unchecked_ref(),
        wants_lead.as_ref().unchecked_ref(),
        f64::from(config.timeout_ms),
    );
    on_leader.forget();
    on_lost.forget();
    wants_lead.forget();
    *tabs.steal.borrow_mut() = get(&line, "steal").dyn_into().ok();
    let alone: js_sys::Promise = get(&line, "alone").unchecked_into();
    let t = tabs.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(alone).await.ok().and_then(|a| a.as_bool()) == Some(true) {
            t.finish_join();
        } else {
            t.post_message(&TabMessage::Hello, &JsValue::UNDEFINED);
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
            at: number(m, "at"),
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

fn on_message(tabs: &Tabs, config: &ClientConfig, hooks: &Hooks, m: &JsValue) {
    match decode(config, m) {
        Some(message) => {
            let answers_hello =
                matches!(message, TabMessage::Tokens { .. } | TabMessage::NoSession);
            (hooks.message)(message, get(m, "k"));
            if answers_hello {
                tabs.finish_join();
            }
        }
        None => (hooks.bad)(),
    }
}
