//! `logout({ endSession: true })`: revocation and memory first (as `logout()`), then a top-level
//! navigation to the provider's end-session endpoint; and, on the page the provider sends the
//! browser back to, the pending-logout record that recognises it (`handleRedirect()`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::driver::{self, Call, Inner};
use crate::browser::events::AuthEvent;
use crate::browser::redirect::Redirect;
use crate::browser::{env, pending, restore};
use crate::core::end_session::{
    LOGOUT_KEY_PREFIX, LogoutOptions, PendingLogout, end_session_request, logout_key,
    logout_return_state,
};
use crate::core::error::AuthError;
use crate::core::time::Millis;

/// What runs once signed out: with `hint`, the session's latest id_token.
pub(crate) type SignedOut = Box<dyn FnOnce(&Rc<Inner>, Result<Option<String>, AuthError>)>;

impl AuthClient {
    /// `logout(options)` (the Rust API's `logout` and `logout_with` await it): signs out (the
    /// tokens are forgotten at once, then revoked: RFC 7009, at Salesforce the refresh token
    /// alone, which revokes its access tokens; memory is cleared even when revocation fails,
    /// `revocation_failed`). With `endSession: true` it then navigates the page to the
    /// provider's end-session endpoint (the page unloads: on success the promise does not
    /// settle); the options are checked before anything is revoked, so a bad one
    /// (`invalid_config`) leaves the session as it was, and a revocation failure is then an
    /// `error` event that does not stop the navigation.
    pub(crate) fn logout_promise(
        &self,
        options: Result<LogoutOptions, AuthError>,
    ) -> crate::browser::sys::Promise {
        let (call, p) = self.inner.call();
        match options {
            Ok(o) if o.end_session == Some(true) => self.end_session(o, call),
            Ok(_) => self.sign_out(
                false,
                Box::new(move |inner, r| inner.finish(call, r.map(|_| JsValue::UNDEFINED))),
            ),
            Err(e) => self.inner.finish(call, Err(e)),
        }
        p
    }

    fn end_session(&self, options: LogoutOptions, call: Call) {
        let inner = &self.inner;
        let config = &inner.config;
        let page = env::location_origin();
        let mut state = [0u8; 32];
        let prepared = match env::fill_random(&mut state) {
            Ok(()) => {
                let checked = end_session_request(
                    config,
                    &options,
                    None,
                    &state,
                    env::now_ms(),
                    page.as_deref(),
                );
                match checked {
                    Ok(_) => match env::storage(config.pending_storage) {
                        Ok(storage) => Ok((state, storage)),
                        Err(e) => Err(e),
                    },
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        let (state, storage) = match prepared {
            Ok(p) => p,
            Err(e) => return inner.finish(call, Err(e)),
        };
        self.sign_out(
            true,
            Box::new(move |inner, signed_out| {
                let hint = signed_out.unwrap_or_else(|e| {
                    // No promise reports it (the page navigates away): an `error` event.
                    inner.report(&e);
                    None
                });
                let now = env::now_ms();
                let request = end_session_request(
                    &inner.config,
                    &options,
                    hint.as_deref(),
                    &state,
                    now,
                    page.as_deref(),
                );
                let gone = match request {
                    Ok(req) => 'gone: {
                        if let Some(p) = &req.pending {
                            purge_expired(&storage, now);
                            if !storage.set_item(&p.storage_key(), &p.to_storage()) {
                                break 'gone Err(AuthError::config(
                                    "pendingStorage",
                                    explained!(
                                        "the browser refused to store the pending logout",
                                        " (storage full or blocked)"
                                    ),
                                ));
                            }
                        }
                        env::navigate(&req.url)
                    }
                    Err(e) => Err(e),
                };
                if let Err(e) = gone {
                    inner.finish(call, Err(e));
                }
            }),
        );
    }

    /// Signs out: forgets the tokens at once, then revokes them; `then` runs once done, with
    /// (`hint`) the session's latest id_token, for the end-session request's `id_token_hint`
    /// (with the session worker, the worker sends it).
    pub(crate) fn sign_out(&self, hint: bool, then: SignedOut) {
        let inner = &self.inner;
        restore::note_signed_out(&inner.config.client_id);
        if let Some(remote) = inner.remote() {
            #[cfg(feature = "sharing")]
            {
                if remote.session.borrow().is_none() {
                    return then(inner, Ok(None));
                }
                let i = inner.clone();
                let mut w = crate::core::wire::Writer::new();
                w.opt("hint", hint.then_some("1"));
                remote.call(
                    "logout",
                    w,
                    &JsValue::UNDEFINED,
                    Box::new(move |reply| {
                        then(&i, reply.map(|(r, _)| r.owned("id_token_hint")));
                    }),
                );
            }
            #[cfg(not(feature = "sharing"))]
            let _ = (remote, then);
            return;
        }
        let id_token = hint
            .then(|| inner.session.borrow().tokens()?.id_token.clone())
            .flatten()
            .map(|t| t.secret().to_owned());
        let op = inner.session.borrow_mut().logout(env::now_ms());
        driver::after(
            inner,
            op,
            Box::new(move |inner, r| then(inner, r.map(|()| id_token))),
        );
        driver::pump(inner);
    }

    /// On any page: the way back from the end-session endpoint, recognised by a `state` whose
    /// pending-logout record is here (taken, so it works once). Cleans `state` from the address
    /// bar and emits `logout` with `endSession: true`.
    pub(crate) fn logout_return(&self, href: &str) -> Option<Redirect> {
        let state = logout_return_state(env::query(href))?;
        let storage = env::storage(self.inner.config.pending_storage).ok()?;
        let key = logout_key(&state);
        let text = storage.get_item(&key)?;
        storage.remove_item(&key);
        let now = env::now_ms();
        purge_expired(&storage, now);
        // Matched, not `filter` + `?`: the record is written once.
        let record = match PendingLogout::from_storage(&text) {
            Some(r) if !r.expired(now) => r,
            _ => return None,
        };
        if let Err(e) = env::replace_url(&env::without_params(href, "state")) {
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
fn purge_expired(storage: &env::Store, now_ms: Millis) {
    pending::purge(storage, LOGOUT_KEY_PREFIX, |text| {
        PendingLogout::from_storage(text).is_some_and(|p| !p.expired(now_ms))
    });
}
