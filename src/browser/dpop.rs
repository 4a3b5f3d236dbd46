//! DPoP (RFC 9449) and id_token signature checks in the browser (cargo feature `dpop`: the
//! `salesforce-pkce/dpop` and `salesforce-pkce/tabs` entries). Rust builds every proof's
//! signing input (`core::dpop`) and makes every decision; `js/dpop.js` only makes the key, signs
//! (the signature appended base64url to the signing input, as `core::dpop::finish_proof` does)
//! and verifies through WebCrypto. A page built without the feature loads none of it (`no_dpop.rs`).
//!
//! The key: ECDSA P-256, private part non-extractable, one per session, in this context's
//! memory only — made ahead (so that a popup login can send `dpop_jkt`), used for the code
//! exchange, dropped at logout and session end. In `"tabs-locks"` the CryptoKey object itself
//! travels with the token set to the other tabs (structured clone; its bits stay unreadable).
//!
//! Nothing here awaits: what the key, the nonces and the provider's keys are, and the proofs'
//! signing inputs. The driver hands each WebCrypto promise to the client's executor with its
//! own continuations (`driver/dpop_send.rs`: the key made, the core's requests sent, the
//! id_token checked); `dpop_fetch.rs` makes the headers of `auth.fetch`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::browser::env;
use crate::browser::sys::Promise;
use crate::core::dpop::{self, Nonces, ProofFor, PublicJwk};
use crate::core::error::AuthError;
use crate::core::jwks::PublicKey;

#[wasm_bindgen(module = "/js/dpop.js")]
extern "C" {
    /// Given `undefined`, a new key: the promise of `{ pair, x, y }`, or of why not; given a
    /// key it made, its public coordinates "x\ny" (one import for both: [`make_key`] and, in
    /// the `./dpop` entry, `received_key`).
    #[wasm_bindgen(js_name = dpopKey)]
    fn dpop_key(k: &JsValue) -> JsValue;
    /// The promise of the proof of `input` (the input, a dot, its ES256 signature base64url)
    /// or, given the client's `dispatch`, of "DPoP `access`\nproof\n`state`" (`auth.fetch`'s
    /// headers); a failure rejects with its description, or with the AuthError dispatch 19
    /// makes of it.
    #[wasm_bindgen(js_name = dpopSign)]
    fn sign(key: &JsValue, input: &str, access: &str, state: f64, dispatch: &JsValue) -> Promise;
    /// Whether `signature` over `input` verifies with the public key `kty` (`a`, `b`: RSA's
    /// `n`, `e` for RS256 or EC's `x`, `y` for ES256): the promise of true or false.
    #[wasm_bindgen(js_name = verifyJws)]
    pub(crate) fn verify_jws(kty: &str, a: &str, b: &str, input: &str, signature: &[u8])
    -> Promise;
}

/// A new key (`dpopKey`): the promise of `{ pair, x, y }`, or of why not.
fn make_key() -> JsValue {
    dpop_key(&JsValue::UNDEFINED)
}

/// The public coordinates "x\ny" of a key `dpopKey` made (no other key comes in without
/// session sharing).
#[cfg(not(feature = "sharing"))]
fn received_key(k: &JsValue) -> JsValue {
    dpop_key(k)
}

#[cfg(feature = "sharing")]
#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    /// The public coordinates "x\ny" of a key object that is what `dpopKey` makes (this
    /// context's, or one another tab posted), else null.
    #[wasm_bindgen(js_name = receivedKey)]
    fn received_key(k: &JsValue) -> JsValue;
}

/// A proof key: the JS `{ pair, x, y }` (the CryptoKeyPair and the public coordinates), and
/// what its public JWK gives (checked once, when the key is taken). No `Debug`: nothing about it is worth printing.
pub(crate) struct Key {
    handle: JsValue,
    /// Its public JWK's thumbprint (`dpop_jkt`).
    jkt: String,
    /// Every proof's header, base64url (`PublicJwk::proof_header`).
    header: String,
}

