//! Every outcome of discovery, pinned whole: `discovery_request` on a table of issuers (the URL,
//! method and headers, or the error), and `process_discovery` on a table of answers (status and
//! document: each field missing, of each wrong type, not https, the issuer mismatched, generic
//! and Salesforce issuers, hostile documents) over three option sets, with what
//! `ClientConfig::generic` makes of the options filled in (the browser's next step). Errors by
//! code, message and variant; options and configs by their `Debug`. The expected lines
//! (`tests/golden/discovery.txt`) were generated on the code before the size-first rewrite of
//! this path; a rewrite must keep every line (`DISCOVERY_GOLDEN_WRITE=1` rewrites the file).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::config::ClientConfig;
use crate::core::http::SerdeJson;
use crate::core::testing::REDIRECT_URI;

const ISSUERS: &[&str] = &[
    "https://idp.example.com",
    "https://idp.example.com/",
    "https://idp.example.com/tenant/",
    "https://idp.example.com/a/b",
    "HTTPS://IDP.Example.com:443/x",
    "http://127.0.0.1:9000",
    "http://localhost:8080/realms/x/",
    "http://idp.example.com",
    "https://idp.example.com/?tenant=x",
    "https://idp.example.com/#x",
    "https://idp.example.com?",
    "idp.example.com",
    "",
    "https://",
    "https://user:pw@idp.example.com",
    "https://login.salesforce.com",
    "https://acme.my.salesforce.com/",
    "javascript:alert(1)",
    "https://idp.example.com/%2e%2e/",
    "https://ho st",
];

fn render_error(e: &AuthError) -> String {
    format!("err {} [{}] {e:?}", e.code(), e.message())
}

fn requests() -> String {
    let mut out = String::new();
    for issuer in ISSUERS {
        let r = match discovery_request(issuer) {
            Ok(r) => format!("ok {:?} {} {:?} {:?}", r.method, r.url, r.headers, r.body),
            Err(e) => render_error(&e),
        };
        out += &format!("request {issuer:?}\n  {r}\n");
    }
    out
}

/// A complete document for `iss`, its endpoints under `base`.
fn full(iss: &str, base: &str) -> String {
    format!(
        r#"{{"issuer":"{iss}","authorization_endpoint":"{base}/auth","token_endpoint":"{base}/token","revocation_endpoint":"{base}/revoke","userinfo_endpoint":"{base}/me","end_session_endpoint":"{base}/logout","authorization_response_iss_parameter_supported":true,"code_challenge_methods_supported":["plain","S256"],"jwks_uri":"{base}/jwks","dpop_signing_alg_values_supported":["ES256","RS256"]}}"#
    )
}

const FIELDS: &[&str] = &[
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "revocation_endpoint",
    "userinfo_endpoint",
    "end_session_endpoint",
    "authorization_response_iss_parameter_supported",
    "code_challenge_methods_supported",
    "jwks_uri",
    "dpop_signing_alg_values_supported",
];

const WRONG: &[&str] = &[
    "null",
    "5",
    "true",
    "false",
    "\"S256\"",
    "\"http://idp.example.com/x\"",
    "[]",
    "[\"S256\", 1]",
    "{}",
];

/// `doc` (an object) with `name` set to `value` (raw JSON), or removed when `value` is `None`.
fn with(doc: &str, name: &str, value: Option<&str>) -> String {
    let mut v: serde_json::Value = serde_json::from_str(doc).unwrap();
    let o = v.as_object_mut().unwrap();
    match value {
        Some(raw) => {
            o.insert(name.to_owned(), serde_json::from_str(raw).unwrap());
        }
        None => {
            o.remove(name);
        }
    }
    v.to_string()
}

