//! Sharing between tabs: ordering, logout that sticks, leader and followers.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

pub(super) fn tab_set(login: u64, version: u64, access: &str) -> TabMessage {
    let outcome = process_token_response(
        &config(),
        Grant::AuthorizationCode { nonce: None },
        200,
        &body(access, Some("rt"), None),
        T0,
        &SerdeJson,
    )
    .unwrap();
    TabMessage::Tokens {
        login,
        version,
        tokens: outcome.tokens,
    }
}

#[test]
fn tab_sets_out_of_order_repeated_or_older_are_ignored() {
    let mut h = H::new(Role::Follower);
    assert!(h.s.handle_tab_message(T0, tab_set(100, 5, "v5")), "adopted");
    h.drain();
    assert_eq!(h.access(), Some("v5"));
    assert_eq!(h.names(), ["login"]);
    // Older version of the same login, arriving late.
    assert!(!h.s.handle_tab_message(T0, tab_set(100, 4, "v4")));
    // The same one again.
    assert!(!h.s.handle_tab_message(T0, tab_set(100, 5, "v5")));
    h.drain();
    assert_eq!(h.access(), Some("v5"));
    assert_eq!(h.names(), ["login"]);
    assert!(h.s.handle_tab_message(T0, tab_set(100, 6, "v6")));
    h.drain();
    assert_eq!(h.access(), Some("v6"));
    assert_eq!(h.names(), ["login", "token_refreshed"]);
    // A set of an older login, whatever its version.
    assert!(!h.s.handle_tab_message(T0, tab_set(99, 1_000, "old")));
    h.drain();
    assert_eq!(h.access(), Some("v6"));
    // A newer login wins over any version.
    assert!(h.s.handle_tab_message(T0, tab_set(101, 1, "new")));
    h.drain();
    assert_eq!(h.access(), Some("new"));
    // Other messages adopt nothing.
    assert!(!h.s.handle_tab_message(T0, TabMessage::Hello));
}

#[test]
fn tab_numbers_are_bounded() {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, tab_set(1, u64::MAX, "huge"));
    h.s.handle_tab_message(T0, tab_set(u64::MAX, 1, "huge"));
    h.drain();
    assert_eq!(h.access(), None);
    assert_eq!(
        h.s.stats().errors_by_code.get("invalid_tab_message"),
        Some(&2)
    );
    h.s.handle_tab_message(T0, tab_set(1, 1, "fine"));
    h.drain();
    assert_eq!(h.access(), Some("fine"), "sharing is not wedged");
}

#[test]
fn a_signed_out_tab_ignores_sets_until_the_next_interactive_login() {
    let mut h = H::new(Role::Leader);
    h.s.handle_tab_message(T0, tab_set(100, 1, "a1"));
    h.drain();
    let op = h.s.logout(T0);
    h.drain();
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Logout { login: 100 }]
    ));
    let _ = op;
    // A late answer to another tab's hello, a proactive refresh of the same login landing now.
    h.s.handle_tab_message(T0, tab_set(100, 1, "a1"));
    h.s.handle_tab_message(T0, tab_set(100, 2, "a2"));
    h.s.handle_tab_message(T0, tab_set(50, 9, "older"));
    h.drain();
    assert_eq!(h.access(), None, "logout sticks");
    // A new interactive login in another tab signs this one in again.
    h.s.handle_tab_message(T0, tab_set(200, 1, "b1"));
    h.drain();
    assert_eq!(h.access(), Some("b1"));
}

#[test]
fn a_tab_that_got_another_tabs_logout_also_ignores_that_login() {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, TabMessage::Logout { login: 100 });
    h.s.handle_tab_message(T0, tab_set(100, 3, "late"));
    h.drain();
    assert_eq!(h.access(), None);
    h.s.handle_tab_message(T0, tab_set(101, 1, "next"));
    h.drain();
    assert_eq!(h.access(), Some("next"));
    // A logout of an older login does not sign out a newer one.
    h.s.handle_tab_message(T0, TabMessage::Logout { login: 100 });
    h.drain();
    assert_eq!(h.access(), Some("next"));
    h.s.handle_tab_message(
        T0,
        TabMessage::Expired {
            login: 101,
            error: AuthError::NotAuthenticated,
        },
    );
    h.drain();
    assert_eq!(h.access(), None);
    assert_eq!(h.names(), ["login", "session_expired"]);
}

