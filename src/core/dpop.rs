//! DPoP (RFC 9449), sans-I/O: the proof JWT's header and claims (signed by the caller — in the
//! browser through WebCrypto, with a P-256 key whose private part never leaves it), the public
//! key's RFC 7638 thumbprint, `ath`, the nonces a server hands out, and how a server asks for
//! one. No key material is ever held here: only the public JWK's coordinates.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::json::Json;
// The proofs, nonces and steps (cargo feature `dpop`).
#[cfg(feature = "dpop")]
use crate::core::{
    base64url,
    error::AuthError,
    http::JsonDecoder,
    json::JsonObject,
    pkce::sha256_base64url,
    time::Millis,
    url::{HttpUrl, Origin},
};

/// Whether and how a client uses DPoP (the `dpop` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DpopMode {
    /// Bearer tokens only (default).
    Off,
    /// Every token request carries a proof; a token response whose `token_type` is not `DPoP`
    /// is refused (`invalid_token_response`).
    Required,
    /// DPoP where the provider says it supports it, Bearer otherwise.
    IfSupported,
}

impl DpopMode {
    /// The option's value, one of its three forms: `false`, `true` or `"if-supported"` (`None`
    /// for anything else). The one reader of the option: the JS API's and the worker's options
    /// (`option_table`) and serde's (Rust callers' JSON) all read it here.
    pub(crate) fn read(v: &Json) -> Option<DpopMode> {
        match v {
            Json::Bool(false) => Some(DpopMode::Off),
            Json::Bool(true) => Some(DpopMode::Required),
            Json::String(t) if t == "if-supported" => Some(DpopMode::IfSupported),
            _ => None,
        }
    }

    /// Its name in the session worker's options form.
    #[cfg(feature = "sharing")]
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            DpopMode::Off => "off",
            DpopMode::Required => "required",
            DpopMode::IfSupported => "if-supported",
        }
    }

    /// Reads [`DpopMode::wire_name`]'s form.
    #[cfg(feature = "sharing")]
    pub(crate) fn from_wire(name: &str) -> Option<DpopMode> {
        [DpopMode::Off, DpopMode::Required, DpopMode::IfSupported]
            .into_iter()
            .find(|m| m.wire_name() == name)
    }
}

