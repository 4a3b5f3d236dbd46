//! Tests of callback parsing and validation: one per rejection path, asserting its code.

use super::*;
use crate::core::authorize::LoginOptions;
use crate::core::testing::{self, generic as generic_config};

fn config() -> ClientConfig {
    testing::salesforce("3MVG9demo")
}

/// A login to `config` at `now` (its randomness all nines).
fn pending_of(config: &ClientConfig, options: &LoginOptions, now: Millis) -> PendingLogin {
    testing::pending_with(config, options, 9, now)
}

fn pending(now: Millis) -> PendingLogin {
    let to_accounts = LoginOptions {
        return_to: Some("/accounts".into()),
        ..Default::default()
    };
    pending_of(&config(), &to_accounts, now)
}

fn cb(query: &str) -> CallbackParams {
    parse_callback(query).unwrap().unwrap()
}

#[test]
fn decodes_salesforce_code() {
    let p = cb(
        "code=aPrxAbc.d_e%3D%3D&state=one&sfdc_community_url=https%3A%2F%2Fx.my.site.com&sfdc_community_id=0DB",
    );
    assert_eq!(p.code, Some(CodeParam("aPrxAbc.d_e==".into())));
    assert_eq!(p.state.as_deref(), Some("one"));
}

#[test]
fn not_a_callback() {
    assert_eq!(parse_callback("").unwrap(), None);
    assert_eq!(parse_callback("page=2&x=y").unwrap(), None);
}

#[test]
fn malformed_callbacks_are_invalid_callback() {
    let huge = format!("code={}&state=s", "a".repeat(MAX_CALLBACK_QUERY));
    for q in [
        "code=a&code=b&state=s",
        "code=a&state=s&state=t",
        "error=x&error=y&state=s",
        "code=a&error=access_denied&state=s",
        "state=s",
        "code=&state=s",
        "code=%zz&state=s",
        "code=%E0%80&state=s",
        "code=a%&state=s",
        huge.as_str(),
    ] {
        assert_eq!(
            parse_callback(q).unwrap_err().code(),
            "invalid_callback",
            "{q}"
        );
    }
}

/// The order of the query reader's refusals, pair by pair (name, then value, then the
/// repeat), and what it leaves unread: a name is decoded before it is known, an unknown name's
/// value is never decoded, a repeat is named as decoded. Written on the code before the
/// callback's query and the stored records shared one reader (core23), passing on both.
#[test]
fn query_refusals_come_in_pair_order() {
    let reason = |q: &str| match parse_callback(q) {
        Err(AuthError::InvalidCallback { reason }) => reason,
        other => panic!("{q}: {other:?}"),
    };
    let percent = brief!(
        "bad percent-encoding",
        "the callback has invalid percent-encoding"
    );
    let utf8 = "the callback is not valid UTF-8";
    for (q, want) in [
        ("co%zde=a&state=s", percent),
        ("x%zz=1&code=a&state=s", percent),
        ("x%FF=1&code=a&state=s", utf8),
        ("code=a&code=%zz&state=s", percent),
        ("code=a&code=%FF&state=s", utf8),
        ("code=%FF&code=%zz&state=s", utf8),
        (
            "co%64e=a&code=b&state=s",
            "parameter code appears more than once",
        ),
        (
            "code=a&state=s&state=t&code=b",
            "parameter state appears more than once",
        ),
        (
            "error=a&state=s&%65rror=b",
            "parameter error appears more than once",
        ),
        ("code=a&state=s&state=%", percent),
        ("code=a&state=s&state=%4", percent),
        ("code=a&state=s&state=%4g", percent),
        ("code=%FF%zz&state=s", percent),
        ("code=%zz%FF&state=s", percent),
        ("co%FF%zzde=a&state=s", percent),
    ] {
        assert_eq!(reason(q), want, "{q}");
    }
    // Unknown names: their values are not read, and they may repeat.
    let p = cb("x=%zz&y=%FF&code=a&x=1&x=2&state=s&z");
    assert_eq!(p.code, Some(CodeParam("a".into())));
    assert_eq!(p.state.as_deref(), Some("s"));
    // A `%` followed by two hex digits of either case decodes.
    assert_eq!(
        cb("code=%2a%2A%2f&state=s").code,
        Some(CodeParam("**/".into()))
    );
}

