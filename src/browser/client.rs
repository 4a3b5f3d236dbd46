//! The `AuthClient` runtime: login, callback, tokens in memory, authorized fetch with one
//! single-flight refresh on 401, proactive refresh, userinfo, logout with revocation, events,
//! silent restore, and session sharing between tabs (`tabs.rs`, `remote.rs`).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::events::{self, AuthEvent, EVENT_NAMES, Listeners, Session, Stats};
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Deadline, Purpose};
use crate::browser::remote::Remote;
use crate::browser::tabs::{self, Answer, Tabs};
use crate::browser::{env, pending, remote, restore, share};
use crate::core::authorize::{LoginOptions, authorization_request, restore_options};
use crate::core::callback::{
    PendingLookup, ValidatedCallback, is_callback_url, parse_callback, validate_callback,
};
use crate::core::config::{ClientConfig, ClientOptions, Sharing};
use crate::core::discovery::{discovery_url, process_discovery};
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;
use crate::core::refresh::{ApiVerdict, classify_api_response, proactive_refresh_at};
use crate::core::revocation::{TokenKind, process_revocation_response, revocation_request};
use crate::core::state::LoginRandomness;
use crate::core::token::{
    Grant, TokenOutcome, TokenSet, process_token_response, refresh_request, token_request,
};
use crate::core::url::Origin;
use crate::core::wire;

/// Callback parameters removed from the address bar before anything else can read them.
const CALLBACK_PARAMS: [&str; 9] = [
    "code",
    "state",
    "error",
    "error_description",
    "iss",
    "sfdc_community_url",
    "sfdc_community_id",
    "sfdc_site_url",
    "sfdc_site_id",
];

type Flight = Shared<LocalBoxFuture<'static, Result<(), AuthError>>>;
/// A pending `setTimeout`: its id and the closure it will call.
type Timer = (JsValue, Closure<dyn FnMut()>);

