//! The hostile-input table: each attack on the callback, the token response or the
//! options, and the stable code it must get. Messages never echo a secret.
#![cfg(not(target_arch = "wasm32"))]

use salesforce_pkce::internals::authorize::{LoginOptions, PendingLogin, authorization_request};
use salesforce_pkce::internals::callback::{PendingLookup, parse_callback, validate_callback};
use salesforce_pkce::internals::config::{ClientConfig, ClientOptions};
use salesforce_pkce::internals::testing::{self, NOW};
use salesforce_pkce::internals::wire::{BadMessage, decode_tab_tokens, tab_version};
use salesforce_pkce::{AuthError, LoginRandomness};

/// The shared Salesforce fixture, trusting one more instance host.
fn options() -> ClientOptions {
    ClientOptions {
        trusted_instance_hosts: Some(vec!["api.acme.example".into()]),
        ..testing::salesforce_options("3MVG9hostile")
    }
}

fn config() -> ClientConfig {
    ClientConfig::salesforce(&options()).unwrap()
}

fn pending(seed: u8) -> PendingLogin {
    testing::pending(&config(), seed)
}

/// Runs a callback query against this tab's pending login (stored under its own state).
fn callback(cfg: &ClientConfig, query: &str, mine: PendingLogin) -> Result<(), AuthError> {
    let params = parse_callback(query)?.expect("a callback");
    let lookup = match &params.state {
        Some(s) if s == mine.state.as_str() => PendingLookup::Found(mine),
        _ => PendingLookup::NoneMatching,
    };
    validate_callback(cfg, params, lookup, NOW).map(|_| ())
}

#[test]
fn hostile_callbacks() {
    let mine = pending(1);
    let s = mine.state.as_str().to_owned();
    let other_tab = pending(2).state.as_str().to_owned();
    let megabyte = "A".repeat(1 << 20);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "repeated code",
            format!("code=a&code=b&state={s}"),
            "invalid_callback",
        ),
        (
            "repeated state",
            format!("code=a&state={s}&state={s}"),
            "invalid_callback",
        ),
        (
            "repeated iss",
            format!("code=a&state={s}&iss=x&iss=y"),
            "invalid_callback",
        ),
        (
            "1 MB code",
            format!("code={megabyte}&state={s}"),
            "invalid_callback",
        ),
        (
            "1 MB unrelated parameter",
            format!("code=a&state={s}&junk={megabyte}"),
            "invalid_callback",
        ),
        (
            "invalid percent-encoding",
            format!("code=%G1&state={s}"),
            "invalid_callback",
        ),
        (
            "truncated percent-encoding",
            format!("code=ab%2&state={s}"),
            "invalid_callback",
        ),
        (
            "invalid UTF-8",
            format!("code=%FF%FE&state={s}"),
            "invalid_callback",
        ),
        (
            "overlong UTF-8",
            format!("code=%C0%AF&state={s}"),
            "invalid_callback",
        ),
        (
            "error and code together",
            format!("code=a&error=access_denied&state={s}"),
            "invalid_callback",
        ),
        (
            "neither code nor error",
            format!("state={s}"),
            "invalid_callback",
        ),
        (
            "a code with another tab's state",
            format!("code=a&state={other_tab}"),
            "state_mismatch",
        ),
        ("no state at all", "code=a".to_owned(), "state_mismatch"),
        (
            "a forged state",
            "code=a&state=forged".to_owned(),
            "state_mismatch",
        ),
        (
            "iss of another issuer (mix-up)",
            format!("code=a&state={s}&iss=https%3A%2F%2Fevil.example"),
            "issuer_mismatch",
        ),
        (
            "error from the provider",
            format!("error=access_denied&state={s}"),
            "authorization_denied",
        ),
        (
            "a crafted error link without state (finding 5)",
            "error=access_denied&error_description=call+us".to_owned(),
            "state_mismatch",
        ),
        (
            "a crafted error link with a forged state (finding 5)",
            "error=access_denied&error_description=call+us&state=forged".to_owned(),
            "state_mismatch",
        ),
        (
            "an error outside RFC 6749's character set",
            format!("error=%22%3E%3Cscript%3E&state={s}"),
            "invalid_callback",
        ),
    ];
    for (name, query, code) in cases {
        let e = callback(&config(), &query, pending(1)).expect_err(name);
        assert_eq!(e.code(), code, "{name}: {e}");
        assert!(
            e.to_string().len() < 500,
            "{name}: the message does not echo the input"
        );
        if code != "authorization_denied" {
            assert!(
                !e.to_string().contains("call us") && e.error_description().is_none(),
                "{name}: no provider text without a matching state"
            );
        }
    }
    // Replay: the record is deleted on first read, so a second arrival finds none.
    let e = validate_callback(
        &config(),
        parse_callback(&format!("code=a&state={s}"))
            .unwrap()
            .unwrap(),
        PendingLookup::NoneAtAll,
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.code(), "no_pending_login");
    // RFC 9207: when the provider advertises iss, a callback without it is refused.
    let strict = ClientConfig::salesforce(&ClientOptions {
        authorization_response_iss_parameter_supported: Some(true),
        ..options()
    })
    .unwrap();
    let e = callback(&strict, &format!("code=a&state={s}"), mine).unwrap_err();
    assert_eq!(e.code(), "issuer_mismatch");
}

