//! DPoP (RFC 9449) and id_token signature checks in the browser (cargo feature `dpop`: the
//! `salesforce-pkce/dpop` and `salesforce-pkce/tabs` entries). Rust builds every proof
//! (`core::dpop`) and makes every decision; `js/dpop.js` only makes the key, signs and verifies
//! through WebCrypto. A page built without the feature loads none of it (`no_dpop.rs`).
//!
//! The key: ECDSA P-256, private part non-extractable, one per session, in this context's
//! memory only — made ahead (so that a popup login can send `dpop_jkt`), used for the code
//! exchange, dropped at logout and session end. In `"tabs-locks"` the CryptoKey object itself
//! travels with the token set to the other tabs (structured clone; its bits stay unreadable).
//!
//! Primitives over [`State`] and the configuration; the driver decides when a key is made and
//! dropped, and `fetch.rs` runs the `auth.fetch` loop with them.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::env;
use crate::browser::exec::Dispatch;
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Purpose};
use crate::core::config::ClientConfig;
use crate::core::dpop::{self, Nonces, ProofFor, PublicJwk};
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;
use crate::core::jwks::{self, KeyChoice, PublicKey};
use crate::core::refused::refused_answer_tokens;
use crate::core::session::HttpAnswer;

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
    /// Who waits for which promise handed to the executor, and the next key.
    thens: RefCell<Vec<(u32, Then)>>,
    keys: core::cell::Cell<u32>,
}

impl State {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The session's key, if there is one (captured when a request is queued: logout drops it
    /// before its revocations are on the wire).
    pub(crate) fn key(&self) -> Option<Rc<Key>> {
        self.key.borrow().clone()
    }

    /// `dpop_jkt` for a login whose code this context will exchange with the key it holds now.
    pub(crate) fn thumbprint(&self) -> Option<String> {
        self.key().map(|k| k.jwk.thumbprint())
    }

    /// The session ended (logout, expiry): its key, nonces and JWKS go. Whether there was a key
    /// (the driver then makes one for the next login).
    pub(crate) fn forget(&self) -> bool {
        let had = self.key.borrow_mut().take().is_some();
        self.nonces.borrow_mut().clear();
        self.jwks.borrow_mut().take();
        had
    }

    /// The key to post with a token set to the other tabs (`"tabs-locks"`), or `undefined`.
    #[cfg(feature = "sharing")]
    pub(crate) fn shared_key(&self) -> JsValue {
        self.key().map_or(JsValue::UNDEFINED, |k| k.handle.clone())
    }

    /// Whether another tab posted a key this tab can take (`js/dpop.js`'s `receivedKey`: a
    /// private, non-extractable ECDSA P-256 CryptoKey, with its public coordinates).
    #[cfg(feature = "sharing")]
    pub(crate) fn takes_key(posted: &JsValue) -> bool {
        let k = received_key(posted);
        !(k.is_null() || k.is_undefined()) && key_of(k).is_ok()
    }

