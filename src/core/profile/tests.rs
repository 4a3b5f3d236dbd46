//! The properties every provider profile must have, run over each registered one; what sets
//! the Salesforce profile apart from the generic one; and the test-only Example ID profile,
//! which shows that a provider is one file and one line.

use super::*;
use crate::core::config::ClientConfig;
use crate::core::doctor;
use crate::core::finding::Severity;
use crate::core::group::{decode_options, encode_options};
use crate::core::http::SerdeJson;
use crate::core::options::ClientOptions;
use crate::core::time::Millis;
use crate::core::token::{Grant, TokenSet, process_token_response};
use crate::core::wire::{BadMessage, SessionView, decode_tab_tokens, encode_tokens};

const NOW: Millis = Millis(1_700_000_000_000.0);

/// The profile's example options, with one more trusted host for its `bearer` fields.
fn options(p: &dyn Profile) -> ClientOptions {
    let mut o = p.example_options();
    o.trusted_instance_hosts
        .get_or_insert_with(Vec::new)
        .push("api.example.org".into());
    o
}

fn config(p: &'static dyn Profile) -> ClientConfig {
    ClientConfig::new(p, &options(p)).unwrap()
}

/// A token response carrying `fields` (JSON members, each with its leading comma).
fn answer(fields: &str) -> String {
    format!(
        r#"{{"access_token":"AT-1","refresh_token":"RT-1","token_type":"Bearer","scope":"openid"{fields}}}"#
    )
}

/// Every field the profile reads from a token response, with a value its rule accepts (a
/// trusted URL for a `bearer` field), but `other` (the field `other.0` with the value
/// `other.1`, or without it when that is `None`).
fn extras_json(p: &dyn Profile, other: (&str, Option<&str>)) -> String {
    p.token_fields()
        .iter()
        .filter(|f| f.from_response)
        .filter_map(|f| {
            let fine = if f.bearer {
                "https://api.example.org/"
            } else {
                "v-1"
            };
            let v = if f.name == other.0 { other.1? } else { fine };
            Some(format!(r#","{}":"{v}""#, f.name))
        })
        .collect()
}

fn login(c: &ClientConfig, body: &str) -> Result<TokenSet, crate::core::error::AuthError> {
    process_token_response(
        c,
        Grant::AuthorizationCode {
            nonce: None,
            held: None,
        },
        200,
        body,
        NOW,
        &SerdeJson,
    )
    .map(|o| o.tokens)
}

#[test]
fn every_profile_has_a_unique_name_it_is_found_by() {
    let mut names: Vec<&str> = PROFILES.iter().map(|p| p.name()).collect();
    for p in PROFILES {
        let name = p.name();
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{name}"
        );
        assert_eq!(named(name).unwrap(), *p);
        let (_, back) = decode_options(&encode_options(p.example_options(), *p)).unwrap();
        assert_eq!(back, *p, "the session worker's form names the profile");
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), PROFILES.len(), "names are unique");
    assert!(named("nobody").is_none());
}

#[test]
fn every_profile_builds_a_client_from_its_example_and_its_doctor_names_real_options() {
    let js: Vec<&str> = ClientOptions::js_fields().collect();
    for p in PROFILES {
        let findings = doctor::findings(*p, &options(*p), Some("https://app.example.com"));
        assert!(
            findings.iter().all(|f| f.severity != Severity::Error),
            "{}: {findings:?}",
            p.name()
        );
        let c = config(*p);
        assert_eq!(c.profile(), *p);
        let e = &c.endpoints;
        for url in [
            Some(&e.authorization),
            Some(&e.token),
            e.revocation.as_ref(),
        ]
        .into_iter()
        .chain([e.userinfo.as_ref(), e.end_session.as_ref(), e.jwks.as_ref()])
        .flatten()
        {
            let u = crate::core::url::HttpUrl::parse(url, "endpoint").unwrap();
            assert!(u.origin().is_secure_or_loopback(), "{}: {url}", p.name());
        }
        // Without options a client is refused, and every finding names a real option.
        let empty = doctor::findings(*p, &ClientOptions::default(), None);
        assert!(empty.iter().any(|f| f.severity == Severity::Error));
        for f in empty.iter().chain(&findings) {
            assert!(
                js.contains(&f.field),
                "{}: {} names {}",
                p.name(),
                f.code,
                f.field
            );
            assert!(
                f.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                f.code
            );
        }
        assert!(ClientConfig::new(*p, &ClientOptions::default()).is_err());
    }
}

