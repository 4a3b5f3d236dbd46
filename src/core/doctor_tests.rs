//! Tests of the config doctor: every seed pitfall is a finding.

use super::*;
use crate::core::testing;

fn base() -> ClientOptions {
    testing::salesforce_options("3MVG9demo")
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn has(findings: &[Finding], code: &str, severity: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.code == code && f.severity == severity)
}

#[test]
fn good_salesforce_config_has_no_errors_or_warnings() {
    let f = salesforce(&base(), Some("https://app.example.com"));
    assert!(
        f.iter().all(|x| x.severity == Severity::Info),
        "{:?}",
        codes(&f)
    );
    assert!(has(&f, "callback_url_exact", Severity::Info));
    assert!(
        f.iter()
            .any(|x| x.message.contains("https://app.example.com/callback"))
    );
}

#[test]
fn every_seed_pitfall_is_a_finding() {
    let o = ClientOptions {
        client_secret: Some("x".into()),
        scopes: Some(vec!["full".into()]),
        login_host: Some("https://login.salesforce.com".into()),
        redirect_uri: Some("http://app.example.com/callback".into()),
        ..base()
    };
    let f = salesforce(&o, Some("https://other.example.com"));
    for (code, sev) in [
        ("client_secret_in_browser", Severity::Error),
        ("scope_full", Severity::Warning),
        ("scope_missing_refresh_token", Severity::Warning),
        ("scope_missing_api", Severity::Warning),
        ("login_host_no_cors", Severity::Error),
        ("redirect_uri_not_https", Severity::Error),
        ("redirect_uri_origin_differs", Severity::Warning),
    ] {
        assert!(has(&f, code, sev), "{code} missing in {:?}", codes(&f));
    }
}

#[test]
fn test_salesforce_com_is_refused_too_and_explains_my_domain() {
    let o = ClientOptions {
        login_host: Some("https://test.salesforce.com".into()),
        ..base()
    };
    let f = salesforce(&o, None);
    let nc = f.iter().find(|x| x.code == "login_host_no_cors").unwrap();
    assert!(
        nc.message.contains("CORS")
            && nc.message.contains("My Domain")
            && nc.message.contains("Setup > My Domain")
    );
    assert_eq!(nc.field, "loginHost");
}

#[test]
fn custom_domain_warns_and_loopback_informs() {
    let o = ClientOptions {
        login_host: Some("https://login.acme.com".into()),
        ..base()
    };
    assert!(has(
        &salesforce(&o, None),
        "login_host_not_my_domain",
        Severity::Warning
    ));
    let o = ClientOptions {
        login_host: Some("http://127.0.0.1:8787".into()),
        ..base()
    };
    assert!(has(
        &salesforce(&o, None),
        "login_host_loopback",
        Severity::Info
    ));
    let o = ClientOptions {
        login_host: Some("http://acme.my.salesforce.com".into()),
        ..base()
    };
    assert!(has(
        &salesforce(&o, None),
        "login_host_not_https",
        Severity::Error
    ));
}

#[test]
fn field_errors() {
    let o = ClientOptions {
        client_id: Some(" id ".into()),
        redirect_uri: Some("https://app.example.com/cb#frag".into()),
        timeout_ms: Some(-1.0),
        max_in_flight: Some(0.5),
        session_timeout_seconds: Some(5.0),
        pending_storage: Some("cookies".into()),
        session_sharing: Some("yes".into()),
        restore: Some("always".into()),
        worker_url: Some("javascript:alert(1)".into()),
        allowed_origins: Some(vec!["http://api.example.com".into(), "nope".into()]),
        trusted_instance_hosts: Some(vec!["https://x.com".into()]),
        scopes: Some(vec!["api refresh_token".into()]),
        ..base()
    };
    let f = salesforce(&o, None);
    for code in [
        "client_id_invalid",
        "redirect_uri_has_fragment",
        "timeout_invalid",
        "max_in_flight_invalid",
        "session_timeout_invalid",
        "pending_storage_invalid",
        "session_sharing_invalid",
        "restore_invalid",
        "worker_url_invalid",
        "allowed_origin_not_https",
        "allowed_origin_invalid",
        "trusted_instance_host_invalid",
        "scope_invalid",
    ] {
        assert!(
            has(&f, code, Severity::Error),
            "{code} missing in {:?}",
            codes(&f)
        );
    }
}

