//! `auth.fetch`'s requests. With a Bearer token the executor sends them (`authorized` in
//! `js/executor.js`) and hands a 401 or 403 back here, where the session machine decides
//! ([`dead_answer`]): deliver it, or retry once with the current token after its one shared
//! refresh. With a DPoP-bound token (cargo feature `dpop`) the same path, with each send's
//! headers (and proof) from `dpop_fetch.rs`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

#[cfg(feature = "dpop")]
use crate::browser::dpop_fetch;
pub(crate) use crate::browser::driver::Again;
use crate::browser::driver::{self, Call, Inner, Wait};
use crate::browser::json::Parsed;
use crate::browser::{env, net};
#[cfg(feature = "dpop")]
use crate::core::dpop::{Attempt, ResourceStep};
use crate::core::error::AuthError;
use crate::core::session::ApiStep;
use crate::core::token::TokenSet;
use crate::core::url::Origin;
use crate::core::userinfo::process_userinfo_response;

/// "The request to <origin> failed: <why>": an app request that got no answer.
pub(crate) fn request_failed(url: &str, detail: &str) -> AuthError {
    let origin = Origin::of(url).map(|o| o.serialize()).unwrap_or_default();
    AuthError::Network {
        reason: ["the request to ", &origin, " failed: ", detail].cat(),
    }
}

/// An app request's `init.method` (dispatch 20): undefined when `fetch` may send it
/// (`http::check_method`), else the error its caller's promise rejects with. Asked only when
/// the caller gave a method: a call without one makes no call into the wasm for it.
pub(crate) fn method_refused(inner: &Inner, method: &str) -> JsValue {
    match crate::core::http::check_method(method) {
        Ok(()) => JsValue::UNDEFINED,
        Err(e) => inner.failed(e),
    }
}

/// The executor's app request to `url` got no answer (`detail`) or could not be built (`None`):
/// the error its caller's promise rejects with (`proof`: it carried a DPoP proof, which CORS
/// may have refused: its CORS hint, when fetch's error says no answer came).
pub(crate) fn api_failed(inner: &Inner, url: &str, detail: Option<String>, proof: bool) -> JsValue {
    let e = match detail {
        // (A fetch that got no answer rejects with a TypeError; an AbortError or TimeoutError is
        // the caller's own signal, no CORS refusal. One call of `request_failed`: inlined.)
        #[cfg(feature = "dpop")]
        Some(d) => match (request_failed(url, &d), proof && d.starts_with("TypeError")) {
            (e, true) => crate::browser::dpop::with_cors_hint(e),
            (e, false) => e,
        },
        #[cfg(not(feature = "dpop"))]
        Some(d) => request_failed(url, &d),
        None => net::unbuildable(),
    };
    #[cfg(not(feature = "dpop"))]
    let _ = proof;
    inner.failed(e)
}

/// The executor's app request to `url`, sent with `generation`'s token, got a 401 or 403. The
/// session machine decides (a 403 that is not a dead token by the profile's rule is delivered;
/// a dead token is refreshed once for all callers; a retry only within the same login, to an
/// origin the current set allows). Back to the executor: null (deliver the response), the
/// Authorization value to retry with, or the promise of either (after the refresh). `retried`:
/// this was the retry's answer (the session machine is told, so that an origin that refuses
/// fresh tokens is throttled; nothing goes back). `again`: what to retry with once the session
/// machine says so ([`Again`]).
pub(crate) fn dead_answer(
    inner: &Rc<Inner>,
    generation: u64,
    url: &str,
    status: u16,
    body_start: Option<&str>,
    retried: bool,
    again: Again,
) -> JsValue {
    let Some(origin) = Origin::of(url) else {
        return JsValue::NULL;
    };
    let dead = inner.config.profile().dead_token(status, body_start);
    let now = env::now_ms();
    if retried {
        inner
            .session
            .borrow_mut()
            .handle_retry_answer(now, &origin, dead);
        return JsValue::NULL;
    }
    let step = inner
        .session
        .borrow_mut()
        .handle_api_answer(now, generation, &origin, dead);
    match step {
        Ok(ApiStep::Wait(op)) => {
            let (call, p) = inner.call();
            let wait = Wait::Refreshed {
                call,
                generation,
                origin,
                again,
            };
            driver::after(inner, op, wait);
            driver::pump(inner);
            p.into()
        }
        Ok(step) => retry_with(inner, step, again).unwrap_or_else(|e| inner.failed(e)),
        Err(e) => inner.failed(e),
    }
}

