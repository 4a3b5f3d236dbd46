//! Every outcome of client construction, pinned whole: for each option set (read from JSON by
//! the options table, over the Salesforce and the generic fixture), the doctor's findings of both
//! profiles (severity, code, field, message) and `ClientConfig::new`'s config (its `Debug`) or
//! error (code, message, variant); and `HttpUrl::parse` / `parse_return` / `Origin` on a table
//! of URLs, hostile ones included. The expected lines (`tests/golden/client_construction.txt`)
//! were generated on the code before the size-first rewrite of this path; a rewrite must keep
//! every line.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::doctor::{self, Finding};
use crate::core::json::from_serde;
use crate::core::testing::{generic_options, salesforce_options};
use crate::core::url::{HttpUrl, Origin, is_loopback_host};
use serde_json::{Value, json};

/// The option sets: each is laid over each fixture (a `null` removes the fixture's value).
fn cases() -> Vec<Value> {
    let long = "a".repeat(300);
    vec![
        json!({}),
        json!({ "clientSecret": "shh" }),
        json!({ "clientId": null }),
        json!({ "clientId": "" }),
        json!({ "clientId": " x" }),
        json!({ "clientId": "x\u{7}" }),
        json!({ "redirectUri": null }),
        json!({ "redirectUri": "/callback" }),
        json!({ "redirectUri": "http://app.example.com/callback" }),
        json!({ "redirectUri": "https://app.example.com/cb#x" }),
        json!({ "redirectUri": "https://other.example.com/cb" }),
        json!({ "redirectUri": "http://localhost:5173/cb" }),
        json!({ "redirectUri": "https://app.example.com/cb?x=1" }),
        json!({ "postLogoutRedirectUri": "https://app.example.com/" }),
        json!({ "postLogoutRedirectUri": "https://other.example.com/" }),
        json!({ "postLogoutRedirectUri": "http://app.example.com/" }),
        json!({ "postLogoutRedirectUri": "https://app.example.com/#f" }),
        json!({ "postLogoutRedirectUri": "nope" }),
        json!({ "popupRedirectUri": "https://app.example.com/popup" }),
        json!({ "popupRedirectUri": "https://other.example.com/popup" }),
        json!({ "popupRedirectUri": "http://app.example.com/popup" }),
        json!({ "popupRedirectUri": "x y" }),
        json!({ "popupRedirectUri": "https://other.example.com/p", "redirectUri": "bad" }),
        json!({ "scopes": [] }),
        json!({ "scopes": ["api", ""] }),
        json!({ "scopes": ["api", "a b"] }),
        json!({ "scopes": ["api", "a\"b"] }),
        json!({ "scopes": ["api", "a\\b", "c\u{1}"] }),
        json!({ "scopes": ["full"] }),
        json!({ "scopes": ["api", "offline_access", "openid"] }),
        json!({ "scopes": ["refresh_token", "openid"] }),
        json!({ "scopes": ["api", "refresh_token"] }),
        json!({ "allowedOrigins": ["https://api.example.com", "http://localhost:3000"] }),
        json!({ "allowedOrigins": ["http://api.example.com"] }),
        json!({ "allowedOrigins": ["api.example.com", "https://x.example.com"] }),
        json!({ "allowedOrigins": ["https://a.example.com/path?q#f", "HTTPS://B.Example.COM:443"] }),
        json!({ "apiBase": "https://api.example.com/v1/" }),
        json!({ "apiBase": "http://api.example.com" }),
        json!({ "apiBase": "ftp://api.example.com" }),
        json!({ "trustedInstanceHosts": ["*.example.com", "API.Example.com"] }),
        json!({ "trustedInstanceHosts": ["*.", "localhost", "a_b.com", "", "*.x.y"] }),
        json!({ "trustedAudiences": ["a", "b"] }),
        json!({ "timeoutMs": 0 }),
        json!({ "timeoutMs": 1 }),
        json!({ "timeoutMs": 600000 }),
        json!({ "timeoutMs": 600001 }),
        json!({ "timeoutMs": 2500.7 }),
        json!({ "sessionTimeoutSeconds": 59 }),
        json!({ "sessionTimeoutSeconds": 60 }),
        json!({ "sessionTimeoutSeconds": 86400 }),
        json!({ "sessionTimeoutSeconds": 86401 }),
        json!({ "sessionTimeoutSeconds": 7200.5 }),
        json!({ "pendingStorage": "session" }),
        json!({ "pendingStorage": "local" }),
        json!({ "pendingStorage": "cookie" }),
        json!({ "sessionSharing": "off" }),
        json!({ "sessionSharing": "tabs" }),
        json!({ "sessionSharing": "tabs-locks" }),
        json!({ "sessionSharing": "all" }),
        json!({ "restore": "auto" }),
        json!({ "restore": "off" }),
        json!({ "restore": "on" }),
        json!({ "workerUrl": "/session-worker.js" }),
        json!({ "workerUrl": "https://app.example.com/w.js" }),
        json!({ "workerUrl": "" }),
        json!({ "workerUrl": "//evil.example.com/w.js" }),
        json!({ "workerUrl": "data:text/javascript,x" }),
        json!({ "authorizationResponseIssParameterSupported": true }),
        json!({ "dpop": true }),
        json!({ "dpop": "if-supported" }),
        json!({ "dpop": "if-supported", "dpopSigningAlgValuesSupported": ["ES256"] }),
        json!({ "dpop": true, "dpopSigningAlgValuesSupported": ["RS256"] }),
        json!({ "dpop": "if-supported", "dpopSigningAlgValuesSupported": ["RS256"] }),
        json!({ "verifyIdTokenSignature": true }),
        json!({ "verifyIdTokenSignature": true, "jwksUri": "https://id.example.com/jwks" }),
        json!({ "jwksUri": "http://id.example.com/jwks" }),
        json!({ "jwksUri": "not a url" }),
        json!({ "loginHost": null }),
        json!({ "loginHost": "https://login.salesforce.com" }),
        json!({ "loginHost": "https://test.salesforce.com/" }),
        json!({ "loginHost": "acme.my.salesforce.com" }),
        json!({ "loginHost": "http://acme.my.salesforce.com" }),
        json!({ "loginHost": "https://acme.my.salesforce.com?x=1" }),
        json!({ "loginHost": "https://acme.my.salesforce.com/#f" }),
        json!({ "loginHost": "https://acme--dev.sandbox.my.salesforce.com" }),
        json!({ "loginHost": "https://acme.my.site.com/portal/" }),
        json!({ "loginHost": "https://login.acme.com" }),
        json!({ "loginHost": "http://127.0.0.1:8787" }),
        json!({ "loginHost": "https://user:pw@acme.my.salesforce.com" }),
        json!({ "loginHost": long }),
        json!({ "issuer": null }),
        json!({ "issuer": "http://id.example.com" }),
        json!({ "issuer": "id.example.com" }),
        json!({ "authorizationEndpoint": null }),
        json!({ "authorizationEndpoint": "http://id.example.com/auth" }),
        json!({ "authorizationEndpoint": "https://id.example.com/a b" }),
        json!({ "tokenEndpoint": null }),
        json!({ "tokenEndpoint": "http://localhost:9000/token" }),
        json!({ "tokenEndpoint": "https://" }),
        json!({ "revocationEndpoint": null }),
        json!({ "revocationEndpoint": "http://id.example.com/revoke" }),
        json!({ "revocationEndpoint": "revoke" }),
        json!({ "userinfoEndpoint": "https://id.example.com/me" }),
        json!({ "userinfoEndpoint": "http://id.example.com/me" }),
        json!({ "userinfoEndpoint": "me" }),
        json!({ "endSessionEndpoint": "https://id.example.com/logout" }),
        json!({ "endSessionEndpoint": "http://id.example.com/logout" }),
        json!({ "endSessionEndpoint": "logout" }),
        json!({ "clientId": 5 }),
        json!({ "scopes": "api" }),
        json!({ "scopes": ["api", 1] }),
        json!({ "timeoutMs": "10" }),
        json!({ "dpop": "yes" }),
        json!({ "restore": true }),
        json!({ "clientID": "x" }),
        json!({
            "clientSecret": "s", "clientId": "", "redirectUri": "http://app.example.com/cb#f",
            "scopes": ["full", "a b"], "allowedOrigins": ["http://x.example.com", "bad"],
            "apiBase": "nope", "trustedInstanceHosts": ["bad host"], "timeoutMs": -1,
            "sessionTimeoutSeconds": 1, "pendingStorage": "x", "sessionSharing": "x",
            "restore": "x", "workerUrl": "javascript:x", "loginHost": "https://login.salesforce.com",
            "postLogoutRedirectUri": "http://evil.example.com/", "popupRedirectUri": "ftp://x",
            "issuer": "x", "authorizationEndpoint": null, "tokenEndpoint": "http://t.example.com",
            "revocationEndpoint": null, "dpop": true, "dpopSigningAlgValuesSupported": []
        }),
        json!({ "maxInFlight": 0 }),
        json!({ "maxInFlight": 1 }),
        json!({ "maxInFlight": 10000 }),
        json!({ "maxInFlight": 10001 }),
        json!({ "maxInFlight": -1 }),
        json!({ "maxInFlight": 2.5 }),
        json!({ "maxInFlight": "6" }),
    ]
}

