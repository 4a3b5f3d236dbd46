//! The session machine's requests from a DPoP or `verifyIdTokenSignature` client (cargo
//! feature `dpop`): each sent by the executor's `request` with a proof signed first, a token
//! endpoint's `use_dpop_nonce` answer retried once with the new nonce, and a token endpoint
//! answer's id_token signature checked (the provider's JWKS fetched the same way, the signature
//! verified through WebCrypto). Nothing awaits: each step's promise goes to the executor and
//! its outcome to the next step (`dpop::State::after`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::browser::dpop::{self, Done, Key, State};
use crate::browser::exec::{self, Answer};
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Purpose};
use crate::core::config::ClientConfig;
use crate::core::dpop::token_wants_nonce;
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;
use crate::core::jwks::{self, KeyChoice, PublicKey, SignedToken};
use crate::core::refused::refused_answer_tokens;
use crate::core::session::HttpAnswer;

/// One core request on its way: what it needs from one send to the next.
struct Sending {
    state: Rc<State>,
    config: Rc<ClientConfig>,
    key: Option<Rc<Key>>,
    request: HttpRequest,
    purpose: Purpose,
    /// The one retry with a new nonce is still allowed.
    may_retry: bool,
}

/// Sends one of the session machine's requests from a DPoP or `verifyIdTokenSignature` client
/// (a proof signed first; for a token endpoint answer, its id_token's signature checked);
/// `done` gets the answer. The key is the one held now: a logout drops it before its
/// revocations are on the wire.
pub(crate) fn send_for(
    state: &Rc<State>,
    config: &Rc<ClientConfig>,
    purpose: Purpose,
    request: HttpRequest,
    done: Done<HttpAnswer>,
) {
    let config = config.clone();
    let key = state.key();
    let sending = Sending {
        state: state.clone(),
        config: config.clone(),
        may_retry: key.is_some(),
        key,
        request: request.clone(),
        purpose,
    };
    let (state, checked) = (state.clone(), purpose == Purpose::Token);
    send(
        sending,
        Box::new(move |answer| match answer {
            Ok((status, body)) if checked => {
                check_answer(&state, &config, &request, status, body, done)
            }
            answer => done(answer.map(|(status, body)| HttpAnswer { status, body })),
        }),
    );
}

/// Sends it, with a proof when there is a key: a 400 `use_dpop_nonce` with a new `DPoP-Nonce`
/// is sent once more with it. No answer with a proof attached is a `network_error` that names
/// CORS, the likely cause.
fn send(s: Sending, then: Done<(u16, String)>) {
    let Some(key) = s.key.clone() else {
        return post(s, None, then);
    };
    let (method, url) = (s.request.method.as_str(), s.request.url.clone());
    let state = s.state.clone();
    state.proof_then(
        &key,
        method,
        &url,
        None,
        Box::new(move |proof| match proof {
            Ok(p) => post(s, Some(p), then),
            Err(e) => then(Err(e)),
        }),
    );
}

fn post(mut s: Sending, proof: Option<String>, then: Done<(u16, String)>) {
    let mut request = s.request.clone();
    if let Some(p) = proof {
        request.headers.push(("DPoP", p));
    }
    let sent = exec::request_promise(&request, s.config.timeout_ms, s.purpose.body_cap());
    let state = s.state.clone();
    state.after(
        &sent,
        Box::new(
            move |got| match exec::answer_of(&got.unwrap_or(JsValue::UNDEFINED)) {
                Answer::None(detail, timed_out) => {
                    let hint = s.config.profile().token_network_hint();
                    let e = net::network(s.purpose, &s.request.url, &detail, timed_out, hint);
                    then(Err(match s.key {
                        Some(_) => dpop::with_cors_hint(e),
                        None => e,
                    }))
                }
                Answer::Got(status, body, nonce) => {
                    let fresh =
                        s.key.is_some() && s.state.note_nonce(&s.request.url, nonce.as_deref());
                    if s.may_retry && fresh && token_wants_nonce(status, &body, &BrowserJson) {
                        s.may_retry = false;
                        return send(s, then);
                    }
                    then(Ok((status, body)))
                }
            },
        ),
    );
}