    /// Another tab's key, posted with the token set this tab just adopted (`"tabs-locks"`).
    #[cfg(feature = "sharing")]
    pub(crate) fn adopt(&self, posted: &JsValue) {
        let k = received_key(posted);
        if k.is_null() || k.is_undefined() {
            return;
        }
        if let Ok(k) = key_of(k) {
            *self.key.borrow_mut() = Some(Rc::new(k));
        }
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

/// The key, made now if there is none (before a code exchange).
pub(crate) async fn ensure_key(state: &State, config: &ClientConfig) -> Result<(), AuthError> {
    if !config.uses_dpop() || state.key.borrow().is_some() {
        return Ok(());
    }
    let promise = state.making.borrow().clone();
    let promise = match promise {
        Some(p) => p,
        None => {
            let p = make_key();
            *state.making.borrow_mut() = Some(p.clone());
            p
        }
    };
    let made = JsFuture::from(promise).await;
    state.making.borrow_mut().take();
    let handle = made.map_err(|e| crypto_error("making the DPoP key", &e))?;
    if state.key.borrow().is_none() {
        *state.key.borrow_mut() = Some(Rc::new(key_of(handle)?));
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

/// The signing input of a proof for `method url` (with `ath` for a resource request): the
/// nonce held for the URL's origin, a fresh `jti`, `iat` now.
fn signing_input(
    state: &State,
    key: &Key,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<String, AuthError> {
    // `htu` names the URL `fetch` sends: the browser's normalisation of it (RFC 9449 §4.3 has
    // the server compare it with the request it received).
    let (url, _) =
        env::url(url, None).ok_or_else(|| AuthError::config("url", "not a valid URL"))?;
    let jti = env::random_bytes::<16>()?;
    let nonce = state.nonces.borrow().for_url(&url).map(str::to_owned);
    dpop::proof_signing_input(
        &key.jwk,
        &ProofFor {
            method,
            url: &url,
            now_ms: env::now_ms(),
            jti: &jti,
            access_token,
            nonce: nonce.as_deref(),
        },
    )
}

/// The proof from its signing input and what `dpopSign` gave (the signature, one character
/// per byte, or why it failed).
fn signed(input: &str, got: Result<JsValue, JsValue>) -> Result<String, AuthError> {
    let signature = got.map_err(|e| crypto_error("signing the DPoP proof", &e))?;
    let bytes: Vec<u8> = signature
        .as_string()
        .unwrap_or_default()
        .chars()
        .map(|c| c as u8)
        .collect();
    dpop::finish_proof(input, &bytes)
}

/// A signed proof for `method url` (with `ath` for a resource request).
pub(crate) async fn proof(
    state: &State,
    key: &Key,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<String, AuthError> {
    let input = signing_input(state, key, method, url, access_token)?;
    let got = JsFuture::from(sign(&key.handle, &input)).await;
    signed(&input, got)
}

/// What runs when a promise handed to the executor settles.
type Then = Box<dyn FnOnce(Result<JsValue, JsValue>)>;

/// Keys of the promises this module hands the executor: apart from the client's own
/// (`Inner::key` counts up from 1).
const KEYS: u32 = 0x8000_0000;

impl State {
    /// Hands `promise` to the client's executor (`exec`); `then` runs with its outcome (the
    /// client's dispatch function brings it back through [`handle_then`](Self::handle_then)).
    fn after(&self, exec: &Dispatch, promise: &JsValue, then: Then) {
        let key = KEYS | self.keys.get();
        self.keys.set(self.keys.get().wrapping_add(1) & !KEYS);
        self.thens.borrow_mut().push((key, then));
        exec.then(key, promise);
    }

    /// A promise handed over by [`after`](Self::after) settled.
    pub(crate) fn handle_then(&self, key: u32, result: Result<JsValue, JsValue>) {
        let then = {
            let mut list = self.thens.borrow_mut();
            let Some(i) = list.iter().position(|(k, _)| *k == key) else {
                return;
            };
            list.swap_remove(i).1
        };
        then(result);
    }

    /// Signs a proof for `method url` (with `ath` for a resource request); `then` gets it
    /// once WebCrypto has signed (through the executor: no closure per proof).
    pub(crate) fn proof_then(
        &self,
        exec: &Dispatch,
        key: &Key,
        method: &str,
        url: &str,
        access_token: Option<&str>,
        then: Box<dyn FnOnce(Result<String, AuthError>)>,
    ) {
        match signing_input(self, key, method, url, access_token) {
            Ok(input) => {
                let signing = sign(&key.handle, &input);
                self.after(
                    exec,
                    &signing,
                    Box::new(move |got| then(signed(&input, got))),
                );
            }
            Err(e) => then(Err(e)),
        }
    }
}

/// Remembers a `DPoP-Nonce` the answer carries; whether it is new for `url`'s origin.
pub(crate) fn note_nonce(state: &State, url: &str, nonce: Option<&str>) -> bool {
    match nonce {
        Some(n) => state.nonces.borrow_mut().remember_new(url, n),
        None => false,
    }
}

/// A token or revocation request, with a proof when `key` is given: a 400 `use_dpop_nonce`
/// with a new `DPoP-Nonce` is retried exactly once with it. No answer with a proof attached
/// is a `network_error` that names CORS, the likely cause.
async fn send_core(
    state: &State,
    config: &ClientConfig,
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
            let p = proof(state, key, req.method.as_str(), &req.url, None).await?;
            req.headers.push(("DPoP", p));
        }
        let sent = net::send(&req, config.timeout_ms, purpose, hint).await;
        let (status, body, headers) = match (sent, key) {
            (Err(e), Some(_)) => return Err(with_cors_hint(e)),
            (sent, _) => sent?,
        };
        let fresh = key.is_some() && note_nonce(state, &req.url, headers.as_deref());
        if may_retry && fresh && dpop::token_wants_nonce(status, &body, &BrowserJson) {
            may_retry = false;
            continue;
        }
        return Ok((status, body));
    }
}

/// Sends one of the session machine's requests from a DPoP or `verifyIdTokenSignature` client
/// (a proof signed first, the id_token's signature checked after: both wait on WebCrypto);
/// `done` gets the answer. The key is the one held now: a logout drops it before its
/// revocations are on the wire.
pub(crate) fn send_for(
    state: &Rc<State>,
    config: &ClientConfig,
    purpose: Purpose,
    request: HttpRequest,
    done: Box<dyn FnOnce(Result<HttpAnswer, AuthError>)>,
) {
    let (state, config) = (state.clone(), config.clone());
    let key = state.key();
    wasm_bindgen_futures::spawn_local(async move {
        let hint = config.profile().token_network_hint();
        let answer = send_checked(&state, &config, key, &request, purpose, hint)
            .await
            .map(|(status, body)| HttpAnswer { status, body });
        done(answer);
    });
}

/// A request with a proof that got no answer: CORS refusing the `DPoP` header is the likely cause.
pub(crate) fn with_cors_hint(e: AuthError) -> AuthError {
    match e {
        AuthError::Network { reason } => AuthError::Network {
            reason: reason + dpop::CORS_HINT,
        },
        other => other,
    }
}

/// What the session machine's request got: sent with a proof when there is a key, and for a
/// token endpoint answer with `verifyIdTokenSignature`, its id_token's signature checked.
async fn send_checked(
    state: &State,
    config: &ClientConfig,
    key: Option<Rc<Key>>,
    request: &HttpRequest,
    purpose: Purpose,
    hint: Option<&'static str>,
) -> Result<(u16, String), AuthError> {
    let answer = send_core(state, config, key.as_deref(), request, purpose, hint).await;
    if purpose == Purpose::Token {
        check_answer(state, config, request, answer).await
    } else {
        answer
    }
}

/// A token endpoint answer with `verifyIdTokenSignature`: its id_token's signature checked
/// with the provider's keys (one refetch on an unknown `kid`). A refused signature replaces
/// the answer with `invalid_token_response`, carrying the answer's tokens for the session
/// machine to revoke; everything else is the session machine's.
async fn check_answer(
    state: &State,
    config: &ClientConfig,
    request: &HttpRequest,
    answer: Result<(u16, String), AuthError>,
) -> Result<(u16, String), AuthError> {
    let (status, body) = answer?;
    if !config.verify_id_token_signature || !(200..300).contains(&status) {
        return Ok((status, body));
    }
    if let Some(jwt) = jwks::id_token_of(&body, &BrowserJson) {
        verify_id_token(state, config, &jwt)
            .await
            .map_err(|e| e.revoking(refused_answer_tokens(request, &body, &BrowserJson)))?;
    }
    Ok((status, body))
}

async fn verify_id_token(state: &State, config: &ClientConfig, jwt: &str) -> Result<(), AuthError> {
    let token = jwks::signed_token(jwt, &BrowserJson)?;
    let mut fresh = false;
    let key = loop {
        let cached = state.jwks.borrow().clone();
        let keys = match cached {
            Some(k) => k,
            None => {
                fresh = true;
                let k = Rc::new(fetch_jwks(state, config).await?);
                *state.jwks.borrow_mut() = Some(k.clone());
                k
            }
        };
        match jwks::choose_key(&keys, &token, fresh) {
            KeyChoice::Use(k) => break k.clone(),
            KeyChoice::Refetch => {
                state.jwks.borrow_mut().take();
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

async fn fetch_jwks(state: &State, config: &ClientConfig) -> Result<Vec<PublicKey>, AuthError> {
    let url = config.endpoints.jwks.clone().ok_or_else(|| {
        AuthError::config(
            "jwksUri",
            "verifyIdTokenSignature needs the provider's jwks_uri",
        )
    })?;
    let req = HttpRequest::get_json(url);
    let (status, body) = send_core(state, config, None, &req, Purpose::Jwks, None).await?;
    if !(200..300).contains(&status) {
        return Err(AuthError::token_response(
            "id_token signature: the provider's jwks_uri did not answer 200",
        ));
    }
    jwks::parse_jwks(&body, &BrowserJson)
}