#[test]
fn every_profile_keeps_the_shared_protocol_rules() {
    let standard = [
        "access_token",
        "refresh_token",
        "id_token",
        "token_type",
        "expires_in",
        "scope",
        "issued_at",
        "error",
        "error_description",
    ];
    for p in PROFILES {
        let name = p.name();
        // RFC 6750 §3.1: a 401 is a dead token; no other status is without the body's word.
        assert!(p.dead_token(401, None), "{name}");
        for s in [200, 204, 400, 404, 500] {
            assert!(!p.dead_token(s, None), "{name}: {s}");
        }
        assert!(!p.dead_token(403, None));
        assert!(!p.dead_token(403, Some(r#"[{"errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)));
        for extra in p.callback_extras() {
            assert!(
                !["code", "state", "error", "error_description", "iss"].contains(extra),
                "{name}: {extra}"
            );
        }
        for e in p.no_session_errors() {
            assert!(crate::core::text::valid_error_code(e), "{name}: {e}");
        }
        let fields = p.token_fields();
        for (i, f) in fields.iter().enumerate() {
            assert!(
                !standard.contains(&f.name),
                "{name}: {} is RFC 6749's",
                f.name
            );
            assert!(
                fields[..i].iter().all(|g| g.name != f.name),
                "{name}: {}",
                f.name
            );
            assert!(f.from_response || !f.bearer, "{name}: {} is read", f.name);
            assert!(f.from_response || !f.required, "{name}: {} is read", f.name);
            assert!(f.max > 0, "{name}: {}", f.name);
        }
        for h in p.instance_hosts() {
            let plain = h.strip_prefix("*.").unwrap_or(h);
            assert!(
                plain.contains('.')
                    && plain.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'.'
                        || b == b'-'),
                "{name}: {h}"
            );
        }
        for i in p.extra_issuers() {
            let u = crate::core::url::HttpUrl::parse(i, "issuer").unwrap();
            assert!(u.origin().is_https(), "{name}: {i}");
        }
        if let Some(hint) = p.token_network_hint() {
            assert!(hint.starts_with(". "), "{name}: appended to a sentence");
        }
    }
}

/// A token response's extras are kept, go to other tabs and come back the same, survive a
/// refresh that leaves them out, and pass the same rules from a tab as from the token
/// endpoint: the trust rule for a URL that may receive the token, the required ones present.
#[test]
fn every_profile_s_token_extras_round_trip_and_keep_their_rules() {
    for p in PROFILES {
        let name = p.name();
        let c = config(*p);
        let t = login(&c, &answer(&extras_json(*p, ("", None)))).unwrap();
        for f in p.token_fields().iter().filter(|f| f.from_response) {
            let want = if f.bearer {
                "https://api.example.org"
            } else {
                "v-1"
            };
            assert_eq!(t.extras.get(f.name), Some(want), "{name}: {}", f.name);
        }
        for f in p.token_fields().iter().filter(|f| f.bearer) {
            let origin = crate::core::url::Origin::parse("https://api.example.org", "x").unwrap();
            assert!(t.may_receive_bearer(&c, &origin), "{name}: {}", f.name);
        }
        let evil = crate::core::url::Origin::parse("https://evil.example", "x").unwrap();
        assert!(!t.may_receive_bearer(&c, &evil));

        let text = encode_tokens(&t);
        let back = decode_tab_tokens(&c, &text).unwrap();
        assert_eq!(back.extras, t.extras, "{name}");
        assert_eq!(SessionView::of(&back), SessionView::of(&t), "{name}");
        assert_eq!(
            SessionView::decode(&SessionView::of(&t).encode()).unwrap(),
            SessionView::of(&t)
        );

        let refreshed = process_token_response(
            &c,
            Grant::Refresh { previous: &t },
            200,
            &answer(""),
            NOW,
            &SerdeJson,
        )
        .unwrap();
        assert_eq!(refreshed.tokens.extras, t.extras, "{name}: kept on refresh");

        let unknown = [&text, "&x.nobody=1"].concat();
        assert_eq!(
            decode_tab_tokens(&c, &unknown).err(),
            Some(BadMessage),
            "{name}"
        );

        for f in p.token_fields().iter().filter(|f| f.bearer) {
            let body = answer(&extras_json(*p, (f.name, Some("https://evil.example"))));
            let e = login(&c, &body).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{name}: {}", f.name);
            let forged = text.replace(
                &format!("x.{}=https%3A%2F%2Fapi.example.org", f.name),
                &format!("x.{}=https%3A%2F%2Fevil.example", f.name),
            );
            assert_ne!(forged, text);
            let e = decode_tab_tokens(&c, &forged).err();
            assert_eq!(e, Some(BadMessage), "{name}: {}", f.name);
        }
        for f in p.token_fields().iter().filter(|f| f.required) {
            let e = login(&c, &answer(&extras_json(*p, (f.name, None)))).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{name}: {}", f.name);
            assert!(e.message().contains(f.name), "{e}");
            let mut less = t.clone();
            less.extras.retain(|k, _| k != f.name);
            let e = decode_tab_tokens(&c, &encode_tokens(&less)).err();
            assert_eq!(e, Some(BadMessage), "{name}: {}", f.name);
        }
    }
}

/// Whatever a token response carries, every value a profile keeps (read or derived) is one of
/// its fields and within that field's bounds: a profile's `derive_extras` sets each value
/// through `TokenExtras::derive`, which checks it (else other tabs would refuse the set).
#[test]
fn every_profile_keeps_only_its_fields_within_their_bounds() {
    let long = "5".repeat(300);
    let id_long = ["https://login.salesforce.com/id/00D", &long, "/005", &long].concat();
    let hostile = [
        "v 1",
        long.as_str(),
        id_long.as_str(),
        "https://login.salesforce.com/id/00D x/005 y",
        "https://login.salesforce.com/id/00D/005",
    ];
    for p in PROFILES {
        let c = config(*p);
        let iss = c.endpoints.issuer.as_deref().unwrap_or_default();
        let mut bodies = Vec::new();
        for f in p
            .token_fields()
            .iter()
            .filter(|f| f.from_response && !f.bearer)
        {
            for v in hostile {
                bodies.push(answer(&extras_json(*p, (f.name, Some(v)))));
            }
        }
        // Claims a profile may derive values from (Salesforce: user_id, organization_id, sub).
        for v in hostile {
            let claims = [r#","user_id":""#, v, r#"","organization_id":""#, v, "\""].concat();
            let sub_claims = crate::core::testing::id_token_claims(iss, &c.client_id, v, "");
            for claims in [
                crate::core::testing::id_token_claims(iss, &c.client_id, "opaque", &claims),
                sub_claims,
            ] {
                let token = crate::core::testing::jwt(&claims);
                let fields = [
                    &extras_json(*p, ("", None)),
                    r#","id_token":""#,
                    &token,
                    "\"",
                ];
                bodies.push(answer(&fields.concat()));
            }
        }
        let mut kept = 0;
        for body in &bodies {
            let Ok(t) = login(&c, body) else { continue };
            kept += 1;
            for (k, v) in t.extras.iter() {
                let field = p.token_fields().iter().find(|f| f.name == k);
                let field = field.unwrap_or_else(|| panic!("{}: {k} is no field", p.name()));
                assert!(field.bearer || field.fits(v), "{}: {k}={v:?}", p.name());
            }
        }
        assert!(kept > 0, "{}: some answers are accepted", p.name());
    }
}

#[test]
fn every_salesforce_only_rule_is_absent_from_the_generic_profile() {
    let (sf, generic) = (&SALESFORCE, &GENERIC);
    assert_eq!(sf.silent_login(), SilentLogin::Immediate);
    assert_eq!(generic.silent_login(), SilentLogin::PromptNone);
    assert_eq!(sf.no_session_errors(), ["immediate_unsuccessful"]);
    assert!(generic.no_session_errors().is_empty());
    assert!(sf.callback_extras().contains(&"sfdc_community_url"));
    assert!(
        generic.callback_extras().is_empty(),
        "no sfdc_* parameters stripped"
    );
    // Through `dead_answer`: each rule is judged on the part of the body the browser reads.
    assert!(dead_answer(sf, 403, Some("Bad_OAuth_Token")));
    assert!(
        !dead_answer(generic, 403, Some("Bad_OAuth_Token")),
        "a 403 is never a dead token"
    );
    let required = |p: &dyn Profile| {
        p.token_fields()
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(required(sf), [INSTANCE_URL]);
    assert!(required(generic).is_empty());
    let kept = |p: &dyn Profile| p.token_fields().iter().map(|f| f.name).collect::<Vec<_>>();
    for salesforce_only in ["id", "token_format", USER_ID, ORG_ID] {
        assert!(kept(sf).contains(&salesforce_only));
        assert!(!kept(generic).contains(&salesforce_only));
    }
    assert!(sf.extra_issuers().contains(&"https://login.salesforce.com"));
    assert!(generic.extra_issuers().is_empty());
    assert!(sf.token_network_hint().unwrap().contains("CORS"));
    assert_eq!(generic.token_network_hint(), None);
    let uninstalled = Some("app must be installed into org");
    assert!(sf.error_hint("invalid_client", uninstalled).is_some());
    assert_eq!(generic.error_hint("invalid_client", uninstalled), None);
    assert!(generic.end_session_id_token_hint() && !sf.end_session_id_token_hint());
    assert!(sf.refresh_revocation_ends_access() && !generic.refresh_revocation_ends_access());
    let none = ClientOptions::default();
    let es256 = ClientOptions {
        dpop_signing_alg_values_supported: Some(vec!["RS256".into(), "ES256".into()]),
        ..Default::default()
    };
    let rs256 = ClientOptions {
        dpop_signing_alg_values_supported: Some(vec!["RS256".into()]),
        ..Default::default()
    };
    assert!(sf.dpop_supported(&none), "Salesforce is not asked");
    assert!(!generic.dpop_supported(&none) && !generic.dpop_supported(&rs256));
    assert!(generic.dpop_supported(&es256));
    assert!(sf.instance_hosts().contains(&"*.my.salesforce.com"));
    assert!(
        generic.instance_hosts().is_empty(),
        "the generic profile trusts only what its config names"
    );
}

/// The test-only Example ID profile (`example.rs`, registered by its one line in `profiles!`)
/// works end to end: its own token extras (read, derived, required, in the session view, to
/// other tabs and back) and its own doctor finding.
#[test]
fn a_new_profile_is_one_file_and_one_registration_line() {
    let example = named("example").expect("registered");
    let c = ClientConfig::new(example, &example.example_options()).unwrap();
    assert_eq!(
        c.endpoints.token, "https://id.example.net/oauth/token",
        "its endpoints"
    );
    let claims = crate::core::base64url::encode(
        r#"{"iss":"https://id.example.net","aud":"example-spa","exp":1700000300,"iat":1700000000,"oid":"u-42"}"#,
    );
    let body = answer(&format!(
        r#","tenant":"eu-acme","id_token":"eyJhbGciOiJSUzI1NiJ9.{claims}.c2ln""#
    ));
    let t = login(&c, &body).unwrap();
    assert_eq!(t.extras.get("tenant"), Some("eu-acme"));
    assert_eq!(t.extras.get("region"), Some("eu"), "derived");
    let view = SessionView::of(&t);
    assert_eq!(view.user_id.as_deref(), Some("u-42"), "the view's userId");
    assert_eq!((view.instance_url, view.org_id), (None, None));
    let back = decode_tab_tokens(&c, &encode_tokens(&t)).unwrap();
    assert_eq!(back.extras, t.extras);
    let e = login(&c, &answer("")).unwrap_err();
    assert_eq!(e.message(), "invalid token response: tenant is missing");
    // Salesforce's fields mean nothing to it.
    let t = login(
        &c,
        &answer(r#","tenant":"eu-acme","instance_url":"https://evil.example","id":"x""#),
    )
    .unwrap();
    assert_eq!(t.extras.get("instance_url"), None);
    assert!(t.instance_url().is_none());
    // Its doctor finding, after the shared ones.
    let no_tenant = ClientOptions {
        scopes: Some(vec!["openid".into()]),
        ..example.example_options()
    };
    let f = doctor::findings(example, &no_tenant, None);
    assert!(
        f.iter()
            .any(|f| f.code == "example_scope_missing_tenant" && f.field == "scopes")
    );
    assert!(
        doctor::salesforce(&no_tenant, None)
            .iter()
            .all(|f| f.code != "example_scope_missing_tenant")
    );
}

/// `profile`'s dead-token rule over the first [`DEAD_BODY_CHARS`] characters of `body`, all the
/// browser reads of a 403's body: a rule tested through this sees what the browser sees (one
/// that needs a word further into the body fails its test instead of never matching in a
/// browser).
fn dead_answer(profile: &dyn Profile, status: u16, body: Option<&str>) -> bool {
    let start = body.map(|b| b.chars().take(DEAD_BODY_CHARS).collect::<String>());
    profile.dead_token(status, start.as_deref())
}

/// The executor's slice of a 403's body is `DEAD_BODY_CHARS` long, and `dead_answer` gives the
/// rule no more.
#[test]
fn the_dead_token_rule_sees_the_part_of_the_body_the_browser_reads() {
    let executor = include_str!("../../../js/executor.js");
    assert!(
        executor.contains(&format!("t.slice(0, {DEAD_BODY_CHARS})")),
        "js/executor.js reads a 403's body to DEAD_BODY_CHARS"
    );
    let padded = |n: usize| [" ".repeat(n), "Bad_OAuth_Token".into()].concat();
    let fits = padded(DEAD_BODY_CHARS - "Bad_OAuth_Token".len());
    assert!(dead_answer(&SALESFORCE, 403, Some(&fits)));
    let past = padded(DEAD_BODY_CHARS - "Bad_OAuth_Token".len() + 1);
    assert!(!dead_answer(&SALESFORCE, 403, Some(&past)));
}