#[test]
fn hostile_token_responses() {
    let ok = |instance: &str, token_type: &str| {
        format!(
            r#"{{"access_token":"00Dxx!SECRET-AT","refresh_token":"5Aep-SECRET-RT","token_type":"{token_type}","instance_url":"{instance}","issued_at":"1700000000000","scope":"api refresh_token openid"}}"#
        )
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "token_type not Bearer",
            ok("https://acme.my.salesforce.com", "mac"),
            "invalid_token_response",
        ),
        (
            "token_type DPoP",
            ok("https://acme.my.salesforce.com", "DPoP"),
            "invalid_token_response",
        ),
        (
            "instance_url over http",
            ok("http://acme.my.salesforce.com", "Bearer"),
            "invalid_token_response",
        ),
        (
            "instance_url on an attacker's host",
            ok("https://attacker.example", "Bearer"),
            "invalid_token_response",
        ),
        (
            "instance_url that only looks like Salesforce",
            ok("https://salesforce.com.attacker.example", "Bearer"),
            "invalid_token_response",
        ),
        (
            "instance_url with userinfo",
            ok("https://acme.my.salesforce.com@attacker.example", "Bearer"),
            "invalid_token_response",
        ),
        (
            "instance_url javascript:",
            ok("javascript:alert(1)", "Bearer"),
            "invalid_token_response",
        ),
        (
            "instance_url on loopback but another port",
            ok("http://127.0.0.1:1", "Bearer"),
            "invalid_token_response",
        ),
        (
            "not JSON",
            "<html>Error</html>".to_owned(),
            "invalid_token_response",
        ),
        ("a JSON array", "[]".to_owned(), "invalid_token_response"),
        (
            "empty access_token",
            ok("https://acme.my.salesforce.com", "Bearer").replace("00Dxx!SECRET-AT", ""),
            "invalid_token_response",
        ),
        (
            "access_token with CR LF (a header injection)",
            ok("https://acme.my.salesforce.com", "Bearer")
                .replace("SECRET-AT", "SECRET-AT\\r\\nX-Injected: 1"),
            "invalid_token_response",
        ),
        (
            "refresh_token with NUL",
            ok("https://acme.my.salesforce.com", "Bearer").replace("SECRET-RT", "SECRET-RT\\u0000"),
            "invalid_token_response",
        ),
        (
            "a 5 MB access_token",
            ok("https://acme.my.salesforce.com", "Bearer")
                .replace("SECRET-AT", &"SECRET-AT".repeat(580_000)),
            "invalid_token_response",
        ),
        (
            "an access_token of 8001 characters",
            ok("https://acme.my.salesforce.com", "Bearer")
                .replace("00Dxx!SECRET-AT", &"S".repeat(8001)),
            "invalid_token_response",
        ),
        (
            "issued_at in seconds",
            ok("https://acme.my.salesforce.com", "Bearer").replace("1700000000000", "1700000000"),
            "invalid_token_response",
        ),
        (
            "issued_at past 2^53",
            ok("https://acme.my.salesforce.com", "Bearer")
                .replace("1700000000000", "9007199254740993"),
            "invalid_token_response",
        ),
    ];
    for (name, body, code) in cases {
        let e = testing::exchange(&config(), 200, &body).expect_err(name);
        assert_eq!(e.code(), code, "{name}: {e}");
        let msg = e.to_string();
        assert!(
            !msg.contains("SECRET"),
            "{name}: no token in the message: {msg}"
        );
    }
    for trusted in [
        "https://acme.my.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com",
        "https://acme.lightning.force.com",
        "https://api.acme.example",
    ] {
        assert!(
            testing::exchange(&config(), 200, &ok(trusted, "Bearer")).is_ok(),
            "{trusted}"
        );
    }
    // Scope downgrade: reported, so the runtime can emit scope_reduced.
    let reduced = ok("https://acme.my.salesforce.com", "Bearer")
        .replace("api refresh_token openid", "refresh_token");
    let o = testing::exchange(&config(), 200, &reduced).unwrap();
    assert_eq!(o.scopes_missing, ["api", "openid"]);
    // A 60 KB error description is cut, and never echoes beyond 500 characters; a 1 MB error
    // body (over the 64 KiB cap) is not read at all.
    let error = |n: usize| {
        let huge = format!(
            r#"{{"error":"invalid_grant","error_description":"{}"}}"#,
            "d".repeat(n)
        );
        testing::exchange(&config(), 400, &huge).unwrap_err()
    };
    assert_eq!(error(60_000).error_description().map(str::len), Some(500));
    let e = error(1 << 20);
    assert_eq!((e.code(), e.server_error()), ("token_endpoint_error", None));
}

