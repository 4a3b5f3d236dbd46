//! Logout and revocation, with refreshes and logins in flight.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

#[test]
fn logout_revokes_refresh_then_access_and_settles() {
    let mut h = H::signed_in(Role::Alone, None);
    let op = h.s.logout(T0);
    h.drain();
    assert_eq!(h.access(), None, "memory is cleared first");
    let revokes: Vec<_> = h.sent.clone();
    assert_eq!(revokes.len(), 2);
    assert_eq!(field(&revokes[0].2, "token").as_deref(), Some("rt1"));
    assert_eq!(field(&revokes[1].2, "token").as_deref(), Some("at1"));
    assert!(h.settled(op).is_none(), "logout waits for its revocations");
    h.answer(T0, revokes[0].0, ok(String::new()));
    let dead = HttpAnswer {
        status: 400,
        body: r#"{"error":"invalid_token"}"#.into(),
    };
    h.answer(T0, revokes[1].0, Ok(dead));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert!(matches!(
        h.events.as_slice(),
        [AuthEvent::Logout {
            revoked: true,
            end_session: false
        }]
    ));
    assert_eq!(h.s.stats().revocations, 2);
}

#[test]
fn logout_while_a_refresh_is_in_flight_revokes_what_it_returns() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let (flight, refresh_id) = h.dead_token_answer(g);
    let op = h.s.logout(T0);
    h.drain();
    assert_eq!(
        h.settled(flight).unwrap().as_ref().unwrap_err().code(),
        "not_authenticated"
    );
    h.answer_revocations(|_| 200);
    assert!(h.settled(op).is_none(), "logout waits for the refresh");
    h.answer(T0, refresh_id, ok(body("at2", Some("rt2"), None)));
    assert_eq!(h.access(), None, "nothing the refresh returned is kept");
    let late = h.revoked();
    assert_eq!(
        late,
        ["rt1", "at1", "rt2", "at2"],
        "what arrived is revoked"
    );
    assert!(h.settled(op).is_none());
    for (id, kind, _) in h.sent.clone().into_iter().skip(3) {
        if kind == RequestKind::Revocation {
            h.answer(T0, id, ok(String::new()));
        }
    }
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert!(!h.names().contains(&"token_refreshed"));
}

#[test]
fn logout_while_a_code_exchange_is_in_flight_waits_for_it_and_revokes_what_it_returns() {
    let mut h = H::signed_in(Role::Alone, None);
    let cb = callback(h.s.config());
    let login = h.s.start_login(&cb);
    h.drain();
    let (login_id, _, _) = h.sent.last().unwrap().clone();
    let op = h.s.logout(T0);
    h.drain();
    h.answer_revocations(|_| 200);
    assert!(
        h.settled(op).is_none(),
        "logout waits for the code exchange"
    );
    h.answer(T0, login_id, ok(body("at2", Some("rt2"), None)));
    assert_eq!(
        h.settled(login).unwrap().as_ref().unwrap_err().code(),
        "not_authenticated"
    );
    assert_eq!(
        h.access(),
        None,
        "nothing the code exchange returned is kept"
    );
    assert_eq!(h.revoked(), ["rt1", "at1", "rt2", "at2"]);
    assert!(
        h.settled(op).is_none(),
        "logout waits for those revocations too"
    );
    h.answer_revocations(|_| 200);
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.names(), ["logout"]);
    assert_eq!(h.s.stats().revocations, 4);
}

#[test]
fn logout_is_bounded_by_the_timeout() {
    let mut h = H::signed_in(Role::Alone, None);
    let op = h.s.logout(T0);
    h.drain();
    let deadline = h.s.poll_timeout().unwrap();
    assert_eq!(deadline, T0 + Millis(15_000.0));
    h.s.handle_timeout(deadline);
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "revocation_failed"
    );
}