/// An app request sent with `generation`'s Bearer token got a 401 or 403 (`parts`: "URL\n…",
/// the form of [`dpop_answer`]'s), or its retry did (`retried`): [`dead_answer`], retried with
/// the current Authorization value. (The DPoP builds take [`dpop_answer`].)
#[cfg(not(feature = "dpop"))]
pub(crate) fn bearer_answer(
    inner: &Rc<Inner>,
    generation: u64,
    status: u16,
    parts: &str,
    body_start: Option<&str>,
    retried: bool,
) -> JsValue {
    // (The executor always sends the newlines.)
    let (url, _) = parts.cut(b'\n').unwrap_or_default();
    dead_answer(
        inner,
        generation,
        url,
        status,
        body_start,
        retried,
        Again::Bearer,
    )
}

/// The refresh a dead-token answer waited for settled (`r`; [`Wait::Refreshed`]): call `call`
/// settles with what `again` gives to retry with, when the session machine allows the retry.
pub(crate) fn refreshed(
    inner: &Rc<Inner>,
    call: Call,
    generation: u64,
    origin: Origin,
    again: Again,
    r: Result<(), AuthError>,
) {
    // Each failure settles the call where it is found (not chained: a copy each).
    if let Err(e) = r {
        return inner.finish(call, Err(e));
    }
    let step = inner
        .session
        .borrow_mut()
        .after_refresh(generation, &origin);
    match step {
        Ok(s) => inner.finish(call, retry_with(inner, s, again)),
        Err(e) => inner.finish(call, Err(e)),
    }
}

/// What a step means to the executor: null to deliver, or what `again` gives to retry with.
fn retry_with(inner: &Rc<Inner>, step: ApiStep, again: Again) -> Result<JsValue, AuthError> {
    match (step, again) {
        #[cfg(not(feature = "dpop"))]
        (ApiStep::Retry, Again::Bearer) => bearer_again(inner),
        // The headers for the set held now, DPoP-bound or not.
        #[cfg(feature = "dpop")]
        (ApiStep::Retry, Again::Dpop(parts)) => {
            let (url, method, _) = url_method(&parts);
            let attempt = Attempt {
                refreshed: true,
                ..Attempt::first(0)
            };
            dpop_fetch::headers(inner, url, method, attempt)
        }
        _ => Ok(JsValue::NULL),
    }
}

/// The URL and the method of the executor's "URL\nmethod\n…" text, and what follows them (the
/// executor always sends the newlines).
#[cfg(feature = "dpop")]
#[inline(always)]
fn url_method(parts: &str) -> (&str, &str, &str) {
    let (url, rest) = parts.cut(b'\n').unwrap_or_default();
    let (method, rest) = rest.cut(b'\n').unwrap_or_default();
    (url, method, rest)
}