impl Key {
    /// The promise of the proof of a signing input (`dpopSign`; [`signed`] reads its outcome).
    pub(crate) fn sign(&self, input: &str) -> Promise {
        sign(&self.handle, input, "", 0.0, &JsValue::UNDEFINED)
    }

    /// The promise of `auth.fetch`'s headers, "DPoP `access`\nproof\n`state`", rejected with
    /// the AuthError of a failure (made by `dispatch`: [`sign_failed`]): no continuation of
    /// ours waits for it.
    pub(crate) fn sign_headers(
        &self,
        input: &str,
        access: &str,
        state: f64,
        dispatch: &JsValue,
    ) -> Promise {
        sign(&self.handle, input, access, state, dispatch)
    }
}

/// What a client keeps for DPoP and signature checks.
pub(crate) struct State {
    key: Cell<Option<Rc<Key>>>,
    /// The promise of the key being made, if one is (so that two callers get one key). A `Cell`:
    /// `dpopKey` calls the page's `crypto.subtle.generateKey` with nothing borrowed.
    making: Cell<Option<JsValue>>,
    nonces: RefCell<Nonces>,
    /// The provider's signature keys, fetched once per session.
    pub(crate) jwks: Cell<Option<Rc<Vec<PublicKey>>>>,
}

impl State {
    pub(crate) fn new() -> Self {
        State {
            key: Cell::new(None),
            making: Cell::new(None),
            nonces: RefCell::new(Nonces::default()),
            jwks: Cell::new(None),
        }
    }

    /// The session's key, if there is one (captured when a request is queued: logout drops it
    /// before its revocations are on the wire).
    pub(crate) fn key(&self) -> Option<Rc<Key>> {
        let key = self.key.take();
        self.key.set(key.clone());
        key
    }

    /// `dpop_jkt` for a login whose code this context will exchange with the key it holds now.
    pub(crate) fn thumbprint(&self) -> Option<String> {
        self.key().map(|k| k.jkt.clone())
    }

    /// The session ended (logout, expiry): its key, nonces and JWKS go. Whether there was a key
    /// (the driver then makes one for the next login).
    pub(crate) fn forget(&self) -> bool {
        let had = self.key.take().is_some();
        self.nonces.borrow_mut().clear();
        self.jwks.take();
        had
    }

    /// The key to post with a token set to the other tabs (`"tabs-locks"`), or `undefined`.
    #[cfg(feature = "sharing")]
    pub(crate) fn shared_key(&self) -> JsValue {
        self.key().map_or(JsValue::UNDEFINED, |k| k.handle.clone())
    }

    /// The key another tab posted, if this tab can take it (`js/tabs.js`'s `receivedKey`: a
    /// private, non-extractable ECDSA P-256 CryptoKey, with its public coordinates): read once.
    #[cfg(feature = "sharing")]
    pub(crate) fn received(posted: &JsValue) -> Option<Received> {
        key_of(posted.clone()).ok()
    }

    /// Another tab's key, posted with the token set this tab just adopted (`"tabs-locks"`).
    #[cfg(feature = "sharing")]
    pub(crate) fn adopt(&self, key: Received) {
        self.key.set(Some(key));
    }

    /// The promise of the key being made: the one under way, or a new one (`dpopKey`). Each
    /// caller hands it to the executor and gives the outcome to [`key_made`](Self::key_made):
    /// two callers wait for one key.
    pub(crate) fn making(&self) -> JsValue {
        let making = self.making.take().unwrap_or_else(make_key);
        self.making.set(Some(making.clone()));
        making
    }