/// The answers, each `(issuer asked for, status, body)`.
fn answers() -> Vec<(String, u16, String)> {
    let iss = "https://idp.example.com";
    let doc = full(iss, iss);
    let mut out: Vec<(String, u16, String)> = Vec::new();
    let mut push = |i: &str, s: u16, b: &str| out.push((i.to_owned(), s, b.to_owned()));
    for status in [
        0, 100, 199, 200, 201, 204, 299, 300, 304, 400, 404, 500, 599, 65535,
    ] {
        push(iss, status, &doc);
    }
    push(iss, 200, r#"{"issuer":"https://idp.example.com"}"#);
    push(iss, 200, r#"{"issuer":"https://idp.example.com/"}"#);
    push("https://idp.example.com/", 200, &doc);
    push("https://idp.example.com//", 200, &doc);
    push("https://IDP.example.com", 200, &doc);
    push("https://idp.example.com/tenant", 200, &doc);
    push("https://idp.example.com.evil.com", 200, &doc);
    push("", 200, &doc);
    for field in FIELDS {
        push(iss, 200, &with(&doc, field, None));
        for w in WRONG {
            push(iss, 200, &with(&doc, field, Some(w)));
        }
    }
    for body in [
        "",
        " ",
        "<html>",
        "null",
        "[]",
        "[{}]",
        "\"x\"",
        "5",
        "{}",
        "{",
        "{\"issuer\":\"https://idp.example.com\"",
        r#"{"issuer":"https://idp.example.com","issuer":"https://evil.example.com"}"#,
        r#"{"issuer":"https://evil.example.com","issuer":"https://idp.example.com"}"#,
        r#"{"issuer":"https://idp.example.com","__proto__":{"token_endpoint":"https://evil"}}"#,
        r#"{"Issuer":"https://idp.example.com"}"#,
        r#"{"issuer":"https://idp.example.com\u0000"}"#,
        r#"{"issuer":"https://idp.example.com","token_endpoint":"javascript:alert(1)"}"#,
        r#"{"issuer":"https://idp.example.com","token_endpoint":"https://other.example.com/t","authorization_endpoint":"https://idp.example.com/a"}"#,
        r#"{"issuer":"https://idp.example.com","code_challenge_methods_supported":"plain"}"#,
        r#"{"issuer":"https://idp.example.com","code_challenge_methods_supported":["s256"]}"#,
        r#"{"issuer":"https://idp.example.com","code_challenge_methods_supported":[]}"#,
        r#"{"issuer":"https://idp.example.com","code_challenge_methods_supported":null}"#,
        r#"{"issuer":"https://idp.example.com","authorization_response_iss_parameter_supported":false}"#,
        r#"{"issuer":"https://idp.example.com","dpop_signing_alg_values_supported":[]}"#,
        r#"{"issuer":"https://idp.example.com","nested":{"a":[[[[[[[[[[1]]]]]]]]]]}}"#,
    ] {
        push(iss, 200, body);
    }
    let long = ["https://idp.example.com/", &"a".repeat(300)].concat();
    push(&long, 200, &full(&long, &long));
    for (i, base) in [
        ("http://idp.example.com", "http://idp.example.com"),
        ("https://idp.example.com", "http://idp.example.com"),
        ("https://idp.example.com", "https://idp.example.com/x?y=1#z"),
        ("https://idp.example.com", "not a url"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("http://localhost:9000", "http://localhost:9000"),
        (
            "https://login.salesforce.com",
            "https://login.salesforce.com/services/oauth2",
        ),
        (
            "https://test.salesforce.com",
            "https://test.salesforce.com/services/oauth2",
        ),
        (
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com/services/oauth2",
        ),
        (
            "https://acme.my.site.com/portal",
            "https://acme.my.site.com/portal/services/oauth2",
        ),
    ] {
        push(i, 200, &full(i, base));
    }
    // Salesforce's own document: no revocation of that name elsewhere, no iss parameter.
    push(
        "https://login.salesforce.com",
        200,
        r#"{"issuer":"https://login.salesforce.com","authorization_endpoint":"https://login.salesforce.com/services/oauth2/authorize","token_endpoint":"https://login.salesforce.com/services/oauth2/token","revocation_endpoint":"https://login.salesforce.com/services/oauth2/revoke","userinfo_endpoint":"https://login.salesforce.com/services/oauth2/userinfo","jwks_uri":"https://login.salesforce.com/id/keys","code_challenge_methods_supported":["plain","S256"],"scopes_supported":["id","api","web","full","chatter_api","visualforce","refresh_token","openid","profile","email","address","phone","offline_access","custom_permissions","wave_api","eclair_api"],"response_types_supported":["code","token","token id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],"display_values_supported":["page","popup","touch"],"token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic","private_key_jwt"],"claims_supported":["active","address","email"]}"#,
    );
    out
}

/// The option sets the answers fill in.
fn option_sets() -> Vec<ClientOptions> {
    let base = ClientOptions {
        client_id: Some("spa".into()),
        redirect_uri: Some(REDIRECT_URI.into()),
        ..Default::default()
    };
    vec![
        base.clone(),
        ClientOptions {
            issuer: Some("https://given.example.com".into()),
            token_endpoint: Some("https://given.example.com/token".into()),
            userinfo_endpoint: Some("https://given.example.com/me".into()),
            jwks_uri: Some("https://given.example.com/jwks".into()),
            dpop_signing_alg_values_supported: Some(vec!["PS256".into()]),
            authorization_response_iss_parameter_supported: Some(false),
            scopes: Some(vec!["openid".into(), "offline_access".into()]),
            ..base.clone()
        },
        ClientOptions {
            client_id: None,
            end_session_endpoint: Some("http://given.example.com/logout".into()),
            revocation_endpoint: Some("https://given.example.com/revoke".into()),
            ..base
        },
    ]
}

fn processed() -> String {
    let mut out = String::new();
    for (i, (issuer, status, body)) in answers().iter().enumerate() {
        out += &format!("answer {i} {issuer:?} {status} {body}\n");
        for options in option_sets() {
            match process_discovery(issuer, *status, body, &SerdeJson, options) {
                Err(e) => out += &format!("  {}\n", render_error(&e)),
                Ok(o) => {
                    out += &format!("  ok {o:?}\n");
                    out += &match ClientConfig::generic(&o) {
                        Ok(c) => format!("  config {c:?}\n"),
                        Err(e) => format!("  config {}\n", render_error(&e)),
                    };
                }
            }
        }
    }
    out
}

#[test]
fn every_discovery_outcome_is_as_before() {
    let got = [requests(), processed()].concat();
    let want = include_str!("../../tests/golden/discovery.txt");
    crate::core::testing::golden_file("discovery.txt", "DISCOVERY_GOLDEN_WRITE", &got, want);
}
