//! The session machine's requests in a build with the DPoP add-on (cargo feature `dpop`: every one
//! goes here), and the DPoP key made and forgotten. Each is sent by the executor's `request`: with
//! a key, a proof signed first and a token endpoint's `use_dpop_nonce` answer retried once with the
//! new nonce; with `verifyIdTokenSignature`, a token endpoint answer's id_token signature checked
//! (the provider's JWKS fetched the same way, the signature verified through WebCrypto); with
//! neither, as the default build's `plain::send` sends it. Nothing awaits: each step's promise goes
//! to the executor with the client's own continuations ([`after_js`]), and its outcome to the next
//! step; the answer to the session machine with the request's `RequestId`.
//!
//! Each step runs from the executor's continuation (never synchronously within a call into the
//! client) and borrows nothing of the client while it calls the page: the page's `JSON.parse`,
//! which reads a `use_dpop_nonce` answer, the JWKS and an id_token under check here, may call the
//! client back (read it, or sign out) — E2E tests/e2e/reentry.test.mjs "DPoP's own reads".

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{Inner, Wait, after_js, respond};
use crate::browser::dpop::{self, Key};
use crate::browser::exec::{self, Answer};
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Purpose};
use crate::core::callback::ValidatedCallback;
use crate::core::dpop::token_wants_nonce;
use crate::core::error::AuthError;
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::json::Json;
use crate::core::jwks::{self, KeyChoice, PublicKey, SignedToken};
use crate::core::session::{HttpAnswer, RequestId};
use crate::core::token::refused_unless_held;

/// What goes on once the DPoP key is made.
pub(crate) enum Keyed {
    /// A validated callback's code exchange and the wait that goes on when it is settled, or
    /// with why the key could not be made (boxed: the key's continuation holds one pointer).
    Exchange(Box<(ValidatedCallback, Wait)>),
    /// Nothing (the key made ahead of need): a failure is an `error` event.
    Report,
}

/// Makes the key if there is none (ahead of need, and before a code exchange); what `keyed`
/// says goes on once there is one (or with why not). Two callers wait for one key.
pub(crate) fn ensure_key(inner: &Rc<Inner>, keyed: Keyed) {
    if !inner.config.uses_dpop() || inner.dpop.key().is_some() {
        return key_ready(inner, Ok(()), keyed);
    }
    after_js(
        inner,
        &inner.dpop.making(),
        Box::new(move |inner, made| {
            let r = inner.dpop.key_made(made);
            key_ready(inner, r, keyed)
        }),
    );
}

fn key_ready(inner: &Rc<Inner>, r: Result<(), AuthError>, keyed: Keyed) {
    match (keyed, r) {
        (Keyed::Exchange(x), Ok(())) => super::start_login(inner, &x.0, x.1),
        (Keyed::Exchange(x), Err(e)) => inner.resume(x.1, Err(e)),
        (Keyed::Report, Err(e)) => inner.report(&e),
        (Keyed::Report, Ok(())) => {}
    }
}

/// A session ended: its DPoP key goes (one is made for the next login) — unless a session is
/// held again (a waiting logout's event, emitted as a new login's session is installed:
/// `logout_before_login`, leaves that session's key).
pub(crate) fn session_ended(inner: &Rc<Inner>) {
    if inner.session.borrow().tokens().is_none() && inner.dpop.forget() {
        super::make_dpop_key(inner);
    }
}

/// One core request on its way: what it needs from one send to the next.
struct Sending {
    /// The session machine's name for it.
    id: RequestId,
    request: HttpRequest,
    purpose: Purpose,
    key: Option<Rc<Key>>,
    /// The one retry with a new nonce is still allowed.
    may_retry: bool,
}

/// A token endpoint answer waiting for its id_token's signature check.
struct Check {
    status: u16,
    body: String,
    /// The body, parsed.
    doc: Json,
    token: SignedToken,
    /// The JWKS was just fetched (an unknown `kid` fetches no more).
    fresh: bool,
}

