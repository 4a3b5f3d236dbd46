//! Dead-token answers of API requests: a retry only within the login the request was sent
//! with and to an origin the current set allows; refreshes throttled per origin.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::pair::Tabs;
use super::*;

fn origin(s: &str) -> Origin {
    Origin::parse(s, "test").unwrap()
}

/// Answers the last token request sent (a refresh) with a new access token.
fn answer_refresh(h: &mut H, now: Millis, access: &str) {
    let (id, _, _) = h.token_requests().last().copied().unwrap().clone();
    h.answer(now, id, ok(body(access, None, None)));
}

#[test]
fn a_401_sent_as_one_user_is_delivered_after_another_login_not_replayed_as_them() {
    // User A's slow request is on the wire; A logs out and B signs in; A's request gets 401.
    let mut h = H::signed_in(Role::Alone, None);
    let sent_as_a = h.s.generation();
    let _ = h.s.logout(T0);
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.token_requests().last().copied().unwrap().clone();
    h.answer(T0 + Millis(1.0), id, ok(body("b1", Some("rt-b"), None)));
    assert_eq!(h.access(), Some("b1"), "B is signed in");
    let before = h.token_requests().len();
    assert_eq!(
        h.s.handle_api_answer(T0 + Millis(2.0), sent_as_a, &api(), true),
        Ok(ApiStep::Deliver),
        "the 401 goes to the caller; nothing is sent as B"
    );
    h.drain();
    assert_eq!(h.token_requests().len(), before, "no refresh of B's set");
    assert_eq!(h.s.stats().retried_after_401, 0);
}

#[test]
fn a_second_login_without_logout_is_another_login_too() {
    let mut h = H::signed_in(Role::Alone, None);
    let first = h.s.generation();
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.token_requests().last().copied().unwrap().clone();
    // Even the very same access token: it is the other login's set now.
    h.answer(T0 + Millis(1.0), id, ok(body("at1", Some("rt1"), None)));
    assert_ne!(h.s.generation(), first, "a new login is a new generation");
    assert_eq!(
        h.s.handle_api_answer(T0 + Millis(2.0), first, &api(), true),
        Ok(ApiStep::Deliver)
    );
}

#[test]
fn a_tab_that_adopts_another_login_delivers_the_old_logins_401() {
    // L leads and refreshes; B signs in as someone else; F reads each set as it comes.
    let (l, f, b) = (0, 1, 2);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.hold(f);
    t.sign_in(l, "a1");
    let [a1] = t.take_held(f).try_into().unwrap();
    assert!(t.deliver(f, a1));
    let sent_as_a = t[f].s.generation();
    // A refresh of the same login from the leader: the request is retried with it.
    t.advance(T0 + Millis(1_000.0));
    t.refresh(l, "a2");
    let [a2] = t.take_held(f).try_into().unwrap();
    assert!(t.deliver(f, a2));
    assert_eq!(t.dead_token(f, sent_as_a), Ok(ApiStep::Retry));
    // Another tab signed in as someone else (a newer login): never retried with that set.
    let sent_as_a = t[f].s.generation();
    t.advance(T0 + Millis(2_000.0));
    t.sign_in(b, "b1");
    let [b1] = t.take_held(f).try_into().unwrap();
    assert!(t.deliver(f, b1));
    assert_eq!(t.dead_token(f, sent_as_a), Ok(ApiStep::Deliver));
    assert_eq!(t[f].s.stats().retried_after_401, 1);
}

#[test]
fn a_refresh_waited_for_is_not_retried_when_another_login_arrives_meanwhile() {
    let (l, f, b) = (0, 1, 2);
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.sign_in(l, "a1");
    assert_eq!(t[f].access(), Some("a1"));
    t.freeze(l);
    let g = t[f].s.generation();
    let Ok(ApiStep::Wait(op)) = t.dead_token(f, g) else {
        panic!("a dead token waits for the leader's refresh")
    };
    t.drive();
    // Before the leader answers, a tab brings B's login: the waiters are released...
    t.advance(T0 + Millis(1.0));
    t.sign_in(b, "b1");
    assert_eq!(t[f].access(), Some("b1"));
    assert_eq!(t[f].settled(op), Some(&Ok(())));
    // ...and deliver the 401 instead of replaying A's request as B.
    assert_eq!(t[f].s.after_refresh(g, &api()), Ok(ApiStep::Deliver));
}

pub(super) fn salesforce_config() -> ClientConfig {
    testing::salesforce("3MVG9demo")
}

