//! Tests of the tab and worker message forms.

use super::*;
use crate::core::callback::ValidatedCallback;
use crate::core::config::ClientOptions;
use crate::core::group::{decode_callback, decode_options, encode_callback, encode_options};
use crate::core::pkce::CodeVerifier;
use crate::core::profile::{GENERIC, SALESFORCE};
use crate::core::secret::AuthorizationCode;
use crate::core::state::Nonce;
use crate::core::testing::{self, message};

pub(super) fn tokens() -> TokenSet {
    TokenSet {
        access_token: AccessToken::new("00D!AQ&x=y+z"),
        refresh_token: Some(RefreshToken::new("5Aep861")),
        id_token: None,
        identity: Some(Box::new(IdTokenIdentity {
            iss: "https://acme.my.salesforce.com".into(),
            sub: Some("https://login.salesforce.com/id/00D/005".into()),
            aud: vec!["3MVG9x".into(), "https://api.partner.example".into()],
            azp: None,
            auth_time: Some(1_764_000_000.0),
        })),
        extras: {
            let mut e = TokenExtras::default();
            for (k, v) in [
                ("instance_url", "https://acme.my.salesforce.com"),
                ("api_instance_url", "https://api.salesforce.com"),
                ("token_format", "jwt"),
                ("id", "https://login.salesforce.com/id/00D/005"),
                ("user_id", "005"),
                ("org_id", "00D"),
            ] {
                e.set(k, v.into());
            }
            e
        },
        scopes: vec!["api".into(), "refresh_token".into()],
        issued_at_ms: Millis(1_764_000_000_123.0),
        expires_at_ms: None,
        dpop: false,
    }
}

#[test]
fn token_set_round_trips_with_awkward_characters() {
    let t = tokens();
    let back = decode_tokens(&encode_tokens(&t)).unwrap();
    assert_eq!(back.access_token, t.access_token);
    assert_eq!(back.refresh_token, t.refresh_token);
    assert_eq!(back.extras, t.extras, "the profile's extras, in order");
    assert_eq!(back.extras.get("token_format"), Some("jwt"));
    assert_eq!(back.scopes, t.scopes);
    assert_eq!(
        back.identity, t.identity,
        "the first id_token's identity travels"
    );
    assert_eq!(back.issued_at_ms, t.issued_at_ms);
    assert_eq!(back.expires_at_ms, None);
}

#[test]
fn bad_messages_are_refused() {
    for text in [
        "".into(),
        "garbage".into(),
        "v=2&at=x&ia=1".into(),
        message("ia=1"),
        message("at=&ia=1"),
        message("at=x"),
        message("at=x&ia=-5"),
        message("at=x&at=y&ia=1"),
    ] {
        assert_eq!(decode_tokens(&text).err(), Some(BadMessage), "{text}");
    }
}

/// The Salesforce client of [`tokens`] (`3MVG9x`, one of its audiences).
pub(super) fn config() -> ClientConfig {
    testing::salesforce("3MVG9x")
}

