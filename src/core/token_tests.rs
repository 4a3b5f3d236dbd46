#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::http::SerdeJson;
use crate::core::testing;

pub(super) use crate::core::testing::{NOW, salesforce_body as sf_body};

/// The token tests' Salesforce client (`cid`, the `aud` of their id_tokens).
pub(super) fn config() -> ClientConfig {
    testing::salesforce("cid")
}

/// A refresh of `first` refused with a 400 and `body`.
pub(super) fn refused_refresh(c: &ClientConfig, first: &TokenSet, body: &str) -> AuthError {
    testing::refresh(c, first, 400, body).unwrap_err()
}

pub(super) fn exchange(body: &str, status: u16) -> Result<TokenOutcome, AuthError> {
    testing::exchange(&config(), status, body)
}

#[test]
fn token_request_carries_code_and_verifier() {
    let c = config();
    let pending = testing::pending(&c, 4);
    let verifier = pending.verifier.secret().to_owned();
    let q = testing::callback_query(&pending, "aPrx%2Bq%3D%3D");
    let v = validate_callback(
        &c,
        parse_callback(&q).unwrap().unwrap(),
        PendingLookup::Found(pending),
        NOW,
    )
    .unwrap();
    let t = token_request(&c, &v);
    assert_eq!(
        t.url,
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(t.method.as_str(), "POST");
    assert_eq!(
        testing::form_pairs(t.body.as_deref().unwrap()),
        vec![
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), "aPrx+q==".into()),
            (
                "redirect_uri".into(),
                "https://app.example.com/callback".into()
            ),
            ("client_id".into(), "cid".into()),
            ("code_verifier".into(), verifier),
        ]
    );
    assert!(
        t.headers
            .contains(&("Content-Type", "application/x-www-form-urlencoded"))
    );
}

#[test]
fn refresh_request_has_no_secret() {
    let r = refresh_request(&config(), &RefreshToken::new("5Aep"));
    assert_eq!(
        r.body.as_deref(),
        Some("grant_type=refresh_token&refresh_token=5Aep&client_id=cid")
    );
}

#[test]
fn parses_salesforce_token_response() {
    let o = exchange(&sf_body(""), 200).unwrap();
    let t = &o.tokens;
    assert_eq!(t.access_token.secret(), "00Dxx0000000123!AR8AQ");
    assert_eq!(t.refresh_token.as_ref().unwrap().secret(), "5Aep861");
    assert_eq!(t.instance_url(), Some("https://acme.my.salesforce.com"));
    assert_eq!(t.extras.get("org_id"), Some("00Dxx0000000123AAA"));
    assert_eq!(t.extras.get("user_id"), Some("005xx000000456AAA"));
    assert_eq!(t.issued_at_ms, Millis(1_676_372_418_560.0));
    assert_eq!(t.expires_at_ms, None, "Salesforce sends no expires_in");
    assert_eq!(t.scopes, ["refresh_token", "api", "id", "openid"]);
    assert!(o.scopes_missing.is_empty());
    assert!(
        !format!("{t:?}").contains("AR8AQ"),
        "Debug of a token set is redacted"
    );
}

#[test]
fn expires_in_and_session_timeout_set_expiry() {
    let o = exchange(&sf_body(r#","expires_in":3600"#), 200).unwrap();
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + Millis(3_600_000.0)));
    let o = exchange(&sf_body(r#","expires_in":"60""#), 200).unwrap();
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + Millis(60_000.0)));
    let mut c = config();
    c.session_timeout_seconds = Some(900);
    let o = testing::exchange(&c, 200, &sf_body("")).unwrap();
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + Millis(900_000.0)));
}