/// Sends one of the session machine's requests from a DPoP or `verifyIdTokenSignature` client
/// (a proof signed first; for a token endpoint answer, its id_token's signature checked); the
/// answer goes to the session machine with `id`. The key is the one held now: a logout drops
/// it before its revocations are on the wire. A client without `dpop` sends no proof, whatever
/// key it holds (one posted beside another tab's token set, say).
pub(crate) fn send_for(inner: &Rc<Inner>, id: RequestId, purpose: Purpose, request: HttpRequest) {
    let key = match inner.config.uses_dpop() {
        true => inner.dpop.key(),
        false => None,
    };
    let s = Box::new(Sending {
        id,
        request,
        purpose,
        may_retry: key.is_some(),
        key,
    });
    send(inner, s);
}

/// Sends it, with a proof when there is a key: a 400 `use_dpop_nonce` with a new `DPoP-Nonce`
/// is sent once more with it. No answer with a proof attached is a `network_error` that names
/// CORS, the likely cause.
fn send(inner: &Rc<Inner>, s: Box<Sending>) {
    let Some(key) = &s.key else {
        return post(inner, s, None, None);
    };
    let method = s.request.method.as_str();
    match dpop::signing_input(&inner.dpop, key, method, &s.request.url, None) {
        // The proof once WebCrypto has signed it.
        Ok(input) => {
            let signing = key.sign(&input);
            after(inner, &signing, s, Step::Signed)
        }
        Err(e) => fail(inner, s, None, e),
    }
}

/// What `s` waits for from the executor. A step of an id_token's check carries the check: no
/// such step is without one.
enum Step {
    /// Its proof signed.
    Signed,
    /// Its answer (with a check: the provider's JWKS, fetched for it).
    Answered(Option<Box<Check>>),
    /// The check's signature verified.
    Verified(Box<Check>),
}

/// Hands `promise` to the executor; `s` goes on with its outcome (one continuation for the
/// three steps).
fn after(inner: &Rc<Inner>, promise: &JsValue, s: Box<Sending>, step: Step) {
    after_js(
        inner,
        promise,
        Box::new(move |inner, got| match step {
            Step::Signed => match dpop::signed(got) {
                Ok(p) => post(inner, s, Some(p), None),
                Err(e) => fail(inner, s, None, e),
            },
            Step::Answered(check) => answered(inner, s, got, check),
            Step::Verified(check) => verified(inner, s.id, got, check),
        }),
    );
}

fn post(inner: &Rc<Inner>, s: Box<Sending>, proof: Option<String>, check: Option<Box<Check>>) {
    let sent = exec::request_with_proof(
        &s.request,
        proof.as_deref(),
        inner.config.timeout_ms,
        s.purpose.body_cap(),
    );
    after(inner, &sent, s, Step::Answered(check));
}

/// A request's answer, or why there is none (`check`: the JWKS fetched for it).
fn answered(
    inner: &Rc<Inner>,
    mut s: Box<Sending>,
    got: Result<JsValue, JsValue>,
    check: Option<Box<Check>>,
) {
    let (status, body) = match exec::answer_of(&got.unwrap_or(JsValue::UNDEFINED)) {
        Answer::None(detail, timed_out) => {
            let hint = inner.config.profile().token_network_hint();
            let e = net::network(s.purpose, &s.request.url, &detail, timed_out, hint);
            let e = match s.key {
                Some(_) => dpop::with_cors_hint(e),
                None => e,
            };
            return fail(inner, s, check, e);
        }
        Answer::Got(status, body, nonce) => {
            let fresh = s.key.is_some() && inner.dpop.note_nonce(&s.request.url, nonce.as_deref());
            if s.may_retry && fresh && token_wants_nonce(status, &body, &BrowserJson) {
                s.may_retry = false;
                return send(inner, s);
            }
            (status, body)
        }
    };
    if let Some(mut c) = check {
        // The provider's signature keys, for the check under way.
        let keys = match (200..300).contains(&status) {
            true => jwks::parse_jwks(&body, &BrowserJson),
            false => Err(jwks::refused(brief!(
                "jwks_uri did not answer 200",
                "the provider's jwks_uri did not answer 200"
            ))),
        };
        return match keys {
            Ok(keys) => {
                inner.dpop.jwks.set(Some(Rc::new(keys)));
                c.fresh = true;
                with_keys(inner, s, c)
            }
            Err(e) => fail(inner, s, Some(c), e),
        };
    }
    // A token endpoint answer with `verifyIdTokenSignature`: its id_token's signature checked
    // with the provider's keys (one refetch on an unknown `kid`).
    let doc = match s.purpose == Purpose::Token
        && inner.config.verify_id_token_signature
        && (200..300).contains(&status)
    {
        true => BrowserJson.parse(&body),
        false => None,
    };
    if let Some(doc) = doc
        && let Some(jwt) = jwks::id_token_of(&doc)
    {
        return match jwks::signed_token(jwt, &BrowserJson) {
            Ok(token) => {
                let c = Box::new(Check {
                    status,
                    body,
                    doc,
                    token,
                    fresh: false,
                });
                with_keys(inner, s, c)
            }
            Err(e) => fail(inner, s, None, e),
        };
    }
    respond(inner, s.id, Ok(HttpAnswer { status, body }))
}

