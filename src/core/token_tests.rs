#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::authorize::{LoginOptions, authorization_request};
use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::http::SerdeJson;
use crate::core::state::LoginRandomness;
use base64::Engine as _;

pub(super) const NOW: f64 = 1_700_000_000_000.0;

pub(super) fn config() -> ClientConfig {
    ClientConfig::salesforce(&ClientOptions {
        client_id: Some("cid".into()),
        redirect_uri: Some("https://app.example.com/callback".into()),
        login_host: Some("https://acme.my.salesforce.com".into()),
        ..Default::default()
    })
    .unwrap()
}

pub(super) fn sf_body(extra: &str) -> String {
    format!(
        r#"{{"access_token":"00Dxx0000000123!AR8AQ","refresh_token":"5Aep861","signature":"SSS=","scope":"refresh_token api id openid","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA","token_type":"Bearer","issued_at":"1676372418560"{extra}}}"#
    )
}

/// A refresh of `first` refused with a 400 and `body`.
pub(super) fn refused_refresh(c: &ClientConfig, first: &TokenSet, body: &str) -> AuthError {
    process_token_response(
        c,
        Grant::Refresh { previous: first },
        400,
        body,
        NOW,
        &SerdeJson,
    )
    .unwrap_err()
}

pub(super) fn exchange(body: &str, status: u16) -> Result<TokenOutcome, AuthError> {
    process_token_response(
        &config(),
        Grant::AuthorizationCode { nonce: None },
        status,
        body,
        NOW,
        &SerdeJson,
    )
}

#[test]
fn token_request_carries_code_and_verifier() {
    let c = config();
    let req = authorization_request(
        &c,
        &LoginOptions::default(),
        &LoginRandomness::from_bytes(&[4; 96]),
        NOW,
        None,
    )
    .unwrap();
    let verifier = req.pending.verifier.secret().to_owned();
    let q = format!("code=aPrx%2Bq%3D%3D&state={}", req.pending.state.as_str());
    let v = validate_callback(
        &c,
        parse_callback(&q).unwrap().unwrap(),
        PendingLookup::Found(req.pending),
        NOW,
    )
    .unwrap();
    let t = token_request(&c, &v);
    assert_eq!(
        t.url,
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(t.method.as_str(), "POST");
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(t.body.as_deref().unwrap().as_bytes())
            .into_owned()
            .collect();
    assert_eq!(
        pairs,
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
    assert!(t.headers.contains(&(
        "Content-Type",
        "application/x-www-form-urlencoded".to_owned()
    )));
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
    assert_eq!(t.issued_at_ms, 1_676_372_418_560.0);
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
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + 3_600_000.0));
    let o = exchange(&sf_body(r#","expires_in":"60""#), 200).unwrap();
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + 60_000.0));
    let mut c = config();
    c.session_timeout_seconds = Some(900);
    let o = process_token_response(
        &c,
        Grant::AuthorizationCode { nonce: None },
        200,
        &sf_body(""),
        NOW,
        &SerdeJson,
    )
    .unwrap();
    assert_eq!(o.tokens.expires_at_ms, Some(NOW + 900_000.0));
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
    let o = process_token_response(
        &c,
        Grant::Refresh { previous: &first },
        200,
        plain,
        NOW,
        &SerdeJson,
    )
    .unwrap();
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
    let o = process_token_response(
        &c,
        Grant::Refresh { previous: &first },
        200,
        &rotated,
        NOW,
        &SerdeJson,
    )
    .unwrap();
    assert_eq!(
        o.tokens.refresh_token.as_ref().unwrap().secret(),
        "5Aep-next"
    );
    assert!(o.rotated);
    let moved = plain.replace(
        r#""instance_url":"https://acme.my.salesforce.com""#,
        r#""instance_url":"https://acme2.my.salesforce.com""#,
    );
    let o = process_token_response(
        &c,
        Grant::Refresh { previous: &first },
        200,
        &moved,
        NOW,
        &SerdeJson,
    )
    .unwrap();
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
    let e = process_token_response(
        &c,
        Grant::Refresh { previous: &first },
        503,
        "",
        NOW,
        &SerdeJson,
    )
    .unwrap_err();
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
    let jwt = format!(
        "h.{}.s",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims)
    );
    let body = sf_body(&format!(r#","id_token":"{jwt}""#));
    let ok = process_token_response(
        &config(),
        Grant::AuthorizationCode { nonce: Some(&n) },
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
            client_id: Some("cid".into()),
            redirect_uri: Some("https://app.example.com/callback".into()),
            login_host: Some("https://acme.my.salesforce.com".into()),
            dpop: Some(mode),
            ..Default::default()
        })
        .unwrap()
    };
    let answer = |c: &ClientConfig, body: &str| {
        process_token_response(
            c,
            Grant::AuthorizationCode { nonce: None },
            200,
            body,
            NOW,
            &SerdeJson,
        )
    };
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
            client_id: Some("spa".into()),
            redirect_uri: Some("http://localhost:5173/callback".into()),
            issuer: Some("http://127.0.0.1:9000".into()),
            authorization_endpoint: Some("http://127.0.0.1:9000/auth".into()),
            token_endpoint: Some("http://127.0.0.1:9000/token".into()),
            dpop: Some(DpopMode::IfSupported),
            dpop_signing_alg_values_supported: algs,
            ..Default::default()
        })
        .unwrap()
    };
    assert!(!generic(None).uses_dpop(), "no metadata: Bearer");
    assert!(!generic(Some(vec!["PS256".into()])).uses_dpop(), "no ES256");
    assert!(generic(Some(vec!["RS256".into(), "ES256".into()])).uses_dpop());
    assert!(!config().uses_dpop(), "dpop unset: never");
}
