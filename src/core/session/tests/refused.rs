//! A refused 2xx token answer: its tokens are revoked (best effort), on the code exchange and
//! on a refresh, and never installed.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::dpop::DpopMode;

fn harness(config: ClientConfig) -> H {
    H::with(config, Role::Alone)
}

/// Exchanges a code and answers it with `body` (status 200); the login's result.
fn login_answered(h: &mut H, body: &str) -> Result<(), AuthError> {
    let op = h.s.start_login(&callback(h.s.config()));
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    h.answer(T0, id, ok(body.to_owned()));
    h.settled(op).expect("the login settles").clone()
}

fn dpop_required() -> ClientConfig {
    let mut c = config();
    c.dpop = DpopMode::Required;
    c
}

#[test]
fn a_refused_code_exchange_answer_is_revoked() {
    let cases: [(ClientConfig, String, &str); 4] = [
        // Bearer under dpop: true.
        (dpop_required(), body("at9", Some("rt9"), None), "Bearer"),
        // A token that would break a header.
        (
            config(),
            body("at9\\r\\nX-Evil: 1", Some("rt9"), None),
            "visible ASCII",
        ),
        // A token over the cap.
        (config(), body("at9", Some(&"r".repeat(8001)), None), "8000"),
        // An id_token that fails its checks.
        (
            config(),
            body("at9", Some("rt9"), None).replace('}', r#","id_token":"not.a.jwt"}"#),
            "id_token",
        ),
    ];
    for (config, answer, why) in cases {
        let mut h = harness(config);
        let e = login_answered(&mut h, &answer).unwrap_err();
        assert!(!e.message().contains("at9"), "no token in the message");
        assert_eq!(e.code(), "invalid_token_response", "{why}");
        assert!(e.message().contains(why), "{why}: {e}");
        let revoked = h.revoked();
        assert_eq!(revoked.len(), 2, "{why}: {revoked:?}");
        assert!(revoked[0].starts_with('r'), "the refresh token first");
        assert!(revoked[1].starts_with("at9"), "then the access token");
        assert_eq!(h.access(), None, "{why}: nothing is installed");
        assert!(h.names().is_empty(), "{why}: no login event");
    }
}

#[test]
fn a_salesforce_answer_without_instance_url_is_revoked() {
    let mut h = harness(testing::salesforce("3MVG9"));
    let e = login_answered(&mut h, &body("00D!at9", Some("5Aep-rt9"), None)).unwrap_err();
    assert!(e.message().contains("instance_url"), "{e}");
    // The profile's revocation policy decides whether the access token goes too; the
    // refresh token always does.
    assert!(
        h.revoked().contains(&"5Aep-rt9".to_owned()),
        "{:?}",
        h.revoked()
    );
}

#[test]
fn a_refused_refresh_answer_is_revoked_but_not_the_held_refresh_token() {
    let mut h = H::signed_in(Role::Alone, None);
    alloc::rc::Rc::make_mut(&mut h.s.config).dpop = DpopMode::Required;
    // A refresh answered Bearer under dpop: true, with a new refresh token.
    let (op, id) = h.dead_token_answer(h.s.generation());
    h.answer(T0, id, ok(body("at2", Some("rt2"), None)));
    let e = h.settled(op).unwrap().clone().unwrap_err();
    assert_eq!(e.code(), "invalid_token_response");
    assert_eq!(h.revoked(), ["rt2", "at2"]);
    assert_eq!(h.access(), Some("at1"), "the session is kept");
    // Again, repeating the held refresh token: only the new access token is revoked.
    h.sent.clear();
    let (_, id) = h.dead_token_answer(h.s.generation());
    h.answer(T0, id, ok(body("at3", Some("rt1"), None)));
    assert_eq!(h.revoked(), ["at3"]);
    assert_eq!(h.access(), Some("at1"));
}

#[test]
fn a_refused_answer_after_logout_is_revoked_too() {
    let mut h = harness(dpop_required());
    let op = h.s.start_login(&callback(h.s.config()));
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    let _ = h.s.logout(T0);
    h.answer(T0, id, ok(body("at9", Some("rt9"), None)));
    assert!(h.settled(op).unwrap().is_err());
    assert_eq!(h.revoked(), ["rt9", "at9"]);
}

#[test]
fn a_refused_refresh_answer_revokes_only_the_tokens_the_session_does_not_hold() {
    // The session holds at1/rt1; each refresh answer is refused (Bearer under dpop: true).
    for (access, refresh, revoked) in [
        // (a) The held access token with a new refresh token: the refresh token alone.
        ("at1", "rt2", &["rt2"][..]),
        // (b) Both held: nothing.
        ("at1", "rt1", &[]),
        // (c) Both new: both, the refresh token first.
        ("at2", "rt2", &["rt2", "at2"]),
        // (d) A new access token with the held refresh token: the access token alone.
        ("at2", "rt1", &["at2"]),
    ] {
        let mut h = H::signed_in(Role::Alone, None);
        alloc::rc::Rc::make_mut(&mut h.s.config).dpop = DpopMode::Required;
        let (op, id) = h.dead_token_answer(h.s.generation());
        h.answer(T0, id, ok(body(access, Some(refresh), None)));
        let e = h.settled(op).unwrap().clone().unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{access} {refresh}");
        assert_eq!(h.revoked(), revoked, "{access} {refresh}");
        assert_eq!(h.access(), Some("at1"), "the session is kept");
    }
}

#[test]
fn a_refused_code_exchange_answer_while_signed_in_never_revokes_a_held_token() {
    // Signed in with at1/rt1, the user signs in again; the provider's answer is refused
    // (Bearer under dpop: true) and repeats what the session holds in part or whole.
    for (access, refresh, revoked) in [
        ("at9", "rt1", &["at9"][..]),
        ("at1", "rt9", &["rt9"]),
        ("at1", "rt1", &[]),
        ("at9", "rt9", &["rt9", "at9"]),
    ] {
        let mut h = H::signed_in(Role::Alone, None);
        alloc::rc::Rc::make_mut(&mut h.s.config).dpop = DpopMode::Required;
        h.sent.clear();
        let e = login_answered(&mut h, &body(access, Some(refresh), None)).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{access} {refresh}");
        assert_eq!(h.revoked(), revoked, "{access} {refresh}");
        assert_eq!(h.access(), Some("at1"), "the session is kept");
    }
}
