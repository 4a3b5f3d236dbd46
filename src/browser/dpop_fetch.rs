//! `auth.fetch` and userinfo with a DPoP-bound token (cargo feature `dpop`), on the executor's
//! one app-request path (`authorized` in `js/executor.js`): the executor asks for each send's
//! headers (`Authorization: DPoP` and a proof with `ath`: its signing input made here, signed
//! and joined by `js/dpop.js`'s `dpopSign`, a promise the executor waits on); it hands back each 401, 403 or answer with a
//! `DPoP-Nonce` to `fetch::dpop_answer`, where the core decides (`core::dpop::Attempt::step`:
//! one retry with a new nonce; the session machine's one shared refresh for a dead token, then
//! one retry).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::dpop;
use crate::browser::driver::{self, Inner};
use crate::core::dpop::Attempt;
use crate::core::error::AuthError;

/// The headers of a send to `url` with `method`, with the set held now (its generation
/// replaces `attempt`'s): the set's `Authorization` value alone when it is not DPoP-bound (a
/// Bearer send's retry, or a refresh answered Bearer under `"if-supported"`), else the promise
/// of "Authorization\nproof\nattempt" once the proof is signed (a Bearer send's retry too,
/// when its refresh answered a DPoP-bound set).
pub(crate) fn headers(
    inner: &Rc<Inner>,
    url: &str,
    method: &str,
    attempt: Attempt,
) -> Result<JsValue, AuthError> {
    // (Each refusal returned where it is found, not moved by `?`.) The set is read borrowed,
    // and the borrow ends before any call into JS (`new URL`, `getRandomValues`, `Date.now` for
    // the signing input — the nonces alone stay borrowed across it, which nothing takes mutably
    // from JS —, then `dpopSign`): a page's patched WebCrypto that calls back into the
    // client (a call that fails takes the session mutably to count it) finds it free. What the
    // proof needs of the set is copied out: its generation and its access token.
    let (access, generation, key) = {
        let session = inner.session.borrow();
        let Some(tokens) = session.tokens() else {
            return Err(AuthError::NotAuthenticated);
        };
        if !tokens.dpop {
            return Ok(JsValue::from_str(&driver::authorization(tokens)));
        }
        let Some(key) = inner.dpop.key() else {
            return Err(AuthError::config(
                "dpop",
                explained!(
                    "the session's DPoP key is not in this tab",
                    " (it was not shared with it)"
                ),
            ));
        };
        let access: String = tokens.access_token.secret().into();
        (access, session.generation(), key)
    };
    let input = match dpop::signing_input(&inner.dpop, &key, method, url, Some(&access)) {
        Ok(input) => input,
        Err(e) => return Err(e),
    };
    // (The executor reads the state as a number, `+s`: made one here.)
    let state = Attempt {
        generation,
        ..attempt
    }
    .number() as f64;
    // "DPoP access\nproof\nstate" once WebCrypto has signed it (a failure: its AuthError).
    Ok(key
        .sign_headers(&input, &access, state, inner.exec.js())
        .into())
}

/// [`headers`] for the executor, a failure as its JS error: a DPoP-bound request's first send
/// (dispatch 7), or its nonce retry.
pub(crate) fn for_send(inner: &Rc<Inner>, url: &str, method: &str, attempt: Attempt) -> JsValue {
    headers(inner, url, method, attempt).unwrap_or_else(|e| inner.failed(e))
}
