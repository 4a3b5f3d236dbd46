//! Test fixtures, in one place for every test of the crate: the unit tests beside the core's
//! files, the session machine's harnesses (`core/session/tests.rs`), and, through
//! `salesforce_pkce::internals::testing`, the integration tests (`tests/hostile.rs`,
//! `tests/props.rs`). Compiled only for tests (`cfg(test)` or the test-only cargo feature
//! `internals`): never part of a build that ships.
//!
//! The configurations are the two provider profiles with the fewest options that pass:
//! [`salesforce`] (a My Domain login host) and [`generic`] (an OIDC provider at [`ISSUER`]). A
//! test that needs another option writes `ClientOptions { that_option, ..salesforce_options(id) }`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::authorize::{LoginOptions, PendingLogin, authorization_request};
use crate::core::base64url;
use crate::core::callback::{PendingLookup, ValidatedCallback, parse_callback, validate_callback};
use crate::core::config::{ClientConfig, ClientOptions};
#[cfg(any(test, not(target_arch = "wasm32")))]
use crate::core::error::AuthError;
#[cfg(any(test, not(target_arch = "wasm32")))]
use crate::core::http::SerdeJson;
use crate::core::id_token::IdTokenCheck;
use crate::core::state::LoginRandomness;
use crate::core::text::decimal;
use crate::core::time::Millis;
#[cfg(any(test, not(target_arch = "wasm32")))]
use crate::core::token::{Grant, TokenOutcome, TokenSet, process_token_response};
use crate::core::wire::SessionView;

/// The tests' clock (ms since the epoch; 2023-11-14T22:13:20Z).
pub const NOW: Millis = Millis(1_700_000_000_000.0);
/// The app's callback, every fixture's `redirectUri`.
pub const REDIRECT_URI: &str = "https://app.example.com/callback";
/// The Salesforce fixture's login host, a My Domain (and its token responses' `instance_url`).
pub const MY_DOMAIN: &str = "https://acme.my.salesforce.com";
/// The generic fixture's issuer; its endpoints are under it.
pub const ISSUER: &str = "https://id.example.com";
/// The generic fixture's client id.
pub const GENERIC_CLIENT_ID: &str = "spa";

/// Salesforce options: `client_id`, [`REDIRECT_URI`], the login host [`MY_DOMAIN`].
pub fn salesforce_options(client_id: &str) -> ClientOptions {
    ClientOptions {
        client_id: Some(client_id.into()),
        redirect_uri: Some(REDIRECT_URI.into()),
        login_host: Some(MY_DOMAIN.into()),
        ..Default::default()
    }
}

/// The Salesforce configuration of [`salesforce_options`].
pub fn salesforce(client_id: &str) -> ClientConfig {
    ClientConfig::salesforce(&salesforce_options(client_id)).unwrap()
}

/// A generic OIDC provider's options: [`GENERIC_CLIENT_ID`], [`REDIRECT_URI`], the issuer
/// [`ISSUER`] with its authorization (`/auth`), token (`/token`) and revocation (`/revoke`)
/// endpoints; nothing advertised beyond them (no `iss` parameter, no end-session endpoint).
pub fn generic_options() -> ClientOptions {
    let at = |path: &str| Some([ISSUER, path].concat());
    ClientOptions {
        client_id: Some(GENERIC_CLIENT_ID.into()),
        redirect_uri: Some(REDIRECT_URI.into()),
        issuer: Some(ISSUER.into()),
        authorization_endpoint: at("/auth"),
        token_endpoint: at("/token"),
        revocation_endpoint: at("/revoke"),
        ..Default::default()
    }
}

/// The generic configuration of [`generic_options`].
pub fn generic() -> ClientConfig {
    ClientConfig::generic(&generic_options()).unwrap()
}

/// The pending login of an authorization request for `config` at [`NOW`] (default login
/// options), its randomness every byte `seed`: two seeds, two logins (another tab's, say).
pub fn pending(config: &ClientConfig, seed: u8) -> PendingLogin {
    pending_with(config, &LoginOptions::default(), seed, NOW)
}