impl<'de> serde::Deserialize<'de> for DpopMode {
    /// `false`, `true` or `"if-supported"` (the JS option's forms).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DpopMode;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("false, true or \"if-supported\"")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<DpopMode, E> {
                DpopMode::read(&Json::Bool(v))
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Bool(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DpopMode, E> {
                DpopMode::read(&Json::String(v.into()))
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// The public half of a proof key: an EC P-256 JWK's coordinates (base64url, 32 bytes each).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "dpop")]
pub struct PublicJwk {
    x: String,
    y: String,
}

#[cfg(feature = "dpop")]
impl PublicJwk {
    /// Checks the coordinates WebCrypto exported (`exportKey("jwk", publicKey)`): base64url of
    /// 32 bytes each. A JWK with a private member is never passed here.
    pub fn new(x: &str, y: &str) -> Result<PublicJwk, AuthError> {
        let coordinate = |c: &str| base64url::decode(c).is_some_and(|b| b.len() == 32);
        if !coordinate(x) || !coordinate(y) {
            return Err(AuthError::config(
                "dpop",
                brief!(
                    "proof key: not EC P-256",
                    "the proof key is not an EC P-256 public key"
                ),
            ));
        }
        Ok(PublicJwk {
            x: x.to_owned(),
            y: y.to_owned(),
        })
    }

    /// The JWK with its required members in lexicographic order (RFC 7638 §3.2), which is also
    /// the `jwk` header member of every proof.
    fn canonical(&self) -> String {
        [
            r#"{"crv":"P-256","kty":"EC","x":""#,
            &self.x,
            r#"","y":""#,
            &self.y,
            r#""}"#,
        ]
        .cat()
    }

    /// A proof's header, `{"typ":"dpop+jwt","alg":"ES256","jwk":…}`, base64url: the same for
    /// every proof signed with this key (the first part of [`proof_signing_input`]).
    pub(crate) fn proof_header(&self) -> String {
        let header = [
            r#"{"typ":"dpop+jwt","alg":"ES256","jwk":"#,
            &self.canonical(),
            "}",
        ]
        .cat();
        base64url::encode(header.as_bytes())
    }

    /// The RFC 7638 thumbprint (base64url SHA-256 of the canonical JWK): `dpop_jkt` on an
    /// authorize request, `cnf.jkt` in the tokens bound to this key.
    pub fn thumbprint(&self) -> String {
        sha256_base64url(self.canonical().as_bytes())
    }
}

/// `ath`: base64url SHA-256 of the access token a resource request carries (RFC 9449 §4.2).
#[cfg(feature = "dpop")]
pub fn ath(access_token: &str) -> String {
    sha256_base64url(access_token.as_bytes())
}

/// `htu`: the request's URL without query and fragment (RFC 9449 §4.2), origin normalised.
/// `url` is the URL as the browser normalises it (`new URL(u).href`, what `fetch` sends: dot
/// segments resolved, the path percent-encoded); its query and fragment are cut off before
/// anything is checked, so whatever they hold (`?q=SELECT Id FROM Account`) never matters.
#[cfg(feature = "dpop")]
pub fn htu(url: &str) -> Result<String, AuthError> {
    let end = crate::core::text::end_at(url, b"?#");
    match HttpUrl::parse(&url[..end], "url") {
        Ok(u) => Ok([u.origin().serialize().as_str(), u.path()].cat()),
        Err(e) => Err(e),
    }
}

/// `htm`: `method` as `fetch` sends it (the Fetch standard's "normalize a method"): DELETE,
/// GET, HEAD, OPTIONS, POST and PUT upper-cased in any case, any other RFC 9110 token kept byte
/// for byte (`patch` goes as `patch`; methods are case-sensitive and RFC 9449 §4.3 has the
/// server compare them exactly). What fetch cannot send (`http::check_method`): refused.
#[cfg(feature = "dpop")]
pub fn normalize_method(method: &str) -> Result<String, AuthError> {
    if let Err(e) = crate::core::http::check_method(method) {
        return Err(e);
    }
    let named = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(method));
    Ok(named.unwrap_or(method).into())
}

/// What one proof says: the request it is for, when, and what it is bound to.
#[derive(Debug, Clone, Copy)]
#[cfg(feature = "dpop")]
pub struct ProofFor<'a> {
    /// The HTTP method (`htm`).
    pub method: &'a str,
    /// The request URL (`htu` is made from it).
    pub url: &'a str,
    /// Now, in ms since the epoch (`iat`, in seconds).
    pub now_ms: Millis,
    /// 16 fresh random bytes (`jti`).
    pub jti: &'a [u8; 16],
    /// The access token a resource request carries (`ath`); none at the token endpoint.
    pub access_token: Option<&'a str>,
    /// The server's latest nonce for this origin, if it gave one.
    pub nonce: Option<&'a str>,
}

/// The proof's signing input, `base64url(header) "." base64url(claims)`: sign it with ES256
/// (ECDSA P-256, SHA-256) and give the 64-byte `r || s` signature to [`finish_proof`]. (The
/// browser keeps each key's header and calls [`signing_input_after`].)
#[cfg(all(feature = "dpop", any(test, feature = "internals")))]
pub fn proof_signing_input(key: &PublicJwk, p: &ProofFor<'_>) -> Result<String, AuthError> {
    signing_input_after(&key.proof_header(), p)
}

/// `proof_signing_input` after the key's [`PublicJwk::proof_header`], made already (the browser
/// makes it once per key): the claims (`jti`, `htm`, `htu`, `iat`, then `ath` and `nonce` when
/// given) base64url after it.
#[cfg(feature = "dpop")]
pub(crate) fn signing_input_after(header: &str, p: &ProofFor<'_>) -> Result<String, AuthError> {
    let htm = match normalize_method(p.method) {
        Ok(htm) => htm,
        Err(e) => return Err(e),
    };
    let htu = match htu(p.url) {
        Ok(htu) => htu,
        Err(e) => return Err(e),
    };
    let mut claims = JsonObject::new()
        .str("jti", &base64url::encode(p.jti))
        .str("htm", &htm)
        .str("htu", &htu)
        .num("iat", (p.now_ms.as_u64() / 1000) as f64);
    if let Some(t) = p.access_token {
        claims = claims.str("ath", &ath(t));
    }
    if let Some(n) = p.nonce {
        claims = claims.str("nonce", n);
    }
    Ok([header, ".", &base64url::encode(claims.end().as_bytes())].cat())
}

/// The compact proof (the `DPoP` header's value) from its signing input and the ES256
/// signature WebCrypto made (IEEE P1363 `r || s`, 64 bytes, which is JWS's form). (The browser
/// appends the signature the same way in `js/dpop.js`'s `dpopSign`, where WebCrypto gives it:
/// this is the form the tests pin.)
#[cfg(all(feature = "dpop", any(test, feature = "internals")))]
pub fn finish_proof(signing_input: &str, signature: &[u8]) -> Result<String, AuthError> {
    if signature.len() != 64 {
        return Err(AuthError::config(
            "dpop",
            explained!("the ES256 signature must be 64 bytes", " (r || s)"),
        ));
    }
    Ok([signing_input, ".", &base64url::encode(signature)].cat())
}

/// A `DPoP-Nonce` header's value, if it is one (RFC 9449 §8: `1*NQCHAR`, at most 512 here).
#[cfg(feature = "dpop")]
pub fn nonce_header(value: &str) -> Option<&str> {
    let nqchar = |b: u8| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E);
    (!value.is_empty() && value.len() <= 512 && value.all_bytes(nqchar)).then_some(value)
}