#[test]
fn received_token_sets_pass_the_token_response_rules() {
    let good = encode_tokens(&tokens());
    assert!(decode_tab_tokens(&config(), &good).is_ok());
    let evil = good.replace(
        "x.instance_url=https%3A%2F%2Facme.my.salesforce.com",
        "x.instance_url=https%3A%2F%2Fevil.example",
    );
    assert_ne!(evil, good);
    assert!(decode_tokens(&evil).is_ok(), "structurally fine");
    // Refused, and the only difference from `good` is the instance URL's host (a refusal is a
    // `BadMessage`: the channel drops and counts it as `invalid_tab_message`).
    assert_eq!(decode_tab_tokens(&config(), &evil).err(), Some(BadMessage));
    assert_eq!(AuthError::from(BadMessage).code(), "invalid_tab_message");
    let plain_http = good.replace("x.instance_url=https%3A", "x.instance_url=http%3A");
    assert_eq!(
        decode_tab_tokens(&config(), &plain_http).err(),
        Some(BadMessage)
    );
    let no_instance = good.replace("x.instance_url=https%3A%2F%2Facme.my.salesforce.com&", "");
    assert_ne!(no_instance, good);
    assert_eq!(
        decode_tab_tokens(&config(), &no_instance).err(),
        Some(BadMessage)
    );
    for garbage in [
        "".into(),
        "v=2&at=x&ia=1".into(),
        message("at=x&ia=1e300"),
        message("at=x&rt=&ia=1&x.instance_url=https%3A%2F%2Facme.my.salesforce.com"),
    ] {
        assert_eq!(
            decode_tab_tokens(&config(), &garbage).err(),
            Some(BadMessage),
            "{garbage}"
        );
    }
    let evil_api = good.replace(
        "x.api_instance_url=https%3A%2F%2Fapi.salesforce.com",
        "x.api_instance_url=https%3A%2F%2Fevil.example",
    );
    assert_ne!(evil_api, good);
    assert_eq!(
        decode_tab_tokens(&config(), &evil_api).err(),
        Some(BadMessage)
    );
    let view = SessionView::of(&tokens()).encode();
    assert!(SessionView::decode_trusted(&config(), &view).is_ok());
    let evil_view = view.replace("acme.my.salesforce.com", "evil.example");
    assert_eq!(
        SessionView::decode_trusted(&config(), &evil_view)
            .unwrap_err()
            .code(),
        "invalid_tab_message"
    );
    // What a tab reads a worker's view with: the same rule, no reason kept.
    assert_eq!(
        SessionView::trusted(&config(), &Fields::parse(&view).unwrap()),
        SessionView::decode_trusted(&config(), &view).ok()
    );
    let evil_api = view.replace("api.salesforce.com", "evil.example");
    assert_ne!(evil_api, view);
    for bad in [&evil_view, &evil_api, &message("at=x")] {
        assert!(
            SessionView::decode_trusted(&config(), bad).is_err(),
            "{bad}"
        );
        let fields = Fields::parse(bad).unwrap();
        assert_eq!(SessionView::trusted(&config(), &fields), None, "{bad}");
    }
}

#[test]
fn versions_and_times_stay_within_2_pow_53() {
    assert_eq!(tab_version(0.0), Ok(0));
    assert_eq!(tab_version(1_764_000_000_123.0), Ok(1_764_000_000_123));
    assert_eq!(tab_version(9_007_199_254_740_991.0), Ok(MAX_SAFE_INTEGER));
    for bad in [
        1e300,
        9_007_199_254_740_992.0,
        f64::NAN,
        f64::INFINITY,
        -1.0,
        1.5,
    ] {
        assert_eq!(tab_version(bad), Err(BadMessage), "{bad}");
    }
    let max = message("at=x&ia=18446744073709551615");
    assert_eq!(
        decode_tokens(&max).err(),
        Some(BadMessage),
        "u64::MAX is refused"
    );
    assert!(decode_tokens(&message("at=x&ia=9007199254740991")).is_ok());
    assert_eq!(
        decode_tokens(&message("at=x&ia=9007199254740992")).err(),
        Some(BadMessage)
    );
}

#[test]
fn session_view_has_no_token_and_refuses_one() {
    let view = SessionView::of(&tokens());
    let text = view.encode();
    assert!(!text.contains("00D%21AQ") && !text.contains("5Aep"));
    assert_eq!(SessionView::decode(&text).unwrap(), view);
    assert!(SessionView::decode(&encode_tokens(&tokens())).is_err());
}

#[test]
fn options_round_trip_without_sharing_restore_or_secret() {
    let o = ClientOptions {
        scopes: Some(vec!["api".into(), "refresh_token".into()]),
        allowed_origins: Some(vec![]),
        trusted_audiences: Some(vec!["https://api.partner.example".into()]),
        timeout_ms: Some(2500.0),
        authorization_response_iss_parameter_supported: Some(true),
        session_sharing: Some("tabs".into()),
        restore: Some("auto".into()),
        client_secret: Some("s3cret".into()),
        ..testing::salesforce_options("3MVG9x")
    };
    let text = encode_options(o.clone(), &SALESFORCE);
    assert!(!text.contains("s3cret") && !text.contains("tabs") && !text.contains("auto"));
    let (back, profile) = decode_options(&text).unwrap();
    assert_eq!(profile.name(), "salesforce");
    assert_eq!(back.client_id, o.client_id);
    assert_eq!(back.login_host, o.login_host);
    assert_eq!(back.scopes, o.scopes);
    assert_eq!(back.allowed_origins, Some(vec![]));
    assert_eq!(
        back.trusted_audiences, o.trusted_audiences,
        "the worker checks aud alike"
    );
    assert_eq!(back.timeout_ms, Some(2500.0));
    assert_eq!(
        back.authorization_response_iss_parameter_supported,
        Some(true)
    );
    assert_eq!(
        (back.session_sharing, back.restore, back.client_secret),
        (None, None, None)
    );
    assert_eq!(back.issuer, None);
    assert!(decode_options(&message("profile=other")).is_err());
    assert!(decode_options(&message("")).is_err(), "no profile");
    let (_, generic) = decode_options(&encode_options(o.clone(), &GENERIC)).unwrap();
    assert_eq!(generic.name(), "generic");
}

