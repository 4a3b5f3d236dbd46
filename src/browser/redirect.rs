//! The callback page and silent restore: `handleRedirect()` cleans the address bar first,
//! takes the pending record, validates the callback and hands the code to the session machine
//! (here, or in the session worker); `restore()` signs in again with no page for the user.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::client::{AuthClient, CALLBACK_PARAMS};
use crate::browser::driver;
use crate::browser::events::AuthEvent;
use crate::browser::{env, pending, restore};
use crate::core::authorize::restore_options;
use crate::core::callback::{
    CallbackParams, PendingLookup, ValidatedCallback, is_callback_url, parse_callback,
    validate_callback,
};
use crate::core::error::{AuthError, ErrorCode};
use crate::core::wire;

/// What [`AuthClient::handle_redirect`] found on this page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// A login callback completed (or a silent restore ended, signed out): go to `return_to`.
    Login {
        /// The same-origin path given to `login()`, or where the silent restore started.
        return_to: String,
    },
    /// A login popup's callback page: the callback went to the opener, which completes it (the
    /// popup closes itself once the opener has it).
    Popup {
        /// The opener's `returnTo`.
        return_to: String,
    },
    /// Back from the provider's end-session endpoint (`logout({ endSession: true })`).
    LoggedOut {
        /// The same-origin path given to `logout()`.
        return_to: String,
        /// The application's `state` given to `logout()`.
        state: Option<String>,
    },
}

impl Redirect {
    /// Where the application should go now.
    pub fn return_to(&self) -> &str {
        match self {
            Redirect::Login { return_to }
            | Redirect::Popup { return_to }
            | Redirect::LoggedOut { return_to, .. } => return_to,
        }
    }
}

impl AuthClient {
    /// Completes a login on the callback page: `Ok(None)` when the page is no callback. Cleans
    /// the address bar first (if the browser refuses, an `error` event says so and the login
    /// goes on). On error an existing session is left untouched. Also recognises a login
    /// popup's callback page and the way back from the provider's end-session endpoint.
    pub async fn handle_redirect(&self) -> Result<Option<Redirect>, AuthError> {
        let r = self.handle_redirect_inner().await;
        self.inner.reported(r)
    }

    async fn handle_redirect_inner(&self) -> Result<Option<Redirect>, AuthError> {
        // No wait before the address bar is clean (finding 4: a session worker that never
        // answered left `code` and `state` in it): the shared session is joined after.
        let config = &self.inner.config;
        let href = env::location_href();
        if let Some(back) = href.as_deref().and_then(|h| self.logout_return(h)) {
            return Ok(Some(back));
        }
        let callback = href
            .filter(|href| is_callback_url(config, href))
            .and_then(|href| web_sys::Url::new(&href).ok());
        let Some(url) = callback else {
            return self.maybe_restore().await;
        };
        let search = url.search();
        let parsed = parse_callback(search.strip_prefix('?').unwrap_or(&search));
        if matches!(parsed, Ok(None)) {
            return self.maybe_restore().await;
        }
        let params = url.search_params();
        for p in CALLBACK_PARAMS
            .iter()
            .chain(config.profile().callback_extras())
        {
            params.delete(p);
        }
        if let Err(e) = env::replace_url(&url.href()) {
            // The browser refused to clean the address bar: the login still completes (the
            // pending record is taken below and the code is single-use anyway); the failure is
            // an `error` event, never a rejection of handleRedirect.
            self.inner.report(&e);
        }
        let Some(params) = parsed? else {
            return Ok(None);
        };
        let query = search.strip_prefix('?').unwrap_or(&search);
        if let Some(return_to) = self.popup_hand_off(&params, query).await {
            return Ok(Some(Redirect::Popup { return_to }));
        }
        self.join().await;
        self.complete_callback(params)
            .await
            .map(|return_to| Some(Redirect::Login { return_to }))
    }

