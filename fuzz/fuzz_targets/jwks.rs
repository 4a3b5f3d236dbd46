//! id_token signatures: the provider's JWKS document, the id_token's JWS header and signature,
//! the key choice. No input panics; every refusal is `invalid_token_response`; a chosen key
//! always fits the token's algorithm and `kid`.
#![no_main]
use libfuzzer_sys::fuzz_target;

use salesforce_pkce::internals::base64url;
use salesforce_pkce::internals::http::{JsonDecoder, SerdeJson};
use salesforce_pkce::internals::jwks::{
    Alg, KeyChoice, PublicKey, choose_key, id_token_of, no_key, parse_jwks, signed_token,
};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // "jwks \n jws header \n signature": the id_token is the header and signature as they are
    // (a compact JWS), or, to reach the key choice, base64url-encoded around a payload.
    let mut parts = text.splitn(3, '\n');
    let (jwks, header, signature) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(text),
        parts.next().unwrap_or(""),
    );
    let jwt = if first & 1 == 1 {
        [
            &base64url::encode(header),
            ".e30.",
            &base64url::encode(signature),
        ]
        .concat()
    } else {
        header.to_owned()
    };
    let keys = match parse_jwks(jwks, &SerdeJson) {
        Ok(keys) => keys,
        Err(e) => {
            assert_eq!(e.code(), "invalid_token_response");
            Vec::new()
        }
    };
    if let Some(t) = SerdeJson.parse(jwks).as_ref().and_then(id_token_of) {
        assert!(!t.is_empty());
    }
    for candidate in [jwt.as_str(), text] {
        let token = match signed_token(candidate, &SerdeJson) {
            Ok(t) => t,
            Err(e) => {
                assert_eq!(e.code(), "invalid_token_response");
                continue;
            }
        };
        assert_eq!(candidate.matches('.').count(), 2);
        assert!(candidate.starts_with(&token.signing_input));
        assert!(!token.signature.is_empty());
        if token.alg == Alg::Es256 {
            assert_eq!(token.signature.len(), 64);
        }
        for fresh in [false, true] {
            match choose_key(&keys, &token, fresh) {
                KeyChoice::Use(k) => {
                    let (kid, fits) = match k {
                        PublicKey::Rsa { kid, .. } => (kid, token.alg == Alg::Rs256),
                        PublicKey::Ec { kid, .. } => (kid, token.alg == Alg::Es256),
                    };
                    assert!(fits);
                    if token.kid.is_some() {
                        assert_eq!(kid, &token.kid);
                    }
                }
                KeyChoice::Refetch => assert!(!fresh),
                KeyChoice::None => {
                    assert!(fresh);
                    assert_eq!(no_key(&token).code(), "invalid_token_response");
                }
            }
        }
    }
});