/// A token response with the org's `instance_url`.
pub(super) fn sf_body(access: &str, refresh: Option<&str>, instance: &str) -> String {
    testing::with_members(
        &body(access, refresh, None),
        &format!(r#""instance_url":"{instance}""#),
    )
}

#[test]
fn a_retry_goes_only_to_an_origin_the_current_set_allows() {
    // (Both instances other than the login host, whose UserInfo endpoint takes the token.)
    let old = "https://acme2.my.salesforce.com";
    let moved = "https://acme3.my.salesforce.com";
    let mut h = H::signed_in_with(
        salesforce_config(),
        Role::Alone,
        sf_body("at1", Some("rt1"), old),
    );
    let g = h.s.generation();
    let (op, id) = {
        let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, &origin(old), true) else {
            panic!("a dead token waits for a refresh")
        };
        h.drain();
        (op, h.token_requests()[0].0)
    };
    // The refresh moves the org to another instance: the old origin is not allowed any more.
    h.answer(T0, id, ok(sf_body("at2", None, moved)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(
        h.s.after_refresh(g, &origin(old)),
        Ok(ApiStep::Deliver),
        "the new token does not go to the old instance"
    );
    assert_eq!(
        h.s.handle_api_answer(T0, g, &origin(old), true),
        Ok(ApiStep::Deliver)
    );
    // The new instance takes the retry.
    assert_eq!(h.s.after_refresh(g, &origin(moved)), Ok(ApiStep::Retry));
    assert_eq!(
        h.s.handle_api_answer(T0, g, &origin(moved), true),
        Ok(ApiStep::Retry)
    );
}

fn two_origin_config() -> ClientConfig {
    ClientConfig::generic(&two_origin_options()).unwrap()
}

fn two_origin_options() -> ClientOptions {
    ClientOptions {
        revocation_endpoint: None,
        scopes: Some(vec!["api".into(), "offline_access".into()]),
        api_base: Some("https://api.example.com/".into()),
        allowed_origins: Some(vec!["https://strict.example.com".into()]),
        ..testing::generic_options()
    }
}

/// One `auth.fetch` to `to` whose every answer is a dead token when `always_dead`, else only
/// the first (the token was dead; the retry succeeds). Returns the refresh grants it cost.
fn call(h: &mut H, now: Millis, to: &Origin, always_dead: bool, next_token: &str) -> usize {
    let before = h.token_requests().len();
    let g = h.s.generation();
    let retry = match h.s.handle_api_answer(now, g, to, true).unwrap() {
        ApiStep::Deliver => false,
        ApiStep::Retry => true,
        ApiStep::Wait(_) => {
            h.drain();
            answer_refresh(h, now, next_token);
            h.s.after_refresh(g, to).unwrap() == ApiStep::Retry
        }
    };
    if retry {
        h.s.handle_retry_answer(now, to, always_dead);
    }
    h.drain();
    h.token_requests().len() - before
}

#[test]
fn an_origin_that_refuses_fresh_tokens_costs_at_most_one_refresh_per_floor() {
    let mut h = H::signed_in_with(
        two_origin_config(),
        Role::Alone,
        body("at1", Some("rt1"), None),
    );
    let strict = origin("https://strict.example.com");
    let (mut strict_grants, mut normal_grants) = (0, 0);
    // 100 calls over 10 simulated seconds to an origin that answers 401 to every token...
    for i in 0..100 {
        let now = T0 + Millis(f64::from(i) * 100.0);
        strict_grants += call(&mut h, now, &strict, true, &format!("s{i}"));
        // ...while the token of the normal origin dies in the same window.
        if i == 50 {
            normal_grants += call(&mut h, now, &api(), false, "n1");
        }
    }
    assert!(strict_grants <= 2, "{strict_grants} refresh grants");
    assert_eq!(
        normal_grants, 1,
        "a real 401 elsewhere still refreshes once"
    );
    assert_eq!(h.access(), Some("n1"));
}

#[test]
fn the_throttled_origin_is_tried_normally_again_after_the_floor() {
    let mut h = H::signed_in_with(
        two_origin_config(),
        Role::Alone,
        body("at1", Some("rt1"), None),
    );
    let strict = origin("https://strict.example.com");
    assert_eq!(call(&mut h, T0, &strict, true, "at2"), 1);
    let g = h.s.generation();
    assert_eq!(
        h.s.handle_api_answer(T0 + DEAD_ORIGIN_FLOOR_MS - Millis(1.0), g, &strict, true),
        Ok(ApiStep::Deliver),
        "delivered without a refresh within the floor"
    );
    // The normal origin is not throttled by it.
    assert!(matches!(
        h.s.handle_api_answer(T0 + Millis(1.0), g, &api(), true),
        Ok(ApiStep::Wait(_))
    ));
    h.drain();
    answer_refresh(&mut h, T0 + Millis(1.0), "at3");
    // After the floor it refreshes again on a dead token.
    let g = h.s.generation();
    assert!(matches!(
        h.s.handle_api_answer(T0 + DEAD_ORIGIN_FLOOR_MS, g, &strict, true),
        Ok(ApiStep::Wait(_))
    ));
}

#[test]
fn a_retry_that_succeeds_throttles_nothing() {
    let mut h = H::signed_in_with(
        two_origin_config(),
        Role::Alone,
        body("at1", Some("rt1"), None),
    );
    let strict = origin("https://strict.example.com");
    assert_eq!(call(&mut h, T0, &strict, false, "at2"), 1);
    assert_eq!(call(&mut h, T0 + Millis(1.0), &strict, false, "at3"), 1);
    // A logout forgets the throttle with the session.
    assert_eq!(call(&mut h, T0 + Millis(2.0), &strict, true, "at4"), 1);
    let _ = h.s.logout(T0 + Millis(3.0));
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.token_requests().last().copied().unwrap().clone();
    h.answer(T0 + Millis(4.0), id, ok(body("b1", Some("rt-b"), None)));
    assert_eq!(call(&mut h, T0 + Millis(5.0), &strict, true, "b2"), 1);
}

#[test]
fn a_userinfo_answer_is_retried_at_the_userinfo_endpoint_of_the_provider() {
    // The UserInfo endpoint is where the library itself sends the token, whether or not it is
    // an API origin of the set.
    let config = ClientConfig::generic(&ClientOptions {
        userinfo_endpoint: Some([testing::ISSUER, "/userinfo"].concat()),
        ..two_origin_options()
    })
    .unwrap();
    let mut h = H::signed_in_with(config, Role::Alone, body("at1", Some("rt1"), None));
    let id = origin("https://id.example.com");
    assert_eq!(call(&mut h, T0, &id, false, "at2"), 1);
    assert_eq!(
        h.s.stats().retried_after_401,
        1,
        "retried at the userinfo endpoint"
    );
    // Another origin the set does not allow is not retried.
    let g = h.s.generation();
    let Ok(ApiStep::Wait(_)) =
        h.s.handle_api_answer(T0, g, &origin("https://else.example.com"), true)
    else {
        panic!("a dead token waits for a refresh")
    };
    h.drain();
    answer_refresh(&mut h, T0, "at3");
    assert_eq!(
        h.s.after_refresh(g, &origin("https://else.example.com")),
        Ok(ApiStep::Deliver)
    );
}

#[test]
fn the_held_set_is_known_dead_from_the_first_401_until_its_refresh_settles() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    assert!(!h.s.held_dead());
    assert_eq!(h.s.dead_refresh(), None);
    // A proactive refresh alone says nothing of the set: it stays usable meanwhile.
    let op = h.s.refresh(T0);
    h.drain();
    assert!(!h.s.held_dead());
    assert_eq!(h.s.dead_refresh(), None);
    // The first 401 joins it: from now on the set is known dead (no call starts with it).
    assert_eq!(
        h.s.handle_api_answer(T0, g, &api(), true),
        Ok(ApiStep::Wait(op))
    );
    assert!(h.s.held_dead());
    assert_eq!(h.s.dead_refresh(), Some(op), "the refresh it waits for");
    answer_refresh(&mut h, T0 + Millis(1.0), "at2");
    assert!(!h.s.held_dead(), "the new set is not");
    assert_eq!(h.s.dead_refresh(), None);
    // A refresh that fails without ending the session gives the set back (it is sent again,
    // and its next 401 starts the next refresh).
    let g = h.s.generation();
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0 + Millis(2.0), g, &api(), true) else {
        panic!("a 401 of the held set waits for a refresh");
    };
    h.drain();
    assert!(h.s.held_dead());
    assert_eq!(h.s.dead_refresh(), Some(op));
    let (id, _, _) = h.token_requests().last().copied().unwrap().clone();
    h.answer(
        T0 + Millis(3.0),
        id,
        Err(AuthError::Network {
            reason: "offline".into(),
        }),
    );
    assert_eq!(h.access(), Some("at2"), "the session is kept");
    assert!(!h.s.held_dead());
    assert_eq!(h.s.dead_refresh(), None);
}
