//! `logout({ endSession: true })`: revocation and memory first (as `logout()`), then a top-level
//! navigation to the provider's end-session endpoint; and, on the page the provider sends the
//! browser back to, the pending-logout record that recognises it (`handleRedirect()`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::events::AuthEvent;
use crate::browser::redirect::Redirect;
use crate::browser::{env, pending};
use crate::core::end_session::{
    LOGOUT_KEY_PREFIX, LogoutOptions, PendingLogout, end_session_request, logout_key,
    logout_return_state,
};
use crate::core::error::AuthError;

impl AuthClient {
    /// Signs out as [`logout`](Self::logout) does; with `endSession: true` it then navigates the
    /// page to the provider's end-session endpoint (the page unloads: on success the future
    /// does not resolve). The options are checked before anything is revoked, so a bad one
    /// (`invalid_config`) leaves the session as it was. A revocation failure is reported as an
    /// `error` event and does not stop the navigation: memory is cleared either way.
    pub async fn logout_with(&self, options: &LogoutOptions) -> Result<(), AuthError> {
        let r = self.logout_with_inner(options).await;
        self.inner.reported(r)
    }

    async fn logout_with_inner(&self, options: &LogoutOptions) -> Result<(), AuthError> {
        if options.end_session != Some(true) {
            return self.logout_inner(false).await.map(|_| ());
        }
        let config = &self.inner.config;
        let state = env::random_bytes::<32>()?;
        let page = env::location_origin();
        let request = |hint: Option<&str>| {
            end_session_request(
                config,
                options,
                hint,
                &state,
                env::now_ms(),
                page.as_deref(),
            )
        };
        let _ = request(None)?;
        let storage = env::storage(config.pending_storage)?;
        let hint = match self.logout_inner(true).await {
            Ok(hint) => hint,
            // No promise reports it (the page navigates away): an `error` event.
            Err(e) => {
                self.inner.report(&e);
                None
            }
        };
        let req = request(hint.as_deref())?;
        if let Some(p) = &req.pending {
            purge_expired(&storage, env::now_ms());
            storage
                .set_item(&p.storage_key(), &p.to_storage())
                .map_err(|_| {
                    AuthError::config(
                        "pendingStorage",
                        "the browser refused to store the pending logout (storage full or blocked)",
                    )
                })?;
        }
        env::navigate(&req.url)?;
        core::future::pending::<()>().await;
        Ok(())
    }

    /// On any page: the way back from the end-session endpoint, recognised by a `state` whose
    /// pending-logout record is here (taken, so it works once). Cleans `state` from the address
    /// bar and emits `logout` with `endSession: true`.
    pub(crate) fn logout_return(&self, href: &str) -> Option<Redirect> {
        let url = web_sys::Url::new(href).ok()?;
        let search = url.search();
        let state = logout_return_state(search.strip_prefix('?').unwrap_or(&search))?;
        let storage = env::storage(self.inner.config.pending_storage).ok()?;
        let key = logout_key(&state);
        let text = storage.get_item(&key).ok()??;
        let _ = storage.remove_item(&key);
        let now = env::now_ms();
        purge_expired(&storage, now);
        let record = PendingLogout::from_storage(&text).filter(|p| !p.expired(now))?;
        url.search_params().delete("state");
        if let Err(e) = env::replace_url(&url.href()) {
            self.inner.report(&e);
        }
        self.inner.emit(&AuthEvent::Logout {
            revoked: false,
            end_session: true,
        });
        Some(Redirect::LoggedOut {
            return_to: record.return_to,
            state: record.app_state,
        })
    }
}

/// Deletes pending-logout records past their time to live (and corrupt ones).
fn purge_expired(storage: &web_sys::Storage, now_ms: f64) {
    pending::purge(storage, LOGOUT_KEY_PREFIX, |text| {
        PendingLogout::from_storage(text).is_some_and(|p| !p.expired(now_ms))
    });
}
