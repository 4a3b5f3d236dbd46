//! The token bounds (`core::bounds`) on sets received from another tab or the session worker,
//! and the promise they keep: whatever a token response gives the session, the tab form
//! carries.

use super::tests::{config, tokens};
use super::*;
use crate::core::http::SerdeJson;
use crate::core::token::{Grant, process_token_response};

fn with_access(at: &str) -> String {
    let mut t = tokens();
    t.access_token = AccessToken::new(at);
    encode_tokens(&t)
}

#[test]
fn received_tokens_are_visible_ascii_within_the_cap() {
    let ok = |text: &str| decode_tab_tokens(&config(), text).map(|_| ());
    assert_eq!(
        ok(&with_access("00Dxx0000000123!AR8AQP0jITN80ESEsj5E")),
        Ok(())
    );
    assert_eq!(
        ok(&with_access(&"eyJ".repeat(1000))),
        Ok(()),
        "3,000 characters"
    );
    assert_eq!(ok(&with_access(&"a".repeat(8000))), Ok(()), "at the cap");
    let mut long_refresh = tokens();
    long_refresh.refresh_token = Some(RefreshToken::new("r".repeat(8001)));
    let mut spaced_id = tokens();
    spaced_id.id_token = Some(IdToken::new("a.b c"));
    let mut empty_refresh = tokens();
    empty_refresh.refresh_token = Some(RefreshToken::new(""));
    // Each differs from the accepted `tokens()` in one token only (a refusal is a `BadMessage`,
    // which carries nothing of the message: the channel drops and counts it).
    for (text, why) in [
        (with_access(&"a".repeat(8001)), "8000"),
        (with_access("at\r\nX-Evil: 1"), "visible ASCII"),
        (with_access("at\0"), "visible ASCII"),
        (encode_tokens(&long_refresh), "8000"),
        (encode_tokens(&spaced_id), "visible ASCII"),
        (encode_tokens(&empty_refresh), "empty"),
    ] {
        assert_eq!(ok(&text), Err(BadMessage), "{why}");
    }
}

#[test]
fn a_bearer_set_is_refused_under_dpop_true() {
    let mut c = config();
    c.dpop = DpopMode::Required;
    assert_eq!(
        decode_tab_tokens(&c, &encode_tokens(&tokens())).err(),
        Some(BadMessage),
        "a Bearer set"
    );
    let mut bound = tokens();
    bound.dpop = true;
    assert!(decode_tab_tokens(&c, &encode_tokens(&bound)).is_ok());
    c.dpop = DpopMode::IfSupported;
    assert!(
        decode_tab_tokens(&c, &encode_tokens(&tokens())).is_ok(),
        "if-supported takes Bearer"
    );
}

#[test]
fn a_processed_token_set_always_round_trips_through_the_tab_form() {
    const NOW: Millis = Millis(1_764_000_000_000.0);
    let expires = [
        None,
        Some("0"),
        Some("3600"),
        Some("31536000"),
        Some("9007199254740991"),
        Some("\"18446744073709551615\""),
    ];
    let issued = [
        None,
        Some("946684800000"),
        Some("1764000000123"),
        Some("4102444800000"),
    ];
    for e in expires {
        for i in issued {
            let mut body = String::from(
                r#"{"access_token":"00Dxx!AR8.x","refresh_token":"5Aep","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","scope":"api refresh_token""#,
            );
            if let Some(e) = e {
                body += &format!(r#","expires_in":{e}"#);
            }
            if let Some(i) = i {
                body += &format!(r#","issued_at":"{i}""#);
            }
            body += "}";
            let grant = Grant::AuthorizationCode {
                nonce: None,
                held: None,
            };
            let t = process_token_response(&config(), grant, 200, &body, NOW, &SerdeJson)
                .unwrap_or_else(|err| panic!("{body}: {err}"))
                .tokens;
            let text = encode_tokens(&t);
            let back = decode_tab_tokens(&config(), &text)
                .unwrap_or_else(|err| panic!("{e:?} {i:?}: the tab form refuses it: {err:?}"));
            assert_eq!(encode_tokens(&back), text);
            assert_eq!(back.expires_at_ms, t.expires_at_ms);
            assert_eq!(back.issued_at_ms, t.issued_at_ms);
        }
    }
    // Huge values: expires_in clamped to a year; an implausible issued_at refused.
    let huge = r#"{"access_token":"a","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","expires_in":9007199254740991}"#;
    let grant = || Grant::AuthorizationCode {
        nonce: None,
        held: None,
    };
    let t = process_token_response(&config(), grant(), 200, huge, NOW, &SerdeJson).unwrap();
    assert_eq!(
        t.tokens.expires_at_ms,
        Some(NOW + Millis(365.0 * 86_400_000.0))
    );
    for bad in [
        "9007199254740993",
        "99999999999999999999",
        "1764000000",
        "0",
    ] {
        let body = huge.replace(
            "\"expires_in\":9007199254740991",
            &format!(r#""issued_at":"{bad}""#),
        );
        let e =
            process_token_response(&config(), grant(), 200, &body, NOW, &SerdeJson).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{bad}");
        assert!(e.message().contains("issued_at"), "{e}");
    }
}
