//! The callback page and silent restore: `handleRedirect()` cleans the address bar first,
//! takes the pending record, validates the callback and hands the code to the session machine
//! (here, or in the session worker); `restore()` signs in again with no page for the user.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::client::{AuthClient, CALLBACK_PARAMS};
pub(crate) use crate::browser::driver::CallbackThen;
use crate::browser::driver::{self, Call, Inner, Wait};
use crate::browser::events::AuthEvent;
use crate::browser::{env, pending, restore};
use crate::core::authorize::restore_options;
use crate::core::callback::{
    CallbackParams, PendingLookup, ValidatedCallback, is_callback_url, parse_callback,
    validate_callback,
};
use crate::core::error::{AuthError, ErrorCode};
use crate::core::json::JsonObject;

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

impl Redirect {
    /// The `RedirectResult` the JS API resolves with.
    pub(crate) fn to_js(&self) -> JsValue {
        let o = JsonObject::new().str("returnTo", self.return_to());
        let o = match self {
            Redirect::Login { .. } => o,
            Redirect::Popup { .. } => o.bool("popup", true),
            Redirect::LoggedOut { state: None, .. } => o.bool("loggedOut", true),
            Redirect::LoggedOut { state: Some(s), .. } => o.bool("loggedOut", true).str("state", s),
        };
        crate::browser::json_value(&o.end())
    }
}

impl AuthClient {
    /// `handleRedirect()` (the Rust API's `handle_redirect` awaits it): the promise of the
    /// `RedirectResult`, or null when the page is no callback. Cleans the address bar first
    /// (if the browser refuses, an `error` event says so and the login goes on). On error an
    /// existing session is left untouched. Also recognises a login popup's callback page and
    /// the way back from the provider's end-session endpoint.
    pub(crate) fn handle_redirect_promise(&self) -> crate::browser::sys::Promise {
        let (call, p) = self.inner.call();
        self.handle_redirect_then(call);
        p
    }

    fn handle_redirect_then(&self, call: Call) {
        // No wait before the address bar is clean (a session worker that never answered must
        // not leave `code` and `state` in it): the shared session is joined after.
        let inner = &self.inner;
        let config = &inner.config;
        let href = env::location_href();
        if let Some(back) = href.as_deref().and_then(|h| self.logout_return(h)) {
            return inner.finish(call, Ok(back.to_js()));
        }
        let Some(href) = href.filter(|href| is_callback_url(config, href)) else {
            return self.maybe_restore(call);
        };
        let query = env::query(&href);
        let parsed = parse_callback(query);
        if matches!(parsed, Ok(None)) {
            return self.maybe_restore(call);
        }
        let mut names = String::from(CALLBACK_PARAMS);
        for extra in config.profile().callback_extras() {
            names.push('\n');
            names.push_str(extra);
        }
        if let Err(e) = env::clean_url(&href, &names) {
            // The browser refused to clean the address bar: the login still completes (the
            // pending record is taken below and the code is single-use anyway); the failure is
            // an `error` event, never a rejection of handleRedirect.
            inner.report(&e);
        }
        let params = match parsed {
            Ok(Some(params)) => params,
            Ok(None) => return inner.finish(call, Ok(JsValue::NULL)),
            Err(e) => return inner.finish(call, Err(e)),
        };
        if self.popup_hand_off(&params, query, call) {
            return;
        }
        self.complete_when_joined(params, CallbackThen::Redirect(call));
    }

    /// [`complete_callback`](Self::complete_callback) once this tab knows the shared session
    /// (at once when not shared).
    pub(crate) fn complete_when_joined(&self, params: CallbackParams, then: CallbackThen) {
        #[cfg(feature = "sharing")]
        crate::browser::sharing::joined_then(&self.inner, Wait::Callback { params, then });
        #[cfg(not(feature = "sharing"))]
        self.complete_callback(params, then);
    }

    /// Takes the pending record of a callback, validates the callback against it and exchanges
    /// the code (a redirect's callback, or one a login popup handed over); `then` gets
    /// `Ok(return_to)`.
    pub(crate) fn complete_callback(&self, params: CallbackParams, then: CallbackThen) {
        let inner = &self.inner;
        let config = &inner.config;
        let now = env::now_ms();
        let lookup = match pending::take(config.pending_storage, params.state.as_deref(), now) {
            Ok(l) => l,
            Err(e) => return callback_done(inner, Err(e), String::new(), false, then),
        };
        // The record's `returnTo` (the validated callback's own), and whether it is a silent
        // restore's, read before validation consumes the record.
        let (return_to, silent) = match &lookup {
            PendingLookup::Found(p) => (p.return_to.clone(), p.silent),
            _ => (String::new(), false),
        };
        let validated = match validate_callback(config, params, lookup, now) {
            Ok(v) => v,
            Err(e) => return callback_done(inner, Err(e), return_to, silent, then),
        };
        let wait = Wait::Exchanged {
            then,
            return_to,
            silent,
        };
        self.exchange(validated, wait);
    }