#[test]
fn hostile_options() {
    let cases: Vec<(&str, ClientOptions, &str)> = vec![
        (
            "a client secret",
            ClientOptions {
                client_secret: Some("SECRET-S".into()),
                ..options()
            },
            "clientSecret",
        ),
        (
            "a javascript: redirect",
            ClientOptions {
                redirect_uri: Some("javascript:alert(1)".into()),
                ..options()
            },
            "redirectUri",
        ),
        (
            "a redirect with a fragment",
            ClientOptions {
                redirect_uri: Some("https://app.example.com/cb#x".into()),
                ..options()
            },
            "redirectUri",
        ),
        (
            "an http redirect",
            ClientOptions {
                redirect_uri: Some("http://app.example.com/cb".into()),
                ..options()
            },
            "redirectUri",
        ),
        (
            "an allowed origin over http",
            ClientOptions {
                allowed_origins: Some(vec!["http://api.example.com".into()]),
                ..options()
            },
            "allowedOrigins",
        ),
        (
            "login.salesforce.com",
            ClientOptions {
                login_host: Some("https://login.salesforce.com".into()),
                ..options()
            },
            "loginHost",
        ),
        (
            "a 1 MB client id with a newline",
            ClientOptions {
                client_id: Some(format!("{}\n", "x".repeat(1 << 20))),
                ..options()
            },
            "clientId",
        ),
    ];
    for (name, o, field) in cases {
        match ClientConfig::salesforce(&o) {
            Err(AuthError::InvalidConfig { field: f, reason }) => {
                assert_eq!(f, field, "{name}");
                assert!(!reason.contains("SECRET"), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    for return_to in [
        "https://attacker.example/",
        "//attacker.example",
        "/\\attacker.example",
        "http://app.example.com/",
        "javascript:alert(1)",
    ] {
        let e = authorization_request(
            &config(),
            &LoginOptions {
                return_to: Some(return_to.into()),
                ..Default::default()
            },
            &LoginRandomness::from_bytes(&[0; 96]),
            NOW,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{return_to}");
        assert!(e.to_string().contains("open redirect"));
    }
}

/// Finding 7: a token set from another tab is no more trusted than a token response.
#[test]
fn hostile_tab_messages() {
    let good = &testing::message(
        "x.instance_url=https%3A%2F%2Facme.my.salesforce.com&sc=api&ia=1700000000000&at=00D%21x",
    );
    assert!(decode_tab_tokens(&config(), good).is_ok());
    let cases = [
        (
            "instance URL of an attacker",
            good.replace("acme.my.salesforce.com", "evil.example"),
        ),
        (
            "plain http instance URL",
            good.replace("https%3A", "http%3A"),
        ),
        (
            "instance URL that is no URL",
            good.replace(
                "https%3A%2F%2Facme.my.salesforce.com",
                "javascript%3Aalert(1)",
            ),
        ),
        (
            "no instance URL",
            good.replace("x.instance_url=https%3A%2F%2Facme.my.salesforce.com&", ""),
        ),
        (
            "another build's version",
            good.replacen(&testing::message(""), "v=2", 1),
        ),
        (
            "a time past 2^53",
            good.replace("1700000000000", "18446744073709551615"),
        ),
        ("empty access token", good.replace("at=00D%21x", "at=")),
        ("repeated field", [good, "&at=y"].concat()),
        (
            "a value the profile does not keep",
            [good, "&x.tenant=acme"].concat(),
        ),
        (
            "a value out of its field's bounds",
            [good, "&x.token_format=", &"j".repeat(33)].concat(),
        ),
        ("an id with a space", [good, "&x.user_id=005+x"].concat()),
        ("garbage", "%%%".to_owned()),
    ];
    for (name, text) in cases {
        // A refusal is a `BadMessage` (nothing of the message in it): the channel drops it and
        // counts it as `invalid_tab_message`.
        assert_eq!(
            decode_tab_tokens(&config(), &text).err(),
            Some(BadMessage),
            "{name}"
        );
    }
    // Trusted by trustedInstanceHosts, like a token response.
    assert!(
        decode_tab_tokens(
            &config(),
            &good.replace("acme.my.salesforce.com", "api.acme.example")
        )
        .is_ok()
    );
    for v in [1e300, f64::MAX, -0.5, f64::NAN] {
        assert_eq!(tab_version(v).err(), Some(BadMessage), "{v}");
    }
}

/// The returnTo table (tests/browser/return_to.json, which the browser suite checks against each
/// engine's own URL resolution): every form comes back, from the login callback and from the
/// way back from end-session, as the listed path — one `new URL(path, location.href)` resolves
/// on the app's origin — or is refused with `invalid_config`; a stored record whose path would
/// leave the origin reads as corrupt.
#[test]
fn hostile_return_to_forms() {
    use salesforce_pkce::internals::authorize::is_local_path;
    use salesforce_pkce::internals::end_session::{
        LogoutOptions, PendingLogout, end_session_request,
    };
    let table: Vec<Vec<serde_json::Value>> =
        serde_json::from_str(include_str!("browser/return_to.json")).unwrap();
    let origin = "https://app.example.com";
    let cfg = ClientConfig::salesforce(&ClientOptions {
        post_logout_redirect_uri: Some("https://app.example.com/signed-out".into()),
        ..options()
    })
    .unwrap();
    for row in &table[1..] {
        let form = row[0].as_str().unwrap().replace("{origin}", origin);
        let expected = row[1].as_str();
        let login = authorization_request(
            &cfg,
            &LoginOptions {
                return_to: Some(form.clone()),
                ..Default::default()
            },
            &LoginRandomness::from_bytes(&[7; 96]),
            NOW,
            Some(origin),
        )
        .map(|r| r.pending);
        let logout = end_session_request(
            &cfg,
            &LogoutOptions {
                end_session: Some(true),
                return_to: Some(form.clone()),
                ..Default::default()
            },
            None,
            &[5; 32],
            NOW,
            Some(origin),
        )
        .map(|r| r.pending.unwrap());
        match expected {
            Some(path) => {
                let login = login.unwrap_or_else(|e| panic!("{form:?}: {e}"));
                let logout = logout.unwrap_or_else(|e| panic!("{form:?}: {e}"));
                assert_eq!(login.return_to, path, "{form:?}");
                assert_eq!(logout.return_to, path, "{form:?}");
                let again = PendingLogin::from_storage(&login.to_storage()).unwrap();
                assert_eq!(again.return_to, path, "{form:?}");
                let again = PendingLogout::from_storage(&logout.to_storage()).unwrap();
                assert_eq!(again.return_to, path, "{form:?}");
            }
            None => {
                for e in [login.unwrap_err(), logout.unwrap_err()] {
                    assert_eq!(e.code(), "invalid_config", "{form:?}");
                    assert!(e.to_string().contains("open redirect"), "{form:?}: {e}");
                }
                // A record that holds it anyway (written by an older version, or by hand).
                if !form.is_empty() {
                    let mut stored = pending(3);
                    stored.return_to = form.clone();
                    assert!(!is_local_path(&form), "{form:?}");
                    assert_eq!(
                        PendingLogin::from_storage(&stored.to_storage())
                            .map(|_| ())
                            .unwrap_err()
                            .code(),
                        "invalid_callback",
                        "{form:?}"
                    );
                    let logout = PendingLogout {
                        state: "s".repeat(43),
                        return_to: form.clone(),
                        app_state: None,
                        created_at_ms: NOW,
                    };
                    assert_eq!(
                        PendingLogout::from_storage(&logout.to_storage()),
                        None,
                        "{form:?}"
                    );
                }
            }
        }
    }
}

/// Where a token response may point the token (`instance_url`, `api_instance_url`): under the
/// Salesforce profile the host families Salesforce serves instances and sites from, the login
/// host and `trustedInstanceHosts`, and nothing else under salesforce.com; under the generic
/// profile only what its configuration names.
#[test]
fn instance_url_trust_follows_the_profile() {
    let body = |field: &str, url: &str| {
        format!(
            r#"{{"access_token":"00Dxx!SECRET-AT","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","{field}":"{url}","issued_at":"1700000000000"}}"#
        )
    };
    let run = |cfg: &ClientConfig, body: &str| testing::exchange(cfg, 200, body).map(|_| ());
    let sf = config();
    for field in ["instance_url", "api_instance_url"] {
        for ok in [
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme-dev-ed.develop.my.salesforce.com",
            "https://globex.my.salesforce.com",
            "https://acme.my.site.com",
            "https://acme.secure.force.com",
            "https://api.salesforce.com",
            "https://api.acme.example",
        ] {
            assert_eq!(run(&sf, &body(field, ok)), Ok(()), "{field} {ok}");
        }
        for bad in [
            "https://na1.salesforce.com",
            "https://trailhead.salesforce.com",
            "https://help.salesforce.com",
            "https://login.salesforce.com",
            "https://evilsalesforce.com",
            "https://x.salesforce.com.evil.io",
            "https://x.my.site.com.evil.io",
            "https://evilforce.com",
        ] {
            let e = run(&sf, &body(field, bad)).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{field} {bad}");
            assert!(!e.to_string().contains("SECRET"), "{e}");
        }
    }
    let generic = |trusted: Option<Vec<String>>| {
        ClientConfig::generic(&ClientOptions {
            trusted_instance_hosts: trusted,
            ..testing::generic_options()
        })
        .unwrap()
    };
    let plain = r#"{"access_token":"SECRET-AT","token_type":"Bearer","instance_url":"URL"}"#;
    for url in [
        "https://acme.my.salesforce.com",
        "https://acme.my.site.com",
        "https://acme.force.com",
        "https://na1.salesforce.com",
    ] {
        let e = run(&generic(None), &plain.replace("URL", url)).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "generic: {url}");
    }
    let named = generic(Some(vec!["*.my.salesforce.com".into()]));
    assert_eq!(
        run(
            &named,
            &plain.replace("URL", "https://acme.my.salesforce.com")
        ),
        Ok(())
    );
    assert!(run(&named, &plain.replace("URL", "https://acme.my.site.com")).is_err());
}
