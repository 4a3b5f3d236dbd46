//! `loginPopup()`: the opener opens the popup within the user's gesture, waits for the popup's
//! callback page to hand the callback back over a same-origin BroadcastChannel (js/popup.js),
//! and completes it exactly as a redirect callback (state checked against its own pending
//! record, code exchanged here). The popup's page never exchanges the code.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::client::AuthClient;
use crate::browser::pending;
use crate::core::authorize::LoginOptions;
use crate::core::callback::CallbackParams;
use crate::core::config::PendingStorage;
use crate::core::error::AuthError;
use crate::core::popup::{PopupOptions, channel_name};
use crate::core::state::State;

#[wasm_bindgen(module = "/js/popup.js")]
extern "C" {
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup(url: &str, features: &str) -> JsValue;
    #[wasm_bindgen(js_name = waitPopup)]
    fn wait_popup(popup: &JsValue, channel: &str, state: &str, timeout_ms: f64) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handOff)]
    fn hand_off(channel: &str, state: &str, query: &str) -> js_sys::Promise;
}

/// A popup opened by [`AuthClient::login_popup`], not yet back.
pub(crate) struct OpenPopup {
    window: JsValue,
    state: State,
    timeout_ms: f64,
}

impl AuthClient {
    /// Signs in in a popup window; the page keeps its state. The window is opened before this
    /// returns (so call it from a click handler: browsers block popups opened without a user
    /// gesture, and WebKit one opened after an `await`); await the future for the outcome:
    /// `Ok(return_to)` once signed in, or `popup_blocked`, `popup_closed`, `popup_timeout` or
    /// the callback's error.
    pub fn login_popup(
        &self,
        options: &LoginOptions,
        popup: &PopupOptions,
    ) -> impl Future<Output = Result<String, AuthError>> + 'static {
        let opened = self.open_popup(options, popup);
        let client = self.clone();
        async move { client.settle_popup(opened).await }
    }

    /// The second half of [`login_popup`](Self::login_popup) (the JS API opens the window in
    /// its synchronous part, then awaits this): the outcome, reported.
    pub(crate) async fn settle_popup(
        &self,
        opened: Result<OpenPopup, AuthError>,
    ) -> Result<String, AuthError> {
        let r = match opened {
            Ok(p) => self.finish_popup(p).await,
            Err(e) => Err(e),
        };
        self.inner.reported(r)
    }

    /// Stores the pending login (marked as a popup's) and opens the window, synchronously.
    pub(crate) fn open_popup(
        &self,
        options: &LoginOptions,
        popup: &PopupOptions,
    ) -> Result<OpenPopup, AuthError> {
        let timeout_ms = popup.timeout_ms()?;
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
            ..options.clone()
        };
        let (url, state) = self.authorization_url_inner(&options)?;
        let window = open_popup(&url, popup.features());
        if window.is_undefined() || window.is_null() {
            self.forget_pending(&state);
            return Err(if window.is_null() {
                AuthError::PopupBlocked
            } else {
                AuthError::config(
                    "loginPopup",
                    "this browser has no BroadcastChannel to bring the popup's callback back: use login()",
                )
            });
        }
        Ok(OpenPopup {
            window,
            state,
            timeout_ms,
        })
    }

    /// Waits for the popup's callback and completes it here.
    async fn finish_popup(&self, p: OpenPopup) -> Result<String, AuthError> {
        let channel = channel_name(&self.inner.config.client_id);
        let waited = JsFuture::from(wait_popup(
            &p.window,
            &channel,
            p.state.as_str(),
            p.timeout_ms,
        ))
        .await;
        let query = match waited {
            Ok(q) => q.as_string().unwrap_or_default(),
            Err(why) => {
                self.forget_pending(&p.state);
                return Err(if why.as_string().as_deref() == Some("closed") {
                    AuthError::PopupClosed
                } else {
                    AuthError::PopupTimeout
                });
            }
        };
        let params = crate::core::callback::parse_callback(&query)?
            .ok_or_else(|| AuthError::callback("the popup sent no callback parameters"))?;
        self.join().await;
        self.complete_callback(params).await
    }

    fn forget_pending(&self, state: &State) {
        let _ = pending::take(
            self.inner.config.pending_storage,
            Some(state.as_str()),
            crate::browser::env::now_ms(),
        );
    }

    /// On a callback page: whether it is a login popup's (its pending record says so). Then the
    /// callback goes to the opener over the channel, this page's copy of the record is deleted
    /// (sessionStorage: the browser copied the opener's into the popup; localStorage: the one
    /// record is the opener's to take), and the popup closes once the opener has it.
    pub(crate) async fn popup_hand_off(
        &self,
        params: &CallbackParams,
        query: &str,
    ) -> Option<String> {
        let config = &self.inner.config;
        let state = params.state.as_deref()?;
        let record = pending::peek(config.pending_storage, state)?;
        if !record.popup {
            return None;
        }
        if config.pending_storage == PendingStorage::Session {
            self.forget_pending(&State::new(state));
        }
        let _ = JsFuture::from(hand_off(&channel_name(&config.client_id), state, query)).await;
        Some(record.return_to)
    }
}