    /// Exchanges a validated callback's code: here, or in the session worker.
    pub(crate) fn exchange(&self, validated: ValidatedCallback, then: Wait) {
        let inner = &self.inner;
        #[cfg(feature = "sharing")]
        if let Some(r) = inner.remote() {
            // The callback's fields are the message's own.
            let mut w = crate::core::wire::Writer::new();
            crate::core::group::write_callback(&validated, &mut w);
            r.call(
                "complete",
                w,
                &JsValue::UNDEFINED,
                driver::Relayed {
                    inner: inner.clone(),
                    then: driver::Then::Done(then),
                },
            );
            return;
        }
        // With DPoP on, the key that binds the tokens: made now if the page has none yet (the
        // DPoP build's one way to the exchange: without `dpop`, it starts at once).
        #[cfg(feature = "dpop")]
        driver::dpop_send::ensure_key(
            inner,
            driver::dpop_send::Keyed::Exchange(Box::new((validated, then))),
        );
        #[cfg(not(feature = "dpop"))]
        driver::start_login(inner, &validated, then);
    }

    /// `restore: "auto"`: with no session anywhere (after asking the other tabs), redirects
    /// silently — unless the user logged out, or a silent attempt failed a moment ago. The
    /// page navigates away, so `call` is not settled then. (The same two forms as
    /// [`complete_when_joined`](Self::complete_when_joined): a join's wait is data only in
    /// the sharing build.)
    fn maybe_restore(&self, call: Call) {
        #[cfg(feature = "sharing")]
        crate::browser::sharing::joined_then(&self.inner, Wait::Restore(call));
        #[cfg(not(feature = "sharing"))]
        self.restore_if_wanted(call);
    }

    /// [`maybe_restore`](Self::maybe_restore) once this tab knows the shared session.
    pub(crate) fn restore_if_wanted(&self, call: Call) {
        let config = &self.inner.config;
        if config.restore_auto
            && !self.is_authenticated()
            && restore::may_auto_restore(&config.client_id, env::now_ms())
        {
            if let Err(e) = self.restore_inner() {
                self.inner.finish(call, Err(e));
            }
            return;
        }
        self.inner.finish(call, Ok(JsValue::NULL));
    }

    /// Signs in again without a page for the user: a top-level redirect with `immediate=true`
    /// (Salesforce) or `prompt=none` (OpenID), back to the current URL. If the provider's
    /// session is gone, `handleRedirect()` on the callback signs out quietly and emits
    /// `restore_failed`. No hidden iframe is used.
    pub fn restore(&self) -> Result<(), AuthError> {
        let r = self.restore_inner();
        self.inner.reported(r)
    }

    /// [`restore`](Self::restore), its failure not counted (the JS API counts it).
    pub(crate) fn restore_inner(&self) -> Result<(), AuthError> {
        let config = &self.inner.config;
        // The page's path, query and fragment: its href (as the browser gives it) past its
        // origin.
        // (One chain of tests on borrowed texts, owned once at the end: no `Option<String>`
        // moved through combinators.)
        let href = env::location_href().unwrap_or_default();
        let mut here = "/";
        if !href.is_empty()
            && !is_callback_url(config, &href)
            && let Some(origin) = env::location_origin()
            && let Some(path) = href.strip_prefix(origin.as_str())
            && path.starts_with("/")
        {
            here = path;
        }
        self.navigate_to_login(&restore_options(config, here.to_owned()))
    }
}

/// A callback's outcome (`return_to`: its pending record's; `silent`: a silent restore's): the
/// signed-in marker, or for a silent restore that did not work, simply signed out
/// (`restore_failed` says why).
pub(crate) fn callback_done(
    inner: &Rc<Inner>,
    result: Result<(), AuthError>,
    return_to: String,
    silent: bool,
    then: CallbackThen,
) {
    // (The call and the answer's form read first: a failure settles it where it is found,
    // not re-wrapped into another `Result`, each a copy.)
    let (call, form) = match then {
        CallbackThen::Redirect(call) => (call, None),
        CallbackThen::Popup(call, value_is_return_to) => (call, Some(value_is_return_to)),
    };
    match (result, silent) {
        (Ok(()), _) => restore::note_signed_in(&inner.config.client_id),
        (Err(e), true) => {
            // "No provider session" (`login_required`) is the expected outcome: counted only.
            // Anything else (network, token endpoint, a mix-up, a refusal) no promise reports:
            // counted and an `error` event too, for monitoring.
            restore::note_failed();
            if e.kind() == ErrorCode::LoginRequired {
                inner.session.borrow_mut().count(&e);
            } else {
                inner.report(&e);
            }
            inner.emit(&AuthEvent::RestoreFailed(e));
        }
        (Err(e), false) => return inner.finish(call, Err(e)),
    }
    let value = match form {
        None => Redirect::Login { return_to }.to_js(),
        Some(true) => JsValue::from(return_to),
        Some(false) => JsValue::UNDEFINED,
    };
    inner.finish(call, Ok(value));
}