#[test]
fn valid_callback_gives_the_code_exchange_input() {
    let now = Millis(1_000_000.0);
    let p = pending(now);
    let state = p.state.as_str().to_owned();
    let v = validate_callback(
        &config(),
        cb(&format!("code=aPrx%3D%3D&state={state}")),
        PendingLookup::Found(p),
        now + Millis(1.0),
    )
    .unwrap();
    assert_eq!(v.code.secret(), "aPrx==");
    assert_eq!(v.return_to(), "/accounts");
    assert!(v.nonce().is_some());
}

#[test]
fn state_and_pending_errors() {
    let now = Millis(1_000_000.0);
    let q = "code=abc&state=wrong";
    assert_eq!(
        validate_callback(&config(), cb(q), PendingLookup::NoneAtAll, now)
            .unwrap_err()
            .code(),
        "no_pending_login"
    );
    assert_eq!(
        validate_callback(&config(), cb(q), PendingLookup::NoneMatching, now)
            .unwrap_err()
            .code(),
        "state_mismatch"
    );
    assert_eq!(
        validate_callback(&config(), cb(q), PendingLookup::Found(pending(now)), now)
            .unwrap_err()
            .code(),
        "state_mismatch"
    );
    let p = pending(now);
    let q = format!("code=abc&state={}", p.state.as_str());
    assert_eq!(
        validate_callback(
            &config(),
            cb(&q),
            PendingLookup::Found(p),
            now + PENDING_TTL_MS + Millis(1.0)
        )
        .unwrap_err()
        .code(),
        "login_expired"
    );
}

#[test]
fn error_callback_is_authorization_denied_with_provider_error() {
    let now = Millis(5.0);
    let p = pending(now);
    let q = format!(
        "error=access_denied&error_description=end-user+denied+authorization&state={}",
        p.state.as_str()
    );
    let e = validate_callback(&config(), cb(&q), PendingLookup::Found(p), now).unwrap_err();
    assert_eq!(e.code(), "authorization_denied");
    assert_eq!(e.server_error(), Some("access_denied"));
    assert_eq!(e.error_description(), Some("end-user denied authorization"));
    assert_eq!(
        e.to_string(),
        "the authorization server refused the login: access_denied; the provider said: \"end-user denied authorization\""
    );
}

#[test]
fn no_provider_session_is_login_required_not_a_denial() {
    let now = Millis(5.0);
    let generic = generic_config();
    let outcome = |config: &ClientConfig, error: &str| {
        let p = pending_of(config, &LoginOptions::default(), now);
        let q = format!(
            "error={error}&error_description=no+session&state={}",
            p.state.as_str()
        );
        validate_callback(config, cb(&q), PendingLookup::Found(p), now).unwrap_err()
    };
    for config in [&config(), &generic] {
        for error in NO_SESSION_ERRORS {
            let e = outcome(config, error);
            assert_eq!(e.code(), "login_required", "{error}");
            assert_eq!(e.server_error(), Some(error));
            assert_eq!(e.error_description(), Some("no session"));
            assert!(e.to_string().contains("the user must sign in"), "{e}");
        }
        for error in ["access_denied", "invalid_request", "server_error"] {
            assert_eq!(
                outcome(config, error).code(),
                "authorization_denied",
                "{error}"
            );
        }
    }
    // Salesforce's own answer to immediate=true is the Salesforce profile's only.
    let e = outcome(&config(), "immediate_unsuccessful");
    assert_eq!(e.code(), "login_required");
    assert_eq!(e.server_error(), Some("immediate_unsuccessful"));
    assert_eq!(
        outcome(&generic, "immediate_unsuccessful").code(),
        "authorization_denied"
    );
}