#[test]
fn a_second_login_during_a_refresh_revokes_the_refresh_answer() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let (flight, refresh_id) = h.dead_token_answer(g);
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (login_id, _, _) = h.sent.last().unwrap().clone();
    h.answer(T0, login_id, ok(body("new1", Some("newrt"), None)));
    assert_eq!(h.settled(flight), Some(&Ok(())), "its callers are released");
    // The new set comes from another interactive login: the 401 is delivered, not replayed
    // with that login's token.
    assert_eq!(h.s.after_refresh(g, &api()), Ok(ApiStep::Deliver));
    h.answer(T0, refresh_id, ok(body("old2", Some("oldrt2"), None)));
    assert_eq!(h.access(), Some("new1"));
    let revoked = h.revoked();
    assert_eq!(revoked, ["oldrt2", "old2"]);
}

#[test]
fn salesforce_logout_revokes_the_refresh_token_alone() {
    let instance = "https://acme.my.salesforce.com";
    let mut h = H::signed_in_with(
        super::api::salesforce_config(),
        Role::Alone,
        super::api::sf_body("at1", Some("rt1"), instance),
    );
    let op = h.s.logout(T0);
    h.drain();
    // Revoking it revokes its access tokens at Salesforce: a second request would meet a dead
    // token (HTTP 400) on every logout.
    assert_eq!(h.revoked(), ["rt1"]);
    h.answer(T0, h.sent[0].0, ok(String::new()));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert!(matches!(
        h.events.as_slice(),
        [AuthEvent::Logout { revoked: true, .. }]
    ));
    assert_eq!(h.s.stats().revocations, 1);
}

#[test]
fn salesforce_logout_without_a_refresh_token_revokes_the_access_token() {
    let instance = "https://acme.my.salesforce.com";
    let mut h = H::signed_in_with(
        super::api::salesforce_config(),
        Role::Alone,
        super::api::sf_body("at1", None, instance),
    );
    let _ = h.s.logout(T0);
    h.drain();
    assert_eq!(h.revoked(), ["at1"]);
}

#[test]
fn salesforce_revokes_the_refresh_token_alone_of_a_refresh_answer_after_logout() {
    let instance = "https://acme.my.salesforce.com";
    let mut h = H::signed_in_with(
        super::api::salesforce_config(),
        Role::Alone,
        super::api::sf_body("at1", Some("rt1"), instance),
    );
    let _ = h.s.refresh(T0);
    h.drain();
    let (refresh_id, _, _) = h.token_requests()[0].clone();
    let _ = h.s.logout(T0);
    h.drain();
    h.answer(
        T0,
        refresh_id,
        ok(super::api::sf_body("at2", Some("rt2"), instance)),
    );
    assert_eq!(h.revoked(), ["rt1", "rt2"]);
}

/// A logout, then a login completed while the logout waits for its revocations: the logout's
/// op and the requests it had sent (its revocations).
fn logout_then_login(h: &mut H) -> (OpId, Vec<RequestId>) {
    let out = h.s.logout(T0);
    h.drain();
    let sent = h.sent.iter().map(|(id, _, _)| *id).collect();
    let cb = callback(h.s.config());
    let login = h.s.start_login(&cb);
    h.drain();
    let (login_id, _, _) = h.sent.last().unwrap().clone();
    h.answer(T0, login_id, ok(body("at2", Some("rt2"), None)));
    assert_eq!(h.settled(login), Some(&Ok(())));
    (out, sent)
}
/// A logout still waiting for its revocations when a login completes and the app logs out
/// again: the second takes the first over, and both settle together once every revocation of
/// both is answered, with one `logout` event (before, the first was replaced and its promise
/// never settled). `fail_first`: the first logout's revocations answer 503, which
/// both report.
fn two_logouts(fail_first: bool) -> (H, OpId, OpId) {
    let mut h = H::signed_in(Role::Alone, None);
    let (first, firsts) = logout_then_login(&mut h);
    let second = h.s.logout(T0);
    h.drain();
    assert_eq!(
        h.settled(first),
        None,
        "the first waits for its revocations"
    );
    h.answer_revocations(|id| {
        if fail_first && firsts.contains(&id) {
            503
        } else {
            200
        }
    });
    assert!(h.s.logout.is_none(), "nothing left waiting");
    (h, first, second)
}

