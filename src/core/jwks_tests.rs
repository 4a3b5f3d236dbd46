use super::*;
use crate::core::http::SerdeJson;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s.as_bytes())
}

/// A JWT of `header`, a fixed payload and `signature` (what the id_token signature tests sign).
pub(crate) fn token(header: &str, signature: &[u8]) -> String {
    [
        b64(header),
        ".".into(),
        b64(r#"{"sub":"u1"}"#),
        ".".into(),
        URL_SAFE_NO_PAD.encode(signature),
    ]
    .concat()
}

const JWKS: &str = r#"{"keys":[
  {"kty":"RSA","kid":"sf-1","use":"sig","alg":"RS256","n":"sXch","e":"AQAB"},
  {"kty":"RSA","kid":"enc-1","use":"enc","n":"abc","e":"AQAB"},
  {"kty":"EC","kid":"ec-1","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"},
  {"kty":"EC","kid":"p384","crv":"P-384","x":"a","y":"b"},
  {"kty":"oct","kid":"mac","k":"c2VjcmV0"},
  {"kty":"RSA","kid":"no-n","e":"AQAB"}
]}"#;

#[test]
fn the_jwks_keeps_only_signature_keys_it_can_use() {
    let keys = parse_jwks(JWKS, &SerdeJson).unwrap();
    assert_eq!(
        keys,
        [
            PublicKey::Rsa {
                kid: Some("sf-1".into()),
                n: "sXch".into(),
                e: "AQAB".into()
            },
            PublicKey::Ec {
                kid: Some("ec-1".into()),
                x: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs".into(),
                y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA".into(),
            },
        ]
    );
    for bad in ["", "[]", r#"{"keys":{}}"#, r#"{"nokeys":[]}"#] {
        assert_eq!(
            parse_jwks(bad, &SerdeJson).unwrap_err().code(),
            "invalid_token_response",
            "{bad}"
        );
    }
}

#[test]
fn only_rs256_and_es256_are_accepted() {
    let rs = signed_token(
        &token(r#"{"alg":"RS256","kid":"sf-1","typ":"JWT"}"#, &[1; 256]),
        &SerdeJson,
    )
    .unwrap();
    assert_eq!(
        (rs.alg, rs.kid.as_deref(), rs.signature.len()),
        (Alg::Rs256, Some("sf-1"), 256)
    );
    assert_eq!(rs.signing_input.split('.').count(), 2);
    let es = signed_token(&token(r#"{"alg":"ES256"}"#, &[2; 64]), &SerdeJson).unwrap();
    assert_eq!((es.alg, es.kid), (Alg::Es256, None));
    for (header, sig, why) in [
        (r#"{"alg":"none"}"#, &[][..], "alg none"),
        (r#"{"alg":"NONE"}"#, &[1][..], "alg none"),
        (r#"{"alg":"HS256","kid":"sf-1"}"#, &[1; 32][..], "HS*"),
        (r#"{"alg":"RS384"}"#, &[1; 256][..], "RS256 or ES256"),
        (r#"{"kid":"x"}"#, &[1; 256][..], "RS256 or ES256"),
        (r#"{"alg":"ES256"}"#, &[1; 63][..], "wrong length"),
        (r#"{"alg":"RS256"}"#, &[][..], "wrong length"),
        (r#"{"alg":"RS256","crit":["exp"]}"#, &[1; 256][..], "crit"),
        (r#"{"alg":"RS256","kid":7}"#, &[1; 256][..], "kid"),
        (r#"["alg"]"#, &[1; 256][..], "JSON object"),
    ] {
        let e = signed_token(&token(header, sig), &SerdeJson).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{header}");
        assert!(e.message().contains(why), "{header}: {e}");
    }
    for bad in ["a.b", "a.b.c.d", "!!!.e30.AA"] {
        assert!(signed_token(bad, &SerdeJson).is_err(), "{bad}");
    }
}

#[test]
fn the_key_is_chosen_by_kid_and_an_unknown_kid_refetches_once() {
    let keys = parse_jwks(JWKS, &SerdeJson).unwrap();
    let with = |header: &str, sig: &[u8]| signed_token(&token(header, sig), &SerdeJson).unwrap();
    let rs = with(r#"{"alg":"RS256","kid":"sf-1"}"#, &[1; 256]);
    assert_eq!(choose_key(&keys, &rs, false), KeyChoice::Use(&keys[0]));
    let rotated = with(r#"{"alg":"RS256","kid":"sf-2"}"#, &[1; 256]);
    assert_eq!(choose_key(&keys, &rotated, false), KeyChoice::Refetch);
    assert_eq!(choose_key(&keys, &rotated, true), KeyChoice::None);
    assert!(no_key(&rotated).message().contains("kid"));
    // The kid of an EC key does not make an RS256 token verify with it.
    let mixed = with(r#"{"alg":"RS256","kid":"ec-1"}"#, &[1; 256]);
    assert_eq!(choose_key(&keys, &mixed, true), KeyChoice::None);
    // No kid: the only key of the alg's type, else none.
    let es = with(r#"{"alg":"ES256"}"#, &[2; 64]);
    assert_eq!(choose_key(&keys, &es, true), KeyChoice::Use(&keys[1]));
    let two_rsa = [
        keys[0].clone(),
        PublicKey::Rsa {
            kid: None,
            n: "x".into(),
            e: "AQAB".into(),
        },
    ];
    assert_eq!(
        choose_key(&two_rsa, &with(r#"{"alg":"RS256"}"#, &[1; 256]), true),
        KeyChoice::None
    );
    assert_eq!(bad_signature().code(), "invalid_token_response");
}

#[test]
fn the_id_token_of_a_token_response() {
    use crate::core::http::{JsonDecoder, SerdeJson};
    let of = |body: &str| {
        let v = SerdeJson.parse(body).unwrap();
        id_token_of(&v).map(str::to_owned)
    };
    assert_eq!(
        of(r#"{"access_token":"a","id_token":"h.p.s"}"#).as_deref(),
        Some("h.p.s")
    );
    assert_eq!(of(r#"{"access_token":"a"}"#), None);
    assert_eq!(of(r#"{"id_token":""}"#), None);
    assert_eq!(of(r#"{"id_token":7}"#), None);
    assert_eq!(of(r#"["id_token"]"#), None);
}