#[test]
fn callback_round_trips() {
    let c = ValidatedCallback {
        code: AuthorizationCode::new("aPrx.x=="),
        verifier: CodeVerifier::parse(&"a".repeat(43)).unwrap(),
        nonce: Some(Nonce::new("n1")),
        return_to: "/accounts?x=1#y".into(),
        popup: true,
    };
    let back = decode_callback(&encode_callback(&c)).unwrap();
    assert!(
        back.popup,
        "the worker's code exchange repeats the popup's redirect URI"
    );
    assert_eq!(back.code.secret(), "aPrx.x==");
    assert_eq!(back.verifier.secret(), c.verifier.secret());
    assert_eq!(back.nonce().map(Nonce::as_str), Some("n1"));
    assert_eq!(back.return_to(), "/accounts?x=1#y");
    assert!(decode_callback(&message("code=x")).is_err());
    // The verifier keeps RFC 7636 §4.1's form: 43 to 128 unreserved characters.
    let form = |verifier: &str| message(&["code=x&return_to=%2F&verifier=", verifier].cat());
    assert!(decode_callback(&form(&"a".repeat(43))).is_ok());
    assert!(decode_callback(&form(&"a-._~9Z".repeat(18))).is_ok());
    for bad in ["a".repeat(42), "a".repeat(129), "a".repeat(42) + "%2B"] {
        assert_eq!(
            decode_callback(&form(&bad)).err(),
            Some(BadMessage),
            "{bad}"
        );
    }
}

#[test]
fn the_worker_form_carries_every_option_but_those_it_must_not() {
    // Every option of ClientOptions::OPTIONS, each set alone to a value of its type: the
    // worker builds its client from this form, so an option it drops is an option the tabs
    // would silently lose. Only these are left out on purpose (`maxInFlight`: the page's
    // `auth.fetch` gate).
    let dropped_on_purpose = ["clientSecret", "sessionSharing", "restore", "maxInFlight"];
    let samples = [
        serde_json::json!("https://sample.example/x"),
        serde_json::json!(["https://sample.example"]),
        serde_json::json!(1234),
        serde_json::json!(true),
    ];
    let mut dropped = vec![];
    for field in ClientOptions::js_fields() {
        let one: ClientOptions = samples
            .iter()
            .find_map(|v| serde_json::from_value(serde_json::json!({ field: v })).ok())
            .unwrap_or_else(|| panic!("no sample value fits {field}"));
        let (back, _) = decode_options(&encode_options(one.clone(), &SALESFORCE)).unwrap();
        // Every other field is None on both sides: equal Debug forms mean the field came back.
        if format!("{back:?}") != format!("{one:?}") {
            dropped.push(field);
        }
    }
    assert_eq!(
        dropped, dropped_on_purpose,
        "options the worker form does not carry"
    );
}

#[test]
fn a_name_given_twice_is_refused_whatever_its_values() {
    for text in [
        message("a=&a="),
        message("a&a"),
        message("a=x&a=x"),
        message("a=x&b=&a=y"),
        message(&message("")),
        message("t=hello&t=none"),
    ] {
        assert!(Fields::parse(&text).is_err(), "{text}");
    }
    let f = Fields::parse(&message("a=&b=&c=x")).expect("each name once");
    assert_eq!(
        (f.get("a"), f.get("b"), f.get("c")),
        (Some(""), Some(""), Some("x"))
    );
}

#[test]
fn the_fuzz_dictionaries_speak_this_protocol() {
    // `make fuzz` inserts these tokens: a stale version makes every text they build one that
    // `Fields::parse` refuses at once (as the p9 bump left them until the review found it).
    let v = ["\"v=", VERSION, "\""].concat();
    for (name, dict) in [
        (
            "tab_messages",
            include_str!("../../fuzz/dicts/tab_messages.dict"),
        ),
        (
            "worker_messages",
            include_str!("../../fuzz/dicts/worker_messages.dict"),
        ),
    ] {
        assert!(dict.lines().any(|l| l == v), "{name}.dict lacks {v}");
        assert!(
            !dict.lines().any(|l| l.starts_with("\"v=") && l != v),
            "{name}.dict names another version"
        );
    }
}