/// An app request's 401 or 403 (dispatch 3, 4), or a DPoP-bound send's 401, 403 or answer with
/// a `DPoP-Nonce` (dispatch 8), in the DPoP builds (`parts`:
/// "URL\nmethod\nDPoP-Nonce\nWWW-Authenticate", the URL as the browser sends it, so without
/// newlines; `n`: the generation of a Bearer send's set, or the [`Attempt`] a DPoP-bound send's
/// headers gave; not read for dispatch 4). A DPoP-bound send's nonce is remembered
/// for the origin, and a `use_dpop_nonce` answer retried once with it; a dead-token answer goes
/// to the session machine ([`dead_answer`]; a Bearer retry's, dispatch 4, only told). Back to
/// the executor null (deliver), or the next send's headers: for the retry after the refresh,
/// those of the set held then, for the same URL and method (a refresh under `"if-supported"`
/// may answer a DPoP-bound set to a Bearer send: its retry goes with `Authorization: DPoP` and
/// a proof, never that token as Bearer).
#[cfg(feature = "dpop")]
pub(crate) fn dpop_answer(
    inner: &Rc<Inner>,
    kind: u32,
    n: f64,
    status: u16,
    parts: &str,
    body_start: Option<&str>,
) -> JsValue {
    let (url, method, rest) = url_method(parts);
    // A Bearer send's answer (3) or its retry's (4) is judged as a dead token.
    let mut attempt = Attempt {
        refreshed: kind == 4,
        ..Attempt::first(n as u64)
    };
    let mut step = ResourceStep::Judge;
    if kind == 8 {
        let (nonce, www) = rest.cut(b'\n').unwrap_or_default();
        attempt = Attempt::of_number(n as u64);
        let new_nonce = inner.dpop.note_nonce(url, Some(nonce));
        step = attempt.step(status, www, new_nonce);
    }
    match step {
        ResourceStep::Deliver => JsValue::NULL,
        ResourceStep::Nonce => {
            let again = Attempt {
                nonce_retried: true,
                ..attempt
            };
            dpop_fetch::for_send(inner, url, method, again)
        }
        ResourceStep::Judge => {
            let again = Again::Dpop(parts.to_owned());
            let retried = attempt.refreshed;
            dead_answer(
                inner,
                attempt.generation,
                url,
                status,
                body_start,
                retried,
                again,
            )
        }
    }
}

/// A Bearer request's retry: the current Authorization value (read in the same turn as the
/// decision: the set the session machine judged). The build without DPoP holds no DPoP-bound
/// set.
#[cfg(not(feature = "dpop"))]
fn bearer_again(inner: &Rc<Inner>) -> Result<JsValue, AuthError> {
    let session = inner.session.borrow();
    match session.tokens() {
        Some(tokens) => Ok(bearer_js(inner, tokens, session.generation())),
        None => Err(AuthError::NotAuthenticated),
    }
}

/// The Authorization value of the held set `tokens` (of `generation`) as a JS string: the one
/// made once per set for the fast path when it is this set's (a storm's calls, and without DPoP
/// its retries, share it instead of a copy each), else made now; null for a DPoP-bound set
/// (each send's headers, with a proof, come from the wasm: `dpop_fetch.rs`).
pub(crate) fn bearer_js(inner: &Inner, tokens: &TokenSet, generation: u64) -> JsValue {
    if tokens.dpop {
        return JsValue::NULL;
    }
    inner
        .hot_bearer(generation)
        .unwrap_or_else(|| JsValue::from_str(&driver::authorization(tokens)))
}

/// The UserInfo answer, from the executor (status `status` and text `text`, or with a negative
/// status, why it could not be read): its claims, or the error to reject with.
pub(crate) fn claims(inner: &Inner, status: f64, text: &str) -> JsValue {
    // Each failure is the one error given to `failed` (not a `Result` re-wrapped: a copy each).
    let e = 'failed: {
        if status < 0.0 {
            break 'failed AuthError::Network {
                reason: [
                    brief!(
                        "userinfo read failed: ",
                        "reading the userinfo answer failed: "
                    ),
                    text,
                ]
                .cat(),
            };
        }
        let status = status as u16;
        // Judged against the set held now: a retry stays within its login, so its `sub` too.
        // (Parsed before the borrow: the page's JSON.parse may call the client.)
        let json = Parsed::of(text);
        let judged = match inner.session.borrow().tokens() {
            Some(tokens) => process_userinfo_response(tokens, status, text, &json),
            None => Err(AuthError::NotAuthenticated),
        };
        if let Err(e) = judged {
            break 'failed e;
        }
        match crate::browser::json_parsed(text) {
            Some(claims) => return claims,
            None => AuthError::UserinfoFailed { status },
        }
    };
    inner.failed(e)
}
