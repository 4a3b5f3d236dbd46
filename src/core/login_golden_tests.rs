//! Every outcome of the login and callback path, pinned whole: the authorize URL and pending
//! record of `authorization_request` for a table of options, `same_origin_path` and
//! `is_local_path` on a table of returnTo values, what `PendingLogin::from_storage` makes of
//! valid, corrupt, expired and hostile records, and `parse_callback` on a table of queries (the
//! code, state, error, description, iss, or the error's code and message). A rewrite of this path
//! must keep every line; the expected lines are in `login_golden_expected.rs`, printed by the
//! code before the size-first rewrite (`GOLDEN_PRINT=1 cargo test golden -- --nocapture`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::authorize::{
    LoginOptions, PendingLogin, authorization_request, is_local_path, restore_options,
    same_origin_path,
};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::state::LoginRandomness;
use crate::core::testing::{self, NOW};
use crate::core::url::Origin;

pub(crate) fn err(e: &AuthError) -> String {
    format!("err {} [{}] {e:?}", e.code(), e.message())
}

fn login(
    config: &ClientConfig,
    o: &LoginOptions,
    seed: u8,
    origin: Option<&str>,
) -> Result<String, AuthError> {
    let mut bytes = [0u8; 96];
    bytes
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = (i as u8).wrapping_mul(seed));
    let r = authorization_request(config, o, &LoginRandomness::from_bytes(&bytes), NOW, origin)?;
    Ok(format!(
        "url {} | key {} | record {} | {:?}",
        r.url,
        r.pending.storage_key(),
        r.pending.to_storage(),
        r.pending
    ))
}

fn opts(return_to: Option<&str>, prompt: Option<&str>, hint: Option<&str>) -> LoginOptions {
    LoginOptions {
        return_to: return_to.map(Into::into),
        prompt: prompt.map(Into::into),
        login_hint: hint.map(Into::into),
        ..Default::default()
    }
}

fn configs() -> Vec<ClientConfig> {
    let scopes = |s: &[&str]| Some(s.iter().map(|s| (*s).to_owned()).collect());
    vec![
        testing::salesforce("3MVG9 demo&id"),
        testing::generic(),
        ClientConfig::generic(&ClientOptions {
            authorization_endpoint: Some("https://id.example.com/auth?tenant=a%20b".into()),
            scopes: scopes(&["api"]),
            popup_redirect_uri: Some("https://app.example.com/popup.html".into()),
            authorization_response_iss_parameter_supported: Some(true),
            ..testing::generic_options()
        })
        .unwrap(),
        ClientConfig::generic(&ClientOptions {
            scopes: scopes(&[]),
            ..testing::generic_options()
        })
        .unwrap(),
    ]
}

fn logins() -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |r: Result<String, AuthError>| out.push(r.unwrap_or_else(|e| err(&e)));
    for (i, c) in configs().iter().enumerate() {
        push(login(c, &LoginOptions::default(), i as u8 + 1, None));
        push(login(
            c,
            &opts(Some("/x?y=1#z"), None, None),
            3,
            Some("https://app.example.com"),
        ));
        push(login(
            c,
            &opts(None, Some("none"), Some("a+b@x.com")),
            5,
            None,
        ));
        let popup = LoginOptions {
            popup: true,
            silent: true,
            immediate: Some(true),
            dpop_jkt: Some("jkt-1".into()),
            ..opts(
                Some("https://app.example.com/p?q#f"),
                Some("login consent"),
                Some(""),
            )
        };
        push(login(c, &popup, 7, None));
        push(login(c, &restore_options(c, "/back".into()), 9, None));
    }
    let c = testing::salesforce("cid");
    for (o, origin) in [
        (opts(Some("//evil.example"), None, None), None),
        (opts(Some("https://evil.example/x"), None, None), None),
        (opts(Some("/ok"), None, None), Some("not an origin")),
        (opts(Some("/ok"), None, None), Some("https://other.example")),
        (
            opts(Some("https://other.example/ok"), None, None),
            Some("https://other.example"),
        ),
        (opts(None, Some(""), None), None),
        (opts(None, Some("none login"), None), None),
        (opts(None, Some("login  consent"), None), None),
        (opts(None, Some("admin"), None), None),
        (opts(None, Some("select_account consent login"), None), None),
        (opts(None, None, Some("ü ser&x=1")), None),
    ] {
        push(login(&c, &o, 11, origin));
    }
    out
}

