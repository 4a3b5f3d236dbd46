//! Every outcome of the id_token checks (`id_token_payload`, then `check_claims`), pinned whole:
//! the identity, or the error's code and message, for each token shape and claim set under
//! several checks (issuer or none, trusted audiences, nonce or none). Printed by the code before
//! the size-first rewrite (`tests/golden/id_token.txt`; `ID_TOKEN_GOLDEN_WRITE=1` rewrites it).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::base64url;
use crate::core::http::SerdeJson;
use crate::core::testing::jwt;

fn render(r: Result<IdTokenClaims, AuthError>) -> String {
    match r {
        Ok(c) => format!("ok {:?}", c.identity),
        Err(e) => format!("err {} [{}]", e.code(), e.message()),
    }
}

const ACME: &str = "https://acme.my.salesforce.com";

/// The claims of a valid token, with `aud` and the rest given.
fn claims(aud: &str, rest: &str) -> String {
    [
        r#"{"iss":""#,
        ACME,
        r#"","aud":"#,
        aud,
        r#","exp":1000100,"iat":999999"#,
        rest,
        "}",
    ]
    .concat()
}

fn tokens() -> Vec<String> {
    let mut t: Vec<String> = [
        "",
        ".",
        "..",
        "...",
        "a.b",
        "a.b.c.d",
        "a..c",
        "a.!!!.c",
        "a.e30.c",
        "a.e30=.c",
        "a.e30==.c",
        "a.e30===.c",
        "a.=e30.c",
        "a.e3.c",
        "a.bnVsbA.c",
        "a.W10.c",
        "a.MQ.c",
        "a.Ig.c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    t.push(["a.", &base64url::encode([0x7b, 0xff, 0x7d]), ".c"].concat());
    for aud in [
        r#""cid""#,
        r#"["cid"]"#,
        "[]",
        r#""""#,
        r#""x""#,
        r#"["x"]"#,
        r#"["x","cid"]"#,
        r#"["cid","x"]"#,
        r#"["cid","x","y"]"#,
        r#"["y","cid"]"#,
        r#"["x","y"]"#,
        r#"["cid","cid"]"#,
        r#"["cid",1]"#,
        r#"[1,"cid"]"#,
        r#"["cid",null]"#,
        r#"["CID"]"#,
        "5",
        "null",
        r#"{"a":"cid"}"#,
    ] {
        t.push(jwt(&claims(aud, "")));
    }
    for rest in [
        r#","nonce":"n1""#,
        r#","nonce":"n2""#,
        r#","nonce":"""#,
        r#","nonce":1"#,
        r#","nonce":null"#,
        r#","azp":"cid""#,
        r#","azp":"x""#,
        r#","azp":"""#,
        r#","azp":1"#,
        r#","sub":"u1","auth_time":999000.7"#,
        r#","sub":1"#,
        r#","auth_time":"999000""#,
        r#","iss":"https://login.salesforce.com""#,
        r#","iss":"https://acme.my.salesforce.com/""#,
        r#","iss":"https://evil.example""#,
        r#","iss":"""#,
        r#","iss":null"#,
        r#","iss":1"#,
        r#","exp":699999"#,
        r#","exp":699000"#,
        r#","exp":"1000100""#,
        r#","exp":null"#,
        r#","iat":1300000"#,
        r#","iat":1300001"#,
        r#","iat":true"#,
    ] {
        t.push(jwt(&claims(r#""cid""#, rest)));
    }
    for c in [
        r#"{"aud":"cid","exp":1000100,"iat":999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","exp":1000100,"iat":999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","iat":999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100}"#,
        r#"{"iss":"https://evil.example","aud":"x","exp":1,"iat":9999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":["x","y"],"azp":"z","exp":1,"iat":9999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":["cid","y"],"azp":"z","exp":1,"iat":9999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","azp":"z","exp":1,"iat":9999999}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1,"iat":9999999,"nonce":"n2"}"#,
        r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":9999999,"nonce":"n2"}"#,
    ] {
        t.push(jwt(c));
    }
    t
}

fn outcomes() -> Vec<String> {
    let n = Nonce::new("n1");
    let none: [String; 0] = [];
    let x = ["x".to_owned()];
    let xy = ["y".to_owned(), "x".to_owned()];
    let extra = [
        "https://login.salesforce.com",
        "https://test.salesforce.com",
    ];
    let checks = [
        (Some(ACME), &extra[..], &none[..], Some(&n)),
        (Some(ACME), &extra[..], &none[..], None),
        (Some(ACME), &[][..], &x[..], None),
        (Some(ACME), &extra[..], &xy[..], Some(&n)),
        (None, &[][..], &none[..], None),
        (None, &[][..], &xy[..], None),
    ];
    let mut out = Vec::new();
    for (issuer, extra_issuers, trusted_audiences, nonce) in checks {
        let check = IdTokenCheck {
            issuer,
            extra_issuers,
            client_id: "cid",
            trusted_audiences,
            nonce,
            now_ms: Millis(1_000_000_000.0),
        };
        for t in tokens() {
            out.push(render(check_id_token(&t, &check, &SerdeJson)));
        }
    }
    out
}

#[test]
fn every_outcome_is_pinned() {
    let got = outcomes();
    let got = [got.join("\n"), "\n".to_owned()].concat();
    let want = include_str!("../../tests/golden/id_token.txt");
    crate::core::testing::golden_file("id_token.txt", "ID_TOKEN_GOLDEN_WRITE", &got, want);
}