#[test]
fn generic_provider_findings() {
    let o = ClientOptions {
        client_id: Some("spa".into()),
        redirect_uri: Some("http://localhost:3000/cb".into()),
        ..Default::default()
    };
    let f = generic(&o, None);
    assert!(has(&f, "endpoint_missing", Severity::Error));
    assert!(has(&f, "no_revocation_endpoint", Severity::Warning));
    let o = ClientOptions {
        authorization_endpoint: Some("http://idp.example.com/auth".into()),
        token_endpoint: Some("https://idp.example.com/token".into()),
        login_host: Some("https://x.my.salesforce.com".into()),
        ..o
    };
    let f = generic(&o, None);
    assert!(has(&f, "endpoint_not_https", Severity::Error));
    assert!(has(&f, "login_host_generic", Severity::Error));
}

#[test]
fn findings_name_the_external_client_app_and_connected_apps_once() {
    let o = ClientOptions {
        client_secret: Some("x".into()),
        client_id: None,
        ..base()
    };
    let f = salesforce(&o, None);
    let mentions: Vec<&str> = f
        .iter()
        .filter(|x| x.message.contains("Connected App"))
        .map(|x| x.code)
        .collect();
    assert_eq!(
        mentions,
        ["connected_app_settings"],
        "only where it says they keep working"
    );
    let settings = f
        .iter()
        .find(|x| x.code == "connected_app_settings")
        .unwrap();
    assert!(settings.message.contains("External Client App"));
    assert!(settings.message.contains("keeps working"));
    for code in [
        "client_secret_in_browser",
        "client_id_missing",
        "callback_url_exact",
    ] {
        let x = f.iter().find(|x| x.code == code).expect(code);
        assert!(
            x.message.contains("External Client App"),
            "{code}: {}",
            x.message
        );
    }
}

#[test]
fn generic_config_without_issuer_warns_that_iss_checks_are_off() {
    let o = ClientOptions {
        issuer: None,
        ..testing::generic_options()
    };
    let f = generic(&o, None);
    let finding = f
        .iter()
        .find(|f| f.code == "issuer_missing")
        .expect("issuer_missing");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.field, "issuer");
    assert!(finding.message.contains("RFC 9207"), "{}", finding.message);
    assert!(finding.message.contains("id_token"), "{}", finding.message);
    let o = ClientOptions {
        issuer: Some(testing::ISSUER.into()),
        ..o
    };
    assert!(!codes(&generic(&o, None)).contains(&"issuer_missing"));
    assert!(!codes(&salesforce(&base(), None)).contains(&"issuer_missing"));
}

#[test]
fn missing_everything() {
    let f = salesforce(&ClientOptions::default(), None);
    for code in [
        "client_id_missing",
        "redirect_uri_missing",
        "login_host_missing",
    ] {
        assert!(has(&f, code, Severity::Error), "{code}");
    }
}

#[test]
fn dpop_without_the_providers_es256_support_is_a_warning() {
    use crate::core::dpop::DpopMode;
    let o = |dpop, algs: Option<&[&str]>| ClientOptions {
        dpop: Some(dpop),
        dpop_signing_alg_values_supported: algs
            .map(|a| a.iter().map(|s| (*s).to_owned()).collect()),
        ..testing::generic_options()
    };
    let warned =
        |o: &ClientOptions| has(&generic(o, None), "dpop_not_supported", Severity::Warning);
    assert!(
        warned(&o(DpopMode::IfSupported, None)),
        "no metadata: Bearer, said so"
    );
    assert!(warned(&o(DpopMode::IfSupported, Some(&["EdDSA"]))));
    assert!(!warned(&o(DpopMode::IfSupported, Some(&["ES256"]))));
    assert!(
        warned(&o(DpopMode::Required, Some(&["PS256"]))),
        "the provider cannot check ES256"
    );
    assert!(
        !warned(&o(DpopMode::Required, None)),
        "unknown: the token response will tell"
    );
    assert!(!warned(&o(DpopMode::Off, None)));
}