const RETURN_TOS: &[&str] = &[
    "/",
    "",
    "/a/b?c=d#e",
    "/a?x=//evil#//y",
    "//evil",
    "/\\evil",
    "\\evil",
    "/a\tb",
    "/a\nb",
    "/a\u{7f}",
    "/a\u{85}",
    "/./",
    "/.//evil",
    "/..//evil",
    "/%2e//evil",
    "/%2E%2e//evil",
    "/.%2e//evil",
    "/%2e.//evil",
    "/a/..//evil",
    "/a/../b",
    "/a/.././/evil",
    "/a/b/../..//evil",
    "/a/./b",
    "/x/..",
    "/x/../",
    "/..",
    "/.",
    "/...//x",
    "/a/%2e%2e",
    "/a?..//x",
    "/a#/../..//x",
    "https://app.example.com",
    "https://app.example.com/",
    "https://app.example.com/a?b#c",
    "https://app.example.com:443/a",
    "https://APP.example.com/a",
    "https://app.example.com//evil",
    "https://app.example.com/.//evil",
    "https://app.example.com?q",
    "https://app.example.com#f",
    "http://app.example.com/a",
    "https://app.example.com.evil/a",
    "https://user@app.example.com/a",
    "javascript:alert(1)",
    "data:text/html,x",
    "relative/path",
    "?q",
    "#f",
    " /a",
    "/é?ü#ö",
];

