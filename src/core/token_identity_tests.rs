//! Tests of the token response's identity checks: id_token claims on refresh (OIDC Core §12.2),
//! audiences, JWT-format responses, unknown fields, hints.

use super::tests::{NOW, config, exchange, refused_refresh, sf_body};
use super::*;
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::http::SerdeJson;
use crate::core::testing::{self, MY_DOMAIN, id_token_claims, jwt as id_token};

fn user_id_token(sub: &str, extra: &str) -> String {
    let extra = [r#","auth_time":1699999000"#, extra].concat();
    id_token(&id_token_claims(MY_DOMAIN, "cid", sub, &extra))
}

/// The origins a token set names for the Bearer: those of its profile's `bearer` fields
/// (Salesforce: `instance_url`'s and `api_instance_url`'s).
fn bearer_origins(t: &TokenSet, c: &ClientConfig) -> Vec<Origin> {
    let mut origins = Vec::new();
    t.each_bearer_origin(c, |o| {
        origins.push(o.clone());
        false
    });
    origins
}

fn refresh_with(first: &TokenSet, body: &str) -> Result<TokenOutcome, AuthError> {
    testing::refresh(&config(), first, 200, body)
}

#[test]
fn refresh_with_someone_elses_id_token_ends_the_session_and_hands_back_its_tokens() {
    let login = sf_body(&format!(r#","id_token":"{}""#, user_id_token("alice", "")));
    let first = exchange(&login, 200).unwrap().tokens;
    assert_eq!(
        first.identity.as_ref().and_then(|i| i.sub.as_deref()),
        Some("alice")
    );
    let answer = |sub: &str, extra: &str| {
        format!(
            r#"{{"access_token":"00Dxx!theirs","refresh_token":"5Aep-theirs","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","id_token":"{}"}}"#,
            user_id_token(sub, extra)
        )
    };
    let same = refresh_with(&first, &answer("alice", "")).unwrap();
    assert_eq!(same.tokens.identity, first.identity);
    for (body, claim) in [
        (answer("mallory", ""), "sub"),
        (answer("alice", r#","azp":"cid""#), "azp"),
        (
            answer("alice", "").replace(
                &user_id_token("alice", ""),
                &id_token(
                    r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1700000300,"iat":1700000000,"sub":"alice","auth_time":1700000000}"#,
                ),
            ),
            "auth_time",
        ),
    ] {
        let e = refresh_with(&first, &body).unwrap_err();
        assert_eq!(e.code(), "session_expired", "{claim}");
        assert!(matches!(e, AuthError::IdentityChanged { claim: c, .. } if c == claim));
        assert!(e.to_string().contains("someone else's tokens"), "{e}");
        assert!(!e.to_string().contains("theirs"), "no token in the message");
        let revoke = e.tokens_to_revoke().expect("the answer's tokens");
        assert_eq!(revoke.secrets().0, Some("00Dxx!theirs"));
        assert_eq!(
            revoke.refresh_token.as_ref().map(RefreshToken::secret),
            Some("5Aep-theirs")
        );
    }
    // One repeating the held refresh token (a server that does not rotate echoes it): that
    // token is not handed back, it is the session's.
    let held = first.refresh_token.as_ref().unwrap().secret();
    let echo = answer("mallory", "").replace("5Aep-theirs", held);
    let e = refresh_with(&first, &echo).unwrap_err();
    assert_eq!(e.code(), "session_expired");
    assert_eq!(
        e.tokens_to_revoke().map(ForeignTokens::secrets),
        Some((Some("00Dxx!theirs"), None))
    );
    // A login without id_token adopts the first one a refresh brings.
    let plain = exchange(&sf_body(""), 200).unwrap().tokens;
    assert!(plain.identity.is_none());
    let adopted = refresh_with(&plain, &answer("alice", "")).unwrap().tokens;
    assert_eq!(
        adopted.identity.as_ref().and_then(|i| i.sub.as_deref()),
        Some("alice")
    );
}

#[test]
fn id_token_audiences_follow_trusted_audiences() {
    let body = sf_body(&format!(
        r#","id_token":"{}""#,
        id_token(
            r#"{"iss":"https://acme.my.salesforce.com","aud":["cid","https://api.partner.example"],"exp":1700000300,"iat":1700000000}"#
        )
    ));
    let e = exchange(&body, 200).unwrap_err();
    assert_eq!(e.code(), "invalid_token_response");
    let trusting = ClientConfig::salesforce(&ClientOptions {
        trusted_audiences: Some(vec!["https://api.partner.example".into()]),
        ..testing::salesforce_options("cid")
    })
    .unwrap();
    let o = testing::exchange(&trusting, 200, &body);
    assert!(o.is_ok());
}

#[test]
fn jwt_token_format_and_api_instance_url_are_kept_and_checked() {
    let jwt = sf_body(r#","token_format":"jwt","api_instance_url":"https://api.salesforce.com""#);
    let t = exchange(&jwt, 200).unwrap().tokens;
    assert_eq!(t.extras.get("token_format"), Some("jwt"));
    // api.salesforce.com is under salesforce.com: trusted by the instance_url rule as it is.
    assert_eq!(
        t.extras.get("api_instance_url"),
        Some("https://api.salesforce.com")
    );
    let api = Origin::parse("https://api.salesforce.com", "x").unwrap();
    let instance = Origin::parse("https://acme.my.salesforce.com", "x").unwrap();
    let other = Origin::parse("https://evil.example", "x").unwrap();
    let c = config();
    assert!(t.may_receive_bearer(&c, &api));
    assert!(t.may_receive_bearer(&c, &instance));
    assert!(!t.may_receive_bearer(&c, &other));
    assert_eq!(bearer_origins(&t, &c), [instance.clone(), api.clone()]);
    for bad in [
        "https://evil.example",
        "http://api.salesforce.com",
        "not a url",
    ] {
        let body = sf_body(&format!(r#","api_instance_url":"{bad}""#));
        let e = exchange(&body, 200).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{bad}");
        assert!(e.to_string().contains("api_instance_url"), "{e}");
    }
    let refreshed = process_token_response(
        &c,
        Grant::Refresh { previous: &t },
        200,
        r#"{"access_token":"00Dxx!new","token_type":"Bearer"}"#,
        NOW,
        &SerdeJson,
    )
    .unwrap()
    .tokens;
    assert_eq!(
        refreshed.extras.get("api_instance_url"),
        t.extras.get("api_instance_url"),
        "kept on refresh"
    );
    assert!(
        !exchange(&sf_body(""), 200)
            .unwrap()
            .tokens
            .may_receive_bearer(&c, &api)
    );
}

#[test]
fn unknown_response_fields_never_error() {
    let body = sf_body(
        r#","sfdc_site_url":"https://x.my.site.com","sfdc_site_id":"0DB","sfdc_community_url":null,"state":"s","is_readonly":false,"nested":{"a":[1,2,{"b":null}]},"big":1e300,"neg":-3.5,"list":["x",1,true],"token_format":"jwt","dpop_jkt":"abc","":"empty key""#,
    );
    let o = exchange(&body, 200).unwrap();
    assert_eq!(o.tokens.access_token.secret(), "00Dxx0000000123!AR8AQ");
    let refresh = r#"{"access_token":"00Dxx!new","token_type":"Bearer","future_field":{"x":1},"another":[null]}"#;
    assert!(
        process_token_response(
            &config(),
            Grant::Refresh {
                previous: &o.tokens
            },
            200,
            refresh,
            NOW,
            &SerdeJson,
        )
        .is_ok()
    );
}

#[test]
fn errors_a_browser_meets_say_how_to_fix_them() {
    let e = exchange(
        r#"{"error":"invalid_client","error_description":"app must be installed into org"}"#,
        400,
    )
    .unwrap_err();
    assert_eq!(e.code(), "token_endpoint_error");
    crate::core::profile::salesforce::assert_install_hint(&e.to_string());
    let first = exchange(&sf_body(""), 200).unwrap().tokens;
    let e = refused_refresh(
        &config(),
        &first,
        r#"{"error":"invalid_grant","error_description":"authentication failure"}"#,
    );
    assert_eq!(e.code(), "session_expired");
    assert_eq!(e.error_description(), Some("authentication failure"));
    let m = e.to_string();
    assert!(
        m.contains("the provider said: \"authentication failure\""),
        "{m}"
    );
    assert!(m.contains("deactivated or changed their password"), "{m}");
    let e = refused_refresh(
        &config(),
        &first,
        r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
    );
    assert!(!e.to_string().contains("deactivated"), "{e}");
}
