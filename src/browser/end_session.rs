//! `logout({ endSession: true })`: revocation and memory first (as `logout()`), then a top-level
//! navigation to the provider's end-session endpoint; and, on the page the provider sends the
//! browser back to, the pending-logout record that recognises it (`handleRedirect()`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
pub(crate) use crate::browser::driver::SignedOut;
use crate::browser::driver::{self, Call, EndSession, Inner, Wait};
use crate::browser::events::AuthEvent;
use crate::browser::redirect::Redirect;
use crate::browser::{env, pending, restore};
use crate::core::end_session::{
    LogoutOptions, PendingLogout, end_session_request, logout_key, logout_return_state,
};
use crate::core::error::AuthError;

impl AuthClient {
    /// `logout(options)` (the Rust API's `logout` and `logout_with` await it): signs out (the
    /// tokens are forgotten at once, then revoked: RFC 7009, at Salesforce the refresh token
    /// alone, which revokes its access tokens; memory is cleared even when revocation fails,
    /// `revocation_failed`). With `endSession: true` it then navigates the page to the
    /// provider's end-session endpoint (the page unloads: on success the promise does not
    /// settle); the options are checked before anything is revoked, so a bad one
    /// (`invalid_config`) leaves the session as it was, and a revocation failure is then an
    /// `error` event that does not stop the navigation.
    pub(crate) fn logout_promise(&self, options: LogoutOptions) -> crate::browser::sys::Promise {
        let (call, p) = self.inner.call();
        if options.end_session == Some(true) {
            self.end_session(options, call, &p);
        } else {
            self.sign_out(false, SignedOut::Settle(call), &p);
        }
        p
    }

