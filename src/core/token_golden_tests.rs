//! Every outcome of `process_token_response`, pinned whole: the variant and each field of the
//! error (message, OAuth error, description, hint, the claim), the tokens handed back to revoke
//! (by length: no token is printed), or the whole token set (its `Debug`, secrets redacted, and
//! the secrets' lengths). A rewrite of the token path must keep every line.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::tests::{config, exchange, sf_body};
use super::*;
use crate::core::testing::{self, MY_DOMAIN, id_token_claims, jwt};

fn len(s: Option<&str>) -> String {
    s.map_or("-".to_owned(), |s| s.len().to_string())
}

/// One line per outcome; secrets only by length.
fn render(r: Result<TokenOutcome, AuthError>) -> String {
    match r {
        Ok(o) => format!(
            "ok at={} rt={} idt={} rotated={} missing={:?} {:?}",
            o.tokens.access_token.secret().len(),
            len(o.tokens.refresh_token.as_ref().map(|t| t.secret())),
            len(o.tokens.id_token.as_ref().map(|t| t.secret())),
            o.rotated,
            o.scopes_missing,
            o.tokens,
        ),
        Err(e) => {
            let revoke = e.tokens_to_revoke().map(|t| t.secrets());
            format!(
                "err {} [{}] revoke=({}, {}) {e:?}",
                e.code(),
                e.message(),
                len(revoke.and_then(|r| r.0)),
                len(revoke.and_then(|r| r.1)),
            )
        }
    }
}

fn id_token(sub: &str, extra: &str) -> String {
    jwt(&id_token_claims(MY_DOMAIN, "cid", sub, extra))
}

