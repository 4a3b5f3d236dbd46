//! `sessionSharing: "tabs-locks"` (and `"tabs"` where SharedWorker is missing): every tab of
//! the origin holds the token set in its memory; the tab holding a Web Lock is the leader and
//! the only one that refreshes; token sets, logout and session expiry travel over a
//! BroadcastChannel (messages, never storage). When the leader closes, the next tab in the
//! lock's queue leads with the token set it already holds: no new login.
//!
//! Versions order token sets across tabs: a new set gets `max(now, last + 1)`, and a tab takes a
//! set only if its version is newer than the one it holds.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::client::{self, Inner};
use crate::browser::env;
use crate::browser::events::AuthEvent;
use crate::browser::share::{self, get, get_str, message};
use crate::core::error::AuthError;
use crate::core::wire;

/// How long a new tab waits for another tab to answer its hello.
const HELLO_WAIT_MS: f64 = 1_000.0;

/// What a follower's refresh request came to.
pub(crate) enum Answer {
    /// The leader sent a newer token set (installed already).
    Updated,
    /// The session ended (logout, expiry) or failed to refresh.
    Failed(AuthError),
    /// This tab leads now: it must refresh itself.
    Leader,
}

pub(crate) struct Tabs {
    channel: JsValue,
    leader: Cell<bool>,
    version: Cell<u64>,
    /// Followers waiting for a token set newer than a version: (version, resolve).
    waiters: RefCell<Vec<(u64, js_sys::Function)>>,
    /// Resolves the join promise of a new tab.
    joined: RefCell<Option<js_sys::Function>>,
}

impl Tabs {
    pub(crate) fn is_leader(&self) -> bool {
        self.leader.get()
    }

    fn post(&self, pairs: &[(&str, JsValue)]) {
        let _ = share::post(&self.channel, &message(pairs), &JsValue::UNDEFINED);
    }

    /// Tells the other tabs about a token set this tab obtained (login or refresh).
    pub(crate) fn announce(&self, tokens: &crate::core::token::TokenSet) {
        let v = (env::now_ms() as u64).max(self.version.get() + 1);
        self.version.set(v);
        self.post_tokens(tokens);
        self.wake(|wv| wv < v, "updated");
    }

    fn post_tokens(&self, tokens: &crate::core::token::TokenSet) {
        self.post(&[
            ("t", "tokens".into()),
            ("v", (self.version.get() as f64).into()),
            ("data", wire::encode_tokens(tokens).into()),
        ]);
    }

    /// Tells the other tabs the session ended: `logout`, or `expired` with its error.
    pub(crate) fn announce_end(&self, error: Option<&AuthError>) {
        match error {
            None => self.post(&[("t", "logout".into())]),
            Some(e) => self.post(&[
                ("t", "expired".into()),
                ("error", wire::encode_error(e).into()),
            ]),
        }
    }

    /// The leader's refresh failed without ending the session (network): tell the waiters.
    pub(crate) fn announce_refresh_failed(&self, e: &AuthError) {
        self.post(&[
            ("t", "refresh_failed".into()),
            ("v", (self.version.get() as f64).into()),
            ("error", wire::encode_error(e).into()),
        ]);
    }

