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

use wasm_bindgen::prelude::*;

use crate::browser::share::{self, get, get_str, message};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::session::TabMessage;
use crate::core::wire;

/// How long a new tab waits for another tab to answer its hello.
const HELLO_WAIT_MS: f64 = 1_000.0;

/// The hello's timer (`later` in `js/tabs.js`, event 15).
pub(crate) const HELLO_TIMER: u32 = 2;

pub(crate) struct Tabs {
    channel: JsValue,
    /// The client's dispatch function (the channel's messages, the lock's changes and the
    /// hello's timer come back through it).
    dispatch: JsValue,
    /// Takes the leader lock over (`js/tabs.js`, `lead`).
    steal: JsValue,
    config: ClientConfig,
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
        share::take_over(&self.steal);
    }

    /// The first lock request answered: this tab leads at once (`alone`; it knows the session
    /// then: `true`), or it asks the other tabs and waits at most [`HELLO_WAIT_MS`] for an answer.
    pub(crate) fn first_lock(&self, alone: bool) -> bool {
        if !alone {
            self.post_message(&TabMessage::Hello, &JsValue::UNDEFINED);
            share::later(&self.dispatch, HELLO_TIMER, HELLO_WAIT_MS);
        }
        alone
    }

    /// A message on the channel, for the session machine, with the DPoP key posted with a token
    /// set (`undefined` without); `None` when it cannot be read (counted as
    /// `invalid_tab_message`).
    pub(crate) fn read(&self, m: &JsValue) -> Option<(TabMessage, JsValue)> {
        Some((decode(&self.config, m)?, get(m, "k")))
    }
}

/// Joins the tabs of this client's scope: the channel's messages, the lock's changes and the
/// hello's timer come back through `dispatch` (events 10 to 15, see `js/tabs.js`).
pub(crate) fn start(
    config: &ClientConfig,
    options: &ClientOptions,
    dispatch: &JsValue,
) -> Option<Rc<Tabs>> {
    let name = share::scope_name(config, options);
    let channel = share::open_channel(&name, dispatch).ok()?;
    let steal = share::lead(&name, dispatch, f64::from(config.timeout_ms));
    Some(Rc::new(Tabs {
        channel,
        dispatch: dispatch.clone(),
        steal,
        config: config.clone(),
    }))
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
