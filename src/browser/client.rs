//! The `AuthClient` runtime: login, callback, authorized fetch, userinfo, logout, events,
//! silent restore, and session sharing between tabs (`tabs.rs`, `remote.rs`). The session's
//! decisions are the session machine's (`core::session`, run by `driver.rs`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::driver::{self, Inner, relative_base};
#[cfg(not(feature = "npm"))]
use crate::browser::events::{AuthEvent, EVENT_NAMES};
use crate::browser::events::{Session, Stats};
use crate::browser::json::BrowserJson;
use crate::browser::{env, exec, net, router, sharing};
use crate::core::authorize::LoginOptions;
use crate::core::config::{ClientConfig, ClientOptions, DEFAULT_TIMEOUT_MS, Sharing};
use crate::core::discovery::{discovery_request, process_discovery};
use crate::core::error::AuthError;
use crate::core::profile::{GENERIC, Profile, SALESFORCE};
use crate::core::session::Role;
use crate::core::token::TokenSet;
use crate::core::url::Origin;

/// Callback parameters any provider may send, one a line: cleaned first, with the profile's extras.
pub(crate) const CALLBACK_PARAMS: &str = "code\nstate\nerror\nerror_description\niss";

/// A browser OAuth client. Cheap to clone (shared state).
#[derive(Clone)]
pub struct AuthClient {
    pub(crate) inner: Rc<Inner>,
}

/// Returned by [`AuthClient::on`]; call [`Subscription::unsubscribe`] to stop listening.
#[cfg(not(feature = "npm"))]
pub struct Subscription {
    inner: Weak<Inner>,
    id: u32,
}

#[cfg(not(feature = "npm"))]
impl Subscription {
    /// Removes the listener.
    pub fn unsubscribe(&self) {
        if let Some(i) = self.inner.upgrade() {
            i.listeners.borrow_mut().remove(self.id);
        }
    }
}

impl AuthClient {
    /// A client for Salesforce (My Domain, Experience Cloud, or the emulator on loopback).
    pub fn salesforce(options: &ClientOptions) -> Result<Self, AuthError> {
        Self::of(options.clone(), true)
    }

    /// A client for any OAuth 2.0 / OpenID Connect provider, endpoints given.
    pub fn generic(options: &ClientOptions) -> Result<Self, AuthError> {
        Self::of(options.clone(), false)
    }

    /// [`salesforce`](Self::salesforce) (`salesforce`) or [`generic`](Self::generic) of options
    /// the caller gives up (the JS API's: no copy).
    pub(crate) fn of(options: ClientOptions, salesforce: bool) -> Result<Self, AuthError> {
        let profile: &'static dyn Profile = if salesforce { &SALESFORCE } else { &GENERIC };
        let config = match ClientConfig::new(profile, &options) {
            Ok(config) => config,
            Err(e) => return Err(e),
        };
        // Only the tabs entry keeps the options (in the session worker's form); the others
        // drop them here, not carry them into the client to drop there.
        #[cfg(feature = "sharing")]
        return Self::from_config(config, crate::core::group::encode_options(options, profile));
        #[cfg(not(feature = "sharing"))]
        {
            drop(options);
            Self::from_config(config, ())
        }
    }

    /// Discovery's request for the provider whose discovery document is at
    /// `{issuer}/.well-known/openid-configuration`: the promise of its answer, which
    /// [`discovered`](Self::discovered) makes the client of (the Rust API's `discover` awaits
    /// both; the JS API chains them).
    pub(crate) fn discovery(
        issuer: &str,
        options: &ClientOptions,
    ) -> Result<crate::browser::sys::Promise, AuthError> {
        let request = match discovery_request(issuer) {
            Ok(r) => r,
            Err(e) => return Err(e),
        };
        let timeout = options.timeout_ms.map_or(DEFAULT_TIMEOUT_MS, |t| t as u32);
        Ok(exec::request_promise(&request, timeout, 0))
    }