#[test]
fn invalid_token_responses() {
    let cases = [
        ("<html>oops</html>".to_owned(), "not JSON"),
        ("[1]".to_owned(), "not a JSON object"),
        (
            r#"{"token_type":"Bearer","instance_url":"https://acme.my.salesforce.com"}"#.to_owned(),
            "access_token",
        ),
        (
            sf_body("").replace(
                r#""access_token":"00Dxx0000000123!AR8AQ""#,
                r#""access_token":"""#,
            ),
            "access_token",
        ),
        (
            sf_body("").replace("Bearer", "mac"),
            "neither Bearer nor DPoP",
        ),
        (
            sf_body("").replace("Bearer", "DPoP"),
            "this client sent no DPoP proof",
        ),
        (
            sf_body("").replace(r#","token_type":"Bearer""#, ""),
            "token_type is missing",
        ),
        (
            sf_body("").replace("https://acme.my.salesforce.com\"", "https://evil.example\""),
            "instance_url host evil.example",
        ),
        (
            sf_body("").replace(r#""instance_url":"https://acme.my.salesforce.com","#, ""),
            "instance_url is missing",
        ),
        (sf_body(r#","expires_in":-1"#), "expires_in"),
        (sf_body(r#","expires_in":"soon""#), "expires_in"),
        (
            sf_body("").replace("1676372418560", "yesterday"),
            "issued_at",
        ),
        (sf_body(r#","id_token":"garbage""#), "id_token"),
        (r#"{"access_token":7}"#.to_owned(), "not a JSON object"),
    ];
    for (body, why) in cases {
        let e = exchange(&body, 200).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{body}");
        assert!(e.to_string().contains(why), "{e} should mention {why}");
        assert!(!e.to_string().contains("AR8AQ"), "no token in messages");
    }
}

#[test]
fn token_endpoint_errors_keep_status_and_oauth_error() {
    let e = exchange(
        r#"{"error":"invalid_grant","error_description":"invalid code verifier"}"#,
        400,
    )
    .unwrap_err();
    assert_eq!(
        (
            e.code(),
            e.status(),
            e.server_error(),
            e.error_description()
        ),
        (
            "token_endpoint_error",
            Some(400),
            Some("invalid_grant"),
            Some("invalid code verifier")
        )
    );
    let e = exchange("<html>Internal error</html>", 500).unwrap_err();
    assert_eq!(
        (e.code(), e.status(), e.server_error()),
        ("token_endpoint_error", Some(500), None)
    );
    let e = exchange(r#"{"error":"bad\"code"}"#, 401).unwrap_err();
    assert_eq!(e.server_error(), None, "invalid error codes are dropped");
}

#[test]
fn refresh_merges_and_detects_rotation_and_session_end() {
    let first = exchange(&sf_body(""), 200).unwrap().tokens;
    let c = config();
    let plain = r#"{"access_token":"00Dxx!new","token_type":"Bearer","issued_at":"1700000000000","instance_url":"https://acme.my.salesforce.com","scope":"refresh_token api id openid"}"#;
    let o = testing::refresh(&c, &first, 200, plain).unwrap();
    assert_eq!(o.tokens.access_token.secret(), "00Dxx!new");
    assert_eq!(
        o.tokens.refresh_token.as_ref().unwrap().secret(),
        "5Aep861",
        "kept without rotation"
    );
    assert!(!o.rotated);
    assert_eq!(o.tokens.extras.get("user_id"), first.extras.get("user_id"));
    let rotated = plain.replace(
        r#""token_type""#,
        r#""refresh_token":"5Aep-next","token_type""#,
    );
    let o = testing::refresh(&c, &first, 200, &rotated).unwrap();
    assert_eq!(
        o.tokens.refresh_token.as_ref().unwrap().secret(),
        "5Aep-next"
    );
    assert!(o.rotated);
    let moved = plain.replace(
        r#""instance_url":"https://acme.my.salesforce.com""#,
        r#""instance_url":"https://acme2.my.salesforce.com""#,
    );
    let o = testing::refresh(&c, &first, 200, &moved).unwrap();
    assert_eq!(
        o.tokens.instance_url(),
        Some("https://acme2.my.salesforce.com"),
        "a refresh's instance_url replaces the old one"
    );
    let e = refused_refresh(
        &c,
        &first,
        r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
    );
    assert_eq!(
        (e.code(), e.server_error()),
        ("session_expired", Some("invalid_grant"))
    );
    let e = testing::refresh(&c, &first, 503, "").unwrap_err();
    assert_eq!(
        e.code(),
        "token_endpoint_error",
        "a 5xx on refresh does not end the session"
    );
}

#[test]
fn scope_reduction_is_reported() {
    let o = exchange(
        &sf_body("").replace("refresh_token api id openid", "refresh_token id"),
        200,
    )
    .unwrap();
    assert_eq!(o.scopes_missing, ["api", "openid"]);
}

#[test]
fn id_token_nonce_is_checked_on_code_exchange() {
    let n = Nonce::new("nonce-1");
    let claims = r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1700000300,"iat":1700000000,"nonce":"nonce-1"}"#;
    let jwt = testing::jwt(claims);
    let body = sf_body(&format!(r#","id_token":"{jwt}""#));
    let ok = process_token_response(
        &config(),
        Grant::AuthorizationCode {
            nonce: Some(&n),
            held: None,
        },
        200,
        &body,
        NOW,
        &SerdeJson,
    )
    .unwrap();
    assert!(ok.tokens.id_token.is_some());
    let other = Nonce::new("nonce-2");
    let e = process_token_response(
        &config(),
        Grant::AuthorizationCode {
            nonce: Some(&other),
            held: None,
        },
        200,
        &body,
        NOW,
        &SerdeJson,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_token_response");
}

#[test]
fn token_type_follows_the_dpop_option() {
    use crate::core::dpop::DpopMode;
    let with = |mode| {
        ClientConfig::salesforce(&ClientOptions {
            dpop: Some(mode),
            ..testing::salesforce_options("cid")
        })
        .unwrap()
    };
    let answer = |c: &ClientConfig, body: &str| testing::exchange(c, 200, body);
    let bearer = sf_body("");
    let bound = sf_body("").replace(r#""token_type":"Bearer""#, r#""token_type":"DPoP""#);
    // dpop: true — only DPoP-bound tokens.
    let required = with(DpopMode::Required);
    assert!(answer(&required, &bound).unwrap().tokens.dpop);
    let e = answer(&required, &bearer).unwrap_err();
    assert_eq!(e.code(), "invalid_token_response");
    assert!(e.to_string().contains("requires DPoP-bound tokens"), "{e}");
    // "if-supported" (the Salesforce profile supports it): either, and the set says which.
    let maybe = with(DpopMode::IfSupported);
    assert!(answer(&maybe, &bound).unwrap().tokens.dpop);
    assert!(!answer(&maybe, &bearer).unwrap().tokens.dpop);
    // Off: a DPoP token could not be used; a Bearer one as always. Case-insensitive.
    let off = with(DpopMode::Off);
    assert_eq!(
        answer(&off, &bound).unwrap_err().code(),
        "invalid_token_response"
    );
    assert!(!answer(&off, &bearer).unwrap().tokens.dpop);
    let lower = bound.replace("DPoP", "dpop");
    assert!(answer(&required, &lower).unwrap().tokens.dpop);
}

#[test]
fn if_supported_follows_a_generic_providers_metadata() {
    use crate::core::dpop::DpopMode;
    let generic = |algs: Option<Vec<String>>| {
        ClientConfig::generic(&ClientOptions {
            dpop: Some(DpopMode::IfSupported),
            dpop_signing_alg_values_supported: algs,
            ..testing::generic_options()
        })
        .unwrap()
    };
    assert!(!generic(None).uses_dpop(), "no metadata: Bearer");
    assert!(!generic(Some(vec!["PS256".into()])).uses_dpop(), "no ES256");
    assert!(generic(Some(vec!["RS256".into(), "ES256".into()])).uses_dpop());
    assert!(!config().uses_dpop(), "dpop unset: never");
}

#[test]
#[cfg(feature = "dpop")]
fn a_refused_answer_s_tokens_are_handed_back_unless_the_session_holds_them() {
    use crate::core::http::JsonDecoder;
    let of = |body: &str, held: Option<&TokenSet>| {
        let doc = SerdeJson.parse(body).unwrap();
        refused_unless_held(body, &doc, held).map(|t| {
            let (a, r) = t.secrets();
            (a.map(str::to_owned), r.map(str::to_owned))
        })
    };
    let config = testing::generic();
    let held = testing::exchange(&config, 200, &testing::token_body("at1", Some("rt1"), None))
        .unwrap()
        .tokens;
    // A refresh answer repeating the session's refresh token: only the new access token.
    let body = r#"{"access_token":"at2","refresh_token":"rt1","token_type":"MAC"}"#;
    assert_eq!(of(body, Some(&held)), Some((Some("at2".into()), None)));
    // Repeating its access token too: nothing to revoke.
    let same = r#"{"access_token":"at1","refresh_token":"rt1"}"#;
    assert_eq!(of(same, Some(&held)), None);
    // Repeating its access token with a new refresh token: the refresh token alone.
    let rotated = r#"{"access_token":"at1","refresh_token":"rt2"}"#;
    assert_eq!(of(rotated, Some(&held)), Some((None, Some("rt2".into()))));
    // A set without a refresh token: the answer's refresh token is handed back.
    let no_refresh = testing::exchange(&config, 200, &testing::token_body("at1", None, None))
        .unwrap()
        .tokens;
    assert_eq!(
        of(body, Some(&no_refresh)),
        Some((Some("at2".into()), Some("rt1".into())))
    );
    // A code exchange's answer with no session held: both.
    assert_eq!(
        of(body, None),
        Some((Some("at2".into()), Some("rt1".into())))
    );
}

/// A derived value out of its field's bounds (Salesforce's `user_id` and `org_id`: 1 to 255
/// visible ASCII characters) leaves the field out, the held set's value too; a later derived
/// value that fits takes the place where the first was set.
#[test]
fn derived_values_out_of_bounds_are_left_out() {
    use crate::core::testing::{MY_DOMAIN, id_token_claims, jwt};
    let long = "5".repeat(256);
    let answer = |id: &str, claims: &str, previous: Option<&TokenSet>| {
        let token = jwt(&id_token_claims(
            "https://login.salesforce.com",
            "cid",
            "opaque",
            claims,
        ));
        let body = [
            r#"{"access_token":"00Dxx0000000123!AR8AQ","token_type":"Bearer","instance_url":""#,
            MY_DOMAIN,
            "\"",
            id,
            r#","id_token":""#,
            &token,
            "\"}",
        ]
        .concat();
        let o = match previous {
            Some(p) => testing::refresh(&config(), p, 200, &body),
            None => exchange(&body, 200),
        };
        o.unwrap().tokens
    };
    let extras = |id: &str, claims: &str| format!("{:?}", answer(id, claims, None).extras);
    let id = r#","id":"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA""#;
    let url = "(\"instance_url\", \"https://acme.my.salesforce.com\")";
    let sf_id =
        "(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\")";
    let ids = "(\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")";
    let org = "(\"org_id\", \"00Do\")";
    assert_eq!(
        extras("", r#","user_id":"005 u","organization_id":"00Do""#),
        format!("TokenExtras([{url}, {org}])")
    );
    let too_long = [r#","user_id":""#, &long, r#"","organization_id":"00Do""#].concat();
    assert_eq!(
        extras("", &too_long),
        format!("TokenExtras([{url}, {org}])")
    );
    assert_eq!(
        extras(id, r#","user_id":"005 u""#),
        format!("TokenExtras([{url}, {sf_id}, {ids}])")
    );
    assert_eq!(
        extras(id, r#","user_id":"005u","organization_id":"00D\no""#),
        format!("TokenExtras([{url}, {sf_id}, {ids}])")
    );
    // A refresh whose claim replaces the held set's user_id with one out of bounds: none left.
    let held = answer("", r#","user_id":"005u","organization_id":"00Do""#, None);
    let user = "(\"user_id\", \"005u\")";
    assert_eq!(
        format!("{:?}", held.extras),
        format!("TokenExtras([{url}, {user}, {org}])")
    );
    let refreshed = answer("", r#","user_id":"005 u""#, Some(&held));
    assert_eq!(
        format!("{:?}", refreshed.extras),
        format!("TokenExtras([{url}, {org}])")
    );
}

#[test]
fn process_token_response_never_hands_back_a_token_of_the_held_set() {
    // A refused answer (Bearer under dpop: true) to a code exchange made while `held` is held
    // (a second sign-in), and to a refresh of it: what it repeats of the set is not handed back.
    let mut config = testing::generic();
    let held = testing::exchange(&config, 200, &testing::token_body("at1", Some("rt1"), None))
        .unwrap()
        .tokens;
    config.dpop = crate::core::dpop::DpopMode::Required;
    for (access, refresh, expected) in [
        ("at9", "rt1", (Some("at9"), None)),
        ("at1", "rt9", (None, Some("rt9"))),
        ("at9", "rt9", (Some("at9"), Some("rt9"))),
    ] {
        let body = testing::token_body(access, Some(refresh), None);
        for grant in [
            Grant::AuthorizationCode {
                nonce: None,
                held: Some(&held),
            },
            Grant::Refresh { previous: &held },
        ] {
            let e =
                process_token_response(&config, grant, 200, &body, NOW, &SerdeJson).unwrap_err();
            let t = e.tokens_to_revoke().expect("a token to revoke");
            assert_eq!(t.secrets(), expected, "{access} {refresh}");
        }
    }
    // Both held: nothing to revoke; with nothing held, both.
    let body = testing::token_body("at1", Some("rt1"), None);
    let grant = Grant::AuthorizationCode {
        nonce: None,
        held: Some(&held),
    };
    let e = process_token_response(&config, grant, 200, &body, NOW, &SerdeJson).unwrap_err();
    assert!(e.tokens_to_revoke().is_none());
    let e = testing::exchange(&config, 200, &body).unwrap_err();
    assert_eq!(
        e.tokens_to_revoke().map(|t| t.secrets()),
        Some((Some("at1"), Some("rt1")))
    );
}