#[test]
fn own_login_after_logout_broadcasts_a_newer_login() {
    let mut h = H::signed_in(Role::Leader, None);
    let _ = h.s.logout(T0 + 5.0);
    h.drain();
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.token_requests().last().map(|r| (*r).clone()).unwrap();
    h.broadcasts.clear();
    h.answer(T0, id, ok(body("b1", Some("rt"), None)));
    let [TabMessage::Tokens { login, .. }] = h.broadcasts.as_slice() else {
        panic!("{:?}", h.broadcasts)
    };
    assert!(*login > T0 as u64, "newer than the login that ended");
}

#[test]
fn a_follower_asks_the_leader_and_takes_its_answer() {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    h.drain();
    let g = h.s.generation();
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, &api(), true) else {
        panic!()
    };
    let _ = h.s.handle_api_answer(T0, g, &api(), true);
    h.drain();
    assert!(
        h.sent.is_empty(),
        "a follower never calls the token endpoint"
    );
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Refresh {
            version: 5,
            at: Some(_)
        }]
    ));
    h.s.handle_tab_message(T0, tab_set(100, 6, "v6"));
    h.drain();
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.s.after_refresh(g, &api()), Ok(ApiStep::Retry));
}

#[test]
fn a_follower_times_out_or_hears_of_a_failure_and_keeps_its_session() {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    let op = h.s.refresh(T0);
    h.drain();
    assert_eq!(h.s.poll_timeout(), Some(T0 + 15_000.0));
    h.s.handle_timeout(T0 + 15_000.0);
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(h.access(), Some("v5"));
    let op = h.s.refresh(T0);
    h.s.handle_tab_message(
        T0,
        TabMessage::RefreshFailed {
            version: 5,
            error: AuthError::Network {
                reason: "offline".into(),
            },
        },
    );
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(h.access(), Some("v5"));
}

#[test]
fn a_follower_that_becomes_leader_refreshes_itself() {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    let op = h.s.refresh(T0);
    h.drain();
    h.s.handle_became_leader(T0 + 1.0);
    h.drain();
    assert_eq!(h.s.role(), Role::Leader);
    let (id, _, _) = h.token_requests()[0].clone();
    h.answer(T0 + 2.0, id, ok(body("v6", None, None)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.access(), Some("v6"));
    assert!(matches!(
        h.broadcasts.last(),
        Some(TabMessage::Tokens { login: 100, .. })
    ));
}

#[test]
fn the_leader_answers_hello_and_refresh_questions() {
    let mut h = H::signed_in(Role::Leader, None);
    h.s.handle_tab_message(T0, TabMessage::Hello);
    h.drain();
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Tokens { .. }]
    ));
    let TabMessage::Tokens { version, .. } = h.broadcasts[0].clone() else {
        unreachable!()
    };
    // A follower behind the leader gets the current set, not a refresh.
    h.s.handle_tab_message(
        T0,
        TabMessage::Refresh {
            version: version - 1,
            at: Some(T0 as u64),
        },
    );
    h.drain();
    assert!(h.token_requests().is_empty());
    assert_eq!(h.broadcasts.len(), 2);
    // A follower at the leader's version: one refresh for everyone.
    let at = Some(T0 as u64);
    h.s.handle_tab_message(T0, TabMessage::Refresh { version, at });
    h.s.handle_tab_message(T0, TabMessage::Refresh { version, at: None });
    h.drain();
    assert_eq!(h.token_requests().len(), 1);
    // Signed out, the leader says so to a new tab.
    let _ = h.s.logout(T0);
    h.broadcasts.clear();
    h.s.handle_tab_message(T0, TabMessage::Hello);
    h.drain();
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Logout { .. }, TabMessage::NoSession]
    ));
}