/// Verifies the token of `c` with the provider's keys: those held, or fetched now.
fn with_keys(inner: &Rc<Inner>, mut s: Box<Sending>, c: Box<Check>) {
    let held = inner.dpop.jwks.take();
    inner.dpop.jwks.set(held.clone());
    let Some(keys) = held else {
        // The provider's signature keys, from its `jwks_uri`.
        let Some(url) = inner.config.endpoints.jwks.clone() else {
            let e = AuthError::config(
                "jwksUri",
                brief!(
                    "needed by verifyIdTokenSignature",
                    "verifyIdTokenSignature needs the provider's jwks_uri"
                ),
            );
            return fail(inner, s, Some(c), e);
        };
        s.request = HttpRequest::get_json(url);
        s.purpose = Purpose::Jwks;
        s.key = None;
        s.may_retry = false;
        return post(inner, s, None, Some(c));
    };
    match jwks::choose_key(&keys, &c.token, c.fresh) {
        KeyChoice::Use(k) => {
            // The signature checked with `k` through WebCrypto (`choose_key` gives only a key of
            // the token's algorithm's type, so the type names the algorithm).
            let (kty, a, b) = match k {
                PublicKey::Rsa { n, e, .. } => ("RSA", n, e),
                PublicKey::Ec { x, y, .. } => ("EC", x, y),
            };
            let t = &c.token;
            let verifying = dpop::verify_jws(kty, a, b, &t.signing_input, &t.signature);
            after(inner, &verifying, s, Step::Verified(c));
        }
        KeyChoice::Refetch => {
            inner.dpop.jwks.take();
            with_keys(inner, s, c)
        }
        KeyChoice::None => {
            let e = jwks::no_key(&c.token);
            fail(inner, s, Some(c), e)
        }
    }
}

/// The id_token's signature verified through WebCrypto (`r`: true, false, or why the key
/// could not be imported): the check's outcome to the session machine.
#[allow(
    clippy::boxed_local,
    reason = "a check moves between a request's steps boxed, as one pointer"
)]
fn verified(inner: &Rc<Inner>, id: RequestId, r: Result<JsValue, JsValue>, c: Box<Check>) {
    let r = match r {
        Ok(v) if v.is_truthy() => Ok(()),
        Ok(_) => Err(jwks::bad_signature()),
        Err(_) => Err(jwks::refused(brief!(
            "provider key import failed",
            "the provider's key could not be imported"
        ))),
    };
    respond(inner, id, c.outcome(inner, r));
}

impl Check {
    /// The check's outcome: the answer itself, or `invalid_token_response` carrying the
    /// answer's tokens for the session machine to revoke (not those of the set it holds, which
    /// a refresh answer may repeat: the rule of the core's own refusals).
    fn outcome(self, inner: &Inner, r: Result<(), AuthError>) -> Result<HttpAnswer, AuthError> {
        match r {
            Ok(()) => Ok(HttpAnswer {
                status: self.status,
                body: self.body,
            }),
            Err(e) => {
                let session = inner.session.borrow();
                let held = session.tokens();
                Err(e.revoking(refused_unless_held(&self.body, &self.doc, held)))
            }
        }
    }
}

/// Why `s` has no answer for the session machine (with a token endpoint answer under its
/// id_token's check, `check`: the check fails with it).
#[allow(
    clippy::boxed_local,
    reason = "a request on its way moves between its steps boxed, as one pointer"
)]
fn fail(inner: &Rc<Inner>, s: Box<Sending>, check: Option<Box<Check>>, e: AuthError) {
    let answer = match check {
        Some(c) => c.outcome(inner, Err(e)),
        None => Err(e),
    };
    respond(inner, s.id, answer);
}