/// Whether a resource's 401 asks for a nonce: `WWW-Authenticate: DPoP error="use_dpop_nonce"`
/// (RFC 9449 §9). Such a 401 is not a dead token: retry once with the nonce, no refresh.
#[cfg(feature = "dpop")]
pub fn resource_wants_nonce(www_authenticate: &str) -> bool {
    let v = www_authenticate.trim_start();
    v.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("dpop "))
        && crate::core::text::find(v, r#"error="use_dpop_nonce""#).is_some()
}

/// Whether a token endpoint's answer asks for a nonce: HTTP 400 with
/// `{"error":"use_dpop_nonce"}` (RFC 9449 §8). Retry once with the nonce its `DPoP-Nonce`
/// header gave.
#[cfg(feature = "dpop")]
pub fn token_wants_nonce(status: u16, body: &str, json: &impl JsonDecoder) -> bool {
    status == 400
        && json
            .parse(body)
            .is_some_and(|v| matches!(v.str_ref("error"), Ok(Some("use_dpop_nonce"))))
}

/// Where a DPoP-bound app request (`auth.fetch`, userinfo) stands between two sends: the
/// generation of the set its last send carried, whether its one nonce retry (of that set) is
/// spent, and whether that send was the retry after the session machine's refresh. It travels
/// as one number (the browser's executor hands it back with each answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg(feature = "dpop")]
pub struct Attempt {
    /// The generation of the token set sent.
    pub generation: u64,
    /// The one retry with a new nonce was sent.
    pub nonce_retried: bool,
    /// This is the retry after a dead-token answer (its own dead answer is not refreshed again).
    pub refreshed: bool,
}

#[cfg(feature = "dpop")]
impl Attempt {
    /// The first send with `generation`'s set.
    pub fn first(generation: u64) -> Attempt {
        Attempt {
            generation,
            nonce_retried: false,
            refreshed: false,
        }
    }

    /// As one number: `generation * 4 + flags` (exact in an f64 below 2^51 generations).
    pub fn number(self) -> u64 {
        self.generation.saturating_mul(4) | self.nonce_retried as u64 | (self.refreshed as u64) << 1
    }

    /// Read back from [`number`](Self::number).
    pub fn of_number(n: u64) -> Attempt {
        Attempt {
            generation: n >> 2,
            nonce_retried: n & 1 == 1,
            refreshed: n & 2 == 2,
        }
    }

