//! The `AuthClient` runtime: login, callback, authorized fetch, userinfo, logout, events,
//! silent restore, and session sharing between tabs (`tabs.rs`, `remote.rs`). The session's
//! decisions are the session machine's (`core::session`, run by `driver.rs`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::driver::{self, Hot, Inner, relative_base};
use crate::browser::events::{AuthEvent, EVENT_NAMES, Session, Stats};
use crate::browser::fetch::{self, Outgoing, StartedFetch};
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Purpose};
use crate::browser::{env, pending, remote, restore, sharing};
use crate::core::authorize::{LoginOptions, authorization_request};
use crate::core::config::{ClientConfig, ClientOptions, Sharing};
use crate::core::discovery::{discovery_request, process_discovery};
use crate::core::error::AuthError;
use crate::core::session::Role;
use crate::core::state::{LoginRandomness, State};
use crate::core::token::TokenSet;
use crate::core::url::Origin;

/// The callback parameters every provider may send, removed from the address bar before
/// anything else can read them (with the profile's extras).
pub(crate) const CALLBACK_PARAMS: [&str; 5] =
    ["code", "state", "error", "error_description", "iss"];

/// A browser OAuth client. Cheap to clone (shared state).
#[derive(Clone)]
pub struct AuthClient {
    pub(crate) inner: Rc<Inner>,
}