/// [`pending`] with `options`, made at `now`.
pub fn pending_with(
    config: &ClientConfig,
    options: &LoginOptions,
    seed: u8,
    now: Millis,
) -> PendingLogin {
    authorization_request(
        config,
        options,
        &LoginRandomness::from_bytes(&[seed; 96]),
        now,
        None,
    )
    .unwrap()
    .pending
}

/// The callback query the provider sends back for `pending` with `code`.
pub fn callback_query(pending: &PendingLogin, code: &str) -> String {
    ["code=", code, "&state=", pending.state.as_str()].concat()
}

/// A login of `config` come back with `code` and validated: what a code exchange takes.
pub fn validated_callback(config: &ClientConfig, seed: u8, code: &str) -> ValidatedCallback {
    let p = pending(config, seed);
    let params = parse_callback(&callback_query(&p, code)).unwrap().unwrap();
    validate_callback(config, params, PendingLookup::Found(p), NOW).unwrap()
}

/// A minimal token response: `access`, `Bearer`, and `refresh` and `expires_in` when given.
pub fn token_body(access: &str, refresh: Option<&str>, expires_in: Option<u64>) -> String {
    let refresh = refresh.map_or(String::new(), |r| {
        [r#","refresh_token":""#, r, "\""].concat()
    });
    let expires = expires_in.map_or(String::new(), |e| {
        [r#","expires_in":"#, &decimal(e)].concat()
    });
    [
        r#"{"access_token":""#,
        access,
        r#"","token_type":"Bearer""#,
        &refresh,
        &expires,
        "}",
    ]
    .concat()
}

/// A Salesforce token response as the token endpoint writes it (for [`MY_DOMAIN`]), with
/// `extra` (`,"name":value…`) added at its end.
pub fn salesforce_body(extra: &str) -> String {
    [
        r#"{"access_token":"00Dxx0000000123!AR8AQ","refresh_token":"5Aep861","signature":"SSS=","scope":"refresh_token api id openid","instance_url":""#,
        MY_DOMAIN,
        r#"","id":"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA","token_type":"Bearer","issued_at":"1676372418560""#,
        extra,
        "}",
    ]
    .concat()
}

/// The JSON object `json` with `members` (`"name":value,…`) added at its end.
pub fn with_members(json: &str, members: &str) -> String {
    let open = json.strip_suffix('}').expect("a JSON object");
    let comma = if open.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    [open, comma, members, "}"].concat()
}

/// A JWT with `claims` (JSON text), an RS256 header and a signature nothing checks: what an
/// id_token looks like to the checks that read its claims.
pub fn jwt(claims: &str) -> String {
    ["eyJhbGciOiJSUzI1NiJ9.", &base64url::encode(claims), ".c2ln"].concat()
}

/// The id_token claims of a login at [`NOW`] for `iss` and `aud`, by `sub`, with `extra`
/// (`,"name":value…`), valid five minutes.
pub fn id_token_claims(iss: &str, aud: &str, sub: &str, extra: &str) -> String {
    [
        r#"{"iss":""#,
        iss,
        r#"","aud":""#,
        aud,
        r#"","exp":1700000300,"iat":1700000000,"sub":""#,
        sub,
        "\"",
        extra,
        "}",
    ]
    .concat()
}

/// A code exchange (no nonce) answered at [`NOW`] with `status` and `body` (read with
/// serde_json: host builds and tests).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn exchange(config: &ClientConfig, status: u16, body: &str) -> Result<TokenOutcome, AuthError> {
    let grant = Grant::AuthorizationCode {
        nonce: None,
        held: None,
    };
    process_token_response(config, grant, status, body, NOW, &SerdeJson)
}

/// A refresh of `previous` answered at [`NOW`] with `status` and `body` (as [`exchange`]).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn refresh(
    config: &ClientConfig,
    previous: &TokenSet,
    status: u16,
    body: &str,
) -> Result<TokenOutcome, AuthError> {
    let grant = Grant::Refresh { previous };
    process_token_response(config, grant, status, body, NOW, &SerdeJson)
}

