//! A login's start, shared by `login()`, `authorizationUrl()`, `loginPopup()` and the silent
//! restore: the randomness, the authorize URL and its pending record, stored.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::{env, pending};
use crate::core::authorize::{LoginOptions, LoginTexts, login_texts};
use crate::core::error::AuthError;

impl AuthClient {
    /// `login` (`navigate`: `undefined`, once navigating) or `authorization_url` (the promise
    /// `authorizationUrl()` returns: the URL crosses to JS once, with the record), for JS (a
    /// failure is counted by the caller, `js::call`).
    pub(crate) fn login_js(
        &self,
        options: &LoginOptions,
        navigate: bool,
    ) -> Result<JsValue, AuthError> {
        if navigate {
            match self.navigate_to_login(options) {
                Ok(()) => Ok(JsValue::UNDEFINED),
                Err(e) => Err(e),
            }
        } else {
            match self.authorization_url_inner(options) {
                Ok((.., promise)) => Ok(promise),
                Err(e) => Err(e),
            }
        }
    }

    /// Stores a pending login and navigates to its authorize URL.
    pub(crate) fn navigate_to_login(&self, options: &LoginOptions) -> Result<(), AuthError> {
        match self.authorization_url_inner(options) {
            Ok((texts, _)) => env::navigate(texts.url()),
            Err(e) => Err(e),
        }
    }

    /// The login's texts (its URL and state among them) and the promise of the URL.
    pub(crate) fn authorization_url_inner(
        &self,
        options: &LoginOptions,
    ) -> Result<(LoginTexts, JsValue), AuthError> {
        // One `getRandomValues` call for the three parts (each call crosses to JS).
        let mut bytes = [0; 96];
        if let Err(e) = env::fill_random(&mut bytes) {
            return Err(e);
        }
        let now = env::now_ms();
        // The page's origin matters only for an absolute returnTo (a path stays on it anyway).
        let absolute = options
            .return_to
            .as_deref()
            .is_some_and(|r| !r.starts_with("/"));
        let origin = if absolute {
            env::location_origin()
        } else {
            None
        };
        let texts = match login_texts(&self.inner.config, options, &bytes, now, origin.as_deref()) {
            Ok(r) => r,
            Err(e) => return Err(e),
        };
        let purge = now - self.inner.last_purge_ms.get() >= pending::PURGE_INTERVAL_MS;
        let kind = self.inner.config.pending_storage;
        let promise = match pending::store(kind, &texts, now, purge) {
            Ok(promise) => promise,
            Err(e) => return Err(e),
        };
        if purge {
            self.inner.last_purge_ms.set(now);
        }
        Ok((texts, promise))
    }
}
