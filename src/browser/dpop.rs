//! DPoP (RFC 9449) and id_token signature checks in the browser (cargo feature `dpop`: the
//! `salesforce-pkce/dpop` and `salesforce-pkce/tabs` entries). Rust builds every proof
//! (`core::dpop`) and makes every decision; `js/dpop.js` only makes the key, signs and verifies
//! through WebCrypto. A page built without the feature loads none of it (`no_dpop.rs`).
//!
//! The key: ECDSA P-256, private part non-extractable, one per session, in this context's
//! memory only — made ahead (so that a popup login can send `dpop_jkt`), used for the code
//! exchange, dropped at logout and session end. In `"tabs-locks"` the CryptoKey object itself
//! travels with the token set to the other tabs (structured clone; its bits stay unreadable).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::driver::Inner;
use crate::browser::env;
use crate::browser::fetch::Outgoing;
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Purpose};
use crate::core::dpop::{self, Nonces, ProofFor, PublicJwk};
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;
use crate::core::jwks::{self, KeyChoice, PublicKey};
use crate::core::token::TokenSet;

#[wasm_bindgen(module = "/js/dpop.js")]
extern "C" {
    #[wasm_bindgen(js_name = dpopKey)]
    fn make_key() -> js_sys::Promise;
    #[wasm_bindgen(js_name = dpopSign)]
    fn sign(key: &JsValue, input: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = verifyJws)]
    fn verify_jws(jwk: &JsValue, alg: &str, input: &str, signature: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = receivedKey)]
    fn received_key(k: &JsValue) -> JsValue;
}

/// A proof key: the JS `{ pair, x, y }` (the CryptoKeyPair and the public coordinates) and
/// its public JWK. No `Debug`: nothing about it is worth printing.
pub(crate) struct Key {
    handle: JsValue,
    jwk: PublicJwk,
}

/// What a client keeps for DPoP and signature checks.
#[derive(Default)]
pub(crate) struct State {
    key: RefCell<Option<Rc<Key>>>,
    /// The key being made, if one is (so that two callers get one key).
    making: RefCell<Option<js_sys::Promise>>,
    nonces: RefCell<Nonces>,
    /// The provider's signature keys, fetched once per session.
    jwks: RefCell<Option<Rc<Vec<PublicKey>>>>,
}

impl State {
    pub(crate) fn new() -> Self {
        Self::default()
    }
}

fn crypto_error(what: &str, e: &JsValue) -> AuthError {
    AuthError::config(
        "dpop",
        [
            what,
            " failed (WebCrypto ECDSA P-256 is needed): ",
            &net::describe_js_error(e),
        ]
        .concat(),
    )
}

/// At construction: makes the session's key ahead of need, when DPoP is on.
pub(crate) fn start(inner: &Rc<Inner>) {
    // With the session worker, the worker holds the key (this tab makes one only if it falls
    // back to holding the session itself, before its code exchange).
    if inner.config.uses_dpop() && inner.remote().is_none() {
        let inner = inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = ensure_key(&inner).await {
                let _ = inner.reported::<()>(Err(e));
            }
        });
    }
}

/// The key, made now if there is none (before a code exchange).
pub(crate) async fn ensure_key(inner: &Rc<Inner>) -> Result<(), AuthError> {
    if !inner.config.uses_dpop() || inner.dpop.key.borrow().is_some() {
        return Ok(());
    }
    let promise = inner.dpop.making.borrow().clone();
    let promise = match promise {
        Some(p) => p,
        None => {
            let p = make_key();
            *inner.dpop.making.borrow_mut() = Some(p.clone());
            p
        }
    };
    let made = JsFuture::from(promise).await;
    inner.dpop.making.borrow_mut().take();
    let handle = made.map_err(|e| crypto_error("making the DPoP key", &e))?;
    if inner.dpop.key.borrow().is_none() {
        *inner.dpop.key.borrow_mut() = Some(Rc::new(key_of(handle)?));
    }
    Ok(())
}

