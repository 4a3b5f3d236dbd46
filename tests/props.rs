//! Property tests over the core's parsers and builders: no input panics, and every rejection
//! carries a stable code. `PROPTEST_CASES` sets the count (`make fuzz` runs 1,000,000 each).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use salesforce_pkce::internals::authorize::{
    LoginOptions, PendingLogin, authorization_request, same_origin_path,
};
use salesforce_pkce::internals::callback::{PendingLookup, parse_callback, validate_callback};
use salesforce_pkce::internals::config::{ClientConfig, ClientOptions};
use salesforce_pkce::internals::discovery::process_discovery;
use salesforce_pkce::internals::http::SerdeJson;
use salesforce_pkce::internals::id_token::check_id_token;
use salesforce_pkce::internals::pkce::CodeVerifier;
use salesforce_pkce::internals::profile::salesforce::check_instance_url;
use salesforce_pkce::internals::revocation::process_revocation_response;
use salesforce_pkce::internals::testing;
use salesforce_pkce::internals::time::Millis;
use salesforce_pkce::internals::token::{Grant, process_token_response};
use salesforce_pkce::internals::url::{HttpUrl, Origin};
use salesforce_pkce::internals::wire::{decode_tab_tokens, encode_tokens};
use salesforce_pkce::{AuthError, LoginRandomness};
use std::cell::Cell;

fn config() -> ClientConfig {
    testing::salesforce("3MVG9prop")
}

fn stable(e: &AuthError) -> bool {
    AuthError::ALL_CODES.contains(&e.code())
}

/// Strings that look like URLs, queries and JSON more often than pure noise does.
fn urlish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(https?|ftp|javascript)://[a-zA-Z0-9.\\-\\[\\]:@%]{0,30}(/[a-zA-Z0-9%._~\\-/]{0,20})?(\\?[a-z=&%]{0,20})?(#.{0,5})?",
        "[a-z_]{1,8}=[a-zA-Z0-9%+=._~\\-]{0,20}(&[a-z_]{1,8}=[a-zA-Z0-9%+=._~\\-]{0,20}){0,6}",
    ]
}

fn jsonish() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-1".to_owned()),
        Just("1e400".to_owned()),
        Just("3600".to_owned()),
        Just("\"18446744073709551615\"".to_owned()),
        "\"[a-zA-Z0-9 :/.!=_\\-]{0,30}\"".prop_map(|s| s),
        Just("[\"a\",1]".to_owned()),
        Just("{}".to_owned()),
        Just("\"Bearer\"".to_owned()),
        Just("\"https://acme.my.salesforce.com\"".to_owned()),
        Just("\"https://evil.example\"".to_owned()),
    ];
    let key = prop_oneof![
        Just("access_token"),
        Just("token_type"),
        Just("refresh_token"),
        Just("instance_url"),
        Just("id"),
        Just("issued_at"),
        Just("expires_in"),
        Just("scope"),
        Just("id_token"),
        Just("error"),
        Just("error_description"),
        Just("issuer"),
        Just("token_format"),
        Just("api_instance_url"),
        Just("x"),
    ];
    prop_oneof![
        proptest::collection::vec((key, value), 0..8).prop_map(|kv| {
            let body: Vec<String> = kv
                .into_iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            format!("{{{}}}", body.join(","))
        }),
        any::<String>(),
    ]
}