    /// The client of the provider at `issuer`, from what [`discovery`](Self::discovery)'s
    /// promise resolved to.
    pub(crate) fn discovered(
        issuer: &str,
        options: ClientOptions,
        got: &JsValue,
    ) -> Result<AuthClient, AuthError> {
        let url = match discovery_request(issuer) {
            Ok(r) => r.url,
            Err(e) => return Err(e),
        };
        match exec::answer_of(got) {
            exec::Answer::None(detail, timed_out) => Err(net::network(
                net::Purpose::Discovery,
                &url,
                &detail,
                timed_out,
                None,
            )),
            exec::Answer::Got(status, body, _) => {
                match process_discovery(issuer, status, &body, &BrowserJson, options) {
                    Ok(o) => AuthClient::of(o, false),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// The client of a validated configuration; `options`: the options it was made of in the
    /// session worker's form (`group::encode_options`), nothing without session sharing.
    pub(crate) fn from_config(
        config: ClientConfig,
        options: driver::WireOptions,
    ) -> Result<Self, AuthError> {
        #[cfg(not(feature = "sharing"))]
        if config.sharing != Sharing::Off {
            return Err(AuthError::config(
                "sessionSharing",
                explained!(
                    "session sharing is in the salesforce-pkce/tabs entry",
                    ": import init and AuthClient from \"salesforce-pkce/tabs\" (the default entry leaves it out, so pages that do not share load less)"
                ),
            ));
        }
        #[cfg(not(feature = "dpop"))]
        if config.dpop != crate::core::dpop::DpopMode::Off || config.verify_id_token_signature {
            return Err(AuthError::config(
                if config.verify_id_token_signature {
                    "verifyIdTokenSignature"
                } else {
                    "dpop"
                },
                explained!(
                    "DPoP and id_token signature checks are in the salesforce-pkce/dpop entry",
                    " (and salesforce-pkce/tabs): import init and AuthClient from \"salesforce-pkce/dpop\" (the default entry leaves them out, so pages that do not use them load less)"
                ),
            ));
        }
        let sharing = config.sharing;
        let role = if sharing == Sharing::Off {
            Role::Alone
        } else {
            Role::Follower
        };
        let session = crate::core::session::Session::new(config, role);
        let config = session.shared_config();
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let exec = router::dispatch(weak.clone(), AuthClient::popup_back);
            Inner::new(config, options, session, exec, AuthClient::resume)
        });
        let client = AuthClient { inner };
        sharing::start(&client.inner, sharing);
        driver::make_dpop_key(&client.inner);
        Ok(client)
    }

    /// How the session is shared right now: `"off"`, `"tabs"` (session worker) or
    /// `"tabs-locks"` (leader tab), after the fallbacks where the browser lacks a feature.
    pub fn sharing_mode(&self) -> &'static str {
        sharing::mode(&self.inner)
    }

    /// The validated configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Builds the authorize URL and stores the pending login, without navigating.
    pub fn authorization_url(&self, options: &LoginOptions) -> Result<String, AuthError> {
        let r = match self.authorization_url_inner(options) {
            Ok((texts, _)) => Ok(texts.url().to_owned()),
            Err(e) => Err(e),
        };
        self.inner.reported(r)
    }

    /// Stores the pending login and navigates to the authorization endpoint.
    pub fn login(&self, options: &LoginOptions) -> Result<(), AuthError> {
        let r = self.navigate_to_login(options);
        self.inner.reported(r)
    }

    /// Whether a session is held.
    pub fn is_authenticated(&self) -> bool {
        match self.inner.remote() {
            Some(r) => r.view().is_some(),
            None => self.inner.session.borrow().tokens().is_some(),
        }
    }

    /// The session (never its tokens).
    pub fn session(&self) -> Option<Session> {
        match self.inner.remote() {
            Some(r) => r.view(),
            None => self.inner.session.borrow().tokens().map(Session::of),
        }
    }

    /// Health counters for the client's whole life. With the session worker, the counters
    /// are the worker's (shared by the tabs) and `errorsByCode` this tab's.
    pub fn stats(&self) -> Stats {
        self.with_stats(Stats::clone)
    }

    /// `f` of [`stats`](Self::stats), on a copy: `f` (the JS object's JSON.parse, which a page
    /// may wrap to call the client) runs after the session's borrow.
    pub(crate) fn with_stats<R>(&self, f: impl FnOnce(&Stats) -> R) -> R {
        let mut stats = self.inner.session.borrow().stats().clone();
        if let Some(r) = self.inner.remote() {
            stats.set_counts(r.counters());
        }
        f(&stats)
    }

    /// Listens to an event (`login`, `token_refreshed`, `session_expired`, `logout`, `error`,
    /// `scope_reduced`, `restore_failed`).
    #[cfg(not(feature = "npm"))]
    pub fn on(
        &self,
        event: &str,
        listener: impl Fn(&AuthEvent) + 'static,
    ) -> Result<Subscription, AuthError> {
        let Some(name) = EVENT_NAMES.iter().find(|n| **n == event) else {
            return Err(AuthError::config(
                "event",
                ["unknown event; use one of ", &EVENT_NAMES.join_with(", ")].cat(),
            ));
        };
        let id = self
            .inner
            .listeners
            .borrow_mut()
            .add(name, Rc::new(listener));
        Ok(Subscription {
            inner: Rc::downgrade(&self.inner),
            id,
        })
    }

    /// The absolute URL [`fetch`](Self::fetch) sends a URL string to, as the browser parses it: a
    /// relative one resolved against `instance_url` (Salesforce) or `apiBase`, an absolute one
    /// as it is (in the browser's normal form: `https://host` is `https://host/`). For HTTP
    /// clients that resolve relative URLs against the page (gloo-net's `RequestBuilder`).
    /// Signed out, or with the session in the session worker (`"tabs"`): `not_authenticated`.
    pub fn api_url(&self, input: &str) -> Result<String, AuthError> {
        let r = match self
            .inner
            .with_tokens(|tokens, _| self.resolve(input, tokens))
        {
            Ok(Ok(url)) => Ok(url),
            Ok(Err(e)) | Err(e) => Err(e),
        };
        self.inner.reported(r)
    }

    /// `auth.fetch` (the Rust API's [`fetch`](Self::fetch) awaits it): the promise of the
    /// caller's Response. `input` is a URL string (relative ones resolve against `instance_url`
    /// or `apiBase`), a `URL` or a `Request`; `init` a `RequestInit` or undefined. The request
    /// is on the wire when this returns.
    pub(crate) fn fetch_promise(
        &self,
        input: &JsValue,
        init: &JsValue,
    ) -> crate::browser::sys::Promise {
        let inner = &self.inner;
        if let Some(remote) = inner.remote() {
            #[cfg(feature = "sharing")]
            return sharing::relayed(inner, remote, Some((input, init)));
            #[cfg(not(feature = "sharing"))]
            match *remote {}
        }
        // Hottest: a root-relative URL string, joined to the base by the executor (undefined
        // back means it is not one). No string crosses. (The JS API tries this path before it
        // calls into the wasm: `gate` in js/executor.js.)
        #[cfg(not(feature = "npm"))]
        if let Some(hot) = inner.hot()
            && let Some(base) = &hot.base
        {
            let sent = inner
                .exec
                .authorized(input, init, base, &hot.bearer, hot.generation);
            if !sent.is_undefined() {
                return sent.unchecked_into();
            }
        }
        // Where it goes, checked: the URL (resolved) or the `Request`, with the Authorization
        // value (null for a DPoP-bound set: each send's headers, with a proof, come from the
        // wasm, `dpop_fetch.rs`) and the generation of the set it comes from, read borrowed.
        // Each failure is the one error rejected with (not re-wrapped into a `Result`).
        let e = 'failed: {
            let base = match inner.session.borrow().tokens() {
                Some(tokens) => relative_base(&inner.config, tokens),
                None => break 'failed AuthError::NotAuthenticated,
            };
            // The URL string or `URL` (resolved against the base, as fetch would) or the
            // `Request`'s URL, parsed by the browser in the same crossing — outside the
            // session's borrow: a `Request`'s url getter or a URL's toString is the page's and
            // may call the client (its tokens are read again below).
            let Some(parsed) = env::input(input, base.as_deref()) else {
                break 'failed AuthError::config(
                    "input",
                    brief!(
                        "needs a URL string, URL or Request",
                        "fetch() takes a URL string, a URL or a Request"
                    ),
                );
            };
            let Some((href, origin)) = parsed.get(1..).and_then(|p| p.cut(b'\n')) else {
                break 'failed unresolvable();
            };
            let (target, bearer, generation) = {
                let session = inner.session.borrow();
                let Some(tokens) = session.tokens() else {
                    break 'failed AuthError::NotAuthenticated;
                };
                if let Err(e) = self.check_origin(Origin::of(origin), tokens) {
                    break 'failed e;
                }
                let target = if parsed.starts_with("r") {
                    input.clone()
                } else {
                    JsValue::from_str(href)
                };
                let generation = session.generation();
                let bearer = crate::browser::fetch::bearer_js(inner, tokens, generation);
                (target, bearer, generation)
            };
            // (The session's borrow ends first: the executor may call back at once.)
            return inner
                .exec
                .authorized(&target, init, &JsValue::UNDEFINED, &bearer, generation)
                .unchecked_into();
        };
        crate::browser::settled(&inner.failed(e))
    }

    fn check_origin(&self, origin: Option<Origin>, tokens: &TokenSet) -> Result<(), AuthError> {
        match origin {
            Some(o) if tokens.may_receive_bearer(&self.inner.config, &o) => Ok(()),
            Some(o) => Err(AuthError::OriginNotAllowed {
                origin: o.serialize(),
            }),
            None => Err(AuthError::OriginNotAllowed {
                origin: "a URL that is not http(s)".into(),
            }),
        }
    }

    /// Resolves a URL string against `instance_url` (or `apiBase`) as the browser parses it
    /// (`api_url`; `fetch` parses in the same crossing that reads its input's kind).
    fn resolve(&self, input: &str, tokens: &TokenSet) -> Result<String, AuthError> {
        let base = relative_base(&self.inner.config, tokens);
        match env::url(input, base.as_deref()) {
            Some((href, _)) => Ok(href),
            None => Err(unresolvable()),
        }
    }
}

/// A URL the browser cannot parse (against the base, when there is one).
fn unresolvable() -> AuthError {
    AuthError::config(
        "input",
        brief!(
            "unresolvable URL (a relative one needs apiBase or instance_url)",
            "the URL could not be resolved (a relative URL needs instance_url, at Salesforce, or the apiBase option to resolve against)"
        ),
    )
}
