//! `auth.fetch`'s requests: kept so that they can be sent again with a new token, sent with
//! the current one, and judged by the session machine when the answer says the token is dead.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[cfg(feature = "dpop")]
use crate::browser::dpop;
use crate::browser::driver::{self, Inner};
use crate::browser::net;
use crate::browser::remote::Remote;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::session::ApiStep;
use crate::core::token::TokenSet;
use crate::core::url::Origin;

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
    pub(crate) fn start(&self, token: &str) -> Result<js_sys::Promise, AuthError> {
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

    pub(crate) fn network(&self, e: &JsValue) -> AuthError {
        let origin = self.origin().map(|o| o.serialize()).unwrap_or_default();
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
    /// With a DPoP-bound token: not on the wire yet (its proof is signed first).
    #[cfg(feature = "dpop")]
    Dpop(Outgoing, bool),
}

/// An `auth.fetch` whose first request is already on the wire.
pub(crate) struct LocalFetch {
    outgoing: Outgoing,
    first: js_sys::Promise,
    generation: u64,
    may_retry: bool,
}

/// Sends a request with the current token (see [`finish_authorized`]).
pub(crate) async fn authorized_send(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<web_sys::Response, AuthError> {
    #[cfg(feature = "dpop")]
    if inner.dpop_bound() {
        return dpop_fetch(inner, outgoing, may_retry).await;
    }
    let started = start_authorized(inner, outgoing, may_retry)?;
    finish_authorized(inner, started).await
}

/// Puts the first request on the wire with the current token, synchronously.
pub(crate) fn start_authorized(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<LocalFetch, AuthError> {
    let (tokens, generation) = inner.current()?;
    let first = outgoing.start(tokens.access_token.secret())?;
    Ok(LocalFetch {
        outgoing,
        first,
        generation,
        may_retry,
    })
}

/// Waits for the first answer; on a dead-token answer asks the session machine, which
/// refreshes once for all concurrent callers, and retries once with the new token (only within
/// the same login, to an origin the new set allows), returning the retried response whatever
/// its status.
pub(crate) async fn finish_authorized(
    inner: &Rc<Inner>,
    started: LocalFetch,
) -> Result<web_sys::Response, AuthError> {
    let LocalFetch {
        outgoing,
        first,
        generation,
        may_retry,
    } = started;
    let response = outgoing.finish(first).await?;
    if !may_retry {
        return Ok(response);
    }
    let Some(origin) = outgoing.origin() else {
        return Ok(response);
    };
    match retry_set(inner, &response, generation, &origin).await? {
        None => Ok(response),
        Some(fresh) => {
            let again = outgoing.start(fresh.access_token.secret())?;
            let again = outgoing.finish(again).await?;
            retried(inner, &origin, &again).await;
            Ok(again)
        }
    }
}

/// Starts an `auth.fetch` here: on the wire now with a Bearer token; a DPoP-bound one is sent
/// once its proof is signed ([`dpop_fetch`]).
pub(crate) fn start_local(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<StartedFetch, AuthError> {
    #[cfg(feature = "dpop")]
    if inner.dpop_bound() {
        return Ok(StartedFetch::Dpop(outgoing, may_retry));
    }
    start_authorized(inner, outgoing, may_retry).map(StartedFetch::Local)
}

/// After an API answer sent to `origin` with `generation`'s set: the set to retry with (the
/// session machine refreshed, or a newer set of the same login was already there, and it may
/// go to `origin`), or `None` to deliver the answer.
pub(crate) async fn retry_set(
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
            let w = inner.watch(op);
            driver::pump(inner);
            driver::settled(inner, w).await?;
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

/// The JS fast path (`js/fetch.js`) met a 401 or 403 from `url`: the session machine decides
/// (a 403 that is not a dead token is delivered; a dead token is refreshed once for all
/// callers; a retry only within the same login, to an origin the current set allows), and this
/// returns the Authorization value to retry with, or `None` to deliver the response.
/// `retried`: this was the retry's answer (the session machine is told; `None`).
pub(crate) async fn after_dead_answer(
    inner: &Rc<Inner>,
    response: &web_sys::Response,
    generation: u64,
    url: &str,
    retried: bool,
) -> Result<Option<String>, AuthError> {
    let Ok(origin) = Origin::parse(url, "input") else {
        return Ok(None);
    };
    if retried {
        self::retried(inner, &origin, response).await;
        return Ok(None);
    }
    let fresh = retry_set(inner, response, generation, &origin).await?;
    Ok(fresh.map(|t| ["Bearer ", t.access_token.secret()].concat()))
}

/// Tells the session machine how a retry to `origin` was answered (a dead token again
/// throttles that origin's refreshes).
pub(crate) async fn retried(inner: &Rc<Inner>, origin: &Origin, response: &web_sys::Response) {
    let dead = dead_token(&inner.config, response).await;
    let now = crate::browser::env::now_ms();
    inner
        .session
        .borrow_mut()
        .handle_retry_answer(now, origin, dead);
}

/// `auth.fetch` (and userinfo) with a DPoP-bound token: sent with a proof; a dead-token answer
/// gets the session machine's one shared refresh and one retry, as a Bearer request does.
#[cfg(feature = "dpop")]
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
#[cfg(feature = "dpop")]
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
                .map(|t| t.chars().take(64).collect::<String>()),
            Err(_) => None,
        }
    } else {
        None
    };
    config.profile().dead_token(status, body_start.as_deref())
}
