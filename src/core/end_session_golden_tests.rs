//! Every outcome of the end-session path, pinned whole: `end_session_request`'s URL and record
//! for a table of configurations and options, what `PendingLogout::from_storage` makes of valid,
//! corrupt and hostile records, and `logout_return_state` on a table of queries. A rewrite of this
//! path must keep every line (printed by the code before the size-first rewrite:
//! `GOLDEN_PRINT=1 cargo test golden -- --nocapture`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::config::ClientOptions;
use crate::core::testing;

const HINT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

fn err(e: &AuthError) -> String {
    format!("err {} [{}] {e:?}", e.code(), e.message())
}

fn configs() -> Vec<ClientConfig> {
    vec![
        ClientConfig::salesforce(&ClientOptions {
            post_logout_redirect_uri: Some("https://app.example.com/signed-out".into()),
            ..testing::salesforce_options("3MVG9 c&id")
        })
        .unwrap(),
        testing::salesforce("cid"),
        ClientConfig::generic(&ClientOptions {
            end_session_endpoint: Some("https://id.example.com/session/end?x=1".into()),
            ..testing::generic_options()
        })
        .unwrap(),
        ClientConfig::generic(&ClientOptions {
            end_session_endpoint: Some("https://id.example.com/end".into()),
            post_logout_redirect_uri: Some("https://app.example.com/bye?a=b%20c&d".into()),
            ..testing::generic_options()
        })
        .unwrap(),
        testing::generic(),
    ]
}

fn opts(back: Option<&str>, state: Option<&str>, return_to: Option<&str>) -> LogoutOptions {
    LogoutOptions {
        end_session: Some(true),
        post_logout_redirect_uri: back.map(Into::into),
        state: state.map(Into::into),
        return_to: return_to.map(Into::into),
    }
}

fn requests() -> Vec<String> {
    let table = [
        (opts(None, None, None), None),
        (
            opts(
                Some("https://app.example.com/"),
                Some("app 42&x"),
                Some("/goodbye?x#y"),
            ),
            None,
        ),
        (
            opts(
                Some("https://app.example.com/"),
                None,
                Some("https://app.example.com/a"),
            ),
            Some("https://app.example.com"),
        ),
        (
            opts(Some("https://app.example.com/"), None, Some("//evil")),
            None,
        ),
        (
            opts(Some("https://app.example.com/"), None, Some("/ok")),
            Some("https://other.example"),
        ),
        (
            opts(Some("https://app.example.com/"), None, Some("/ok")),
            Some("bad origin"),
        ),
        (opts(Some("javascript:alert(1)"), None, None), None),
        (opts(Some("http://evil.example/"), None, None), None),
        (
            opts(Some("https://app.example.com/#frag"), None, None),
            None,
        ),
        (opts(Some(""), None, None), None),
    ];
    let mut out = Vec::new();
    for (i, c) in configs().iter().enumerate() {
        for (j, (o, origin)) in table.iter().enumerate() {
            let hint = (j % 2 == 0).then_some(HINT);
            let bytes = [(i * 16 + j) as u8; 32];
            let r = end_session_request(c, o, hint, &bytes, Millis(5_000.0), *origin);
            out.push(r.map_or_else(
                |e| err(&e),
                |r| {
                    let p = r.pending.as_ref();
                    format!(
                        "url {} | key {:?} | record {:?} | {:?}",
                        r.url,
                        p.map(|p| p.storage_key()),
                        p.map(|p| p.to_storage()),
                        r.pending
                    )
                },
            ));
        }
    }
    out
}

