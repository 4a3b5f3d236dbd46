//! Sharing between tabs: ordering, logout that sticks, leader and followers. Real tabs on one
//! clock ([`Tabs`]); forged messages only where no tab would send them (numbers out of range, a
//! question that does not say when it was asked).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::pair::{Tabs, set_of, set_with};
use super::*;

/// A token set message no tab sent: `access`, at `login` and `version`.
fn forged_set(login: u64, version: u64, access: &str) -> TabMessage {
    let outcome = testing::exchange(&config(), 200, &body(access, Some("rt"), None)).unwrap();
    TabMessage::Tokens {
        login,
        version,
        tokens: outcome.tokens,
    }
}

#[test]
fn tab_sets_out_of_order_repeated_or_older_are_ignored() {
    // A leads and refreshes; C signs in as someone else while A does not hear it, and A then
    // refreshes the older login; F reads all of it late, in the order below.
    let (a, c, f) = (0, 1, 2);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.hold(f);
    t.sign_in(a, "a1");
    t.advance(T0 + Millis(1_000.0));
    t.refresh(a, "a2");
    t.advance(T0 + Millis(2_000.0));
    t.refresh(a, "a3");
    t.hold(a);
    t.advance(T0 + Millis(5_000.0));
    t.sign_in(c, "c1");
    t.advance(T0 + Millis(10_000.0));
    t.refresh(a, "a4");
    let late = t.take_held(f);
    let set = |access| set_with(&late, access);
    let (a4_login, a4_version, _) = set_of(&set("a4")).unwrap();
    let (c1_login, c1_version, _) = set_of(&set("c1")).unwrap();
    assert!(a4_login < c1_login && a4_version > c1_version);

    assert!(t.deliver(f, set("a2")), "adopted");
    assert_eq!(t[f].access(), Some("a2"));
    assert_eq!(t[f].names(), ["login"]);
    // Older version of the same login, arriving late.
    assert!(!t.deliver(f, set("a1")));
    // The same one again.
    assert!(!t.deliver(f, set("a2")));
    assert_eq!(t[f].access(), Some("a2"));
    assert_eq!(t[f].names(), ["login"]);
    assert!(t.deliver(f, set("a3")));
    assert_eq!(t[f].access(), Some("a3"));
    assert_eq!(t[f].names(), ["login", "token_refreshed"]);
    assert!(t.deliver(f, set("a4")));
    // A newer login wins over any version.
    assert!(t.deliver(f, set("c1")));
    assert_eq!(t[f].access(), Some("c1"));
    // A set of an older login, whatever its version.
    assert!(!t.deliver(f, set("a4")));
    assert_eq!(t[f].access(), Some("c1"));
    // Other messages adopt nothing.
    assert!(!t.deliver(f, TabMessage::Hello));
}

#[test]
fn tab_numbers_are_bounded() {
    // Forged: no tab numbers a set past 2^53 - 1.
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, forged_set(1, u64::MAX, "huge"));
    h.s.handle_tab_message(T0, forged_set(u64::MAX, 1, "huge"));
    h.drain();
    assert_eq!(h.access(), None);
    assert_eq!(
        h.s.stats().errors_by_code.get("invalid_tab_message"),
        Some(&2)
    );
    h.s.handle_tab_message(T0, forged_set(1, 1, "fine"));
    h.drain();
    assert_eq!(h.access(), Some("fine"), "sharing is not wedged");
}

#[test]
fn a_signed_out_tab_ignores_sets_until_the_next_interactive_login() {
    // L reads late: Z's older login, Y's login a1, the answers to a new tab's hello, Y's
    // proactive refresh a2.
    let (y, l, z) = (0, 1, 2);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.hold(l);
    t.sign_in(z, "older");
    t.advance(T0 + Millis(10_000.0));
    t.sign_in(y, "a1");
    let _new_tab = t.open();
    t.advance(T0 + Millis(20_000.0));
    t.refresh(y, "a2");
    let late = t.take_held(l);
    let set = |access| set_with(&late, access);
    assert!(t.deliver(l, set("a1")));
    let (a1_login, _, _) = set_of(&set("a1")).unwrap();
    let op = t.logout(l);
    assert!(matches!(
        t[l].broadcasts.as_slice(),
        [TabMessage::Logout { login }] if *login == a1_login
    ));
    let _ = op;
    // A late answer to another tab's hello, a proactive refresh of the same login landing now.
    t.deliver(l, set("a1"));
    t.deliver(l, set("a2"));
    t.deliver(l, set("older"));
    t.release(l);
    assert_eq!(t[l].access(), None, "logout sticks");
    // A new interactive login in another tab signs this one in again.
    t.advance(T0 + Millis(30_000.0));
    t.sign_in(y, "b1");
    assert_eq!(t[l].access(), Some("b1"));
}