fn with_id_token(idt: &str) -> String {
    sf_body(&[r#","id_token":""#, idt, "\""].concat())
}

/// A body, the status and (when a refresh) the previous set; each rendered.
fn outcomes() -> Vec<String> {
    let c = config();
    let first = exchange(&with_id_token(&id_token("alice", "")), 200)
        .unwrap()
        .tokens;
    let plain = exchange(&sf_body(""), 200).unwrap().tokens;
    let big = ["{\"x\":\"", &"a".repeat(MAX_TOKEN_BODY_BYTES), "\"}"].concat();
    let at = "00Dxx0000000123!AR8AQ";
    let codes: Vec<(u16, String)> = vec![
        (200, sf_body("")),
        (201, sf_body(r#","expires_in":3600"#)),
        (200, sf_body(r#","expires_in":"60""#)),
        (200, sf_body(r#","expires_in":1e12"#)),
        (200, sf_body(r#","expires_in":1.5"#)),
        (200, sf_body(r#","expires_in":-1"#)),
        (200, sf_body(r#","expires_in":"soon""#)),
        (200, sf_body(r#","expires_in":true"#)),
        (200, sf_body(r#","expires_in":null"#)),
        (200, sf_body("").replace("1676372418560", "yesterday")),
        (
            200,
            sf_body("").replace("\"1676372418560\"", "946684799999"),
        ),
        (
            200,
            sf_body("").replace("\"1676372418560\"", "946684800000"),
        ),
        (200, sf_body("").replace("\"1676372418560\"", "[1]")),
        (200, big.clone()),
        (200, "<html>oops</html>".to_owned()),
        (200, "[1]".to_owned()),
        (200, "null".to_owned()),
        (200, r#"{"access_token":7}"#.to_owned()),
        (200, sf_body(r#","error":7"#)),
        (200, sf_body(r#","error_description":{}"#)),
        (
            200,
            sf_body(r#","scope":null"#).replace(r#""scope":"refresh_token api id openid","#, ""),
        ),
        (
            200,
            sf_body("").replace("refresh_token api id openid", "  api   id "),
        ),
        (200, sf_body("").replace("refresh_token api id openid", "")),
        (
            200,
            sf_body("")
                .replace(r#""refresh_token":"5Aep861","#, "")
                .replace("refresh_token api id openid", "api"),
        ),
        (
            200,
            sf_body("").replace(
                r#""scope":"refresh_token api id openid""#,
                r#""scope":["api"]"#,
            ),
        ),
        (200, sf_body("").replace(at, "")),
        (
            200,
            sf_body("").replace(&format!(r#""access_token":"{at}","#), ""),
        ),
        (200, sf_body("").replace(at, "00D AR8")),
        (200, sf_body("").replace(at, &"a".repeat(8001))),
        (200, sf_body("").replace("5Aep861", "")),
        (200, sf_body("").replace("5Aep861", "5Aep\\u0001")),
        (200, with_id_token("")),
        (200, with_id_token("a b")),
        (200, with_id_token("garbage")),
        (200, with_id_token("a.!!!.c")),
        (200, with_id_token(&jwt("[1]"))),
        (200, with_id_token(&jwt(r#"{"iss":7}"#))),
        (
            200,
            with_id_token(&jwt(r#"{"aud":"cid","exp":1700000300,"iat":1700000000}"#)),
        ),
        (
            200,
            with_id_token(&jwt(&id_token_claims(
                "https://evil.example",
                "cid",
                "u",
                "",
            ))),
        ),
        (
            200,
            with_id_token(&jwt(&id_token_claims(
                "https://login.salesforce.com",
                "cid",
                "u",
                "",
            ))),
        ),
        (
            200,
            with_id_token(&jwt(&id_token_claims(MY_DOMAIN, "other", "u", ""))),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":["cid","x"],"exp":1700000300,"iat":1700000000}"#,
            )),
        ),
        (200, with_id_token(&id_token("u", r#","azp":"other""#))),
        (
            200,
            with_id_token(&id_token("u", r#","azp":"cid","oid":"x""#)),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","iat":1700000000}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1,"iat":1700000000}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1700000300}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1700000300,"iat":1800000000}"#,
            )),
        ),
        (200, with_id_token(&[&id_token("u", ""), ".x"].concat())),
        (200, with_id_token("h.p")),
        (200, with_id_token("..")),
        (200, with_id_token("h.e30=.s")),
        (200, with_id_token("h.e30.s")),
        (200, with_id_token("h._w.s")),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":["cid",1],"exp":1700000300,"iat":1700000000}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com/","aud":["cid","cid"],"exp":1699999700,"iat":1700000300,"sub":"s","azp":"cid","auth_time":1699999999.9}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1699999699,"iat":1700000000}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1700000300,"iat":1700000301}"#,
            )),
        ),
        (
            200,
            with_id_token(&jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":"1700000300","iat":1700000000}"#,
            )),
        ),
        (200, sf_body("").replace("Bearer", "bearer")),
        (200, sf_body("").replace("Bearer", "mac")),
        (200, sf_body("").replace("Bearer", "DPoP")),
        (200, sf_body("").replace(r#","token_type":"Bearer""#, "")),
        (
            200,
            sf_body("").replace(r#""token_type":"Bearer""#, r#""token_type":1"#),
        ),
        (200, sf_body("").replace(MY_DOMAIN, "https://evil.example")),
        (200, sf_body("").replace(&format!(r#""{MY_DOMAIN}""#), "7")),
        (
            200,
            sf_body("").replace(&format!(r#""instance_url":"{MY_DOMAIN}","#), ""),
        ),
        (
            200,
            sf_body(r#","api_instance_url":"https://api.salesforce.com""#),
        ),
        (
            200,
            sf_body(r#","api_instance_url":"https://evil.example""#),
        ),
        (
            200,
            sf_body("").replace(r#""id":"https://login"#, r#""id":"http://x"#),
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"expired authorization code"}"#
                .to_owned(),
        ),
        (
            400,
            r#"{"error":"invalid grant","error_description":"x"}"#.to_owned(),
        ),
        (400, r#"{"error":7,"error_description":"x"}"#.to_owned()),
        (
            400,
            r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#
                .to_owned(),
        ),
        (
            400,
            r#"{"error":"invalid_request","error_description":"restricted IP"}"#.to_owned(),
        ),
        (
            400,
            r#"{"error":"unsupported_grant_type","error_description":"grant type not supported"}"#
                .to_owned(),
        ),
        (401, r#"{"error":"invalid_client"}"#.to_owned()),
        (
            400,
            r#"{"error":"invalid_client","error_description":"app must be installed into org"}"#
                .to_owned(),
        ),
        (500, "<html>down</html>".to_owned()),
        (503, big.replace("\"x\"", "\"error\"")),
        (302, String::new()),
        (
            400,
            format!(
                r#"{{"error":"invalid_request","error_description":"{}"}}"#,
                "d".repeat(600)
            ),
        ),
    ];
    let mut out: Vec<String> = codes
        .iter()
        .map(|(status, body)| render(testing::exchange(&c, *status, body)))
        .collect();
    let theirs = |sub: &str, extra: &str, rt: &str| {
        [
            r#"{"access_token":"00Dxx!theirs","#,
            rt,
            r#""token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","id_token":""#,
            &id_token(sub, extra),
            "\"}",
        ]
        .concat()
    };
    let refreshes: Vec<(&TokenSet, u16, String)> = vec![
        (&first, 200, theirs("alice", "", "")),
        (&first, 200, theirs("alice", "", r#""refresh_token":"5Aep861","#)),
        (&first, 200, theirs("alice", "", r#""refresh_token":"5Aep-new","#)),
        (&first, 200, theirs("mallory", "", r#""refresh_token":"5Aep-theirs","#)),
        (&first, 200, theirs("alice", r#","azp":"cid""#, r#""refresh_token":"","#)),
        (&first, 200, theirs("alice", r#","auth_time":5"#, "")),
        (&first, 200, theirs("alice", "", "").replace("https://acme", "https://evil")),
        (&first, 200, r#"{"access_token":"00Dxx!theirs","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","scope":"api"}"#.to_owned()),
        (&plain, 200, theirs("bob", "", "")),
        (&plain, 200, r#"{"access_token":"00Dxx!theirs","token_type":"Bearer"}"#.to_owned()),
        (&plain, 200, r#"{"access_token":"00Dxx!theirs","refresh_token":"5Aep861","token_type":"mac"}"#.to_owned()),
        (&plain, 400, r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#.to_owned()),
        (&plain, 400, r#"{"error":"invalid_grant"}"#.to_owned()),
        (&plain, 400, r#"{"error":"invalid_request"}"#.to_owned()),
    ];
    for (previous, status, body) in refreshes {
        out.push(render(testing::refresh(&c, previous, status, &body)));
    }
    // A generic provider (no profile fields, issuer checked).
    let g = testing::generic();
    let gen_idt = jwt(&id_token_claims(
        testing::ISSUER,
        testing::GENERIC_CLIENT_ID,
        "u",
        "",
    ));
    for (status, body) in [
        (
            200,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":300}"#.to_owned(),
        ),
        (
            200,
            [
                r#"{"access_token":"at","token_type":"Bearer","id_token":""#,
                &gen_idt,
                "\"}",
            ]
            .concat(),
        ),
        (
            200,
            r#"{"access_token":"at","token_type":"Bearer","instance_url":"https://evil.example"}"#
                .to_owned(),
        ),
        (400, r#"{"error":"invalid_grant"}"#.to_owned()),
    ] {
        out.push(render(testing::exchange(&g, status, &body)));
    }
    // dpop: true refuses a Bearer token (checked before the id_token and the profile fields).
    let mut required = config();
    required.dpop = crate::core::dpop::DpopMode::Required;
    out.push(render(testing::exchange(&required, 200, &sf_body(""))));
    out
}

#[test]
fn every_outcome_is_pinned() {
    let got = outcomes();
    crate::core::testing::golden(&got, GOLDEN);
}

const GOLDEN: &[&str] = &[
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: Some(Millis(1700003600000.0)), dpop: false }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: Some(Millis(1700000060000.0)), dpop: false }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: Some(Millis(1731536000000.0)), dpop: false }",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number] revoke=(21, 7) InvalidTokenResponse { reason: \"expires_in is not a non-negative number\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number] revoke=(21, 7) InvalidTokenResponse { reason: \"expires_in is not a non-negative number\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number] revoke=(21, 7) InvalidTokenResponse { reason: \"expires_in is not a non-negative number\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: issued_at is not a time in milliseconds from 2000 to 2100] revoke=(21, 7) InvalidTokenResponse { reason: \"issued_at is not a time in milliseconds from 2000 to 2100\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: issued_at is not a time in milliseconds from 2000 to 2100] revoke=(21, 7) InvalidTokenResponse { reason: \"issued_at is not a time in milliseconds from 2000 to 2100\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(946684800000.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: the body is over 64 KiB] revoke=(-, -) InvalidTokenResponse { reason: \"the body is over 64 KiB\", tokens_to_revoke: None }",
    "err invalid_token_response [invalid token response: the body is not JSON] revoke=(-, -) InvalidTokenResponse { reason: \"the body is not JSON\", tokens_to_revoke: None }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(-, -) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: None }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(-, -) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: None }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(-, -) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: None }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"api\", \"refresh_token\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "ok at=21 rt=7 idt=- rotated=false missing=[\"openid\"] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"api\", \"id\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "ok at=21 rt=7 idt=- rotated=false missing=[\"api\", \"openid\"] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "ok at=21 rt=- idt=- rotated=false missing=[\"refresh_token\", \"openid\"] TokenSet { access_token: AccessToken([redacted]), refresh_token: None, id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"api\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: access_token is missing or empty] revoke=(-, 7) InvalidTokenResponse { reason: \"access_token is missing or empty\", tokens_to_revoke: Some(ForeignTokens { access_token: None, refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: access_token is missing or empty] revoke=(-, 7) InvalidTokenResponse { reason: \"access_token is missing or empty\", tokens_to_revoke: Some(ForeignTokens { access_token: None, refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: access_token has a character outside visible ASCII (0x21-0x7E)] revoke=(7, 7) InvalidTokenResponse { reason: \"access_token has a character outside visible ASCII (0x21-0x7E)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: access_token is longer than 8000 characters] revoke=(8001, 7) InvalidTokenResponse { reason: \"access_token is longer than 8000 characters\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=- idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: None, id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: refresh_token has a character outside visible ASCII (0x21-0x7E)] revoke=(21, 5) InvalidTokenResponse { reason: \"refresh_token has a character outside visible ASCII (0x21-0x7E)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: id_token has a character outside visible ASCII (0x21-0x7E)] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has a character outside visible ASCII (0x21-0x7E)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token is not a JWT (header.payload.signature)] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token is not a JWT (header.payload.signature)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not base64url] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not base64url\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not a JSON object of claims] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not a JSON object of claims\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not a JSON object of claims] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not a JSON object of claims\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token has no iss] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has no iss\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token iss is not the expected issuer] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token iss is not the expected issuer\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=152 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://login.salesforce.com\", sub: Some(\"u\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: id_token aud does not contain this client_id] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token aud does not contain this client_id\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token aud lists an audience other than this client_id that is not in trustedAudiences] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token aud lists an audience other than this client_id that is not in trustedAudiences\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token azp is not this client_id] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token azp is not this client_id\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=184 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"u\"), aud: [\"cid\"], azp: Some(\"cid\"), auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: id_token has no exp] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has no exp\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token has expired] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has expired\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token has no iat] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has no iat\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token was issued in the future] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token was issued in the future\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token is not a JWT (header.payload.signature)] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token is not a JWT (header.payload.signature)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token is not a JWT (header.payload.signature)] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token is not a JWT (header.payload.signature)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not a JSON object of claims] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not a JSON object of claims\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token has no iss] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has no iss\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token has no iss] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has no iss\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not UTF-8] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not UTF-8\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not a JSON object of claims] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not a JSON object of claims\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=216 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com/\", sub: Some(\"s\"), aud: [\"cid\"], azp: Some(\"cid\"), auth_time: Some(1699999999.0) }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: id_token has expired] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token has expired\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token was issued in the future] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token was issued in the future\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: id_token payload is not a JSON object of claims] revoke=(21, 7) InvalidTokenResponse { reason: \"id_token payload is not a JSON object of claims\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: token_type is neither Bearer nor DPoP] revoke=(21, 7) InvalidTokenResponse { reason: \"token_type is neither Bearer nor DPoP\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: token_type is DPoP, but this client sent no DPoP proof (set the dpop option)] revoke=(21, 7) InvalidTokenResponse { reason: \"token_type is DPoP, but this client sent no DPoP proof (set the dpop option)\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: token_type is missing] revoke=(21, 7) InvalidTokenResponse { reason: \"token_type is missing\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there] revoke=(21, 7) InvalidTokenResponse { reason: \"instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: the body is not a JSON object of the expected shape] revoke=(21, 7) InvalidTokenResponse { reason: \"the body is not a JSON object of the expected shape\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "err invalid_token_response [invalid token response: instance_url is missing] revoke=(21, 7) InvalidTokenResponse { reason: \"instance_url is missing\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"api_instance_url\", \"https://api.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: api_instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there] revoke=(21, 7) InvalidTokenResponse { reason: \"api_instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
    "ok at=21 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"http://x.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1676372418560.0), expires_at_ms: None, dpop: false }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_grant; the provider said: \"expired authorization code\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_grant\"), description: Some(\"expired authorization code\"), hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid grant; the provider said: \"x\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid grant\"), description: Some(\"x\"), hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400] revoke=(-, -) TokenEndpoint { status: 400, error: None, description: None, hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_client; the provider said: \"invalid client credentials\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_client\"), description: Some(\"invalid client credentials\"), hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_request; the provider said: \"restricted IP\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_request\"), description: Some(\"restricted IP\"), hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: unsupported_grant_type; the provider said: \"grant type not supported\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"unsupported_grant_type\"), description: Some(\"grant type not supported\"), hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 401: invalid_client] revoke=(-, -) TokenEndpoint { status: 401, error: Some(\"invalid_client\"), description: None, hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_client; the provider said: \"app must be installed into org\". Salesforce blocks apps that are not installed in the org (since September 2025): install the External Client App (or Connected App) in this org, or give the users the \"Approve Uninstalled Connected Apps\" permission] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_client\"), description: Some(\"app must be installed into org\"), hint: Some(\"Salesforce blocks apps that are not installed in the org (since September 2025): install the External Client App (or Connected App) in this org, or give the users the \\\"Approve Uninstalled Connected Apps\\\" permission\") }",
    "err token_endpoint_error [the token endpoint answered HTTP 500] revoke=(-, -) TokenEndpoint { status: 500, error: None, description: None, hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 503] revoke=(-, -) TokenEndpoint { status: 503, error: None, description: None, hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 302] revoke=(-, -) TokenEndpoint { status: 302, error: None, description: None, hint: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_request; the provider said: \"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\"] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_request\"), description: Some(\"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\"), hint: None }",
    "ok at=12 rt=7 idt=160 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"alice\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "ok at=12 rt=7 idt=160 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"alice\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "ok at=12 rt=8 idt=160 rotated=true missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"alice\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "err session_expired [the session has ended: a refresh returned someone else's tokens (the new id_token's sub differs from the signed-in session's, OpenID Connect Core 1.0 §12.2); they are not used and must be revoked; sign in again] revoke=(12, 11) IdentityChanged { claim: \"sub\", tokens_to_revoke: ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) } }",
    "err session_expired [the session has ended: a refresh returned someone else's tokens (the new id_token's azp differs from the signed-in session's, OpenID Connect Core 1.0 §12.2); they are not used and must be revoked; sign in again] revoke=(12, -) IdentityChanged { claim: \"azp\", tokens_to_revoke: ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: None } }",
    "err session_expired [the session has ended: a refresh returned someone else's tokens (the new id_token's auth_time differs from the signed-in session's, OpenID Connect Core 1.0 §12.2); they are not used and must be revoked; sign in again] revoke=(12, -) IdentityChanged { claim: \"auth_time\", tokens_to_revoke: ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: None } }",
    "ok at=12 rt=7 idt=160 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"alice\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://evil.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "ok at=12 rt=7 idt=160 rotated=false missing=[\"openid\"] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"alice\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"api\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "ok at=12 rt=7 idt=157 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://acme.my.salesforce.com\", sub: Some(\"bob\"), aud: [\"cid\"], azp: None, auth_time: None }), extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "ok at=12 rt=7 idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: Some(RefreshToken([redacted])), id_token: None, identity: None, extras: TokenExtras([(\"instance_url\", \"https://acme.my.salesforce.com\"), (\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")]), scopes: [\"refresh_token\", \"api\", \"id\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: token_type is neither Bearer nor DPoP] revoke=(12, -) InvalidTokenResponse { reason: \"token_type is neither Bearer nor DPoP\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: None }) }",
    "err session_expired [the session has expired or was revoked; sign in again; the provider said: \"expired access/refresh token\"] revoke=(-, -) SessionExpired { error: Some(\"invalid_grant\"), description: Some(\"expired access/refresh token\") }",
    "err session_expired [the session has expired or was revoked; sign in again] revoke=(-, -) SessionExpired { error: Some(\"invalid_grant\"), description: None }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_request] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_request\"), description: None, hint: None }",
    "ok at=2 rt=- idt=- rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: None, id_token: None, identity: None, extras: TokenExtras([]), scopes: [\"api\", \"refresh_token\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: Some(Millis(1700000300000.0)), dpop: false }",
    "ok at=2 rt=- idt=144 rotated=false missing=[] TokenSet { access_token: AccessToken([redacted]), refresh_token: None, id_token: Some(IdToken([redacted])), identity: Some(IdTokenIdentity { iss: \"https://id.example.com\", sub: Some(\"u\"), aud: [\"spa\"], azp: None, auth_time: None }), extras: TokenExtras([]), scopes: [\"api\", \"refresh_token\", \"openid\"], issued_at_ms: Millis(1700000000000.0), expires_at_ms: None, dpop: false }",
    "err invalid_token_response [invalid token response: instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there] revoke=(2, -) InvalidTokenResponse { reason: \"instance_url host evil.example is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: None }) }",
    "err token_endpoint_error [the token endpoint answered HTTP 400: invalid_grant] revoke=(-, -) TokenEndpoint { status: 400, error: Some(\"invalid_grant\"), description: None, hint: None }",
    "err invalid_token_response [invalid token response: token_type is Bearer, but dpop: true requires DPoP-bound tokens (turn DPoP on for this app at the provider, or use dpop: \"if-supported\")] revoke=(21, 7) InvalidTokenResponse { reason: \"token_type is Bearer, but dpop: true requires DPoP-bound tokens (turn DPoP on for this app at the provider, or use dpop: \\\"if-supported\\\")\", tokens_to_revoke: Some(ForeignTokens { access_token: Some(AccessToken([redacted])), refresh_token: Some(RefreshToken([redacted])) }) }",
];