/// The pairs of a form body (`a=1&b=2`), decoded by the `form_urlencoded` crate, not
/// `core::form` (unit tests only: a dev-dependency).
#[cfg(test)]
pub fn form_pairs(form: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect()
}

/// The pairs of a URL's query (none without one), as [`form_pairs`].
#[cfg(test)]
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    form_pairs(url.split_once('?').map_or("", |(_, q)| q))
}

/// The message protocol's version (`core::wire::VERSION`, every tab and worker message's `v`),
/// for the tests: a protocol bump edits no test (the number is `protocol!()`'s, core/mod.rs).
pub const PROTOCOL: &str = crate::core::wire::VERSION;

/// A message of this build's protocol: `v=`[`PROTOCOL`], then `fields` (`""`: the version alone).
pub fn message(fields: &str) -> String {
    let v = ["v=", PROTOCOL].concat();
    if fields.is_empty() {
        v
    } else {
        [&v, "&", fields].concat()
    }
}

/// The fields of a message this build wrote, after its version (`v=`[`PROTOCOL`] first).
pub fn after_version(text: &str) -> &str {
    let v = message("");
    match text
        .strip_prefix(v.as_str())
        .and_then(|r| r.strip_prefix('&'))
    {
        Some(fields) => fields,
        None => panic!("not a message of protocol {PROTOCOL}"),
    }
}

/// A session view as the session worker relays it with an event: a Salesforce session, DPoP-bound,
/// with no known expiry.
pub fn session_view() -> SessionView {
    SessionView {
        instance_url: Some(MY_DOMAIN.into()),
        api_instance_url: None,
        user_id: Some("005xx".into()),
        org_id: Some("00Dxx".into()),
        scopes: vec!["api".into(), "refresh_token".into()],
        issued_at: NOW,
        expires_at: None,
        dpop: true,
    }
}

/// The id_token check the total-function tests run any input through (issuer `https://x`,
/// Salesforce's login hosts as extra issuers, client `c`, no nonce) at `now`.
pub fn id_token_check(now: Millis) -> IdTokenCheck<'static> {
    IdTokenCheck {
        issuer: Some("https://x"),
        extra_issuers: &[
            "https://login.salesforce.com",
            "https://test.salesforce.com",
        ],
        client_id: "c",
        trusted_audiences: &[],
        nonce: None,
        now_ms: now,
    }
}

/// A golden test's check: `got` line by line against `want` (the lines the code printed before
/// a rewrite), naming the first case that differs. With `GOLDEN_PRINT` set, `got` is printed as
/// the Rust lines of a new `want` (`GOLDEN_PRINT=1 cargo test golden -- --nocapture`).
#[cfg(test)]
pub(crate) fn golden<S: AsRef<str> + core::fmt::Debug>(got: &[S], want: &[&str]) {
    if std::env::var_os("GOLDEN_PRINT").is_some() {
        use std::println;
        for line in got {
            println!("    {line:?},");
        }
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.as_ref(), *w, "case {i}");
    }
    assert_eq!(got.len(), want.len(), "number of cases");
}

/// A golden file's test: `got`'s lines against `want` (the file `tests/golden/<file>`, which
/// the caller reads with `include_str!` so the test rebuilds when it changes). With the
/// environment variable `write_var` set, the file is first rewritten with `got`.
#[cfg(test)]
pub(crate) fn golden_file(file: &str, write_var: &str, got: &str, want: &str) {
    if std::env::var_os(write_var).is_some() {
        let path = [env!("CARGO_MANIFEST_DIR"), "/tests/golden/", file].concat();
        std::fs::write(path, got).unwrap();
    }
    golden(
        &got.lines().collect::<Vec<_>>(),
        &want.lines().collect::<Vec<_>>(),
    );
}
