//! `auth.fetch` and userinfo with a DPoP-bound token (cargo feature `dpop`): each request is
//! sent here with its own proof (signed through WebCrypto, so this path still awaits), kept so
//! that it can be sent again after a `use_dpop_nonce` answer or the session machine's one
//! shared refresh.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::dpop;
use crate::browser::driver::Inner;
use crate::browser::fetch::request_failed;
use crate::browser::json::BrowserJson;
use crate::browser::net;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::profile::DEAD_BODY_CHARS;
use crate::core::session::ApiStep;
use crate::core::token::TokenSet;
use crate::core::url::Origin;
use crate::core::userinfo::process_userinfo_response;

/// The request of an `auth.fetch` to `target` (a checked URL string or a `Request`) with the
/// caller's `init`, and whether it may be sent twice (not with a stream body).
pub(crate) fn outgoing(target: &JsValue, init: &JsValue) -> Result<(Outgoing, bool), AuthError> {
    let init_obj: Option<js_sys::Object> = init.dyn_ref::<js_sys::Object>().cloned();
    let outgoing = match target.dyn_ref::<web_sys::Request>() {
        Some(r) => Outgoing::Request(
            match &init_obj {
                Some(i) => web_sys::Request::new_with_request_and_init(r, i.unchecked_ref()),
                None => web_sys::Request::clone(r),
            }
            .map_err(|_| net::unbuildable())?,
        ),
        None => Outgoing::Url {
            url: target.as_string().unwrap_or_default(),
            init: init_obj.clone(),
        },
    };
    let stream_body = init_obj.is_some_and(|i| {
        js_sys::Reflect::get(&i, &JsValue::from_str("body"))
            .is_ok_and(|b| b.is_instance_of::<web_sys::ReadableStream>())
    });
    Ok((outgoing, !stream_body))
}

/// An app request, kept so that it can be sent again with a new token after a refresh.
pub(crate) enum Outgoing {
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
    pub(crate) fn url(&self) -> String {
        match self {
            Outgoing::Url { url, .. } => url.clone(),
            Outgoing::Request(r) => r.url(),
        }
    }

    /// The HTTP method it goes with (a DPoP proof's `htm`), upper-case as fetch sends it.
    #[cfg(feature = "dpop")]
    pub(crate) fn method(&self) -> String {
        match self {
            Outgoing::Url { init, .. } => init
                .as_ref()
                .and_then(|i| js_sys::Reflect::get(i, &JsValue::from_str("method")).ok())
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "GET".to_owned()),
            Outgoing::Request(r) => r.method(),
        }
        .to_ascii_uppercase()
    }

    /// Starts sending it with `Authorization: Bearer <token>` (the caller's objects are left
    /// untouched): the request is on the wire when this returns.
    fn start(&self, token: &str) -> Result<js_sys::Promise, AuthError> {
        self.start_with(&["Bearer ", token].concat(), None)
    }

    /// Starts sending it with this `Authorization` value and, for a DPoP-bound token, its
    /// `DPoP` proof.
    pub(crate) fn start_with(
        &self,
        authorization: &str,
        proof: Option<&str>,
    ) -> Result<js_sys::Promise, AuthError> {
        let fail = |_: JsValue| net::unbuildable();
        let set = |headers: &web_sys::Headers| -> Result<(), JsValue> {
            headers.set("Authorization", authorization)?;
            if let Some(p) = proof {
                headers.set("DPoP", p)?;
            }
            Ok(())
        };
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
                set(&headers).map_err(fail)?;
                let _ = js_sys::Reflect::set(&options, &JsValue::from_str("headers"), &headers);
                net::start_fetch(&JsValue::from_str(url), Some(&options))
            }
            Outgoing::Request(r) => {
                let copy = web_sys::Request::clone(r).map_err(fail)?;
                let headers = web_sys::Headers::new_with_headers(&copy.headers()).map_err(fail)?;
                set(&headers).map_err(fail)?;
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
    pub(crate) async fn finish(
        &self,
        started: js_sys::Promise,
    ) -> Result<web_sys::Response, AuthError> {
        net::finish_fetch(started)
            .await
            .map_err(|e| self.network(&e))
    }

    /// The origin it goes to (checked before the first send).
    pub(crate) fn origin(&self) -> Option<Origin> {
        Origin::parse(&self.url(), "input").ok()
    }

    fn network(&self, e: &JsValue) -> AuthError {
        request_failed(&self.url(), &net::describe_js_error(e))
    }
}

/// After an API answer sent to `origin` with `generation`'s set: the set to retry with (the
/// session machine refreshed, or a newer set of the same login was already there, and it may
/// go to `origin`), or `None` to deliver the answer.
async fn retry_set(
    inner: &Rc<Inner>,
    response: &web_sys::Response,
    generation: u64,
    origin: &Origin,
) -> Result<Option<TokenSet>, AuthError> {
    let dead = dead_token(&inner.config, response).await;
    let now = crate::browser::env::now_ms();
    let step = inner
        .session
        .borrow_mut()
        .handle_api_answer(now, generation, origin, dead)?;
    let step = match step {
        ApiStep::Wait(op) => {
            crate::browser::wait::settled(inner, op).await?;
            inner
                .session
                .borrow_mut()
                .after_refresh(generation, origin)?
        }
        other => other,
    };
    if step != ApiStep::Retry {
        return Ok(None);
    }
    // Read in the same turn as the decision: the set the session machine judged.
    Ok(Some(inner.current()?.0))
}

