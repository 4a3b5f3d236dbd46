//! id_token signatures (the `verifyIdTokenSignature` option), sans-I/O: the JWS
//! header's algorithm rule, the provider's JWKS (`jwks_uri`; Salesforce `/id/keys`), choosing
//! the key by `kid`, and what to hand WebCrypto's `verify` (the key as a JWK, the signing input,
//! the signature). The browser does the verifying; nothing here holds a secret.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::base64url;

use crate::core::error::AuthError;
use crate::core::http::JsonDecoder;
use crate::core::json::Json;

/// The signature algorithms accepted for id_tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (Salesforce's, and OpenID Connect's default).
    Rs256,
    /// ECDSA P-256 with SHA-256.
    Es256,
}

/// One public key of a JWKS, as WebCrypto imports it (`importKey("jwk", …)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// `kty: RSA`.
    Rsa {
        /// Key id.
        kid: Option<String>,
        /// Modulus, base64url.
        n: String,
        /// Exponent, base64url.
        e: String,
    },
    /// `kty: EC`, `crv: P-256`.
    Ec {
        /// Key id.
        kid: Option<String>,
        /// X coordinate, base64url.
        x: String,
        /// Y coordinate, base64url.
        y: String,
    },
}

impl PublicKey {
    fn kid(&self) -> Option<&str> {
        match self {
            PublicKey::Rsa { kid, .. } | PublicKey::Ec { kid, .. } => kid.as_deref(),
        }
    }

    /// Whether it is of the key type `alg` needs (RSA for RS256, EC for ES256).
    fn fits(&self, alg: Alg) -> bool {
        matches!(
            (self, alg),
            (PublicKey::Rsa { .. }, Alg::Rs256) | (PublicKey::Ec { .. }, Alg::Es256)
        )
    }
}

/// An id_token split for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedToken {
    /// The header's algorithm (only RS256 and ES256 are ever accepted).
    pub alg: Alg,
    /// The header's key id.
    pub kid: Option<String>,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    /// The signature (RS256: the modulus' length; ES256: 64 bytes r || s).
    pub signature: Vec<u8>,
}

/// An `invalid_token_response` about the id_token's signature: `why`, after its prefix.
pub(crate) fn refused(why: &str) -> AuthError {
    AuthError::token_response(["id_token signature: ", why].cat())
}

/// Splits an id_token and reads its header: `alg` must be RS256 or ES256 — `none`, HS256 (a
/// public client has no secret to check it with, and a MAC keyed with a public key is the
/// classic forgery) and every other value are `invalid_token_response`.
pub fn signed_token(jwt: &str, json: &impl JsonDecoder) -> Result<SignedToken, AuthError> {
    token_parts(jwt, json).map_err(refused)
}

/// [`signed_token`], or why not (after the refusal's prefix).
fn token_parts(jwt: &str, json: &impl JsonDecoder) -> Result<SignedToken, &'static str> {
    // Exactly three parts: two dots.
    let parts = jwt
        .cut(b'.')
        .and_then(|(h, rest)| Some((h, rest.cut(b'.')?)))
        .filter(|(_, (_, s))| !s.has(b'.'));
    let Some((h, (p, s))) = parts else {
        return Err(explained!("not a JWS", " (header.payload.signature)"));
    };
    let header = base64url::decode(h)
        .and_then(|b| crate::core::text::utf8(&b))
        .and_then(|t| json.parse(&t))
        .filter(Json::is_object)
        .ok_or(brief!(
            "header: not base64url JSON",
            "the header is not a base64url JSON object"
        ))?;
    let alg = match header.str_ref("alg") {
        Ok(Some("RS256")) => Alg::Rs256,
        Ok(Some("ES256")) => Alg::Es256,
        Ok(Some(a)) if a.eq_ignore_ascii_case("none") => {
            return Err(concat!(
                aside!("alg none", " (an unsigned id_token)"),
                " is refused"
            ));
        }
        Ok(Some(a)) if a.starts_with("HS") => {
            return Err(concat!(
                aside!("HS*", " (a MAC, not a signature)"),
                " is refused"
            ));
        }
        _ => return Err("alg must be RS256 or ES256"),
    };
    if header.get("crit").is_some() {
        return Err(brief!(
            "crit is not understood",
            "crit header parameters are not understood"
        ));
    }
    let kid = header
        .str_field("kid")
        .map_err(|_| "kid must be a string")?;
    let signature = base64url::decode(s).ok_or("the signature is not base64url")?;
    if signature.is_empty() || (matches!(alg, Alg::Es256) && signature.len() != 64) {
        return Err("the signature has the wrong length");
    }
    Ok(SignedToken {
        alg,
        kid,
        signing_input: [h, ".", p].cat(),
        signature,
    })
}