/// The explanations live in `js/prose.js` (the npm package's production build ships without
/// them): every finding code of the doctor and the shipped profiles has one, and the table has
/// no other key, so neither side can drift. `Findings::add` also refuses, in tests, a code
/// without one.
#[test]
fn every_finding_code_has_its_explanation_in_js_prose_and_the_table_no_other() {
    let sources = [
        include_str!("doctor.rs"),
        include_str!("profile/salesforce.rs"),
        include_str!("profile/generic.rs"),
    ]
    .concat();
    let flat = sources.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.replace("concat!( ", "concat!(");
    let mut codes = std::collections::BTreeSet::new();
    for severity in ["Error", "Warning", "Info"] {
        // `add(severity, "code", …)`, `say(severity, "code field message")`, or `say` with the
        // message's explanation kept out of the npm build:
        // `say(severity, concat!("code field ", explained!("short", "more")))`.
        for call in [", \"", ", concat!(\""] {
            for rest in flat.split(&["Severity::", severity, call].concat()).skip(1) {
                codes.insert(rest.split(['"', ' ']).next().unwrap().to_owned());
            }
        }
    }
    for call in flat.split(".refused(").skip(1) {
        codes.extend(call.split('"').nth(1).map(str::to_owned));
    }
    for call in flat.split(".secure_url(").skip(1) {
        let args = call.split(')').next().unwrap();
        let literals: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
        codes.extend(literals[literals.len() - 2..].iter().map(|s| s.to_string()));
    }
    for call in flat.split("origin_differs(").skip(1) {
        let args = call.split(')').next().unwrap();
        codes.extend(
            args.split('"')
                .skip(1)
                .step_by(2)
                .take(1)
                .map(str::to_owned),
        );
    }
    assert!(codes.len() > 40, "{codes:?}");
    let table: std::collections::BTreeSet<String> = include_str!("../../js/prose.js")
        .lines()
        .filter_map(|l| l.trim_start().split_once(": `"))
        .map(|(code, _)| code.to_owned())
        .collect();
    assert_eq!(codes, table);
    for code in &codes {
        let text = crate::core::finding::prose(code).expect(code);
        assert!(
            !text.is_empty() && !text.contains('`') && !text.contains("${"),
            "{code}"
        );
    }
}

/// Outside the npm build a message is the one-line message, then the code's explanation.
#[test]
fn a_message_is_the_short_line_then_the_explanation() {
    let o = ClientOptions {
        scopes: Some(vec!["full".into()]),
        ..base()
    };
    let f = salesforce(&o, None);
    let full = f.iter().find(|x| x.code == "scope_full").unwrap();
    assert_eq!(
        full.message,
        [
            "the full scope grants administrative access. ",
            crate::core::finding::prose("scope_full").unwrap()
        ]
        .concat()
    );
}

/// The `clientId` and scope checks as they were written before (`next`, `next_back` and `any`
/// over `chars()`): `client_id_blank` (one pass) and `scope_token` decide the same on every
/// text below.
fn client_id_blank_by_chars(id: &str) -> bool {
    id.chars().next().is_some_and(char::is_whitespace)
        || id.chars().next_back().is_some_and(char::is_whitespace)
        || id.chars().any(char::is_control)
}

fn scope_token_by_chars(s: &str) -> bool {
    !(s.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\'))
}

fn same_client_id_and_scope(s: &str) {
    assert_eq!(
        client_id_blank(s),
        client_id_blank_by_chars(s),
        "clientId {s:?}"
    );
    assert_eq!(scope_token(s), scope_token_by_chars(s), "scope {s:?}");
}

#[test]
fn client_id_and_scope_checks_decide_as_before() {
    // Every White_Space or control character, and a few others, at the start, inside and at
    // the end of a text, alone and doubled.
    let odd: Vec<char> = (0..=0x10_ffffu32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace() || c.is_control())
        .chain([
            'a',
            '"',
            '\\',
            '\u{e9}',
            '\u{2029}',
            '\u{200b}',
            '\u{feff}',
            '\u{1f600}',
        ])
        .collect();
    same_client_id_and_scope("");
    for &c in &odd {
        for s in [
            c.to_string(),
            [c, c].iter().collect(),
            ['a', c].iter().collect(),
            [c, 'a'].iter().collect(),
            ['a', c, 'b'].iter().collect(),
            ['\u{e9}', c, '\u{1f600}'].iter().collect(),
        ] {
            same_client_id_and_scope(&s);
        }
    }
    for s in [
        "3MVG9demo",
        " 3MVG9",
        "3MVG9 ",
        "3MV G9",
        "api refresh_token",
        "openid",
    ] {
        same_client_id_and_scope(s);
    }
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #[test]
    fn random_client_ids_and_scopes_decide_as_before(
        s in "[a \t\u{85}\u{a0}\u{2028}\u{3000}\u{1680}\u{9f}\u{7f}\"\\\\\u{e9}]{0,8}|\\PC{0,12}|.{0,12}"
    ) {
        same_client_id_and_scope(&s);
    }
}