#[test]
fn a_second_logout_while_the_first_waits_settles_both_once_all_is_revoked() {
    let (h, first, second) = two_logouts(false);
    assert_eq!(h.settled(first), Some(&Ok(())));
    assert_eq!(h.settled(second), Some(&Ok(())));
    // Each session's end has its event, in order: the first's before the login (its
    // revocations still in flight: `revoked: false`), the second's once all are answered.
    let order: Vec<(&str, bool)> = h
        .events
        .iter()
        .filter_map(|e| match e {
            AuthEvent::Logout { revoked, .. } => Some(("logout", *revoked)),
            AuthEvent::Login(_) => Some(("login", false)),
            _ => None,
        })
        .collect();
    assert_eq!(
        order,
        [("logout", false), ("login", false), ("logout", true)]
    );
    assert_eq!(
        h.s.stats().revocations,
        4,
        "both sets, refresh and access token each"
    );
}

#[test]
fn a_failed_revocation_of_the_first_logout_is_reported_by_both() {
    let (h, first, second) = two_logouts(true);
    for op in [first, second] {
        assert_eq!(
            h.settled(op).unwrap().as_ref().unwrap_err().code(),
            "revocation_failed"
        );
    }
    // The first's event went before the login; the second's says the revocations failed.
    let revoked = h
        .events
        .iter()
        .filter(|e| matches!(e, AuthEvent::Logout { revoked: false, .. }));
    assert_eq!(revoked.count(), 2);
}

/// A logout still waiting for its revocations when a login completes: its `logout` event goes
/// before the `login` event, never after it (an app would believe it is signed out while it is
/// signed in); the logout settles once its revocations are answered, with their outcome.
#[test]
fn a_logout_that_finishes_after_a_login_never_follows_its_login_event() {
    for fail in [false, true] {
        let mut h = H::signed_in(Role::Alone, None);
        let (out, _) = logout_then_login(&mut h);
        assert_eq!(h.settled(out), None, "the logout waits for its revocations");
        h.answer_revocations(|_| if fail { 503 } else { 200 });
        let settled = h
            .settled(out)
            .expect("settled")
            .as_ref()
            .err()
            .map(AuthError::code);
        assert_eq!(settled, fail.then_some("revocation_failed"));
        assert!(
            matches!(
                h.events.as_slice(),
                [
                    AuthEvent::Logout {
                        revoked: false,
                        end_session: false
                    },
                    AuthEvent::Login(_)
                ]
            ),
            "{:?}",
            h.events
        );
        assert_eq!(h.access(), Some("at2"), "signed in");
        assert!(h.s.logout.is_none());
    }
}

/// A second `logout()` while the first waits for its revocations, nothing held (a double
/// click): it settles with the first, once they are answered, not at once (an `endSession`
/// logout would navigate while they are in flight); one `logout` event.
#[test]
fn a_logout_while_one_waits_with_nothing_held_settles_with_it() {
    let mut h = H::signed_in(Role::Alone, None);
    let first = h.s.logout(T0);
    h.drain();
    let second = h.s.logout(T0);
    h.drain();
    assert_eq!(h.settled(second), None, "waits for the first's revocations");
    h.answer_revocations(|_| 200);
    assert_eq!(h.settled(first), Some(&Ok(())));
    assert_eq!(h.settled(second), Some(&Ok(())));
    let order: Vec<OpId> = h.settled.iter().map(|(o, _)| *o).collect();
    let at = |op| order.iter().position(|o| *o == op).unwrap();
    assert!(
        at(second) < at(first),
        "the first settles last (its endSession navigation wins)"
    );
    let logouts = h
        .events
        .iter()
        .filter(|e| matches!(e, AuthEvent::Logout { revoked: true, .. }));
    assert_eq!(logouts.count(), 1);
    // Signed out with nothing waiting: at once, as before.
    let third = h.s.logout(T0);
    h.drain();
    assert_eq!(h.settled(third), Some(&Ok(())));
}