    /// What its answer calls for: `status`, the answer's `WWW-Authenticate` (empty if none),
    /// and whether it carried a `DPoP-Nonce` new for the request's origin. A 401 asking for a
    /// nonce is retried once with the new one (and is no dead token either way); another 401 or
    /// 403 is the session machine's to judge; anything else is the caller's.
    pub fn step(self, status: u16, www_authenticate: &str, new_nonce: bool) -> ResourceStep {
        if status == 401 && resource_wants_nonce(www_authenticate) {
            if new_nonce && !self.nonce_retried {
                return ResourceStep::Nonce;
            }
            return ResourceStep::Deliver;
        }
        if status == 401 || status == 403 {
            return ResourceStep::Judge;
        }
        ResourceStep::Deliver
    }
}

/// What a DPoP-bound app request's answer calls for ([`Attempt::step`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg(feature = "dpop")]
pub enum ResourceStep {
    /// Send it again with the same set and a proof carrying the new nonce.
    Nonce,
    /// Give the answer to the caller.
    Deliver,
    /// A 401 or 403 for the session machine: a dead token or not, refreshed once or delivered.
    Judge,
}

/// What the `network_error` of a request that carried a proof adds: a browser sends the `DPoP`
/// header only where the preflight allows it, so a CORS refusal is the likely cause, of that
/// header or of the method (a preflight lists methods byte for byte: `patch` is refused where
/// only `PATCH` is listed); the hint names both.
#[cfg(feature = "dpop")]
pub const CORS_HINT: &str = brief!(
    " (CORS must allow the request's method and headers, DPoP among them, and expose DPoP-Nonce, or use dpop: false)",
    " (this request carried a DPoP proof: the server's CORS must allow this page's origin, the request's method as it was written (Access-Control-Allow-Methods: a browser compares it exactly, patch is not PATCH) and its headers, DPoP among them (and Authorization, on API calls) (Access-Control-Allow-Headers), and expose DPoP-Nonce; where it does not, DPoP cannot work from a browser: use dpop: false)"
);

/// The latest nonce each origin handed out (a server may rotate it in any answer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg(feature = "dpop")]
pub struct Nonces(Vec<(String, String)>);

#[cfg(feature = "dpop")]
impl Nonces {
    /// The nonce to send to `url`'s origin.
    /// (The npm build looks up by the origin the browser gives: [`Nonces::for_origin`].)
    #[cfg_attr(feature = "npm", allow(dead_code))]
    pub fn for_url(&self, url: &str) -> Option<&str> {
        self.for_origin(&Origin::of(url)?.serialize())
    }

    /// The nonce to send to `origin` (serialised, as `Origin::serialize` writes it and a
    /// browser's `URL.origin` gives it).
    pub fn for_origin(&self, origin: &str) -> Option<&str> {
        for (o, n) in &self.0 {
            if o == origin {
                return Some(n);
            }
        }
        None
    }

    /// Remembers `header` for `url`'s origin (parsed here); whether it is new there. The tests'
    /// and the fuzz target's form: the client remembers by the origin the browser gives
    /// ([`Nonces::remember_for_origin`]).
    #[cfg(any(test, feature = "internals"))]
    pub fn remember_new(&mut self, url: &str, header: &str) -> bool {
        match HttpUrl::parse(url, "url") {
            Ok(u) => self.remember_for_origin(&u.origin().serialize(), header),
            Err(_) => false,
        }
    }

    /// Remembers `header` for `origin` (serialised, as for [`Nonces::for_origin`]); whether it is
    /// new there.
    pub fn remember_for_origin(&mut self, origin: &str, header: &str) -> bool {
        let Some(n) = nonce_header(header) else {
            return false;
        };
        // At most one entry per origin: the one held is replaced where it is (lookups find the
        // one entry whatever the order).
        for (o, held) in &mut self.0 {
            if o == origin {
                if held == n {
                    return false;
                }
                *held = n.to_owned();
                return true;
            }
        }
        self.0.push((origin.to_owned(), n.to_owned()));
        true
    }

    /// Forgets every nonce (the key is gone: logout, session end).
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

// Host only: the proofs are checked with the p256 crate, which does not build for wasm32 here.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "dpop_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "dpop_golden_tests.rs"]
mod golden_tests;