    fn end_session(&self, options: LogoutOptions, call: Call, done: &JsValue) {
        let inner = &self.inner;
        let config = &inner.config;
        let page = env::location_origin();
        let mut state = [0u8; 32];
        // The first failure is the one error the call is rejected with.
        let e = 'failed: {
            if let Err(e) = env::fill_random(&mut state) {
                break 'failed e;
            }
            let checked = end_session_request(
                config,
                &options,
                None,
                &state,
                env::now_ms(),
                page.as_deref(),
            );
            if let Err(e) = checked {
                break 'failed e;
            }
            let storage = match env::storage(config.pending_storage) {
                Ok(storage) => storage,
                Err(e) => break 'failed e,
            };
            let then = EndSession {
                options,
                state,
                storage,
                page,
                call,
            };
            return self.sign_out(true, SignedOut::EndSession(then), done);
        };
        inner.finish(call, Err(e));
    }

    /// Signs out: forgets the tokens at once, then revokes them; `then` runs once done, with
    /// (`hint`) the session's latest id_token, for the end-session request's `id_token_hint`
    /// (with the session worker, the worker sends it). `done`: the caller's promise (in
    /// `"tabs-locks"`, a logout that revokes holds the tabs' logout lock until it settles).
    pub(crate) fn sign_out(&self, hint: bool, then: SignedOut, done: &JsValue) {
        let inner = &self.inner;
        restore::note_signed_out(&inner.config.client_id);
        if let Some(remote) = inner.remote() {
            // Asked of the worker even when this tab's view is signed out: a logout may still
            // wait there for its revocations (then this one settles with it, and an `endSession`
            // one navigates after them), and the view may be older than the worker's session.
            #[cfg(feature = "sharing")]
            {
                let mut w = crate::core::wire::Writer::new();
                w.opt("hint", hint.then_some("1"));
                remote.call(
                    "logout",
                    w,
                    &JsValue::UNDEFINED,
                    driver::Relayed {
                        inner: inner.clone(),
                        then: driver::Then::SignedOut(then),
                    },
                );
            }
            #[cfg(not(feature = "sharing"))]
            let _ = (remote, then);
            return;
        }
        let id_token = match hint {
            true => inner
                .session
                .borrow()
                .tokens()
                .and_then(|t| Some(t.id_token.as_ref()?.secret().to_owned())),
            false => None,
        };
        // (The time read before the session is borrowed: `Date.now` is the page's.)
        let now = env::now_ms();
        let op = inner.session.borrow_mut().logout(now);
        // `"tabs-locks"`: each tab's session machine knows only its own logout. One that revokes
        // holds the tabs' logout lock until its caller's promise settles or twice `timeoutMs`
        // passes (taken before its message to the tabs is posted); one with
        // nothing to wait for here (this tab was signed out by another's logout, say) waits
        // until no tab holds it, at most `timeoutMs`, so that it settles (an `endSession` one
        // navigates) after the revocations of the logouts before it. One that joins this tab's
        // waiting logout settles with it (and holds the lock as long).
        #[cfg(feature = "sharing")]
        if let Some(t) = inner.tabs() {
            if !inner.session.borrow().logout_waits() {
                // (`op` is settled, fulfilled: nobody waits for it.)
                let wait = t.after_logouts(f64::from(inner.config.timeout_ms));
                driver::after_js(
                    inner,
                    &wait,
                    Box::new(move |inner, _| signed_out(inner, then, Ok(id_token))),
                );
                return driver::pump(inner);
            }
            // (Shared: one that joined this tab's waiting logout holds it too, as long; at most
            // twice `timeoutMs`, the revocations' own bound with room to settle.)
            t.hold_logout(done, 2.0 * f64::from(inner.config.timeout_ms));
        }
        #[cfg(not(feature = "sharing"))]
        let _ = done;
        driver::after(inner, op, Wait::SignedOut { then, id_token });
        driver::pump(inner);
    }

    /// On any page: the way back from the end-session endpoint, recognised by a `state` whose
    /// pending-logout record is here (taken, so it works once). Cleans `state` from the address
    /// bar and emits `logout` with `endSession: true`.
    pub(crate) fn logout_return(&self, href: &str) -> Option<Redirect> {
        let state = logout_return_state(env::query(href))?;
        // Not checked first: a storage the browser denies finds no record.
        let storage = env::Store::of(self.inner.config.pending_storage);
        let key = logout_key(&state);
        let text = storage.take_item(&key)?;
        let now = env::now_ms();
        let _ = pending::purge_expired(&storage, now);
        // Matched, not `filter` + `?`: the record is written once.
        let record = match PendingLogout::from_storage(&text) {
            Some(r) if !r.expired(now) => r,
            _ => return None,
        };
        if let Err(e) = env::clean_url(href, "state") {
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

/// Signed out (`r`: with `hint`, the session's latest id_token): what `then` says runs.
pub(crate) fn signed_out(inner: &Rc<Inner>, then: SignedOut, r: Result<Option<String>, AuthError>) {
    let e = match then {
        SignedOut::Settle(call) => return inner.finish(call, r.map(|_| JsValue::UNDEFINED)),
        #[cfg(feature = "sharing")]
        SignedOut::Relay(reply) => return reply.signed_out(inner, r),
        SignedOut::EndSession(e) => e,
    };
    let hint = r.unwrap_or_else(|e| {
        // No promise reports it (the page navigates away): an `error` event.
        inner.report(&e);
        None
    });
    let now = env::now_ms();
    let request = end_session_request(
        &inner.config,
        &e.options,
        hint.as_deref(),
        &e.state,
        now,
        e.page.as_deref(),
    );
    let gone = match request {
        Ok(req) => 'gone: {
            if let Some(p) = &req.pending {
                let _ = pending::purge_expired(&e.storage, now);
                if !e.storage.set_item(&p.storage_key(), &p.to_storage()) {
                    break 'gone Err(AuthError::config(
                        "pendingStorage",
                        brief!(
                            "could not store the pending logout",
                            "the browser refused to store the pending logout (storage full or blocked)"
                        ),
                    ));
                }
            }
            env::navigate(&req.url)
        }
        Err(e) => Err(e),
    };
    if let Err(err) = gone {
        inner.finish(e.call, Err(err));
    }
}