    /// Takes the pending record of a callback, validates the callback against it and exchanges
    /// the code (a redirect's callback, or one a login popup handed over): `Ok(return_to)`.
    pub(crate) async fn complete_callback(
        &self,
        params: CallbackParams,
    ) -> Result<String, AuthError> {
        let config = &self.inner.config;
        let now = env::now_ms();
        let lookup = pending::take(config.pending_storage, params.state.as_deref(), now)?;
        let silent = match &lookup {
            PendingLookup::Found(p) if p.silent => Some(p.return_to.clone()),
            _ => None,
        };
        let result = match validate_callback(config, params, lookup, now) {
            Ok(validated) => {
                let return_to = validated.return_to().to_owned();
                self.exchange(validated).await.map(|()| return_to)
            }
            Err(e) => Err(e),
        };
        match (result, silent) {
            (Ok(return_to), _) => {
                restore::note_signed_in(&config.client_id);
                Ok(return_to)
            }
            (Err(e), Some(return_to)) => {
                // A silent restore that did not work: simply signed out, and `restore_failed`
                // says why. "No provider session" (`login_required`) is the expected outcome:
                // counted only. Anything else (network, token endpoint, a mix-up, a refusal)
                // no promise reports: counted and an `error` event too, for monitoring.
                restore::note_failed(env::now_ms());
                if e.kind() == ErrorCode::LoginRequired {
                    let _ = self.inner.reported::<()>(Err(e.clone()));
                } else {
                    self.inner.report(&e);
                }
                self.inner.emit(&AuthEvent::RestoreFailed(e));
                Ok(return_to)
            }
            (Err(e), None) => Err(e),
        }
    }

    /// Exchanges a validated callback's code: here, or in the session worker.
    async fn exchange(&self, validated: ValidatedCallback) -> Result<(), AuthError> {
        let remote = self.inner.remote();
        if let Some(r) = remote {
            let cb = wire::encode_callback(&validated);
            return r
                .call("complete", &[("callback", cb.into())], &JsValue::UNDEFINED)
                .await
                .map(|_| ());
        }
        self.complete_login(validated).await
    }

    /// The code exchange with the token endpoint; installs the session and emits `login`.
    pub(crate) async fn complete_login(
        &self,
        validated: ValidatedCallback,
    ) -> Result<(), AuthError> {
        let inner = &self.inner;
        // With DPoP, the key that binds the tokens: made now if the page has none yet.
        #[cfg(feature = "dpop")]
        crate::browser::dpop::ensure_key(&inner.dpop, &inner.config).await?;
        let op = inner.session.borrow_mut().start_login(&validated);
        let w = inner.watch(op);
        driver::pump(inner);
        driver::settled(inner, w).await
    }

    /// `restore: "auto"`: with no session anywhere (after asking the other tabs), redirects
    /// silently — unless the user logged out, or a silent attempt failed a moment ago. The
    /// page navigates away, so this does not return then.
    async fn maybe_restore(&self) -> Result<Option<Redirect>, AuthError> {
        self.join().await;
        let config = &self.inner.config;
        if config.restore_auto
            && !self.is_authenticated()
            && restore::may_auto_restore(&config.client_id, env::now_ms())
        {
            self.restore_inner()?;
            core::future::pending::<()>().await;
        }
        Ok(None)
    }

    /// Signs in again without a page for the user: a top-level redirect with `immediate=true`
    /// (Salesforce) or `prompt=none` (OpenID), back to the current URL. If the provider's
    /// session is gone, `handleRedirect()` on the callback signs out quietly and emits
    /// `restore_failed`. No hidden iframe is used.
    pub fn restore(&self) -> Result<(), AuthError> {
        let r = self.restore_inner();
        self.inner.reported(r)
    }

    fn restore_inner(&self) -> Result<(), AuthError> {
        let config = &self.inner.config;
        let here = env::location_href()
            .filter(|h| !is_callback_url(config, h))
            .and_then(|h| web_sys::Url::new(&h).ok())
            .map_or_else(
                || "/".to_owned(),
                |u| [u.pathname(), u.search(), u.hash()].concat(),
            );
        let (url, _) = self.authorization_url_inner(&restore_options(config, here))?;
        env::navigate(&url)
    }
}