fn render_findings(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {:?} {} {} [{}]\n",
                f.severity, f.code, f.field, f.message
            )
        })
        .collect()
}

fn render_error(e: &AuthError) -> String {
    format!("err {} [{}] {e:?}", e.code(), e.message())
}

fn render_config(r: Result<ClientConfig, AuthError>) -> String {
    match r {
        Ok(c) => format!(
            "ok {c:?} redirect_for_popup={} uses_dpop={}",
            c.redirect_uri_for(true),
            c.uses_dpop()
        ),
        Err(e) => render_error(&e),
    }
}

/// `fixture` with `case` laid over it, read as the JS API reads options.
fn over(fixture: &ClientOptions, case: &Value) -> Result<ClientOptions, AuthError> {
    let mut base = serde_json::to_value(Wire(fixture)).unwrap();
    for (k, v) in case.as_object().unwrap() {
        base.as_object_mut().unwrap().insert(k.clone(), v.clone());
    }
    ClientOptions::from_json(&from_serde(&base, 0))
}

/// The fixture's set fields as a JS options object.
struct Wire<'a>(&'a ClientOptions);

impl serde::Serialize for Wire<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut o = self.0.clone();
        let mut m = s.serialize_map(None)?;
        for entry in ClientOptions::OPTIONS {
            if let Some(text) = entry.wire_text(&mut o) {
                m.serialize_entry(entry.name, &text)?;
            }
        }
        m.end()
    }
}