fn records() -> Vec<String> {
    let valid = "v=1&state=st&return_to=%2Fa&created_at=5000";
    let texts = [
        valid.to_owned(),
        [valid, "&app_state=x+y%26"].concat(),
        [valid, "&app_state="].concat(),
        [valid, "&unknown=1&&"].concat(),
        valid.replace("v=1", "v=2"),
        valid.replace("v=1&", ""),
        [valid, "&v=1"].concat(),
        [valid, "&state=b"].concat(),
        [valid, "&app_state=a&app_state=b"].concat(),
        [valid, "&x=1&x=2"].concat(),
        valid.replace("state=st&", ""),
        valid.replace("state=st", "state="),
        valid.replace("%2Fa", "%2F%2Fevil"),
        valid.replace("%2Fa", "%2F.%2F%2Fevil"),
        valid.replace("%2Fa", "https%3A%2F%2Fapp.example.com%2F"),
        valid.replace("return_to=%2Fa&", ""),
        valid.replace("5000", ""),
        valid.replace("5000", "-1"),
        valid.replace("5000", "1.5"),
        valid.replace("5000", "1e3"),
        valid.replace("5000", "x"),
        valid.replace("&created_at=5000", ""),
        valid.replace("state=st", "state=%FF"),
        String::new(),
        "garbage".into(),
    ];
    texts
        .iter()
        .map(|t| {
            let r = PendingLogout::from_storage(t);
            let expired = r.as_ref().map(|p| {
                (
                    p.expired(Millis(5_000.0) + PENDING_TTL_MS),
                    p.expired(Millis(5_001.0) + PENDING_TTL_MS),
                )
            });
            format!("{t:?} => {r:?} expired={expired:?}")
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "",
    "state=abc",
    "state=abc&x=1",
    "state=",
    "state=a&state=a",
    "state=a&code=b",
    "error=x&state=a",
    "code=b",
    "state=%FF",
    "state=a%2Bb+c",
    "x=1",
    "&&state=z&&",
];

fn returns() -> Vec<String> {
    let mut qs: Vec<String> = QUERIES.iter().map(|q| (*q).to_owned()).collect();
    qs.push(["state=", &"s".repeat(128)].concat());
    qs.push(["state=", &"s".repeat(129)].concat());
    qs.iter()
        .map(|q| format!("{q:?} => {:?}", logout_return_state(q)))
        .collect()
}

#[test]
fn every_end_session_outcome_is_pinned() {
    let got: Vec<String> = [requests(), records(), returns()].concat();
    crate::core::testing::golden(&got, GOLDEN);
}

const GOLDEN: &[&str] = &[
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=3MVG9+c%26id&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | key Some(\"salesforce-pkce:logout:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\") | record Some(\"v=1&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&return_to=%2F&created_at=5000\") | Some(PendingLogout { state: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", return_to: \"/\", app_state: None, created_at_ms: Millis(5000.0) })",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=3MVG9+c%26id&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE | key Some(\"salesforce-pkce:logout:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\") | record Some(\"v=1&state=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE&return_to=%2Fgoodbye%3Fx%23y&created_at=5000&app_state=app+42%26x\") | Some(PendingLogout { state: \"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\", return_to: \"/goodbye?x#y\", app_state: Some(\"app 42&x\"), created_at_ms: Millis(5000.0) })",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=3MVG9+c%26id&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI | key Some(\"salesforce-pkce:logout:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\") | record Some(\"v=1&state=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI&return_to=%2Fa&created_at=5000\") | Some(PendingLogout { state: \"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)] InvalidConfig { field: \"returnTo\", reason: \"must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)\" }",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=3MVG9+c%26id&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ | key Some(\"salesforce-pkce:logout:BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ\") | record Some(\"v=1&state=BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ&return_to=%2Fok&created_at=5000\") | Some(PendingLogout { state: \"BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ\", return_to: \"/ok\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)] InvalidConfig { field: \"returnTo\", reason: \"not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)\" }",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=cid | key None | record None | None",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=cid&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=ERERERERERERERERERERERERERERERERERERERERERE | key Some(\"salesforce-pkce:logout:ERERERERERERERERERERERERERERERERERERERERERE\") | record Some(\"v=1&state=ERERERERERERERERERERERERERERERERERERERERERE&return_to=%2Fgoodbye%3Fx%23y&created_at=5000&app_state=app+42%26x\") | Some(PendingLogout { state: \"ERERERERERERERERERERERERERERERERERERERERERE\", return_to: \"/goodbye?x#y\", app_state: Some(\"app 42&x\"), created_at_ms: Millis(5000.0) })",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=cid&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhI | key Some(\"salesforce-pkce:logout:EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhI\") | record Some(\"v=1&state=EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhI&return_to=%2Fa&created_at=5000\") | Some(PendingLogout { state: \"EhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhI\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)] InvalidConfig { field: \"returnTo\", reason: \"must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)\" }",
    "url https://acme.my.salesforce.com/services/auth/idp/oidc/logout?client_id=cid&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ | key Some(\"salesforce-pkce:logout:FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ\") | record Some(\"v=1&state=FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ&return_to=%2Fok&created_at=5000\") | Some(PendingLogout { state: \"FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ\", return_to: \"/ok\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)] InvalidConfig { field: \"returnTo\", reason: \"not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)\" }",
    "url https://id.example.com/session/end?x=1&client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln | key None | record None | None",
    "url https://id.example.com/session/end?x=1&client_id=spa&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=ISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISE | key Some(\"salesforce-pkce:logout:ISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISE\") | record Some(\"v=1&state=ISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISE&return_to=%2Fgoodbye%3Fx%23y&created_at=5000&app_state=app+42%26x\") | Some(PendingLogout { state: \"ISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISE\", return_to: \"/goodbye?x#y\", app_state: Some(\"app 42&x\"), created_at_ms: Millis(5000.0) })",
    "url https://id.example.com/session/end?x=1&client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI | key Some(\"salesforce-pkce:logout:IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI\") | record Some(\"v=1&state=IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI&return_to=%2Fa&created_at=5000\") | Some(PendingLogout { state: \"IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)] InvalidConfig { field: \"returnTo\", reason: \"must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)\" }",
    "url https://id.example.com/session/end?x=1&client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=JCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ | key Some(\"salesforce-pkce:logout:JCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ\") | record Some(\"v=1&state=JCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ&return_to=%2Fok&created_at=5000\") | Some(PendingLogout { state: \"JCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ\", return_to: \"/ok\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)] InvalidConfig { field: \"returnTo\", reason: \"not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)\" }",
    "url https://id.example.com/end?client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3Db%2520c%26d&state=MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA | key Some(\"salesforce-pkce:logout:MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA\") | record Some(\"v=1&state=MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA&return_to=%2F&created_at=5000\") | Some(PendingLogout { state: \"MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA\", return_to: \"/\", app_state: None, created_at_ms: Millis(5000.0) })",
    "url https://id.example.com/end?client_id=spa&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE | key Some(\"salesforce-pkce:logout:MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE\") | record Some(\"v=1&state=MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE&return_to=%2Fgoodbye%3Fx%23y&created_at=5000&app_state=app+42%26x\") | Some(PendingLogout { state: \"MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE\", return_to: \"/goodbye?x#y\", app_state: Some(\"app 42&x\"), created_at_ms: Millis(5000.0) })",
    "url https://id.example.com/end?client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI | key Some(\"salesforce-pkce:logout:MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI\") | record Some(\"v=1&state=MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI&return_to=%2Fa&created_at=5000\") | Some(PendingLogout { state: \"MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)] InvalidConfig { field: \"returnTo\", reason: \"must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)\" }",
    "url https://id.example.com/end?client_id=spa&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ | key Some(\"salesforce-pkce:logout:NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ\") | record Some(\"v=1&state=NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ&return_to=%2Fok&created_at=5000\") | Some(PendingLogout { state: \"NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ\", return_to: \"/ok\", app_state: None, created_at_ms: Millis(5000.0) })",
    "err invalid_config [invalid configuration: returnTo: not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)] InvalidConfig { field: \"returnTo\", reason: \"not a valid URL: it contains spaces, backslashes or control characters (got a value of 10 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 19 characters)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)\" }",
    "err invalid_config [invalid configuration: postLogoutRedirectUri: must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)] InvalidConfig { field: \"postLogoutRedirectUri\", reason: \"must be an absolute URL such as https://app.example.com/ (got a value of 0 characters)\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "err invalid_config [invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession] InvalidConfig { field: \"endSession\", reason: \"this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession\" }",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000\" => Some(PendingLogout { state: \"st\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) }) expired=Some((false, true))",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&app_state=x+y%26\" => Some(PendingLogout { state: \"st\", return_to: \"/a\", app_state: Some(\"x y&\"), created_at_ms: Millis(5000.0) }) expired=Some((false, true))",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&app_state=\" => Some(PendingLogout { state: \"st\", return_to: \"/a\", app_state: Some(\"\"), created_at_ms: Millis(5000.0) }) expired=Some((false, true))",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&unknown=1&&\" => Some(PendingLogout { state: \"st\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) }) expired=Some((false, true))",
    "\"v=2&state=st&return_to=%2Fa&created_at=5000\" => None expired=None",
    "\"state=st&return_to=%2Fa&created_at=5000\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&v=1\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&state=b\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&app_state=a&app_state=b\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=5000&x=1&x=2\" => None expired=None",
    "\"v=1&return_to=%2Fa&created_at=5000\" => None expired=None",
    "\"v=1&state=&return_to=%2Fa&created_at=5000\" => Some(PendingLogout { state: \"\", return_to: \"/a\", app_state: None, created_at_ms: Millis(5000.0) }) expired=Some((false, true))",
    "\"v=1&state=st&return_to=%2F%2Fevil&created_at=5000\" => None expired=None",
    "\"v=1&state=st&return_to=%2F.%2F%2Fevil&created_at=5000\" => None expired=None",
    "\"v=1&state=st&return_to=https%3A%2F%2Fapp.example.com%2F&created_at=5000\" => None expired=None",
    "\"v=1&state=st&created_at=5000\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=-1\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=1.5\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=1e3\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa&created_at=x\" => None expired=None",
    "\"v=1&state=st&return_to=%2Fa\" => None expired=None",
    "\"v=1&state=%FF&return_to=%2Fa&created_at=5000\" => None expired=None",
    "\"\" => None expired=None",
    "\"garbage\" => None expired=None",
    "\"\" => None",
    "\"state=abc\" => Some(\"abc\")",
    "\"state=abc&x=1\" => Some(\"abc\")",
    "\"state=\" => None",
    "\"state=a&state=a\" => None",
    "\"state=a&code=b\" => None",
    "\"error=x&state=a\" => None",
    "\"code=b\" => None",
    "\"state=%FF\" => None",
    "\"state=a%2Bb+c\" => Some(\"a+b c\")",
    "\"x=1\" => None",
    "\"&&state=z&&\" => Some(\"z\")",
    "\"state=ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\" => Some(\"ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\")",
    "\"state=sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\" => None",
];