#[test]
fn a_tab_that_got_another_tabs_logout_also_ignores_that_login() {
    // A signs in, refreshes, signs out, signs in again, and that login's refresh is refused;
    // F reads all of it late, the logout first.
    let (a, f) = (0, 1);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower]);
    t.hold(f);
    t.sign_in(a, "a1");
    t.advance(T0 + Millis(1_000.0));
    t.refresh(a, "late");
    t.advance(T0 + Millis(2_000.0));
    let _ = t.logout(a);
    t.advance(T0 + Millis(3_000.0));
    t.sign_in(a, "next");
    t.advance(T0 + Millis(4_000.0));
    let refused = HttpAnswer {
        status: 400,
        body: r#"{"error":"invalid_grant"}"#.into(),
    };
    t.refresh_with(a, Ok(refused));
    let late = t.take_held(f);
    let [_, _, logout, _, expired] = late.as_slice() else {
        panic!("{late:?}")
    };
    assert!(matches!(logout, TabMessage::Logout { .. }));
    assert!(matches!(expired, TabMessage::Expired { .. }));
    t.deliver(f, logout.clone());
    t.deliver(f, set_with(&late, "late"));
    assert_eq!(t[f].access(), None);
    t.deliver(f, set_with(&late, "next"));
    assert_eq!(t[f].access(), Some("next"));
    // A logout of an older login does not sign out a newer one.
    t.deliver(f, logout.clone());
    assert_eq!(t[f].access(), Some("next"));
    t.deliver(f, expired.clone());
    assert_eq!(t[f].access(), None);
    assert_eq!(t[f].names(), ["login", "session_expired"]);
}

#[test]
fn own_login_after_logout_broadcasts_a_newer_login() {
    let (a, b) = (0, 1);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower]);
    t.sign_in(a, "a1");
    t.advance(T0 + Millis(5.0));
    let _ = t.logout(a);
    assert_eq!(t[b].access(), None);
    let before = t[a].broadcasts.len();
    t.sign_in(a, "b1");
    let [TabMessage::Tokens { login, .. }] = &t[a].broadcasts[before..] else {
        panic!("{:?}", t[a].broadcasts)
    };
    assert!(*login > T0.as_u64(), "newer than the login that ended");
    assert_eq!(t[b].access(), Some("b1"), "the other tab takes it");
}

#[test]
fn a_follower_asks_the_leader_and_takes_its_answer() {
    let (l, f) = (0, 1);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower]);
    t.sign_in(l, "v5");
    assert_eq!(t[f].access(), Some("v5"));
    let g = t[f].s.generation();
    let held = t[f].s.tokens().unwrap().clone();
    let TabMessage::Tokens { version: v5, .. } =
        read_back(t[l].s.config(), t[l].s.tokens_message(&held))
    else {
        unreachable!()
    };
    t.script(ok(body("v6", None, None)));
    let Ok(ApiStep::Wait(op)) = t.dead_token(f, g) else {
        panic!()
    };
    let _ = t.dead_token(f, g);
    t.drive();
    assert!(
        t[f].sent.is_empty(),
        "a follower never calls the token endpoint"
    );
    assert!(matches!(
        t[f].broadcasts.as_slice(),
        [TabMessage::Refresh {
            version,
            at: Some(_)
        }] if *version == v5
    ));
    assert_eq!(t[l].token_requests().len(), 2, "one refresh, the leader's");
    assert_eq!(t[f].settled(op), Some(&Ok(())));
    assert_eq!(t[f].access(), Some("v6"));
    assert_eq!(t[f].s.after_refresh(g, &api()), Ok(ApiStep::Retry));
}

