//! `sessionSharing: "tabs-locks"` (and `"tabs"` where SharedWorker is missing): every tab of
//! the origin holds the token set in its memory; the tab holding a Web Lock is the leader and
//! the only one that refreshes; token sets, logout and session expiry travel over a
//! BroadcastChannel (messages, never storage). When the leader closes, the next tab in the
//! lock's queue leads with the token set it already holds: no new login.
//!
//! This file is transport only: the channel's messages go to the session machine (which
//! orders them by login id and version) through `browser::sharing` (`core::channel::read`),
//! and it posts the ones the machine broadcasts.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::share;
use crate::core::channel;
use crate::core::config::ClientConfig;
use crate::core::session::TabMessage;

/// How long a new tab waits for another tab to answer its hello.
const HELLO_WAIT_MS: f64 = 1_000.0;

/// The hello's timer (`later` in `js/tabs.js`, event 15).
pub(crate) const HELLO_TIMER: u32 = 2;

pub(crate) struct Tabs {
    /// The BroadcastChannel (`joinTabs` in `js/tabs.js`: also what takes the lock over).
    channel: JsValue,
}

impl Tabs {
    /// Posts a message of the session machine to the other tabs (`core::channel`'s text); a
    /// token set goes with the session's DPoP key (`key`: the CryptoKey pair object,
    /// structured-cloned; or `undefined`).
    pub(crate) fn post_message(&self, m: &TabMessage, key: &JsValue) {
        let key = match m {
            TabMessage::Set(_) => key,
            _ => &JsValue::UNDEFINED,
        };
        let _ = share::post(&self.channel, &channel::encode(m), key);
    }

    /// This tab's logout revokes: another tab's `logout()` with nothing to revoke waits for it,
    /// until `done` (its caller's promise) settles or `ms` passes (`share::logout_lock`: a logout
    /// that navigated away from a page that stayed never settles).
    pub(crate) fn hold_logout(&self, done: &JsValue, ms: f64) {
        let _ = share::logout_lock(&self.channel, done, ms);
    }

    /// The promise of a wait until no tab's logout revokes (at most `ms`).
    pub(crate) fn after_logouts(&self, ms: f64) -> crate::browser::sys::Promise {
        share::logout_lock(&self.channel, &JsValue::UNDEFINED, ms)
    }

    /// Takes the leader lock over, as the session machine asked (`Action::TakeLead`).
    pub(crate) fn take_over(&self) {
        share::take_over(&self.channel);
    }

    /// The first lock request answered: this tab leads at once (`alone`; it knows the session
    /// then: `true`), or it asks the other tabs and waits at most [`HELLO_WAIT_MS`] for an answer
    /// (the client's `dispatch` hears the timer).
    pub(crate) fn first_lock(&self, alone: bool, dispatch: &JsValue) -> bool {
        if !alone {
            self.post_message(&TabMessage::Hello, &JsValue::UNDEFINED);
            share::later(dispatch, HELLO_TIMER, HELLO_WAIT_MS);
        }
        alone
    }
}

/// Joins the tabs of this client's scope: the channel's messages, the lock's changes and the
/// hello's timer come back through `dispatch` (events 10 to 15, see `js/tabs.js`). `None`
/// where the browser has no Web Locks or BroadcastChannel.
pub(crate) fn start(
    config: &Rc<ClientConfig>,
    options: &str,
    dispatch: &JsValue,
) -> Option<Rc<Tabs>> {
    let name = share::scope_name(config, options);
    let channel = share::join_tabs(&name, dispatch, f64::from(config.timeout_ms));
    // `""` where it could not join (no `is_undefined` import for this one check).
    if channel.as_string().is_some() {
        return None;
    }
    Some(Rc::new(Tabs { channel }))
}