fn config_outcomes() -> String {
    let mut out = String::new();
    for (i, case) in cases().iter().enumerate() {
        for (name, fixture, profile) in [
            (
                "salesforce",
                salesforce_options("3MVG9demo"),
                &SALESFORCE as &dyn Profile,
            ),
            ("generic", generic_options(), &GENERIC),
        ] {
            out += &format!("case {i} {name} {case}\n");
            match over(&fixture, case) {
                Err(e) => out += &format!("  read {}\n", render_error(&e)),
                Ok(o) => {
                    out += &render_findings(&doctor::findings(
                        profile,
                        &o,
                        Some("https://app.example.com"),
                    ));
                    let no_page = doctor::findings(profile, &o, None);
                    out += &format!("  without page: {}\n", no_page.len());
                    out += &format!("  {}\n", render_config(ClientConfig::new(profile, &o)));
                }
            }
        }
    }
    out
}

const URLS: &[&str] = &[
    "",
    "https://acme.my.salesforce.com",
    "HTTPS://Acme.My.Salesforce.com:443/sub/path?x=1#frag",
    "http://localhost:8080",
    "http://localhost:80/",
    "https://a.example.com:8443/x/",
    "https://a.example.com:/x",
    "https://a.example.com:0",
    "https://a.example.com:65535",
    "https://a.example.com:65536",
    "https://a.example.com:099999",
    "https://a.example.com:+80",
    "https://a.example.com.:443/",
    "https://a.example.com..",
    "https://.a.example.com",
    "https://a..b",
    "https://-a.example.com",
    "https://a_b.example.com",
    "https://exa\u{e4}mple.com",
    "https://xn--exmple-cua.com",
    "https://[::1]:3000/x",
    "https://[::1]x",
    "https://[::FFFF:127.0.0.1]",
    "https://[]",
    "https://[zz]",
    "https://[::1",
    "http://127.0.0.1",
    "http://127.0.0.256",
    "http://127.0.0.01",
    "http://127.0.0.1.nip.io",
    "http://0127.0.0.1",
    "http://localhost.evil.com",
    "ftp://x",
    "javascript://x",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://",
    "https:///path",
    "https://?q",
    "https://#f",
    "https://user:pw@host",
    "https://host@evil.com",
    "https://host/@evil.com",
    "https://ho st",
    "https://host\\evil.com",
    "https://host\t.com",
    "https://host\n.com",
    "https://host:abc",
    "https://host:99999",
    "https://host/a?b#c?d#e",
    "https://host?#",
    "https://host#",
    "HtTp://HOST/PATH",
    "https://host/%2e%2e/",
    "//host/path",
    "/path",
    "https:host",
    "https://a.b.c.d.e.f.g.h",
];

fn url_outcomes() -> String {
    let mut out = String::new();
    let mut urls: Vec<String> = URLS.iter().map(|u| (*u).to_owned()).collect();
    urls.push(["https://", &"a".repeat(253)].concat());
    urls.push(["https://", &"a".repeat(254)].concat());
    urls.push(["https://", &"a".repeat(250), ".com."].concat());
    for u in &urls {
        for field in ["loginHost", "redirectUri", "issuer", "apiBase"] {
            let parsed = match HttpUrl::parse(u, field) {
                Ok(p) => format!(
                    "ok {p:?} origin={} loopback={} secure={} base={}",
                    p.origin().serialize(),
                    p.origin().is_loopback(),
                    p.origin().is_secure_or_loopback(),
                    p.base_without_trailing_slash()
                ),
                Err(e) => render_error(&e),
            };
            let back = match HttpUrl::parse_return(u, field) {
                Ok(p) => format!("ok {}", p.path()),
                Err(e) => render_error(&e),
            };
            let origin = match Origin::parse(u, field) {
                Ok(o) => format!("ok {o:?}"),
                Err(e) => e.code().to_owned(),
            };
            out += &format!("url {u:?} {field}\n  {parsed}\n  {back}\n  {origin}\n");
        }
        out += &format!("  host loopback {}\n", is_loopback_host(u));
    }
    out
}

#[test]
fn every_construction_outcome_is_as_before() {
    let got = [config_outcomes(), url_outcomes()].concat();
    let want = include_str!("../../tests/golden/client_construction.txt");
    crate::core::testing::golden_file("client_construction.txt", "CONFIG_GOLDEN_WRITE", &got, want);
}
