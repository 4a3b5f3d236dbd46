//! `loginPopup()`: the opener opens the popup within the user's gesture, waits for the popup's
//! callback page to hand the callback back over a same-origin BroadcastChannel (`openPopup`
//! and `handOff` in js/executor.js), and completes it exactly as a redirect callback (state
//! checked against its own pending record, code exchanged here). The popup's page never
//! exchanges the code.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use alloc::rc::Rc;

use crate::browser::driver::{Call, Inner};
use crate::browser::pending;
use crate::browser::redirect::{CallbackThen, Redirect};
use crate::core::authorize::LoginOptions;
use crate::core::authorize::pending_key;
use crate::core::callback::CallbackParams;
use crate::core::config::PendingStorage;
use crate::core::error::AuthError;
use crate::core::popup::{PopupOptions, channel_name};
use crate::core::state::State;

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    /// Opens the popup on the login of `texts` (its stored record's key and its URL: the
    /// login's `LoginTexts`) and waits for its callback: the promise of the callback query,
    /// "blocked" or "unsupported" (no BroadcastChannel, or it throws). Without a callback (those
    /// two, the window closed, the time out) the record is removed there.
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup(
        texts: &str,
        local: bool,
        features: &str,
        channel: &str,
        timeout_ms: f64,
    ) -> JsValue;
    /// The popup's hand-off of the login whose record is under `key` (deleted first from
    /// sessionStorage when `session`): the promise of `result` (its `RedirectResult`),
    /// fulfilled once the opener acknowledged the callback or no opener answered; "" when the
    /// callback could not be handed over (no BroadcastChannel, or it threw).
    #[wasm_bindgen(js_name = handOff)]
    fn hand_off(channel: &str, key: &str, query: &str, result: &JsValue, session: bool) -> JsValue;
}

impl AuthClient {
    /// `loginPopup()` (the Rust API's `login_popup` awaits it): opens the window now (so call
    /// it from a click handler: browsers block popups opened without a user gesture, and WebKit
    /// one opened after an `await`); the promise settles with the outcome: `returnTo` once
    /// signed in (undefined for the JS API: `value_is_return_to` false), or `popup_blocked`,
    /// `popup_closed`, `popup_timeout` or the callback's error. `opened`: the promise of the
    /// popup's callback ([`AuthClient::open_popup`]); the executor hands what it settles with to
    /// the dispatch function as event 18 ([`AuthClient::popup_back`]), numbered with the call
    /// (doubled, and 1 more when the value is `returnTo`): no continuation of ours waits for it.
    pub(crate) fn login_popup_promise(
        &self,
        opened: Result<JsValue, AuthError>,
        value_is_return_to: bool,
    ) -> crate::browser::sys::Promise {
        let (call, p) = self.inner.call();
        match opened {
            Ok(waited) => {
                // (In a JS number: a call's number doubled does not overflow.)
                let n = f64::from(call.number()) * 2.0 + f64::from(u8::from(value_is_return_to));
                self.inner.exec.hand(18, n, &waited);
            }
            Err(e) => self.inner.finish(call, Err(e)),
        }
        p
    }

    /// A login popup's outcome (event 18, `n` as [`AuthClient::login_popup_promise`] numbered
    /// it): its callback query (`ok`), or why none came, "closed" or "timeout" (`waitPopup` in
    /// js/executor.js, which removed the login's record then). Completed as a redirect's
    /// callback; each failure is the one error the call is rejected with.
    pub(crate) fn popup_back(inner: &Rc<Inner>, n: f64, ok: bool, text: &str) {
        let n = n as u64;
        let call = Call::of_number((n >> 1) as u32);
        let client = AuthClient {
            inner: inner.clone(),
        };
        let e = 'failed: {
            if !ok {
                break 'failed if text == "closed" {
                    AuthError::PopupClosed
                } else {
                    AuthError::PopupTimeout
                };
            }
            let params = match crate::core::callback::parse_callback(text) {
                Ok(Some(p)) => p,
                Ok(None) => {
                    break 'failed AuthError::callback(brief!(
                        "popup: no callback parameters",
                        "the popup sent no callback parameters"
                    ));
                }
                Err(e) => break 'failed e,
            };
            return client.complete_when_joined(params, CallbackThen::Popup(call, n & 1 == 1));
        };
        inner.finish(call, Err(e));
    }

    /// Stores the pending login (marked as a popup's) and opens the window, synchronously.
    pub(crate) fn open_popup(
        &self,
        options: LoginOptions,
        popup: &PopupOptions,
    ) -> Result<JsValue, AuthError> {
        let timeout_ms = match popup.timeout_ms() {
            Ok(t) => t,
            Err(e) => return Err(e),
        };
        // The opener exchanges the code with the key it holds now: the code can be bound to it
        // (`dpop_jkt`). Not with the session worker, which exchanges with its own key.
        let dpop_jkt = self
            .inner
            .remote()
            .is_none()
            .then(|| self.inner.dpop.thumbprint())
            .flatten();
        let options = LoginOptions {
            popup: true,
            dpop_jkt,
            ..options
        };
        // Matched, not `?`: the URL and state are written once.
        let texts = match self.authorization_url_inner(&options) {
            Ok((texts, _)) => texts,
            Err(e) => return Err(e),
        };
        let channel = channel_name(&self.inner.config.client_id);
        let local = self.inner.config.pending_storage == PendingStorage::Local;
        let waited = open_popup(texts.text(), local, popup.features(), &channel, timeout_ms);
        if let Some(why) = waited.as_string() {
            return Err(if why == "blocked" {
                AuthError::PopupBlocked
            } else {
                no_channel()
            });
        }
        Ok(waited)
    }

    /// On a callback page: whether it is a login popup's (its pending record says so). Then the
    /// callback goes to the opener over the channel, this page's copy of the record is deleted
    /// (sessionStorage: the browser copied the opener's into the popup; localStorage: the one
    /// record is the opener's to take), `call` settles with the popup's `RedirectResult` once
    /// the opener has it, and the popup closes. When the callback cannot be handed over (this
    /// page's BroadcastChannel throws), `call` fails with `invalid_config` (the opener, never
    /// told, ends in `popup_timeout`).
    pub(crate) fn popup_hand_off(&self, params: &CallbackParams, query: &str, call: Call) -> bool {
        let config = &self.inner.config;
        let Some(state) = params.state.as_deref() else {
            return false;
        };
        let key = pending_key(&State::new(state));
        let Some(record) = pending::peek(config.pending_storage, &key) else {
            return false;
        };
        if !record.popup {
            return false;
        }
        // `call` settles with the promise the hand-off gives back (a promise resolved with a
        // promise follows it): no continuation of ours waits for the acknowledgement. The
        // hand-off deletes the sessionStorage copy of the record first.
        let result = Redirect::Popup {
            return_to: record.return_to,
        }
        .to_js();
        let session = config.pending_storage == PendingStorage::Session;
        let channel = channel_name(&config.client_id);
        let handed = hand_off(&channel, &key, query, &result, session);
        let r = match handed.as_string() {
            None => Ok(handed),
            Some(_) => Err(no_channel()),
        };
        self.inner.finish(call, r);
        true
    }
}

/// This page (the opener, or the popup) can have no BroadcastChannel (none, or it throws): the
/// popup's callback cannot come back.
fn no_channel() -> AuthError {
    AuthError::config(
        "loginPopup",
        brief!(
            "no BroadcastChannel for the popup: use login()",
            "this page has no BroadcastChannel (none, or it threw) to bring the popup's callback back: use login()"
        ),
    )
}