/// A token endpoint answer with `verifyIdTokenSignature`: its id_token's signature checked
/// with the provider's keys (one refetch on an unknown `kid`). A refused signature replaces
/// the answer with `invalid_token_response`, carrying the answer's tokens for the session
/// machine to revoke; everything else is the session machine's.
fn check_answer(
    state: &Rc<State>,
    config: &Rc<ClientConfig>,
    request: &HttpRequest,
    status: u16,
    body: String,
    done: Done<HttpAnswer>,
) {
    let jwt = match config.verify_id_token_signature && (200..300).contains(&status) {
        true => jwks::id_token_of(&body, &BrowserJson),
        false => None,
    };
    let Some(jwt) = jwt else {
        return done(Ok(HttpAnswer { status, body }));
    };
    let token = match jwks::signed_token(&jwt, &BrowserJson) {
        Ok(t) => Rc::new(t),
        Err(e) => return done(Err(e)),
    };
    let request = request.clone();
    with_keys(
        state,
        config,
        token,
        false,
        Box::new(move |r| {
            done(match r {
                Ok(()) => Ok(HttpAnswer { status, body }),
                Err(e) => Err(e.revoking(refused_answer_tokens(&request, &body, &BrowserJson))),
            })
        }),
    );
}

/// Verifies `token` with the provider's keys: those held, or fetched now (`fresh`: they were
/// just fetched, so an unknown `kid` fetches no more).
fn with_keys(
    state: &Rc<State>,
    config: &Rc<ClientConfig>,
    token: Rc<SignedToken>,
    fresh: bool,
    then: Done<()>,
) {
    let held = state.jwks.borrow().clone();
    let Some(keys) = held else {
        // The provider's signature keys, from its `jwks_uri`.
        let Some(url) = config.endpoints.jwks.clone() else {
            return then(Err(AuthError::config(
                "jwksUri",
                "verifyIdTokenSignature needs the provider's jwks_uri",
            )));
        };
        let sending = Sending {
            state: state.clone(),
            config: config.clone(),
            key: None,
            request: HttpRequest::get_json(url),
            purpose: Purpose::Jwks,
            may_retry: false,
        };
        let (st, cf) = (state.clone(), config.clone());
        return send(
            sending,
            Box::new(move |r| {
                let keys = r.and_then(|(status, body)| {
                    if !(200..300).contains(&status) {
                        return Err(jwks::refused("the provider's jwks_uri did not answer 200"));
                    }
                    jwks::parse_jwks(&body, &BrowserJson)
                });
                match keys {
                    Ok(keys) => {
                        *st.jwks.borrow_mut() = Some(Rc::new(keys));
                        with_keys(&st, &cf, token, true, then)
                    }
                    Err(e) => then(Err(e)),
                }
            }),
        );
    };
    match jwks::choose_key(&keys, &token, fresh) {
        KeyChoice::Use(k) => verify(state, k, &token, then),
        KeyChoice::Refetch => {
            state.jwks.borrow_mut().take();
            with_keys(state, config, token, fresh, then)
        }
        KeyChoice::None => then(Err(jwks::no_key(&token))),
    }
}

/// The signature checked with `key` through WebCrypto.
fn verify(state: &State, key: &PublicKey, token: &SignedToken, then: Done<()>) {
    let (kty, a, b) = match key {
        PublicKey::Rsa { n, e, .. } => ("RSA", n, e),
        PublicKey::Ec { x, y, .. } => ("EC", x, y),
    };
    let verifying = dpop::verify_jws(
        kty,
        a,
        b,
        token.alg.name(),
        &token.signing_input,
        &token.signature,
    );
    state.after(
        &verifying,
        Box::new(move |r| {
            then(match r {
                Ok(v) if v.as_bool() == Some(true) => Ok(()),
                Ok(_) => Err(jwks::bad_signature()),
                Err(_) => Err(jwks::refused("the provider's key could not be imported")),
            })
        }),
    );
}