#[test]
fn a_follower_times_out_or_hears_of_a_failure_and_keeps_its_session() {
    let (l, f) = (0, 1);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower]);
    t.sign_in(l, "v5");
    t.freeze(l);
    let op = t.ask(f);
    assert_eq!(t[f].s.poll_timeout(), Some(T0 + Millis(15_000.0)));
    t.advance(T0 + Millis(15_000.0));
    assert_eq!(
        t[f].settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(t[f].access(), Some("v5"));
    // The leader wakes (the question it finds is too old to answer) and is asked again; its
    // refresh meets a network error.
    t.advance(T0 + Millis(16_000.0));
    t.thaw(l);
    assert_eq!(
        t[l].token_requests().len(),
        1,
        "the old question is not answered"
    );
    let offline = AuthError::Network {
        reason: "offline".into(),
    };
    t.script(Err(offline));
    let op = t.ask(f);
    assert!(matches!(
        t[l].broadcasts.last(),
        Some(TabMessage::RefreshFailed { .. })
    ));
    assert_eq!(
        t[f].settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(t[f].access(), Some("v5"));
}

#[test]
fn a_follower_that_becomes_leader_refreshes_itself() {
    let (l, f) = (0, 1);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower]);
    t.sign_in(l, "v5");
    let (login, _, _) = set_of(&t[l].broadcasts[0]).unwrap();
    t.freeze(l);
    let op = t.ask(f);
    // The leader's tab closes: its lock goes to the follower, which refreshes itself.
    t.script(ok(body("v6", None, None)));
    t.advance(T0 + Millis(1.0));
    t.close(l);
    assert_eq!(t[f].s.role(), Role::Leader);
    assert_eq!(t[f].token_requests().len(), 1);
    assert_eq!(t[f].settled(op), Some(&Ok(())));
    assert_eq!(t[f].access(), Some("v6"));
    assert!(matches!(
        t[f].broadcasts.last(),
        Some(TabMessage::Tokens { login: got, .. }) if *got == login
    ));
}

#[test]
fn the_leader_answers_hello_and_refresh_questions() {
    let (l, f, g) = (0, 1, 2);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.sign_in(l, "a1");
    let refreshes = t[l].token_requests().len();
    let before = t[l].broadcasts.len();
    let new_tab = t.open();
    assert!(matches!(
        &t[l].broadcasts[before..],
        [TabMessage::Tokens { .. }]
    ));
    assert_eq!(t[new_tab].access(), Some("a1"));
    // A follower behind the leader (it missed G's sign-in) gets the current set, not a
    // refresh.
    t.hold(f);
    t.sign_in(g, "b1");
    let _ = t.ask(f);
    assert_eq!(t[l].token_requests().len(), refreshes);
    assert_eq!(t[l].broadcasts.len(), before + 2);
    t.release(f);
    assert_eq!(t[f].access(), Some("b1"));
    // A follower at the leader's version, and a question that does not say when it was asked
    // (forged: this runtime always says): one refresh for everyone.
    let TabMessage::Tokens { version, .. } = read_back(
        t[l].s.config(),
        t[l].s.tokens_message(t[l].s.tokens().unwrap()),
    ) else {
        unreachable!()
    };
    t.script(ok(body("b2", None, None)));
    let now = t.now;
    let _ = t[f].s.refresh(now);
    t[l].s
        .handle_tab_message(now, TabMessage::Refresh { version, at: None });
    t.drive();
    assert_eq!(t[l].token_requests().len(), refreshes + 1);
    assert_eq!(t[f].access(), Some("b2"));
    // Signed out, the leader says so to a new tab.
    let _ = t.logout(l);
    let before = t[l].broadcasts.len();
    let _ = t.open();
    assert!(matches!(
        &t[l].broadcasts[before - 1..],
        [TabMessage::Logout { .. }, TabMessage::NoSession]
    ));
}

/// A tab whose logout waits for its revocations adopts another tab's new login: the logout's
/// event goes first, never after the `login` event; the logout settles once they are answered.
#[test]
fn another_tabs_login_while_a_logout_waits_comes_after_its_logout_event() {
    let mut h = H::signed_in(Role::Leader, None);
    let out = h.s.logout(T0);
    h.drain();
    let later = T0 + Millis(10_000.0);
    h.s.handle_tab_message(later, forged_set(later.as_u64(), 1, "b1"));
    h.drain();
    assert_eq!(h.access(), Some("b1"));
    assert_eq!(h.names(), ["logout", "login"]);
    h.answer_revocations(|_| 200);
    assert_eq!(h.settled(out), Some(&Ok(())));
    assert_eq!(h.names(), ["logout", "login"], "no event after the login");
}