/// The keys of a JWKS document that can verify RS256 or ES256 signatures (signature keys: no
/// `use`, or `use: sig`). Other keys (encryption keys, other curves) are skipped.
pub fn parse_jwks(text: &str, json: &impl JsonDecoder) -> Result<Vec<PublicKey>, AuthError> {
    // (`get` finds nothing in what is not an object.)
    let doc = json.parse(text);
    let Some(Json::Array(keys)) = doc.as_ref().and_then(|d| d.get("keys")) else {
        return Err(AuthError::token_response(brief!(
            "the JWKS has no keys array",
            "the provider's JWKS is not a JSON object with keys"
        )));
    };
    fn member<'a>(k: &'a Json, f: &str) -> Option<&'a str> {
        match k.get(f) {
            Some(Json::String(s)) => Some(s),
            _ => None,
        }
    }
    let mut out = Vec::new();
    for k in keys {
        let rsa = match (member(k, "use"), member(k, "kty"), member(k, "crv")) {
            (None | Some("sig"), Some("RSA"), _) => true,
            (None | Some("sig"), Some("EC"), Some("P-256")) => false,
            _ => continue,
        };
        let (a, b) = if rsa { ("n", "e") } else { ("x", "y") };
        let (Some(a), Some(b)) = (member(k, a), member(k, b)) else {
            continue;
        };
        let (a, b, kid) = (
            a.to_owned(),
            b.to_owned(),
            member(k, "kid").map(str::to_owned),
        );
        out.push(match rsa {
            true => PublicKey::Rsa { kid, n: a, e: b },
            false => PublicKey::Ec { kid, x: a, y: b },
        });
    }
    Ok(out)
}

/// Which key verifies `token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice<'a> {
    /// This one.
    Use(&'a PublicKey),
    /// No key has the token's `kid`: fetch the JWKS again once (the provider rotated its keys),
    /// then [`KeyChoice::None`] is final.
    Refetch,
    /// No key fits: `invalid_token_response`.
    None,
}

/// The key with the token's `kid` and the algorithm's key type; without a `kid`, the only key
/// of that type. `fresh`: the JWKS was just fetched (so an unknown `kid` is final).
pub fn choose_key<'a>(keys: &'a [PublicKey], token: &SignedToken, fresh: bool) -> KeyChoice<'a> {
    // With a `kid`: the first key of the type with it; without: the type's key, if it has one
    // only.
    let (mut found, mut of_type) = (None, 0);
    for k in keys {
        if !k.fits(token.alg) {
            continue;
        }
        of_type += 1;
        if found.is_none() && token.kid.as_deref().is_none_or(|kid| k.kid() == Some(kid)) {
            found = Some(k);
        }
    }
    if token.kid.is_none() && of_type != 1 {
        found = None;
    }
    match found {
        Some(k) => KeyChoice::Use(k),
        None if !fresh => KeyChoice::Refetch,
        None => KeyChoice::None,
    }
}

/// The id_token of a successful token response body (parsed), if it has one (its other
/// checks are `process_token_response`'s).
pub fn id_token_of(body: &Json) -> Option<&str> {
    match body.get("id_token") {
        Some(Json::String(t)) if !t.is_empty() => Some(t),
        _ => None,
    }
}

/// The refusal when no key fits.
pub fn no_key(token: &SignedToken) -> AuthError {
    refused(match token.kid {
        Some(_) => brief!(
            "no JWKS key has the id_token's kid",
            "no key of the provider's JWKS has the id_token's kid"
        ),
        None => brief!(
            "no kid, and not one JWKS key for its alg",
            "the id_token has no kid and the JWKS has not exactly one key for its alg"
        ),
    })
}

/// The refusal when the signature does not verify.
pub fn bad_signature() -> AuthError {
    refused(brief!(
        "the signature does not verify",
        "the signature does not verify with the provider's key (forged or altered)"
    ))
}

#[cfg(test)]
#[path = "jwks_tests.rs"]
pub(crate) mod tests;