    /// The key `dpopKey` made (or why not): kept unless one is held already (the first
    /// caller's outcome keeps it, the others find it).
    pub(crate) fn key_made(&self, made: Result<JsValue, JsValue>) -> Result<(), AuthError> {
        self.making.take();
        // (Each refusal returned where it is found, not moved by `?` or `map_err`.)
        let handle = match made {
            Ok(handle) => handle,
            Err(e) => {
                return Err(crypto_error(
                    aside!(
                        "making the DPoP key failed",
                        " (WebCrypto ECDSA P-256 is needed)"
                    ),
                    &e,
                ));
            }
        };
        if self.key().is_none() {
            match key_of(handle) {
                Ok(key) => self.key.set(Some(key)),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Remembers a `DPoP-Nonce` an answer from `url` carries; whether it is new for its origin
    /// (the origin as the browser gives it: `url` is one a proof was made for, which `htu`
    /// parsed, so it is the origin our parser gives too).
    pub(crate) fn note_nonce(&self, url: &str, nonce: Option<&str>) -> bool {
        let Some(n) = nonce else { return false };
        let Some((_, origin)) = env::url(url, None) else {
            return false;
        };
        self.nonces.borrow_mut().remember_for_origin(&origin, n)
    }
}

/// A WebCrypto failure (`e`: `js/dpop.js`'s description of it).
pub(crate) fn crypto_error(what: &str, e: &JsValue) -> AuthError {
    AuthError::config(
        "dpop",
        [what, ": ", &e.as_string().unwrap_or_default()].cat(),
    )
}

/// A key another tab posted (`State::received`).
#[cfg(feature = "sharing")]
pub(crate) type Received = Rc<Key>;

/// The key `handle` holds, if it is what `dpopKey` makes (shared as it is kept: an `Rc`).
fn key_of(handle: JsValue) -> Result<Rc<Key>, AuthError> {
    let xy = received_key(&handle).as_string().unwrap_or_default();
    let (x, y) = xy.cut(b'\n').unwrap_or_default();
    let jwk = match PublicJwk::new(x, y) {
        Ok(jwk) => jwk,
        Err(e) => return Err(e),
    };
    Ok(Rc::new(Key {
        handle,
        jkt: jwk.thumbprint(),
        header: jwk.proof_header(),
    }))
}

/// The signing input of a proof for `method url` (with `ath` for a resource request): the
/// nonce held for the URL's origin, a fresh `jti`, `iat` now. The caller hands it to
/// [`Key::sign`], and [`signed`] makes the proof of both.
pub(crate) fn signing_input(
    state: &State,
    key: &Key,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<String, AuthError> {
    // `htu` names the URL `fetch` sends: the browser's normalisation of it (RFC 9449 §4.3 has
    // the server compare it with the request it received).
    let Some((url, origin)) = env::url(url, None) else {
        return Err(AuthError::config("url", "not a valid URL"));
    };
    let mut jti = [0; 16];
    if let Err(e) = env::fill_random(&mut jti) {
        return Err(e);
    }
    // (The time read before the nonces are borrowed: `Date.now` is the page's.)
    let now_ms = env::now_ms();
    let nonces = state.nonces.borrow();
    dpop::signing_input_after(
        &key.header,
        &ProofFor {
            method,
            url: &url,
            now_ms,
            jti: &jti,
            access_token,
            nonce: nonces.for_origin(&origin),
        },
    )
}

/// The proof `dpopSign` gave (WebCrypto signed the signing input; the signature, r || s,
/// appended base64url after a dot), or why it could not.
pub(crate) fn signed(got: Result<JsValue, JsValue>) -> Result<String, AuthError> {
    match got {
        Ok(proof) => Ok(proof.as_string().unwrap_or_default()),
        Err(e) => Err(sign_failed(&e)),
    }
}

/// WebCrypto could not sign a proof (`e`: `js/dpop.js`'s description of why).
pub(crate) fn sign_failed(e: &JsValue) -> AuthError {
    crypto_error(
        aside!(
            "signing the DPoP proof failed",
            " (WebCrypto ECDSA P-256 is needed)"
        ),
        e,
    )
}

/// A request with a proof that got no answer: CORS refusing the `DPoP` header is the likely cause.
pub(crate) fn with_cors_hint(mut e: AuthError) -> AuthError {
    if let AuthError::Network { reason } = &mut e {
        reason.push_str(dpop::CORS_HINT);
    }
    e
}
