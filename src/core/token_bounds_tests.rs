//! The bounds a token response must keep (`core::bounds`), and the tokens of a refused 2xx
//! answer handed back for revocation.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::tests::{NOW, config, exchange, sf_body};
use super::*;
use crate::core::http::SerdeJson;

fn with_access(at: &str) -> String {
    sf_body("").replace("00Dxx0000000123!AR8AQ", at)
}

#[test]
fn tokens_must_be_visible_ascii_and_salesforce_tokens_pass() {
    let sf = "00Dxx0000000123!AR8AQP0jITN80ESEsj5EbaZTFG0RNBaT1cyWk7TrqoDjoNIWQ2ME_sTZzBjfmOE6zMHq6y8PIW4eWze9JksNEkWUl.Cju7m4";
    let o = exchange(&with_access(sf), 200).unwrap();
    assert_eq!(o.tokens.access_token.secret(), sf);
    for (bad, shown) in [
        ("00D!AR8\\r\\nX-Evil: yes", "access_token"),
        ("00D!AR8\\u0000", "access_token"),
        ("00D!AR8 AQ", "access_token"),
        ("00D!AR8\\u00e9", "access_token"),
    ] {
        let e = exchange(&with_access(bad), 200).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response");
        assert_eq!(
            e.message(),
            [
                "invalid token response: ",
                shown,
                " has a character outside visible ASCII (0x21-0x7E)"
            ]
            .concat()
        );
    }
    let body = sf_body("").replace("5Aep861", "5Aep\\n861");
    let e = exchange(&body, 200).unwrap_err();
    assert!(e.message().contains("refresh_token has a character"), "{e}");
    let e = exchange(&sf_body(r#","id_token":"a.b\tc""#), 200).unwrap_err();
    assert!(e.message().contains("id_token has a character"), "{e}");
}

#[test]
fn tokens_and_bodies_are_bounded() {
    let jwt = ["eyJ", &"x".repeat(2994), ".a.b"].concat();
    assert_eq!(jwt.len(), 3001);
    assert!(
        exchange(&with_access(&jwt), 200).is_ok(),
        "a 3,000-character JWT passes"
    );
    assert!(
        exchange(&with_access(&"a".repeat(8000)), 200).is_ok(),
        "at the cap"
    );
    let e = exchange(&with_access(&"a".repeat(8001)), 200).unwrap_err();
    assert_eq!(
        e.message(),
        "invalid token response: access_token is longer than 8000 characters"
    );
    let e = exchange(&sf_body("").replace("5Aep861", &"r".repeat(8001)), 200).unwrap_err();
    assert!(e.message().contains("refresh_token is longer"), "{e}");
    // A 5 MB body (here: 64 KiB and one byte, padded with spaces) is refused unread.
    let big = [
        sf_body(""),
        " ".repeat(MAX_TOKEN_BODY_BYTES + 1 - sf_body("").len()),
    ]
    .concat();
    assert_eq!(big.len(), MAX_TOKEN_BODY_BYTES + 1);
    let e = exchange(&big, 200).unwrap_err();
    assert_eq!(
        e.message(),
        "invalid token response: the body is over 64 KiB"
    );
    assert!(
        exchange(&big[..MAX_TOKEN_BODY_BYTES], 200).is_ok(),
        "64 KiB passes"
    );
    // An error answer that large is read as one without a body.
    let big_error = [
        r#"{"error":"invalid_grant"}"#,
        &" ".repeat(MAX_TOKEN_BODY_BYTES),
    ]
    .concat();
    let e = exchange(&big_error, 400).unwrap_err();
    assert_eq!((e.code(), e.server_error()), ("token_endpoint_error", None));
}

#[test]
fn a_refused_2xx_answer_hands_its_tokens_back_for_revocation() {
    let e = exchange(&sf_body("").replace("\"Bearer\"", "\"MAC\""), 200).unwrap_err();
    let t = e.tokens_to_revoke().expect("the refused answer's tokens");
    assert_eq!(
        t.secrets(),
        (Some("00Dxx0000000123!AR8AQ"), Some("5Aep861"))
    );
    assert!(!e.message().contains("AR8AQ") && !format!("{e:?}").contains("AR8AQ"));
    let e = exchange(&with_access("00D!AR8\\n"), 200).unwrap_err();
    assert_eq!(e.tokens_to_revoke().unwrap().secrets().0, Some("00D!AR8\n"));
    // No access token, or an error status: nothing to revoke.
    assert!(
        exchange(r#"{"token_type":"Bearer"}"#, 200)
            .unwrap_err()
            .tokens_to_revoke()
            .is_none()
    );
    assert!(
        exchange(&sf_body(""), 400)
            .unwrap_err()
            .tokens_to_revoke()
            .is_none()
    );
    // A refresh answer: the tokens the session holds are not handed back.
    let first = exchange(&sf_body(""), 200).unwrap().tokens;
    let answer = sf_body(r#","id_token":"not-a-jwt""#).replace("AR8AQ", "AR8new");
    let grant = Grant::Refresh { previous: &first };
    let e = process_token_response(&config(), grant, 200, &answer, NOW, &SerdeJson).unwrap_err();
    assert_eq!(
        e.tokens_to_revoke().unwrap().secrets(),
        (Some("00Dxx0000000123!AR8new"), None)
    );
}