/// How this client shares its session with the other tabs of the origin.
pub(crate) enum Share {
    /// Not shared (`sessionSharing: "off"`), or this is the session worker's own client.
    Off,
    /// The session lives in the session worker.
    Worker(Rc<Remote>),
    /// Every tab holds it; a Web Locks leader refreshes.
    Locks(Rc<Tabs>),
}

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    /// The options as given (the session worker builds its client from them).
    pub(crate) options: ClientOptions,
    share: RefCell<Share>,
    /// Resolves once this tab knows the shared session (immediately when not shared).
    joined: RefCell<Option<js_sys::Promise>>,
    tokens: RefCell<Option<Rc<TokenSet>>>,
    /// What `auth.fetch`'s fast path needs of `tokens`, worked out once per token set.
    hot: RefCell<Option<Rc<Hot>>>,
    /// Bumped whenever the token set changes; single-flight refresh is keyed by it.
    generation: Cell<u64>,
    flight: RefCell<Option<(u64, Flight)>>,
    listeners: RefCell<Listeners>,
    stats: RefCell<Stats>,
    timer: RefCell<Option<Timer>>,
    /// When `store` last swept expired pending records.
    last_purge_ms: Cell<f64>,
}

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
        Ok(Self::from_config(
            ClientConfig::salesforce(options)?,
            options,
        ))
    }

    /// A client for any OAuth 2.0 / OpenID Connect provider, endpoints given.
    pub fn generic(options: &ClientOptions) -> Result<Self, AuthError> {
        Ok(Self::from_config(ClientConfig::generic(options)?, options))
    }

    /// Reads the endpoints from `{issuer}/.well-known/openid-configuration`.
    pub async fn discover(issuer: &str, options: ClientOptions) -> Result<Self, AuthError> {
        let url = discovery_url(issuer)?;
        let timeout = options
            .timeout_ms
            .map_or(crate::core::config::DEFAULT_TIMEOUT_MS, |t| t as u32);
        let req = HttpRequest {
            method: crate::core::http::Method::Get,
            url,
            headers: vec![("Accept", "application/json".into())],
            body: None,
        };
        let (status, body) = net::send(&req, timeout, Purpose::Discovery).await?;
        let options = process_discovery(issuer, status, &body, &BrowserJson, options)?;
        Self::generic(&options)
    }

    fn from_config(config: ClientConfig, options: &ClientOptions) -> Self {
        let sharing = config.sharing;
        let client = AuthClient {
            inner: Rc::new(Inner {
                config,
                options: options.clone(),
                share: RefCell::new(Share::Off),
                joined: RefCell::new(None),
                tokens: RefCell::new(None),
                hot: RefCell::new(None),
                generation: Cell::new(0),
                flight: RefCell::new(None),
                listeners: RefCell::new(Listeners::default()),
                stats: RefCell::new(Stats::default()),
                timer: RefCell::new(None),
                last_purge_ms: Cell::new(f64::NEG_INFINITY),
            }),
        };
        let inner = &client.inner;
        let worker = (sharing == Sharing::Tabs && share::can_use_worker())
            .then(|| remote::start(inner))
            .flatten();
        if let Some((r, joined)) = worker {
            *inner.share.borrow_mut() = Share::Worker(r);
            *inner.joined.borrow_mut() = Some(joined);
        } else if sharing != Sharing::Off
            && share::can_use_locks()
            && let Some((t, joined)) = tabs::start(inner)
        {
            *inner.share.borrow_mut() = Share::Locks(t);
            *inner.joined.borrow_mut() = Some(joined);
        }
        client
    }

    /// How the session is shared right now: `"off"`, `"tabs"` (session worker) or
    /// `"tabs-locks"` (leader tab), after the fallbacks where the browser lacks a feature.
    pub fn sharing_mode(&self) -> &'static str {
        match &*self.inner.share.borrow() {
            Share::Off => "off",
            Share::Worker(_) => "tabs",
            Share::Locks(_) => "tabs-locks",
        }
    }

    /// Waits until this tab knows the shared session (no wait when not shared).
    async fn join(&self) {
        let joined = self.inner.joined.borrow().clone();
        if let Some(p) = joined {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
    }

    /// The validated configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Builds the authorize URL and stores the pending login, without navigating.
    pub fn authorization_url(&self, options: &LoginOptions) -> Result<String, AuthError> {
        let r = self.authorization_url_inner(options);
        self.inner.reported(r)
    }

    fn authorization_url_inner(&self, options: &LoginOptions) -> Result<String, AuthError> {
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
        Ok(req.url)
    }

    /// Stores the pending login and navigates to the authorization endpoint.
    pub fn login(&self, options: &LoginOptions) -> Result<(), AuthError> {
        let url = self.authorization_url(options)?;
        let r = env::navigate(&url);
        self.inner.reported(r)
    }

    /// Completes a login on the callback page: `Ok(None)` when the page is no callback, else
    /// `Ok(Some(return_to))`. Cleans the address bar first. On error an existing session is
    /// left untouched.
    pub async fn handle_redirect(&self) -> Result<Option<String>, AuthError> {
        let r = self.handle_redirect_inner().await;
        self.inner.reported(r)
    }

    async fn handle_redirect_inner(&self) -> Result<Option<String>, AuthError> {
        self.join().await;
        let config = &self.inner.config;
        let callback = env::location_href()
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
        for p in CALLBACK_PARAMS {
            params.delete(p);
        }
        env::replace_url(&url.href());
        let Some(params) = parsed? else {
            return Ok(None);
        };
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
                Ok(Some(return_to))
            }
            (Err(e), Some(return_to)) => {
                // A silent restore that did not work: simply signed out, and an event says why.
                // "No provider session" (the provider's error on the callback) is the expected
                // outcome; anything else (network, token endpoint, a mix-up) is also counted
                // and reported as an `error` for monitoring.
                restore::note_failed(env::now_ms());
                if e.code() != "authorization_denied" {
                    let _ = self.inner.reported::<()>(Err(e.clone()));
                }
                self.inner.emit(&AuthEvent::RestoreFailed(e));
                Ok(Some(return_to))
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
        let config = &self.inner.config;
        let (status, body) = net::send(
            &token_request(config, &validated),
            config.timeout_ms,
            Purpose::Token,
        )
        .await?;
        let grant = Grant::AuthorizationCode {
            nonce: validated.nonce(),
        };
        let outcome =
            process_token_response(config, grant, status, &body, env::now_ms(), &BrowserJson)?;
        self.inner.stats.borrow_mut().logins += 1;
        let session = install(&self.inner, outcome, true);
        self.inner.emit(&AuthEvent::Login(session));
        Ok(())
    }

    /// `restore: "auto"`: with no session anywhere (after asking the other tabs), redirects
    /// silently — unless the user logged out, or a silent attempt failed a moment ago. The
    /// page navigates away, so this does not return then.
    async fn maybe_restore(&self) -> Result<Option<String>, AuthError> {
        let config = &self.inner.config;
        if config.restore_auto
            && !self.is_authenticated()
            && restore::may_auto_restore(&config.client_id, env::now_ms())
        {
            self.restore_inner()?;
            futures_util::future::pending::<()>().await;
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
        let url = self.authorization_url_inner(&restore_options(config, here))?;
        env::navigate(&url)
    }

    /// Whether a session is held.
    pub fn is_authenticated(&self) -> bool {
        match self.inner.remote() {
            Some(r) => r.session.borrow().is_some(),
            None => self.inner.tokens.borrow().is_some(),
        }
    }

    /// The session (never its tokens).
    pub fn session(&self) -> Option<Session> {
        match self.inner.remote() {
            Some(r) => r.session.borrow().clone(),
            None => self.inner.tokens.borrow().as_deref().map(Session::of),
        }
    }

    /// Health counters for the client's whole life. With the session worker, the counters
    /// are the worker's (shared by the tabs) and `errorsByCode` this tab's.
    pub fn stats(&self) -> Stats {
        let mut stats = self.inner.stats.borrow().clone();
        if let Some(r) = self.inner.remote() {
            let c = r.counters.borrow();
            [
                stats.logins,
                stats.refreshes,
                stats.refresh_failures,
                stats.retried_after_401,
                stats.revocations,
            ] = c.counters;
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

    async fn finish(&self, started: StartedFetch) -> Result<web_sys::Response, AuthError> {
        match started {
            StartedFetch::Local(s) => finish_authorized(&self.inner, s).await,
            StartedFetch::Remote(remote, input, init) => remote.fetch(&input, &init).await,
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
            if remote.session.borrow().is_none() {
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
            .map_err(|e| {
                bad(&[
                    "the request could not be built: ",
                    &net::describe_js_error(&e),
                ]
                .concat())
            })?;
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
        start_authorized(&self.inner, outgoing, !stream_body).map(StartedFetch::Local)
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

    /// The fast path met a 401 or 403: decides on the response (a 403 that is not a dead token
    /// is delivered), refreshes once for all callers, and returns the new Authorization value
    /// to retry with, or `None` to deliver the response as it is.
    pub(crate) async fn after_dead_answer(
        &self,
        response: web_sys::Response,
        generation: u64,
        sent_bearer: String,
    ) -> Result<Option<String>, AuthError> {
        let inner = &self.inner;
        let r = async {
            if !dead_token(&response).await {
                return Ok(None);
            }
            refresh_for(inner, generation).await?;
            let (fresh, _) = inner.current()?;
            let bearer = ["Bearer ", fresh.access_token.secret()].concat();
            if bearer == sent_bearer {
                return Ok(None);
            }
            inner.stats.borrow_mut().retried_after_401 += 1;
            Ok(Some(bearer))
        }
        .await;
        inner.reported(r)
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

    /// The fast path could not build the request (bad headers in `init`).
    pub(crate) fn request_unbuildable(&self, e: &JsValue) -> AuthError {
        let r = Err(AuthError::config(
            "input",
            [
                "the request could not be built: ",
                &net::describe_js_error(e),
            ]
            .concat(),
        ));
        self.inner.reported::<()>(r).unwrap_err()
    }

    fn check_origin(&self, origin: Option<Origin>, tokens: &TokenSet) -> Result<(), AuthError> {
        let instance = tokens
            .instance_url
            .as_deref()
            .and_then(|u| Origin::parse(u, "instance_url").ok());
        match origin {
            Some(o) if self.inner.config.origin_allowed(&o, instance.as_ref()) => Ok(()),
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
            return Ok((input.to_owned(), Origin::parse(input, "input").ok()));
        }
        let base = relative_base(&self.inner.config, tokens)
            .ok_or_else(|| AuthError::config("input", "a relative URL needs instance_url (Salesforce) or the apiBase option to resolve against"))?;
        if is_root_relative(input) {
            if let Ok(origin) = Origin::parse(&base, "base") {
                return Ok((origin.serialize() + input, Some(origin)));
            }
        }
        let href = web_sys::Url::new_with_base(input, &base)
            .map_err(|_| AuthError::config("input", "the URL could not be resolved"))?
            .href();
        let origin = Origin::parse(&href, "input").ok();
        Ok((href, origin))
    }

    /// The UserInfo endpoint's claims (parsed JSON), refreshing once on a dead token.
    pub async fn userinfo(&self) -> Result<JsValue, AuthError> {
        let r = self.userinfo_inner().await;
        self.inner.reported(r)
    }

    async fn userinfo_inner(&self) -> Result<JsValue, AuthError> {
        if let Some(remote) = self.inner.remote() {
            if remote.session.borrow().is_none() {
                return Err(AuthError::NotAuthenticated);
            }
            let reply = remote.call("userinfo", &[], &JsValue::UNDEFINED).await?;
            let text = share::get_str(&reply, "json").unwrap_or_default();
            return js_sys::JSON::parse(&text)
                .map_err(|_| AuthError::UserinfoFailed { status: 200 });
        }
        self.inner.current()?;
        let endpoint = self
            .inner
            .config
            .endpoints
            .userinfo
            .clone()
            .ok_or_else(|| {
                AuthError::config("userinfoEndpoint", "this provider has no userinfo endpoint")
            })?;
        let deadline = Deadline::new(self.inner.config.timeout_ms);
        let init = web_sys::RequestInit::new();
        init.set_method("GET");
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
        if let Some(d) = &deadline {
            init.set_signal(Some(&d.signal()));
        }
        let headers = web_sys::Headers::new()
            .map_err(|_| AuthError::config("userinfoEndpoint", "Headers are not available"))?;
        let _ = headers.set("Accept", "application/json");
        init.set_headers(&headers);
        let outgoing = Outgoing::Url {
            url: endpoint,
            init: Some(init.unchecked_into()),
        };
        let response = authorized_send(&self.inner, outgoing, true).await?;
        let status = response.status();
        if !(200..300).contains(&status) {
            return Err(AuthError::UserinfoFailed { status });
        }
        let text = net::text(&response).await.map_err(|e| AuthError::Network {
            reason: [
                "reading the userinfo answer failed: ",
                &net::describe_js_error(&e),
            ]
            .concat(),
        })?;
        js_sys::JSON::parse(&text).map_err(|_| AuthError::UserinfoFailed { status })
    }

    /// Signs out: forgets the tokens at once, then revokes the refresh token and the access
    /// token (RFC 7009). Memory is cleared even when revocation fails (`revocation_failed`).
    pub async fn logout(&self) -> Result<(), AuthError> {
        let r = self.logout_inner().await;
        self.inner.reported(r)
    }

    async fn logout_inner(&self) -> Result<(), AuthError> {
        let inner = &self.inner;
        restore::note_signed_out(&inner.config.client_id);
        if let Some(remote) = inner.remote() {
            if remote.session.borrow().is_none() {
                return Ok(());
            }
            return remote
                .call("logout", &[], &JsValue::UNDEFINED)
                .await
                .map(|_| ());
        }
        let Some(tokens) = inner.clear() else {
            return Ok(());
        };
        if let Some(t) = inner.tabs() {
            t.announce_end(None);
        }
        let config = &inner.config;
        let mut failure = None;
        let mut revoked = 0;
        let mut pairs = vec![(tokens.access_token.secret(), TokenKind::Access)];
        if let Some(r) = &tokens.refresh_token {
            pairs.insert(0, (r.secret(), TokenKind::Refresh));
        }
        let mut attempted = false;
        for (token, kind) in pairs {
            let Some(req) = revocation_request(config, token, kind) else {
                continue;
            };
            attempted = true;
            let result = match net::send(&req, config.timeout_ms, Purpose::Revocation).await {
                Ok((status, body)) => process_revocation_response(status, &body, &BrowserJson),
                Err(e) => Err(AuthError::RevocationFailed {
                    status: None,
                    reason: e.message(),
                }),
            };
            match result {
                Ok(()) => revoked += 1,
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        inner.stats.borrow_mut().revocations += revoked;
        inner.emit(&AuthEvent::Logout {
            revoked: attempted && failure.is_none(),
        });
        failure.map_or(Ok(()), Err)
    }
}

impl Inner {
    /// The session worker link, in `"tabs"` mode.
    pub(crate) fn remote(&self) -> Option<Rc<Remote>> {
        match &*self.share.borrow() {
            Share::Worker(r) => Some(r.clone()),
            _ => None,
        }
    }

    /// The tabs link, in `"tabs-locks"` mode.
    pub(crate) fn tabs(&self) -> Option<Rc<Tabs>> {
        match &*self.share.borrow() {
            Share::Locks(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// The fast path's strings of the held token set, if any.
    pub(crate) fn hot(&self) -> Option<Rc<Hot>> {
        self.hot.borrow().clone()
    }

    /// The held token set, if any.
    pub(crate) fn current_tokens(&self) -> Option<Rc<TokenSet>> {
        self.tokens.borrow().clone()
    }

    pub(crate) fn emit(&self, event: &AuthEvent) {
        events::emit(&self.listeners, event);
    }

    /// Counts an error and emits the `error` event; passes the result through.
    pub(crate) fn reported<T>(&self, r: Result<T, AuthError>) -> Result<T, AuthError> {
        if let Err(e) = &r {
            self.stats.borrow_mut().errors_by_code.increment(e.code());
            self.emit(&AuthEvent::Error(e.clone()));
        }
        r
    }

    fn current(&self) -> Result<(Rc<TokenSet>, u64), AuthError> {
        let t = self
            .tokens
            .borrow()
            .clone()
            .ok_or(AuthError::NotAuthenticated)?;
        Ok((t, self.generation.get()))
    }

    /// Forgets the session; returns what it held.
    pub(crate) fn clear(&self) -> Option<Rc<TokenSet>> {
        self.generation.set(self.generation.get() + 1);
        self.flight.borrow_mut().take();
        if let Some((id, _closure)) = self.timer.borrow_mut().take() {
            env::clear_timeout(&id);
        }
        self.hot.borrow_mut().take();
        self.tokens.borrow_mut().take()
    }
}

/// What the JS fast path of `auth.fetch` needs of one token set, as JS strings made once per
/// set: a call with a root-relative URL then crosses no string between JS and wasm (each
/// crossing costs tens of µs on a cold path, measured in `make bench`). Only this module holds
/// them (page JS has no reference); they are dropped with the token set. No `Debug`.
pub(crate) struct Hot {
    /// `Bearer <access token>`.
    pub(crate) bearer: JsValue,
    /// The serialized origin of `instance_url` (or `apiBase`), where the token may go.
    pub(crate) base: Option<JsValue>,
    /// The token set's generation (single-flight refresh key).
    pub(crate) generation: u64,
}

impl Hot {
    fn of(inner: &Inner, tokens: &TokenSet) -> Hot {
        let instance = tokens
            .instance_url
            .as_deref()
            .and_then(|u| Origin::parse(u, "instance_url").ok());
        // The origin `resolve` gives a root-relative URL, when the token may go there.
        let base = relative_base(&inner.config, tokens)
            .and_then(|b| Origin::parse(&b, "base").ok())
            .filter(|o| inner.config.origin_allowed(o, instance.as_ref()))
            .map(|o| JsValue::from_str(&o.serialize()));
        Hot {
            bearer: JsValue::from_str(&["Bearer ", tokens.access_token.secret()].concat()),
            base,
            generation: inner.generation.get(),
        }
    }
}

/// What a relative `auth.fetch` URL resolves against: `instance_url`, else `apiBase`.
fn relative_base(config: &ClientConfig, tokens: &TokenSet) -> Option<String> {
    tokens.instance_url.clone().or_else(|| {
        config
            .api_base
            .as_ref()
            .map(|b| b.base_without_trailing_slash() + "/")
    })
}

/// A path on the base's origin (`/x`), not a scheme-relative `//host` or a backslash form
/// that browsers read as one.
fn is_root_relative(input: &str) -> bool {
    input.starts_with('/') && !input.starts_with("//") && !input.contains('\\')
}

/// Installs a new token set (login or refresh), tells the other tabs (`announce`), and
/// schedules a proactive refresh where this tab is the one that refreshes.
fn install(inner: &Rc<Inner>, outcome: TokenOutcome, announce: bool) -> Session {
    let TokenOutcome {
        tokens,
        scopes_missing,
        ..
    } = outcome;
    let session = Session::of(&tokens);
    let granted = tokens.scopes.clone();
    inner.clear();
    let tokens = Rc::new(tokens);
    *inner.hot.borrow_mut() = Some(Rc::new(Hot::of(inner, &tokens)));
    *inner.tokens.borrow_mut() = Some(tokens.clone());
    if announce && let Some(t) = inner.tabs() {
        t.announce(&tokens);
    }
    schedule_proactive(inner);
    if !scopes_missing.is_empty() {
        inner.emit(&AuthEvent::ScopeReduced {
            missing: scopes_missing,
            granted,
        });
    }
    session
}

/// A token set another tab obtained: held here too, with `login` or `token_refreshed`.
pub(crate) fn install_shared(inner: &Rc<Inner>, tokens: TokenSet) {
    let first = inner.current_tokens().is_none();
    let session = install(
        inner,
        TokenOutcome {
            tokens,
            scopes_missing: Vec::new(),
            rotated: false,
        },
        false,
    );
    inner.emit(&if first {
        AuthEvent::Login(session)
    } else {
        AuthEvent::TokenRefreshed(session)
    });
}

/// Schedules the proactive refresh of the held token set, if it has a known expiry and this
/// tab refreshes (not shared, or the leader).
pub(crate) fn schedule_proactive(inner: &Rc<Inner>) {
    if inner.tabs().is_some_and(|t| !t.is_leader()) {
        return;
    }
    if let Some(at) = inner
        .current_tokens()
        .and_then(|t| proactive_refresh_at(&t))
    {
        if let Some((id, _closure)) = inner.timer.borrow_mut().take() {
            env::clear_timeout(&id);
        }
        schedule_refresh(inner, at);
    }
}

/// The leader refreshes for a follower that hit a 401 (once for all: the flight is shared).
pub(crate) fn refresh_in_background(inner: &Rc<Inner>) {
    let inner = inner.clone();
    let generation = inner.generation.get();
    wasm_bindgen_futures::spawn_local(async move {
        let r = refresh_for(&inner, generation).await;
        let _ = inner.reported(r);
    });
}

fn schedule_refresh(inner: &Rc<Inner>, at_ms: f64) {
    let delay = (at_ms - env::now_ms()).clamp(0.0, 2_147_483_647.0);
    let weak = Rc::downgrade(inner);
    let generation = inner.generation.get();
    let closure = Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            wasm_bindgen_futures::spawn_local(async move {
                let r = refresh_for(&inner, generation).await;
                let _ = inner.reported(r);
            });
        }
    });
    if let Some(id) = env::set_timeout(closure.as_ref().unchecked_ref(), delay) {
        *inner.timer.borrow_mut() = Some((id, closure));
    }
}

/// An app request, kept so that it can be sent again with a new token after a refresh.
enum Outgoing {
    /// A URL and the caller's init: sent as `fetch(url, {...init, headers})`, rebuilt for a retry.
    Url {
        /// Absolute URL.
        url: String,
        /// The caller's `RequestInit`, never modified.
        init: Option<js_sys::Object>,
    },
    /// A `Request` the caller built: cloned for each attempt.
    Request(web_sys::Request),
}

impl Outgoing {
    fn url(&self) -> String {
        match self {
            Outgoing::Url { url, .. } => url.clone(),
            Outgoing::Request(r) => r.url(),
        }
    }

    /// Starts sending it with `Authorization: Bearer <token>` (the caller's objects are left
    /// untouched): the request is on the wire when this returns.
    fn start(&self, token: &str) -> Result<js_sys::Promise, AuthError> {
        let fail = |e: JsValue| {
            AuthError::config(
                "input",
                [
                    "the request could not be built: ",
                    &net::describe_js_error(&e),
                ]
                .concat(),
            )
        };
        let bearer = ["Bearer ", token].concat();
        let started = match self {
            Outgoing::Url { url, init } => {
                let options = js_sys::Object::new();
                let given_headers = match init {
                    Some(i) => {
                        js_sys::Object::assign(&options, i);
                        js_sys::Reflect::get(i, &JsValue::from_str("headers"))
                            .unwrap_or(JsValue::UNDEFINED)
                    }
                    None => JsValue::UNDEFINED,
                };
                let headers = if given_headers.is_undefined() || given_headers.is_null() {
                    web_sys::Headers::new()
                } else {
                    web_sys::Headers::new_with_headers(given_headers.unchecked_ref())
                }
                .map_err(fail)?;
                headers.set("Authorization", &bearer).map_err(fail)?;
                let _ = js_sys::Reflect::set(&options, &JsValue::from_str("headers"), &headers);
                net::start_fetch(&JsValue::from_str(url), Some(&options))
            }
            Outgoing::Request(r) => {
                let copy = web_sys::Request::clone(r).map_err(fail)?;
                let headers = web_sys::Headers::new_with_headers(&copy.headers()).map_err(fail)?;
                headers.set("Authorization", &bearer).map_err(fail)?;
                let init = web_sys::RequestInit::new();
                init.set_headers(&headers);
                let request =
                    web_sys::Request::new_with_request_and_init(&copy, &init).map_err(fail)?;
                net::start_fetch(&request, None)
            }
        };
        started.map_err(|e| self.network(&e))
    }

    /// Waits for a started request's response.
    async fn finish(&self, started: js_sys::Promise) -> Result<web_sys::Response, AuthError> {
        net::finish_fetch(started)
            .await
            .map_err(|e| self.network(&e))
    }

    fn network(&self, e: &JsValue) -> AuthError {
        let origin = Origin::parse(&self.url(), "input")
            .map(|o| o.serialize())
            .unwrap_or_default();
        AuthError::Network {
            reason: [
                "the request to ",
                &origin,
                " failed: ",
                &net::describe_js_error(e),
            ]
            .concat(),
        }
    }
}

/// An `auth.fetch` started: here (on the wire already), or to be sent by the session worker.
pub(crate) enum StartedFetch {
    Local(LocalFetch),
    Remote(Rc<Remote>, JsValue, JsValue),
}

/// An `auth.fetch` whose first request is already on the wire.
pub(crate) struct LocalFetch {
    outgoing: Outgoing,
    first: js_sys::Promise,
    tokens: Rc<TokenSet>,
    generation: u64,
    may_retry: bool,
}

/// Sends a request with the current token (see [`finish_authorized`]).
async fn authorized_send(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<web_sys::Response, AuthError> {
    let started = start_authorized(inner, outgoing, may_retry)?;
    finish_authorized(inner, started).await
}

/// Puts the first request on the wire with the current token, synchronously.
fn start_authorized(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<LocalFetch, AuthError> {
    let (tokens, generation) = inner.current()?;
    let first = outgoing.start(tokens.access_token.secret())?;
    Ok(LocalFetch {
        outgoing,
        first,
        tokens,
        generation,
        may_retry,
    })
}

/// Waits for the first answer; on a dead-token answer refreshes once (shared by all concurrent
/// callers) and retries once, returning the retried response whatever its status.
async fn finish_authorized(
    inner: &Rc<Inner>,
    started: LocalFetch,
) -> Result<web_sys::Response, AuthError> {
    let LocalFetch {
        outgoing,
        first,
        tokens,
        generation,
        may_retry,
    } = started;
    let response = outgoing.finish(first).await?;
    if !may_retry || !dead_token(&response).await {
        return Ok(response);
    }
    refresh_for(inner, generation).await?;
    let (fresh, _) = inner.current()?;
    if fresh.access_token == tokens.access_token {
        return Ok(response);
    }
    inner.stats.borrow_mut().retried_after_401 += 1;
    let again = outgoing.start(fresh.access_token.secret())?;
    outgoing.finish(again).await
}

/// Whether an API answer says the token is dead (401; Salesforce's 403 `Bad_OAuth_Token`). A
/// 403's body is peeked at through a clone, so the caller can still read it.
async fn dead_token(response: &web_sys::Response) -> bool {
    let status = response.status();
    let body_start = if status == 403 {
        match web_sys::Response::clone(response) {
            Ok(peek) => net::text(&peek)
                .await
                .ok()
                .map(|t| t.chars().take(64).collect::<String>()),
            Err(_) => None,
        }
    } else {
        None
    };
    classify_api_response(status, body_start.as_deref()) != ApiVerdict::Deliver
}

/// Refreshes the token set of `generation`, once for all concurrent callers.
async fn refresh_for(inner: &Rc<Inner>, generation: u64) -> Result<(), AuthError> {
    if inner.generation.get() != generation {
        return inner.current().map(|_| ());
    }
    let existing = inner
        .flight
        .borrow()
        .as_ref()
        .filter(|(g, _)| *g == generation)
        .map(|(_, f)| f.clone());
    let flight = match existing {
        Some(f) => f,
        None => {
            let f = do_refresh(inner.clone(), generation).boxed_local().shared();
            *inner.flight.borrow_mut() = Some((generation, f.clone()));
            f
        }
    };
    let result = flight.await;
    let mut slot = inner.flight.borrow_mut();
    if slot.as_ref().is_some_and(|(g, _)| *g == generation) {
        *slot = None;
    }
    result
}

async fn do_refresh(inner: Rc<Inner>, generation: u64) -> Result<(), AuthError> {
    if let Some(t) = inner.tabs().filter(|t| !t.is_leader()) {
        // A follower asks the leader, which refreshes once for every tab.
        match t.ask_refresh(inner.config.timeout_ms).await {
            Answer::Updated => return inner.current().map(|_| ()),
            Answer::Failed(e) => return Err(e),
            Answer::Leader => {}
        }
        if inner.generation.get() != generation {
            return inner.current().map(|_| ());
        }
    }
    let (tokens, _) = inner.current()?;
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        let e = AuthError::SessionExpired {
            error: None,
            description: Some("no refresh token: request the refresh_token scope".into()),
        };
        end_session(&inner, &e);
        return Err(e);
    };
    let config = &inner.config;
    let result = match net::send(
        &refresh_request(config, &refresh_token),
        config.timeout_ms,
        Purpose::Token,
    )
    .await
    {
        Ok((status, body)) => process_token_response(
            config,
            Grant::Refresh { previous: &tokens },
            status,
            &body,
            env::now_ms(),
            &BrowserJson,
        ),
        Err(e) => Err(e),
    };
    if inner.generation.get() != generation {
        return inner.current().map(|_| ());
    }
    match result {
        Ok(outcome) => {
            inner.stats.borrow_mut().refreshes += 1;
            let session = install(&inner, outcome, true);
            inner.emit(&AuthEvent::TokenRefreshed(session));
            Ok(())
        }
        Err(e) => {
            inner.stats.borrow_mut().refresh_failures += 1;
            if e.code() == "session_expired" {
                end_session(&inner, &e);
            } else if let Some(t) = inner.tabs() {
                t.announce_refresh_failed(&e);
            }
            Err(e)
        }
    }
}

fn end_session(inner: &Rc<Inner>, e: &AuthError) {
    inner.clear();
    if let Some(t) = inner.tabs() {
        t.announce_end(Some(e));
    }
    inner.emit(&AuthEvent::SessionExpired(e.clone()));
}