fn key_of(handle: JsValue) -> Result<Key, AuthError> {
    let coordinate = |name: &str| {
        js_sys::Reflect::get(&handle, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let jwk = PublicJwk::new(&coordinate("x"), &coordinate("y"))?;
    Ok(Key { handle, jwk })
}

/// The session's key, if there is one (captured when a request is queued: logout drops it
/// before its revocations are on the wire).
pub(crate) fn key(inner: &Inner) -> Option<Rc<Key>> {
    inner.dpop.key.borrow().clone()
}

/// `dpop_jkt` for a login whose code this context will exchange with the key it holds now.
pub(crate) fn thumbprint(inner: &Inner) -> Option<String> {
    key(inner).map(|k| k.jwk.thumbprint())
}

/// The session ended (logout, expiry): its key, nonces and JWKS go; a new key is made for the
/// next login.
pub(crate) fn forget(inner: &Rc<Inner>) {
    let had = inner.dpop.key.borrow_mut().take().is_some();
    inner.dpop.nonces.borrow_mut().clear();
    inner.dpop.jwks.borrow_mut().take();
    if had {
        start(inner);
    }
}

/// The key to post with a token set to the other tabs (`"tabs-locks"`), or `undefined`.
#[cfg(feature = "sharing")]
pub(crate) fn shared_key(inner: &Inner) -> JsValue {
    key(inner).map_or(JsValue::UNDEFINED, |k| k.handle.clone())
}

/// Another tab's key, posted with the token set this tab just adopted (`"tabs-locks"`).
#[cfg(feature = "sharing")]
pub(crate) fn adopt(inner: &Inner, posted: &JsValue) {
    let k = received_key(posted);
    if k.is_null() || k.is_undefined() {
        return;
    }
    if let Ok(k) = key_of(k) {
        *inner.dpop.key.borrow_mut() = Some(Rc::new(k));
    }
}

/// A signed proof for `method url` (with `ath` for a resource request).
async fn proof(
    inner: &Inner,
    key: &Key,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<String, AuthError> {
    let jti = env::random_bytes::<16>()?;
    let nonce = inner.dpop.nonces.borrow().for_url(url).map(str::to_owned);
    let input = dpop::proof_signing_input(
        &key.jwk,
        &ProofFor {
            method,
            url,
            now_ms: env::now_ms(),
            jti: &jti,
            access_token,
            nonce: nonce.as_deref(),
        },
    )?;
    let signature = JsFuture::from(sign(&key.handle, &input))
        .await
        .map_err(|e| crypto_error("signing the DPoP proof", &e))?;
    let signature = js_sys::Uint8Array::new(&signature).to_vec();
    dpop::finish_proof(&input, &signature)
}

/// Remembers a `DPoP-Nonce` the answer carries; whether it is new for `url`'s origin.
fn note_nonce(inner: &Inner, url: &str, headers: &web_sys::Headers) -> bool {
    match headers.get("DPoP-Nonce").ok().flatten() {
        Some(n) => inner.dpop.nonces.borrow_mut().remember_new(url, &n),
        None => false,
    }
}

/// A token or revocation request, with a proof when `key` is given: a 400 `use_dpop_nonce`
/// with a new `DPoP-Nonce` is retried exactly once with it. No answer with a proof attached
/// is a `network_error` that names CORS, the likely cause.
async fn send_core(
    inner: &Inner,
    key: Option<&Key>,
    request: &HttpRequest,
    purpose: Purpose,
    hint: Option<&'static str>,
) -> Result<(u16, String), AuthError> {
    // One await of each kind (a proof, a send), so the wasm holds one copy of each.
    let mut may_retry = key.is_some();
    loop {
        let mut req = request.clone();
        if let Some(key) = key {
            let p = proof(inner, key, req.method.as_str(), &req.url, None).await?;
            req.headers.push(("DPoP", p));
        }
        let sent = net::send(&req, inner.config.timeout_ms, purpose, hint).await;
        let (status, body, headers) = match (sent, key) {
            (Err(e), Some(_)) => return Err(with_cors_hint(e)),
            (sent, _) => sent?,
        };
        let fresh = key.is_some() && note_nonce(inner, &req.url, &headers);
        if may_retry && fresh && dpop::token_wants_nonce(status, &body, &BrowserJson) {
            may_retry = false;
            continue;
        }
        return Ok((status, body));
    }
}

fn with_cors_hint(e: AuthError) -> AuthError {
    match e {
        AuthError::Network { reason } => AuthError::Network {
            reason: reason + dpop::CORS_HINT,
        },
        other => other,
    }
}

/// What the session machine's request got: sent with a proof when there is a key, and for a
/// token endpoint answer with `verifyIdTokenSignature`, its id_token's signature checked.
pub(crate) async fn send_checked(
    inner: &Inner,
    key: Option<Rc<Key>>,
    request: &HttpRequest,
    purpose: Purpose,
    hint: Option<&'static str>,
) -> Result<(u16, String), AuthError> {
    let answer = send_core(inner, key.as_deref(), request, purpose, hint).await;
    if purpose == Purpose::Token {
        check_answer(inner, answer).await
    } else {
        answer
    }
}

/// `auth.fetch` (and userinfo) with a DPoP-bound token: sent with a proof; a dead-token answer
/// gets the session machine's one shared refresh and one retry, as a Bearer request does.
pub(crate) async fn fetch(
    inner: &Rc<Inner>,
    outgoing: Outgoing,
    may_retry: bool,
) -> Result<web_sys::Response, AuthError> {
    // One send await in a loop: the first request, then (after a dead-token answer and the
    // session machine's refresh) one more with the new token.
    let mut after_refresh = false;
    loop {
        let (tokens, generation) = inner.current()?;
        let response = send_api(inner, &outgoing, &tokens, may_retry).await?;
        // A 401 that still asks for a nonce after its one retry is no dead token.
        if after_refresh || !may_retry || wants_nonce(&response) {
            return Ok(response);
        }
        if crate::browser::fetch::retry_token(inner, &response, generation)
            .await?
            .is_none()
        {
            return Ok(response);
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
        true => Some(key(inner).ok_or_else(|| {
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
                let p = proof(inner, key, &method, &url, Some(access)).await?;
                outgoing.start_with(&["DPoP ", access].concat(), Some(&p))?
            }
            None => outgoing.start(access)?,
        };
        let response = match (outgoing.finish(started).await, &key) {
            (Err(e), Some(_)) => return Err(with_cors_hint(e)),
            (answer, _) => answer?,
        };
        let fresh = key.is_some() && note_nonce(inner, &url, &response.headers());
        if may_retry && fresh && wants_nonce(&response) {
            may_retry = false;
            continue;
        }
        return Ok(response);
    }
}

/// A resource's 401 that asks for a nonce (not a dead token).
fn wants_nonce(response: &web_sys::Response) -> bool {
    response.status() == 401
        && response
            .headers()
            .get("WWW-Authenticate")
            .ok()
            .flatten()
            .is_some_and(|w| dpop::resource_wants_nonce(&w))
}

/// A token endpoint answer with `verifyIdTokenSignature`: its id_token's signature checked
/// with the provider's keys (one refetch on an unknown `kid`). A refused signature replaces
/// the answer with `invalid_token_response`; everything else is the session machine's.
async fn check_answer(
    inner: &Inner,
    answer: Result<(u16, String), AuthError>,
) -> Result<(u16, String), AuthError> {
    let (status, body) = answer?;
    if !inner.config.verify_id_token_signature || !(200..300).contains(&status) {
        return Ok((status, body));
    }
    if let Some(jwt) = jwks::id_token_of(&body, &BrowserJson) {
        verify_id_token(inner, &jwt).await?;
    }
    Ok((status, body))
}

async fn verify_id_token(inner: &Inner, jwt: &str) -> Result<(), AuthError> {
    let token = jwks::signed_token(jwt, &BrowserJson)?;
    let mut fresh = false;
    let key = loop {
        let cached = inner.dpop.jwks.borrow().clone();
        let keys = match cached {
            Some(k) => k,
            None => {
                fresh = true;
                let k = Rc::new(fetch_jwks(inner).await?);
                *inner.dpop.jwks.borrow_mut() = Some(k.clone());
                k
            }
        };
        match jwks::choose_key(&keys, &token, fresh) {
            KeyChoice::Use(k) => break k.clone(),
            KeyChoice::Refetch => {
                inner.dpop.jwks.borrow_mut().take();
            }
            KeyChoice::None => return Err(jwks::no_key(&token)),
        }
    };
    let jwk = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&jwk, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    match &key {
        PublicKey::Rsa { n, e, .. } => {
            set("kty", "RSA");
            set("n", n);
            set("e", e);
        }
        PublicKey::Ec { x, y, .. } => {
            set("kty", "EC");
            set("crv", "P-256");
            set("x", x);
            set("y", y);
        }
    }
    let verified = JsFuture::from(verify_jws(
        &jwk,
        token.alg.name(),
        &token.signing_input,
        &token.signature,
    ))
    .await
    .map_err(|_| {
        AuthError::token_response("id_token signature: the provider's key could not be imported")
    })?;
    if verified.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(jwks::bad_signature())
    }
}

async fn fetch_jwks(inner: &Inner) -> Result<Vec<PublicKey>, AuthError> {
    let url = inner.config.endpoints.jwks.clone().ok_or_else(|| {
        AuthError::config(
            "jwksUri",
            "verifyIdTokenSignature needs the provider's jwks_uri",
        )
    })?;
    let req = HttpRequest::get_json(url);
    let (status, body) = send_core(inner, None, &req, Purpose::Jwks, None).await?;
    if !(200..300).contains(&status) {
        return Err(AuthError::token_response(
            "id_token signature: the provider's jwks_uri did not answer 200",
        ));
    }
    jwks::parse_jwks(&body, &BrowserJson)
}