    /// Asks the leader for a token set newer than the current one.
    pub(crate) async fn ask_refresh(&self, timeout_ms: u32) -> Answer {
        let v = self.version.get();
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        if let Some(r) = resolve {
            self.waiters.borrow_mut().push((v, r.clone()));
            let timeout = Closure::once_into_js(move || {
                let _ = r.call1(&JsValue::UNDEFINED, &"timeout".into());
            });
            env::set_timeout(timeout.unchecked_ref(), f64::from(timeout_ms));
        }
        self.post(&[("t", "refresh".into()), ("v", (v as f64).into())]);
        let answer = JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED);
        match answer.as_string().as_deref() {
            Some("updated") => Answer::Updated,
            Some("leader") => Answer::Leader,
            Some("timeout") => Answer::Failed(AuthError::Network {
                reason: "the leader tab did not answer the refresh request in time (timeoutMs)"
                    .into(),
            }),
            Some(error) => Answer::Failed(wire::decode_error(error)),
            None => Answer::Failed(AuthError::NotAuthenticated),
        }
    }

    /// Resolves the waiters whose version matches with `answer`.
    fn wake(&self, which: impl Fn(u64) -> bool, answer: &str) {
        let woken: Vec<js_sys::Function> = {
            let mut w = self.waiters.borrow_mut();
            let (hit, keep): (Vec<_>, Vec<_>) = w.drain(..).partition(|(v, _)| which(*v));
            *w = keep;
            hit.into_iter().map(|(_, f)| f).collect()
        };
        for f in woken {
            let _ = f.call1(&JsValue::UNDEFINED, &answer.into());
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
pub(crate) fn start(inner: &Rc<Inner>) -> Option<(Rc<Tabs>, js_sys::Promise)> {
    let config = &inner.config;
    let name = share::scope_name(&config.client_id, &config.endpoints.authorization);
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
        leader: Cell::new(false),
        version: Cell::new(0),
        waiters: RefCell::new(Vec::new()),
        joined: RefCell::new(resolve),
    });
    let weak = Rc::downgrade(inner);
    let on_leader = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            became_leader(&inner);
        }
    });
    let alone = share::lead(&name, on_leader.unchecked_ref());
    let t = tabs.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(alone).await.ok().and_then(|a| a.as_bool()) == Some(true) {
            t.finish_join();
        } else {
            t.post(&[("t", "hello".into())]);
            let t2 = t.clone();
            let give_up = Closure::once_into_js(move || t2.finish_join());
            env::set_timeout(give_up.unchecked_ref(), HELLO_WAIT_MS);
        }
    });
    Some((tabs, joined))
}

fn became_leader(inner: &Rc<Inner>) {
    let Some(tabs) = inner.tabs() else { return };
    tabs.leader.set(true);
    client::schedule_proactive(inner);
    tabs.wake(|_| true, "leader");
}

fn on_message(inner: &Rc<Inner>, m: &JsValue) {
    let Some(tabs) = inner.tabs() else { return };
    let version = get(m, "v").as_f64().map_or(0, |v| v as u64);
    match get_str(m, "t").as_deref() {
        Some("hello") => match inner.current_tokens() {
            Some(t) => tabs.post_tokens(&t),
            None if tabs.is_leader() => tabs.post(&[("t", "none".into())]),
            None => {}
        },
        Some("tokens") => {
            let newer = version > tabs.version.get() || inner.current_tokens().is_none();
            if newer
                && version >= tabs.version.get()
                && let Some(Ok(t)) = get_str(m, "data").map(|d| wire::decode_tokens(&d))
            {
                tabs.version.set(version);
                client::install_shared(inner, t);
                tabs.wake(|wv| wv < version, "updated");
            }
            tabs.finish_join();
        }
        Some("none") => tabs.finish_join(),
        Some("refresh") if tabs.is_leader() => match inner.current_tokens() {
            Some(_) if version == tabs.version.get() => client::refresh_in_background(inner),
            Some(t) => tabs.post_tokens(&t),
            // The leader missed the session (it was frozen, say): ask the tabs that hold it.
            // The asking follower times out with network_error and keeps its session.
            None => tabs.post(&[("t", "hello".into())]),
        },
        Some("refresh_failed") => {
            if let Some(e) = get_str(m, "error") {
                tabs.wake(|wv| wv == version, &e);
            }
        }
        Some("logout") => {
            if inner.clear().is_some() {
                inner.emit(&AuthEvent::Logout { revoked: false });
            }
            let e = wire::encode_error(&AuthError::NotAuthenticated);
            tabs.wake(|_| true, &e);
        }
        Some("expired") => {
            let text = get_str(m, "error").unwrap_or_default();
            let e = wire::decode_error(&text);
            if inner.clear().is_some() {
                inner.emit(&AuthEvent::SessionExpired(e));
            }
            tabs.wake(|_| true, &text);
        }
        _ => {}
    }
}
