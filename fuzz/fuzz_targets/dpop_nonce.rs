//! DPoP nonces (RFC 9449 §8, §9): a `DPoP-Nonce` header, the answers that ask for one, the
//! per-origin nonce store and a proof carrying the nonce. No input panics; a nonce is stored
//! only when it is a valid header value, and a stored nonce ends up in the proof intact.
#![no_main]
use libfuzzer_sys::fuzz_target;

use salesforce_pkce::internals::dpop::{
    Nonces, ProofFor, PublicJwk, htu, nonce_header, proof_signing_input, resource_wants_nonce,
    token_wants_nonce,
};
use salesforce_pkce::internals::http::SerdeJson;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 600;
    let Ok(text) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    // The input is "url \n header" (a server's answer to a request to url); both are also
    // checked whole.
    let (url, header) = text.split_once('\n').unwrap_or((text, text));

    if let Some(n) = nonce_header(header) {
        assert!(!n.is_empty() && n.len() <= 512);
        assert!(
            n.bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
        );
    }
    let _ = resource_wants_nonce(text);
    let _ = resource_wants_nonce(header);
    if token_wants_nonce(status, text, &SerdeJson) {
        assert_eq!(status, 400);
    }

    let mut nonces = Nonces::default();
    let _ = nonces.for_url(url);
    let new = nonces.remember_new(url, header);
    assert_eq!(new, htu(url).is_ok() && nonce_header(header).is_some());
    if new {
        assert_eq!(nonces.for_url(url), Some(header));
        // The same nonce again is not new (no second retry); the store keeps one per origin.
        assert!(!nonces.remember_new(url, header));
        assert!(!nonces.remember_new(&htu(url).unwrap(), header));
        assert_eq!(nonces.for_url(&htu(url).unwrap()), Some(header));
    } else {
        assert_eq!(nonces.for_url(url), None);
    }

    let key = PublicJwk::new(
        "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    )
    .unwrap();
    let jti = [7u8; 16];
    let proof = ProofFor {
        method: "POST",
        url,
        now_ms: salesforce_pkce::Millis(1.7e12),
        jti: &jti,
        access_token: Some(header),
        nonce: nonces.for_url(url),
    };
    match proof_signing_input(&key, &proof) {
        Ok(input) => {
            let (_, claims) = input.split_once('.').unwrap();
            let claims = salesforce_pkce::internals::base64url::decode(claims).unwrap();
            let claims = String::from_utf8(claims).unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&claims).unwrap();
            assert_eq!(parsed["htu"].as_str(), Some(htu(url).unwrap().as_str()));
            match nonces.for_url(url) {
                Some(n) => assert_eq!(parsed["nonce"].as_str(), Some(n)),
                None => assert!(parsed.get("nonce").is_none()),
            }
        }
        Err(e) => {
            assert_eq!(Some(e.code()), htu(url).err().map(|e| e.code()));
        }
    }
});