fn return_tos() -> Vec<String> {
    let origin = Origin::parse("https://app.example.com", "returnTo").unwrap();
    RETURN_TOS
        .iter()
        .map(|r| {
            let same = same_origin_path(r, &origin);
            format!(
                "{r:?} local={} same={}",
                is_local_path(r),
                same.map_or_else(|e| err(&e), |p| format!("ok {p:?}"))
            )
        })
        .collect()
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn records() -> Vec<String> {
    let v = |rest: &str| ["v=1&state=st&verifier=", VERIFIER, rest].concat();
    let valid = v("&return_to=%2Fa&created_at=1700000000000");
    let mut texts = vec![
        valid.clone(),
        [&valid, "&nonce=n1&silent=1&popup=1"].concat(),
        [&valid, "&silent=&popup=0&unknown=x&&"].concat(),
        valid.replace("v=1", "v=2"),
        valid.replace("v=1&", ""),
        valid.replace("v=1", "v=1&v=1"),
        [&valid, "&state=other"].concat(),
        [&valid, "&nonce=a&nonce=b"].concat(),
        [&valid, "&silent=1&silent=1"].concat(),
        [&valid, "&x=1&x=2"].concat(),
        valid.replace("state=st&", ""),
        valid.replace("state=st", "state="),
        valid.replace(VERIFIER, "short"),
        valid.replace(VERIFIER, &"a".repeat(129)),
        valid.replace(VERIFIER, &[&VERIFIER[1..], "+"].concat()),
        valid.replace(&["verifier=", VERIFIER, "&"].concat(), ""),
        valid.replace("%2Fa", "%2F%2Fevil"),
        valid.replace("%2Fa", "https%3A%2F%2Fapp.example.com%2Fa"),
        valid.replace("%2Fa", "%2F%5Cevil"),
        valid.replace("%2Fa", "%2F..%2F%2Fevil"),
        valid.replace("%2Fa", ""),
        valid.replace("return_to=%2Fa&", ""),
        valid.replace("1700000000000", ""),
        valid.replace("1700000000000", "-1"),
        valid.replace("1700000000000", "1.5"),
        valid.replace("1700000000000", "+1"),
        valid.replace("1700000000000", "0"),
        valid.replace("1700000000000", "18446744073709551615"),
        valid.replace("1700000000000", "18446744073709551616"),
        valid.replace("created_at=1700000000000", ""),
        valid.replace("state=st", "state=s%FFt"),
        valid.replace("state=st", "state=s%zzt"),
        valid.replace("state=st", "state=%C3%A9+%26"),
        [&valid, "&nonce=%FF"].concat(),
        String::new(),
        "garbage".into(),
        "v=1".into(),
    ];
    let c = testing::salesforce("cid");
    texts.push(testing::pending(&c, 4).to_storage());
    texts
        .iter()
        .map(|t| {
            let r = PendingLogin::from_storage(t);
            let shown = r.map_or_else(
                |e| err(&e),
                |p| {
                    format!(
                        "ok state={:?} verifier={:?} nonce={:?} back={}",
                        p.state.as_str(),
                        p.verifier.secret(),
                        p.nonce.as_ref().map(|n| n.as_str()),
                        p.to_storage(),
                    )
                },
            );
            format!("{t:?} => {shown}")
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "",
    "&&",
    "page=2&x=y",
    "code=abc&state=st",
    "code=a%2Bb+c&state=s%20t&iss=https%3A%2F%2Fid.example.com",
    "state=st",
    "code=abc",
    "code=&state=st",
    "code=abc&error=access_denied&state=st",
    "error=access_denied&state=st&error_description=User+denied",
    "error=access_denied",
    "error=&state=st",
    "error=bad%22code&state=st",
    "error=bad%5Ccode&state=st",
    "error=%C3%A9&state=st",
    "error=login_required&error_description=%E2%9C%93&state=st",
    "code=a&code=b&state=st",
    "code=a&state=1&state=2",
    "error=a&error=b&state=s",
    "code=a&state=s&iss=x&iss=y",
    "code=a&state=s&error_description=x&error_description=y",
    "code=a&state=s&x=1&x=2",
    "code=a&state=s&x=%zz",
    "code=a%zz&state=s",
    "code=a%4&state=s",
    "code=a%&state=s",
    "co%64e=a&state=s",
    "code=%FF&state=s",
    "%FF=x&code=a&state=s",
    "code&state",
    "code=a=b&state=s==",
    "code=a&state=s&iss=",
    "=x&code=a&state=s",
    "code=%00&state=s",
];

fn callbacks() -> Vec<String> {
    let mut qs: Vec<String> = QUERIES.iter().map(|q| (*q).to_owned()).collect();
    let fill = |n: usize| ["code=", &"c".repeat(n), "&state=s"].concat();
    qs.push(fill(MAX_CALLBACK_QUERY - 15));
    qs.push(fill(MAX_CALLBACK_QUERY - 14));
    let error = ["error=", &"e".repeat(128), "&state=s"].concat();
    qs.push(error.clone());
    qs.push(error.replace("=e", "=ee"));
    qs.iter()
        .map(|q| {
            let shown = match parse_callback(q) {
                Err(e) => err(&e),
                Ok(None) => "none".to_owned(),
                Ok(Some(p)) => format!(
                    "code={:?} state={:?} error={:?} description={:?} iss={:?}",
                    p.code.as_ref().map(|c| c.0.as_str()),
                    p.state,
                    p.error,
                    p.error_description,
                    p.iss
                ),
            };
            let q: String = q.chars().take(80).collect();
            format!("{q:?} => {shown}")
        })
        .collect()
}

const URLS: &[&str] = &[
    "https://app.example.com/callback",
    "https://app.example.com/callback?code=x&state=y",
    "https://app.example.com/callback#x",
    "https://app.example.com/callback/",
    "https://app.example.com/popup.html?code=x",
    "https://app.example.com:443/callback",
    "http://app.example.com/callback",
    "https://evil.example/callback?code=x",
    "https://app.example.com/",
    "garbage",
    "",
];

fn callback_urls() -> Vec<String> {
    let configs = configs();
    URLS.iter()
        .map(|u| {
            let at: Vec<bool> = configs.iter().map(|c| is_callback_url(c, u)).collect();
            format!("{u:?} callback={at:?}")
        })
        .collect()
}

#[test]
fn every_login_outcome_is_pinned() {
    let got: Vec<String> = [
        logins(),
        return_tos(),
        records(),
        callbacks(),
        callback_urls(),
    ]
    .concat();
    testing::golden(&got, super::golden_expected::LOGIN);
}