/// Returned by [`AuthClient::on`]; call [`Subscription::unsubscribe`] to stop listening.
pub struct Subscription {
    inner: Weak<Inner>,
    id: u32,
}

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
        Self::from_config(ClientConfig::salesforce(options)?, options)
    }

    /// A client for any OAuth 2.0 / OpenID Connect provider, endpoints given.
    pub fn generic(options: &ClientOptions) -> Result<Self, AuthError> {
        Self::from_config(ClientConfig::generic(options)?, options)
    }

    /// Reads the endpoints from `{issuer}/.well-known/openid-configuration`.
    pub async fn discover(issuer: &str, options: ClientOptions) -> Result<Self, AuthError> {
        let req = discovery_request(issuer)?;
        let timeout = options
            .timeout_ms
            .map_or(crate::core::config::DEFAULT_TIMEOUT_MS, |t| t as u32);
        let (status, body, _) = net::send(&req, timeout, Purpose::Discovery, None).await?;
        let options = process_discovery(issuer, status, &body, &BrowserJson, options)?;
        Self::generic(&options)
    }

    pub(crate) fn from_config(
        config: ClientConfig,
        options: &ClientOptions,
    ) -> Result<Self, AuthError> {
        #[cfg(not(feature = "sharing"))]
        if config.sharing != Sharing::Off {
            return Err(AuthError::config(
                "sessionSharing",
                "session sharing is in the salesforce-pkce/tabs entry: import init and AuthClient from \"salesforce-pkce/tabs\" (the default entry leaves it out, so pages that do not share load less)",
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
                "DPoP and id_token signature checks are in the salesforce-pkce/dpop entry (and salesforce-pkce/tabs): import init and AuthClient from \"salesforce-pkce/dpop\" (the default entry leaves them out, so pages that do not use them load less)",
            ));
        }
        let sharing = config.sharing;
        let role = if sharing == Sharing::Off {
            Role::Alone
        } else {
            Role::Follower
        };
        let session = crate::core::session::Session::new(config.clone(), role);
        let client = AuthClient {
            inner: Rc::new(Inner::new(config, options, session)),
        };
        sharing::start(&client.inner, sharing);
        driver::make_dpop_key(&client.inner);
        Ok(client)
    }

    /// How the session is shared right now: `"off"`, `"tabs"` (session worker) or
    /// `"tabs-locks"` (leader tab), after the fallbacks where the browser lacks a feature.
    pub fn sharing_mode(&self) -> &'static str {
        sharing::mode(&self.inner)
    }

    /// Waits until this tab knows the shared session (no wait when not shared).
    pub(crate) async fn join(&self) {
        sharing::join(&self.inner).await;
    }

    /// The validated configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Builds the authorize URL and stores the pending login, without navigating.
    pub fn authorization_url(&self, options: &LoginOptions) -> Result<String, AuthError> {
        let r = self.authorization_url_inner(options).map(|(url, _)| url);
        self.inner.reported(r)
    }

    pub(crate) fn authorization_url_inner(
        &self,
        options: &LoginOptions,
    ) -> Result<(String, State), AuthError> {
        let randomness = LoginRandomness::from_bytes(&env::random_bytes::<96>()?);
        let now = env::now_ms();
        // The page's origin matters only for an absolute returnTo (a path stays on it anyway).
        let absolute = options
            .return_to
            .as_deref()
            .is_some_and(|r| !r.starts_with('/'));
        let origin = if absolute {
            env::location_origin()
        } else {
            None
        };
        let req = authorization_request(
            &self.inner.config,
            options,
            &randomness,
            now,
            origin.as_deref(),
        )?;
        let purge = now - self.inner.last_purge_ms.get() >= pending::PURGE_INTERVAL_MS;
        pending::store(self.inner.config.pending_storage, &req.pending, now, purge)?;
        if purge {
            self.inner.last_purge_ms.set(now);
        }
        Ok((req.url, req.pending.state))
    }

    /// Stores the pending login and navigates to the authorization endpoint.
    pub fn login(&self, options: &LoginOptions) -> Result<(), AuthError> {
        let url = self.authorization_url(options)?;
        let r = env::navigate(&url);
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
        let mut stats = self.inner.session.borrow().stats().clone();
        if let Some(r) = self.inner.remote() {
            let worker = r.counters().stats;
            for (name, _) in crate::core::event::COUNTERS {
                if let (Some(mine), Some(theirs)) = (stats.counter_mut(name), worker.counter(name))
                {
                    *mine = theirs;
                }
            }
        }
        stats
    }

    /// Listens to an event (`login`, `token_refreshed`, `session_expired`, `logout`, `error`,
    /// `scope_reduced`, `restore_failed`).
    pub fn on(
        &self,
        event: &str,
        listener: impl Fn(&AuthEvent) + 'static,
    ) -> Result<Subscription, AuthError> {
        let name = EVENT_NAMES.iter().find(|n| **n == event).ok_or_else(|| {
            AuthError::config(
                "event",
                ["unknown event; use one of ", &EVENT_NAMES.join(", ")].concat(),
            )
        })?;
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

    /// `fetch` with the Bearer token: `input` is a URL string (relative ones resolve against
    /// `instance_url` or `apiBase`), a `URL` or a `Request`; `init` a `RequestInit`. The token
    /// goes only to allowed origins; a 401 causes one shared refresh and one retry.
    pub async fn fetch(
        &self,
        input: &JsValue,
        init: Option<&web_sys::RequestInit>,
    ) -> Result<web_sys::Response, AuthError> {
        let r = match self.fetch_start_inner(input, init) {
            Ok(started) => self.finish(started).await,
            Err(e) => Err(e),
        };
        self.inner.reported(r)
    }

    /// The absolute URL [`fetch`](Self::fetch) sends a URL string to: a relative one resolved
    /// against `instance_url` (Salesforce) or `apiBase`, an absolute one as it is. For HTTP
    /// clients that resolve relative URLs against the page (gloo-net's `RequestBuilder`).
    /// Signed out, or with the session in the session worker (`"tabs"`): `not_authenticated`.
    pub fn api_url(&self, input: &str) -> Result<String, AuthError> {
        let r = self
            .inner
            .current()
            .and_then(|(tokens, _)| self.resolve(input, &tokens))
            .map(|(url, _)| url);
        self.inner.reported(r)
    }

    async fn finish(&self, started: StartedFetch) -> Result<web_sys::Response, AuthError> {
        match started {
            StartedFetch::Local(s) => fetch::finish_authorized(&self.inner, s).await,
            StartedFetch::Remote(remote, input, init) => remote.fetch(&input, &init).await,
            #[cfg(feature = "dpop")]
            StartedFetch::Dpop(outgoing, may_retry) => {
                fetch::dpop_fetch(&self.inner, outgoing, may_retry).await
            }
        }
    }

    /// The first half of [`fetch`](Self::fetch): checks, and puts the request on the wire before
    /// returning (the JS API calls it synchronously, then awaits [`fetch_finish`](Self::fetch_finish)).
    pub(crate) fn fetch_start(
        &self,
        input: &JsValue,
        init: Option<&web_sys::RequestInit>,
    ) -> Result<StartedFetch, AuthError> {
        let r = self.fetch_start_inner(input, init);
        self.inner.reported(r)
    }

    /// The second half of [`fetch`](Self::fetch).
    pub(crate) async fn fetch_finish(
        &self,
        started: StartedFetch,
    ) -> Result<web_sys::Response, AuthError> {
        let r = self.finish(started).await;
        self.inner.reported(r)
    }

    fn fetch_start_inner(
        &self,
        input: &JsValue,
        init: Option<&web_sys::RequestInit>,
    ) -> Result<StartedFetch, AuthError> {
        if let Some(remote) = self.inner.remote() {
            if remote.view().is_none() {
                return Err(AuthError::NotAuthenticated);
            }
            let init = init.map_or(JsValue::UNDEFINED, |i| i.clone().into());
            return Ok(StartedFetch::Remote(remote, input.clone(), init));
        }
        let tokens = self.inner.current()?.0;
        let bad = |why: &str| AuthError::config("input", why.to_owned());
        let init_obj: Option<js_sys::Object> = init.map(|i| i.clone().unchecked_into());
        let (outgoing, origin) = if let Some(s) = input.as_string() {
            let (url, origin) = self.resolve(&s, &tokens)?;
            (
                Outgoing::Url {
                    url,
                    init: init_obj.clone(),
                },
                origin,
            )
        } else if let Some(u) = input.dyn_ref::<web_sys::Url>() {
            let (url, origin) = self.resolve(&u.href(), &tokens)?;
            (
                Outgoing::Url {
                    url,
                    init: init_obj.clone(),
                },
                origin,
            )
        } else if let Some(r) = input.dyn_ref::<web_sys::Request>() {
            let request = match init {
                Some(i) => web_sys::Request::new_with_request_and_init(r, i),
                None => web_sys::Request::clone(r),
            }
            .map_err(|_| net::unbuildable())?;
            let origin = Origin::parse(&request.url(), "input").ok();
            (Outgoing::Request(request), origin)
        } else {
            return Err(bad("fetch() takes a URL string, a URL or a Request"));
        };
        self.check_origin(origin, &tokens)?;
        let stream_body = init_obj.is_some_and(|i| {
            js_sys::Reflect::get(&i, &JsValue::from_str("body"))
                .is_ok_and(|b| b.is_instance_of::<web_sys::ReadableStream>())
        });
        fetch::start_local(&self.inner, outgoing, !stream_body)
    }

    /// The fast path's strings for the current token set (`None`: signed out, or the session
    /// lives in the session worker).
    pub(crate) fn hot(&self) -> Option<Rc<Hot>> {
        self.inner.hot()
    }

    /// The JS API's fast path for a URL string (`js/fetch.js` sends it): resolves the URL,
    /// checks its origin, and returns `(absolute URL, Authorization header value, generation)`.
    /// `None` when the session lives in the session worker (then the general path is used).
    pub(crate) fn authorize_fetch(
        &self,
        input: &str,
    ) -> Option<Result<(String, String, u64), AuthError>> {
        if self.inner.remote().is_some() {
            return None;
        }
        if self.inner.dpop_bound() {
            return None;
        }
        let r = (|| {
            let (tokens, generation) = self.inner.current()?;
            let (url, origin) = self.resolve(input, &tokens)?;
            self.check_origin(origin, &tokens)?;
            Ok((
                url,
                ["Bearer ", tokens.access_token.secret()].concat(),
                generation,
            ))
        })();
        Some(self.inner.reported(r))
    }

    /// The fast path met a 401 or 403 from `url` (see [`fetch::after_dead_answer`]): the
    /// Authorization value to retry with, or `None` to deliver the response.
    pub(crate) async fn after_dead_answer(
        &self,
        response: web_sys::Response,
        generation: u64,
        url: &str,
        retried: bool,
    ) -> Result<Option<String>, AuthError> {
        let r = fetch::after_dead_answer(&self.inner, &response, generation, url, retried).await;
        self.inner.reported(r)
    }

    /// The fast path's request got no answer.
    pub(crate) fn fetch_failed(&self, url: &str, e: &JsValue) -> AuthError {
        let outgoing = Outgoing::Url {
            url: url.to_owned(),
            init: None,
        };
        let r = Err(outgoing.network(e));
        self.inner.reported::<()>(r).unwrap_err()
    }

    /// The fast path could not build the request (bad headers in `init`): a fixed message,
    /// never the thrown one (it may quote a header value).
    pub(crate) fn request_unbuildable(&self) -> AuthError {
        self.inner
            .reported::<()>(Err(net::unbuildable()))
            .unwrap_err()
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

    /// Resolves a URL string against `instance_url` (or `apiBase`) and finds its origin. The
    /// common forms (absolute http(s), and root-relative `/path`) are handled without a JS `URL`.
    fn resolve(
        &self,
        input: &str,
        tokens: &TokenSet,
    ) -> Result<(String, Option<Origin>), AuthError> {
        let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            if let Ok(origin) = Origin::parse(input, "input") {
                return Ok((input.to_owned(), Some(origin)));
            }
            // Spaces, backslashes, non-ASCII: judged as the URL `fetch` sends (the browser's).
            return Ok(web_sys::Url::new(input).map_or((input.to_owned(), None), browser_url));
        }
        let base = relative_base(&self.inner.config, tokens)
            .ok_or_else(|| AuthError::config("input", "a relative URL needs instance_url (Salesforce) or the apiBase option to resolve against"))?;
        if is_root_relative(input) {
            if let Ok(origin) = Origin::parse(&base, "base") {
                return Ok((origin.serialize() + input, Some(origin)));
            }
        }
        web_sys::Url::new_with_base(input, &base)
            .map(browser_url)
            .map_err(|_| AuthError::config("input", "the URL could not be resolved"))
    }

    /// Signs out: forgets the tokens at once, then revokes the refresh token and the access
    /// token (RFC 7009; at Salesforce the refresh token alone, which revokes its access tokens).
    /// Memory is cleared even when revocation fails (`revocation_failed`).
    pub async fn logout(&self) -> Result<(), AuthError> {
        let r = self.logout_inner(false).await.map(|_| ());
        self.inner.reported(r)
    }

    /// Logs out; with `hint`, also returns the session's latest id_token (for the end-session
    /// request's `id_token_hint`; with the session worker, the worker sends it).
    pub(crate) async fn logout_inner(&self, hint: bool) -> Result<Option<String>, AuthError> {
        let inner = &self.inner;
        restore::note_signed_out(&inner.config.client_id);
        if let Some(remote) = inner.remote() {
            if remote.view().is_none() {
                return Ok(None);
            }
            let fields = [("hint", JsValue::from_bool(hint))];
            let reply = remote.call("logout", &fields, &JsValue::UNDEFINED).await?;
            return Ok(remote::id_token_hint(&reply));
        }
        let id_token = hint
            .then(|| inner.session.borrow().tokens()?.id_token.clone())
            .flatten();
        let op = inner.session.borrow_mut().logout(env::now_ms());
        let w = inner.watch(op);
        driver::pump(inner);
        driver::settled(inner, w)
            .await
            .map(|()| id_token.map(|t| t.secret().to_owned()))
    }
}

/// A URL the browser parsed: its href (what `fetch` sends) and its origin (`None` unless http(s)).
fn browser_url(u: web_sys::Url) -> (String, Option<Origin>) {
    (u.href(), Origin::parse(&u.origin(), "input").ok())
}

/// A path on the base's origin (`/x`), not a scheme-relative `//host` or a backslash form
/// that browsers read as one.
fn is_root_relative(input: &str) -> bool {
    input.starts_with('/') && !input.starts_with("//") && !input.contains('\\')
}