#[test]
fn error_callback_without_matching_state_reports_no_provider_text() {
    let now = Millis(5.0);
    let crafted = "error=access_denied&error_description=Call+%2B1-555-0100+to+restore+access";
    for (query, lookup, code) in [
        (
            crafted.to_owned(),
            PendingLookup::NoneAtAll,
            "no_pending_login",
        ),
        (
            crafted.to_owned(),
            PendingLookup::NoneMatching,
            "state_mismatch",
        ),
        (
            format!("{crafted}&state=forged"),
            PendingLookup::Found(pending(now)),
            "state_mismatch",
        ),
        (
            crafted.to_owned(),
            PendingLookup::Found(pending(now)),
            "state_mismatch",
        ),
    ] {
        let e = validate_callback(&config(), cb(&query), lookup, now).unwrap_err();
        assert_eq!(e.code(), code, "{query}");
        assert_eq!(e.server_error(), None);
        assert_eq!(e.error_description(), None);
        assert!(!e.to_string().contains("555"), "{e}");
    }
}

#[test]
fn provider_error_text_follows_rfc6749_charset() {
    for q in [
        "error=access%22denied&state=s",
        "error=caf%C3%A9&state=s",
        "error=a%5Cb&state=s",
        "error=line%0Abreak&state=s",
        "error=&state=s",
    ] {
        assert_eq!(
            parse_callback(q).unwrap_err().code(),
            "invalid_callback",
            "{q}"
        );
    }
    let now = Millis(5.0);
    let denied = |description: &str| {
        let p = pending(now);
        let q = format!(
            "error=access_denied&error_description={description}&state={}",
            p.state.as_str()
        );
        validate_callback(&config(), cb(&q), PendingLookup::Found(p), now).unwrap_err()
    };
    for outside in [
        "%3Cb%3E%22hi%22%3C%2Fb%3E",
        "caf%C3%A9",
        "a%0Ab",
        "back%5Cslash",
    ] {
        let e = denied(outside);
        assert_eq!(e.code(), "authorization_denied");
        assert_eq!(e.error_description(), None, "{outside}");
        assert_eq!(
            e.to_string(),
            "the authorization server refused the login: access_denied"
        );
    }
    let e = denied(&"d".repeat(2000));
    assert_eq!(e.error_description().map(str::len), Some(500));
}

#[test]
fn uninstalled_app_says_how_to_fix_it_on_salesforce_only() {
    let now = Millis(5.0);
    let query = |p: &PendingLogin| {
        format!(
            "error=invalid_client&error_description=app+must+be+installed+into+org&state={}",
            p.state.as_str()
        )
    };
    let p = pending(now);
    let e = validate_callback(&config(), cb(&query(&p)), PendingLookup::Found(p), now).unwrap_err();
    assert_eq!(e.code(), "authorization_denied");
    crate::core::profile::salesforce::assert_install_hint(&e.to_string());
    let generic = generic_config();
    let p = pending_of(&generic, &LoginOptions::default(), now);
    let e = validate_callback(&generic, cb(&query(&p)), PendingLookup::Found(p), now).unwrap_err();
    assert!(!e.to_string().contains("Approve Uninstalled"), "{e}");
}

#[test]
fn issuer_checks_rfc9207() {
    let now = Millis(5.0);
    let p = pending(now);
    let q = format!(
        "code=c&state={}&iss=https%3A%2F%2Fevil.example",
        p.state.as_str()
    );
    assert_eq!(
        validate_callback(&config(), cb(&q), PendingLookup::Found(p), now)
            .unwrap_err()
            .code(),
        "issuer_mismatch"
    );
    let p = pending(now);
    let q = format!(
        "code=c&state={}&iss=https%3A%2F%2Facme.my.salesforce.com",
        p.state.as_str()
    );
    assert!(validate_callback(&config(), cb(&q), PendingLookup::Found(p), now).is_ok());
    let mut strict = config();
    strict.require_iss = true;
    let p = pending(now);
    let q = format!("code=c&state={}", p.state.as_str());
    assert_eq!(
        validate_callback(&strict, cb(&q), PendingLookup::Found(p), now)
            .unwrap_err()
            .code(),
        "issuer_mismatch"
    );
}

#[test]
fn callback_url_detection() {
    let c = config();
    assert!(is_callback_url(
        &c,
        "https://app.example.com/callback?code=x&state=y"
    ));
    assert!(!is_callback_url(
        &c,
        "https://app.example.com/callback/?code=x"
    ));
    assert!(!is_callback_url(&c, "https://evil.example/callback?code=x"));
    assert!(!is_callback_url(&c, "garbage"));
}