/// Tells the session machine how a retry to `origin` was answered (a dead token again
/// throttles that origin's refreshes).
async fn retried(inner: &Rc<Inner>, origin: &Origin, response: &web_sys::Response) {
    let dead = dead_token(&inner.config, response).await;
    let now = crate::browser::env::now_ms();
    inner
        .session
        .borrow_mut()
        .handle_retry_answer(now, origin, dead);
}

/// `auth.fetch` (and userinfo) with a DPoP-bound token: sent with a proof; a dead-token answer
/// gets the session machine's one shared refresh and one retry, as a Bearer request does.
pub(crate) async fn dpop_fetch(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<web_sys::Response, AuthError> {
    // The first request, then (after a dead-token answer and the session machine's refresh)
    // one more with the set it judged.
    let (mut tokens, generation) = inner.current()?;
    let origin = outgoing.origin();
    let mut after_refresh = false;
    loop {
        let response = send_api(inner, &outgoing, &tokens, may_retry).await?;
        let Some(origin) = &origin else {
            return Ok(response);
        };
        if after_refresh {
            // A 401 that still asks for a nonce after its one retry is no dead token either.
            if !dpop::wants_nonce(&response) {
                retried(inner, origin, &response).await;
            }
            return Ok(response);
        }
        if !may_retry || dpop::wants_nonce(&response) {
            return Ok(response);
        }
        match retry_set(inner, &response, generation, origin).await? {
            None => return Ok(response),
            Some(fresh) => tokens = fresh,
        }
        after_refresh = true;
    }
}

/// An app request (`auth.fetch`, userinfo) with a DPoP-bound token: `Authorization: DPoP`
/// and a proof with `ath`. A 401 asking for a nonce (`WWW-Authenticate: DPoP
/// error="use_dpop_nonce"` with a new `DPoP-Nonce`) is retried exactly once with it — it is
/// not a dead token. `may_retry`: the body can be sent twice (not a stream).
async fn send_api(
    inner: &Inner,
    outgoing: &Outgoing,
    tokens: &TokenSet,
    may_retry: bool,
) -> Result<web_sys::Response, AuthError> {
    // A set that is not DPoP-bound (a refresh answered Bearer under "if-supported") goes as
    // Bearer, without a proof.
    let key = match tokens.dpop {
        false => None,
        true => Some(inner.dpop.key().ok_or_else(|| {
            AuthError::config(
                "dpop",
                "the session's DPoP key is not in this tab (it was not shared with it)",
            )
        })?),
    };
    let access = tokens.access_token.secret();
    let url = outgoing.url();
    let method = outgoing.method();
    let mut may_retry = may_retry && key.is_some();
    loop {
        let started = match &key {
            Some(key) => {
                let p = dpop::proof(&inner.dpop, key, &method, &url, Some(access)).await?;
                outgoing.start_with(&["DPoP ", access].concat(), Some(&p))?
            }
            None => outgoing.start(access)?,
        };
        let response = match (outgoing.finish(started).await, &key) {
            (Err(e), Some(_)) => return Err(dpop::with_cors_hint(e)),
            (answer, _) => answer?,
        };
        let nonce = response.headers().get("DPoP-Nonce").ok().flatten();
        let fresh = key.is_some() && dpop::note_nonce(&inner.dpop, &url, nonce.as_deref());
        if may_retry && fresh && dpop::wants_nonce(&response) {
            may_retry = false;
            continue;
        }
        return Ok(response);
    }
}

/// Whether an API answer says the token is dead, by the provider profile's rule (401; for
/// Salesforce also a 403 `Bad_OAuth_Token`). A 403's body is peeked at through a clone, so the
/// caller can still read it.
async fn dead_token(config: &ClientConfig, response: &web_sys::Response) -> bool {
    let status = response.status();
    let body_start = if status == 403 {
        match web_sys::Response::clone(response) {
            Ok(peek) => net::text(&peek)
                .await
                .ok()
                .map(|t| t.chars().take(DEAD_BODY_CHARS).collect::<String>()),
            Err(_) => None,
        }
    } else {
        None
    };
    config.profile().dead_token(status, body_start.as_deref())
}

/// The UserInfo claims with a DPoP-bound token: sent with a proof, refreshing once on a dead
/// token.
pub(crate) async fn userinfo(
    inner: &Rc<Inner>,
    endpoint: String,
    init: JsValue,
) -> Result<JsValue, AuthError> {
    let outgoing = Outgoing::Url {
        url: endpoint,
        init: Some(init.unchecked_into()),
    };
    let (tokens, _) = inner.current()?;
    let response = dpop_fetch(inner, outgoing, true).await?;
    let status = response.status();
    let text = net::text(&response).await.map_err(|e| AuthError::Network {
        reason: [
            "reading the userinfo answer failed: ",
            &net::describe_js_error(&e),
        ]
        .concat(),
    })?;
    process_userinfo_response(&tokens, status, &text, &BrowserJson)?;
    js_sys::JSON::parse(&text).map_err(|_| AuthError::UserinfoFailed { status })
}