/// Runs a property for `PROPTEST_CASES` cases (default 256) and prints how many ran, so that
/// `make fuzz` reports real counts.
fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let count = Cell::new(0u64);
    let result = runner.run(&strategy, |v| {
        count.set(count.get() + 1);
        test(v)
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    println!("fuzz-cases {name} {} 0", count.get());
}

#[test]
fn callback_parser_total() {
    check("callback_parser_total", urlish(), |query| {
        match parse_callback(&query) {
            Ok(_) => {}
            Err(e) => prop_assert_eq!(e.code(), "invalid_callback"),
        }

        Ok(())
    });
}

#[test]
fn callback_validation_total() {
    check(
        "callback_validation_total",
        (urlish(), any::<f64>()),
        |(query, now)| {
            if let Ok(Some(params)) = parse_callback(&query) {
                let pending =
                    testing::pending_with(&config(), &LoginOptions::default(), 7, Millis(0.0));
                for lookup in [
                    PendingLookup::Found(pending),
                    PendingLookup::NoneMatching,
                    PendingLookup::NoneAtAll,
                ] {
                    let params = parse_callback(&query).unwrap().unwrap();
                    if let Err(e) = validate_callback(&config(), params, lookup, Millis(now)) {
                        prop_assert!(stable(&e));
                    }
                }
                drop(params);
            }

            Ok(())
        },
    );
}

#[test]
fn token_response_total() {
    check(
        "token_response_total",
        (
            prop_oneof![
                Just(200u16),
                Just(400u16),
                Just(401u16),
                Just(500u16),
                any::<u16>()
            ],
            jsonish(),
            0.0f64..4e12,
        ),
        |(status, body, now)| {
            match process_token_response(
                &config(),
                Grant::AuthorizationCode {
                    nonce: None,
                    held: None,
                },
                status,
                &body,
                Millis(now),
                &SerdeJson,
            ) {
                Ok(o) => {
                    prop_assert!((200..300).contains(&status));
                    prop_assert!(!o.tokens.access_token.secret().is_empty());
                    for field in ["instance_url", "api_instance_url"] {
                        if let Some(u) = o.tokens.extras.get(field) {
                            prop_assert!(u.starts_with("https://"));
                        }
                    }
                    // What the session holds, the tab form carries.
                    let tab = decode_tab_tokens(&config(), &encode_tokens(&o.tokens));
                    prop_assert!(tab.is_ok(), "{:?}", tab.err());
                }
                Err(e) => prop_assert!(
                    ["token_endpoint_error", "invalid_token_response"].contains(&e.code()),
                    "{}",
                    e.code()
                ),
            }

            Ok(())
        },
    );
}

#[test]
fn revocation_and_discovery_total() {
    check(
        "revocation_and_discovery_total",
        (any::<u16>(), jsonish()),
        |(status, body)| {
            if let Err(e) = process_revocation_response(status, &body, &SerdeJson) {
                prop_assert_eq!(e.code(), "revocation_failed");
            }
            if let Err(e) = process_discovery(
                "https://idp.example.com",
                status,
                &body,
                &SerdeJson,
                ClientOptions::default(),
            ) {
                prop_assert!(["invalid_config", "issuer_mismatch"].contains(&e.code()));
            }

            Ok(())
        },
    );
}

#[test]
fn id_token_total() {
    check(
        "id_token_total",
        (
            prop_oneof![
                any::<String>(),
                "[a-zA-Z0-9_\\-]{0,10}\\.[a-zA-Z0-9_\\-]{0,60}\\.[a-zA-Z0-9_\\-]{0,10}"
            ],
            any::<f64>(),
        ),
        |(jwt, now)| {
            let check = testing::id_token_check(Millis(now));
            if let Err(e) = check_id_token(&jwt, &check, &SerdeJson) {
                prop_assert_eq!(e.code(), "invalid_token_response");
            }

            Ok(())
        },
    );
}

#[test]
fn config_validation_total() {
    check(
        "config_validation_total",
        (
            proptest::option::of(any::<String>()),
            proptest::option::of(urlish()),
            proptest::option::of(urlish()),
            proptest::option::of(proptest::collection::vec(any::<String>(), 0..4)),
            proptest::option::of(any::<f64>()),
            proptest::option::of(proptest::collection::vec(urlish(), 0..3)),
        ),
        |(client_id, redirect, host, scopes, timeout, origins)| {
            let o = ClientOptions {
                client_id,
                redirect_uri: redirect,
                login_host: host,
                scopes,
                timeout_ms: timeout,
                allowed_origins: origins,
                ..Default::default()
            };
            if let Err(e) = ClientConfig::salesforce(&o) {
                prop_assert_eq!(e.code(), "invalid_config");
            }
            if let Err(e) = ClientConfig::generic(&o) {
                prop_assert_eq!(e.code(), "invalid_config");
            }

            Ok(())
        },
    );
}

#[test]
fn url_and_origin_total() {
    check("url_and_origin_total", urlish(), |s| {
        if let Ok(u) = HttpUrl::parse(&s, "f") {
            prop_assert!(u.path().starts_with('/'));
            let o = u.origin().serialize();
            prop_assert!(o.starts_with("http://") || o.starts_with("https://"));
            prop_assert_eq!(Origin::parse(&o, "f").unwrap(), u.origin().clone());
        }
        if let Ok(u) = check_instance_url(
            &s,
            HttpUrl::parse("https://acme.my.salesforce.com", "h")
                .ok()
                .as_ref(),
            &[],
        ) {
            prop_assert!(u.origin().is_https() || u.origin().is_loopback());
        }
        let app = Origin::parse("https://app.example.com", "f").unwrap();
        if let Ok(p) = same_origin_path(&s, &app) {
            prop_assert!(
                p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'),
                "{}",
                p
            );
        }

        Ok(())
    });
}

#[test]
fn authorize_url_round_trips() {
    check(
        "authorize_url_round_trips",
        (
            "/[a-zA-Z0-9/?=&#%._~-]{0,30}",
            any::<String>(),
            any::<[u8; 32]>(),
        ),
        |(return_to, hint, seed)| {
            let mut bytes = [0u8; 96];
            bytes[..32].copy_from_slice(&seed);
            bytes[32..64].copy_from_slice(&seed.map(|b| b ^ 0x5a));
            bytes[64..].copy_from_slice(&seed.map(|b| b ^ 0xa5));
            let opts = LoginOptions {
                return_to: Some(return_to.clone()),
                login_hint: Some(hint.clone()),
                ..Default::default()
            };
            let req = match authorization_request(
                &config(),
                &opts,
                &LoginRandomness::from_bytes(&bytes),
                Millis(1.0),
                None,
            ) {
                Ok(req) => req,
                // A path whose dot segments leave `//` in front (`//evil`, `/.//evil`) is another
                // origin once the browser resolves it: refused as an open redirect, and only
                // such a path (every one has `//` in it).
                Err(e) => {
                    prop_assert_eq!(e.code(), "invalid_config");
                    prop_assert!(e.to_string().contains("returnTo"), "{}", e);
                    prop_assert!(return_to.contains("//"), "{}: {}", return_to, e);
                    return Ok(());
                }
            };
            let url = HttpUrl::parse(&req.url, "url").unwrap();
            let pairs: Vec<(String, String)> =
                form_urlencoded::parse(url.query().unwrap().as_bytes())
                    .into_owned()
                    .collect();
            for key in [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "code_challenge",
                "code_challenge_method",
                "nonce",
            ] {
                prop_assert_eq!(pairs.iter().filter(|(k, _)| k == key).count(), 1, "{}", key);
            }
            if !hint.is_empty() {
                prop_assert!(pairs.contains(&("login_hint".to_owned(), hint.clone())));
            }
            let back = PendingLogin::from_storage(&req.pending.to_storage()).unwrap();
            prop_assert_eq!(back.return_to, return_to);
            prop_assert_eq!(
                back.verifier.s256_challenge(),
                req.pending.verifier.s256_challenge()
            );

            Ok(())
        },
    );
}

#[test]
fn pending_record_parser_total() {
    check("pending_record_parser_total", any::<String>(), |s| {
        if let Err(e) = PendingLogin::from_storage(&s) {
            prop_assert_eq!(e.code(), "invalid_callback");
        }

        Ok(())
    });
}

/// Item 11: every verifier the library makes is 43 characters of `A-Z a-z 0-9 - _` — never
/// `~` or `.`, which RFC 7636 allows but Salesforce answers with "invalid code verifier".
#[test]
fn pkce_verifiers_are_43_base64url_characters() {
    let base64url = |v: &str| {
        v.len() == 43
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    check(
        "pkce_verifiers_are_43_base64url_characters",
        (any::<[u8; 32]>(), any::<[u8; 32]>()),
        |(bytes, seed)| {
            let v = CodeVerifier::from_random_bytes(&bytes);
            prop_assert!(base64url(v.secret()), "{}", v.secret());
            let mut login = [0u8; 96];
            login[..32].copy_from_slice(&seed);
            login[32..64].copy_from_slice(&bytes);
            login[64..].copy_from_slice(&seed.map(|b| !b));
            let pending = authorization_request(
                &config(),
                &LoginOptions::default(),
                &LoginRandomness::from_bytes(&login),
                Millis(0.0),
                None,
            )
            .unwrap()
            .pending;
            prop_assert!(
                base64url(pending.verifier.secret()),
                "{}",
                pending.verifier.secret()
            );
            prop_assert!(CodeVerifier::parse(pending.verifier.secret()).is_ok());

            Ok(())
        },
    );
}

/// `core::base64url` agrees with the base64 crate's strict `URL_SAFE_NO_PAD` engine: the same
/// text for any bytes, and for any text the same bytes or the same refusal.
#[test]
fn base64url_agrees_with_the_base64_crate() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use salesforce_pkce::internals::base64url;
    check(
        "base64url_agrees_with_the_base64_crate",
        (
            proptest::collection::vec(any::<u8>(), 0..200),
            prop_oneof![
                "[A-Za-z0-9_-]{0,64}",
                "[A-Za-z0-9_=+/-]{0,16}",
                any::<String>()
            ],
        ),
        |(bytes, text)| {
            let coded = base64url::encode(&bytes);
            prop_assert_eq!(&coded, &URL_SAFE_NO_PAD.encode(&bytes));
            prop_assert_eq!(base64url::decode(&coded), Some(bytes));
            prop_assert_eq!(base64url::decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
            Ok(())
        },
    );
}

/// `core::form` writes what form_urlencoded's serializer writes, and reads what its parser reads
/// whenever the decoded bytes are UTF-8 (where they are not, it refuses the form and the lossy
/// parser would have produced U+FFFD).
#[test]
fn form_agrees_with_form_urlencoded() {
    use salesforce_pkce::internals::form::{Form, parse};
    check(
        "form_agrees_with_form_urlencoded",
        (
            proptest::collection::vec((any::<String>(), any::<String>()), 0..5),
            prop_oneof!["[a-z=&%+0-9A-F]{0,40}", "[a-z=&%+C3A9FE]{0,24}", urlish()],
        ),
        |(pairs, text)| {
            let mut ours = Form::new();
            let mut theirs = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                ours.append_pair(k, v);
                theirs.append_pair(k, v);
            }
            let written = ours.finish();
            prop_assert_eq!(&written, &theirs.finish());
            prop_assert_eq!(parse(&written), Some(pairs));
            let reference: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            match parse(&text) {
                Some(read) => prop_assert_eq!(read, reference),
                None => prop_assert!(
                    reference
                        .iter()
                        .any(|(k, v)| k.contains('\u{FFFD}') || v.contains('\u{FFFD}')),
                    "refused {:?}",
                    text
                ),
            }
            Ok(())
        },
    );
}
