//! Leader liveness in `"tabs-locks"`: a follower takes the lock over from a leader that does
//! not answer, and never refreshes beside it; a leader that lost its lock, or that reads a
//! question its asker gave up on, does not refresh.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::tabs::tab_set;
use super::*;

const TIMEOUT: f64 = 15_000.0;

/// A follower holding v5, whose refresh question at `now` goes unanswered until its deadline.
fn unanswered(h: &mut H, now: f64) -> OpId {
    let op = h.s.refresh(now);
    h.drain();
    assert_eq!(h.s.poll_timeout(), Some(now + TIMEOUT));
    h.s.handle_timeout(now + TIMEOUT);
    h.drain();
    op
}

fn follower() -> H {
    let mut h = H::new(Role::Follower);
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    h.drain();
    h
}

#[test]
fn after_two_leader_timeouts_a_follower_takes_the_lock_over_and_refreshes_once() {
    let mut h = follower();
    let first = unanswered(&mut h, T0);
    assert_eq!(
        h.settled(first).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(h.took_lead, 0, "one timeout is not enough");
    let second = unanswered(&mut h, T0 + 20_000.0);
    assert_eq!(h.took_lead, 1, "the second in a row takes the lock over");
    assert_eq!(h.settled(second), None, "the question waits for the lock");
    assert!(
        h.token_requests().is_empty(),
        "never a refresh beside a leader without its lock"
    );
    assert_eq!(LEADER_TIMEOUTS_BEFORE_TAKEOVER, 2);
    h.s.handle_became_leader(T0 + 35_100.0);
    h.drain();
    assert_eq!(h.s.role(), Role::Leader);
    assert_eq!(h.token_requests().len(), 1, "exactly one refresh grant");
    let (id, _, _) = h.token_requests()[0].clone();
    h.answer(T0 + 35_200.0, id, ok(body("v6", Some("rt2"), None)));
    assert_eq!(h.settled(second), Some(&Ok(())));
    assert_eq!(h.access(), Some("v6"));
    assert!(matches!(
        h.broadcasts.last(),
        Some(TabMessage::Tokens { login: 100, .. })
    ));
    assert_eq!(h.token_requests().len(), 1);
}

#[test]
fn a_leader_heard_between_timeouts_resets_the_count() {
    for word in [
        TabMessage::RefreshFailed {
            version: 5,
            error: AuthError::Network {
                reason: "offline".into(),
            },
        },
        tab_set(100, 6, "v6"),
        TabMessage::NoSession,
    ] {
        let mut h = follower();
        let _ = unanswered(&mut h, T0);
        h.s.handle_tab_message(T0 + 16_000.0, word);
        h.drain();
        let op = unanswered(&mut h, T0 + 20_000.0);
        assert_eq!(h.took_lead, 0, "a live leader is not taken over");
        assert_eq!(
            h.settled(op).unwrap().as_ref().unwrap_err().code(),
            "network_error"
        );
    }
}

#[test]
fn a_takeover_that_gets_no_lock_fails_the_question_and_is_asked_again_next_time() {
    let mut h = follower();
    let _ = unanswered(&mut h, T0);
    let op = unanswered(&mut h, T0 + 20_000.0);
    assert_eq!(h.took_lead, 1);
    // No lock within one more timeoutMs.
    h.s.handle_timeout(T0 + 20_000.0 + 2.0 * TIMEOUT);
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(h.access(), Some("v5"), "the session is kept");
    let _ = unanswered(&mut h, T0 + 60_000.0);
    assert_eq!(h.took_lead, 2);
    assert!(h.token_requests().is_empty());
}

#[test]
fn a_leader_leaves_a_question_older_than_timeout_ms_unanswered() {
    let mut h = H::signed_in(Role::Leader, None);
    let TabMessage::Tokens { version, .. } = h.s.tokens_message(h.s.tokens().unwrap().clone())
    else {
        unreachable!()
    };
    // Frozen for 40 s: the question queued meanwhile was given up on by its asker.
    let asked = Some(T0 as u64);
    h.s.handle_tab_message(T0 + 40_000.0, TabMessage::Refresh { version, at: asked });
    h.drain();
    assert!(
        h.token_requests().is_empty(),
        "no refresh for a stale question"
    );
    // A question within timeoutMs is answered with one refresh.
    let asked = Some((T0 + 30_000.0) as u64);
    h.s.handle_tab_message(T0 + 40_000.0, TabMessage::Refresh { version, at: asked });
    h.drain();
    assert_eq!(h.token_requests().len(), 1);
}

#[test]
fn a_leader_whose_lock_was_taken_over_follows_and_refreshes_no_more() {
    let mut h = H::signed_in(Role::Leader, Some(3_600));
    assert!(
        h.s.poll_timeout().is_some(),
        "a proactive refresh is due later"
    );
    h.s.handle_lost_lead();
    assert_eq!(h.s.role(), Role::Follower);
    assert_eq!(h.s.poll_timeout(), None, "followers refresh nothing ahead");
    h.s.handle_timeout(T0 + 3_600_000.0);
    let TabMessage::Tokens { version, .. } = h.s.tokens_message(h.s.tokens().unwrap().clone())
    else {
        unreachable!()
    };
    let at = Some((T0 + 3_600_000.0) as u64);
    h.s.handle_tab_message(T0 + 3_600_000.0, TabMessage::Refresh { version, at });
    // Its own dead token: it asks the new leader.
    let g = h.s.generation();
    let api = crate::core::url::Origin::parse("https://api.example.com", "apiBase").unwrap();
    let _ = h.s.handle_api_answer(T0 + 3_600_000.0, g, &api, true);
    h.drain();
    assert!(
        h.token_requests().is_empty(),
        "only the new leader refreshes"
    );
    assert!(matches!(
        h.broadcasts.last(),
        Some(TabMessage::Refresh { .. })
    ));
    // The new leader's set arrives: adopted.
    let TabMessage::Tokens { login, .. } = h.s.tokens_message(h.s.tokens().unwrap().clone()) else {
        unreachable!()
    };
    h.s.handle_tab_message(T0 + 3_600_100.0, tab_set(login, version + 1, "v9"));
    h.drain();
    assert_eq!(h.access(), Some("v9"));
    assert!(h.token_requests().is_empty());
}

#[test]
fn a_takeover_is_no_longer_wanted_once_another_follower_took_over_and_answered() {
    let mut h = follower();
    assert!(!h.s.wants_lead());
    let _ = unanswered(&mut h, T0);
    assert!(!h.s.wants_lead(), "one timeout is not enough");
    let op = unanswered(&mut h, T0 + 20_000.0);
    assert!(h.s.wants_lead(), "asked at the second timeout");
    // Another follower took the lock over first and sent its refreshed set.
    h.s.handle_tab_message(T0 + 35_050.0, tab_set(100, 6, "v6"));
    h.drain();
    assert!(!h.s.wants_lead(), "a leader answered: no second takeover");
    assert_eq!(h.settled(op), Some(&Ok(())), "the question has its answer");
    assert!(h.token_requests().is_empty());
    // And after a takeover that never came, its question failed: not wanted either.
    let mut h = follower();
    let _ = unanswered(&mut h, T0);
    let _ = unanswered(&mut h, T0 + 20_000.0);
    h.s.handle_timeout(T0 + 20_000.0 + 2.0 * TIMEOUT);
    assert!(!h.s.wants_lead());
}

#[test]
fn after_a_takeover_another_tab_made_the_count_starts_again_from_zero() {
    let mut h = follower();
    let _ = unanswered(&mut h, T0);
    let _ = unanswered(&mut h, T0 + 20_000.0);
    assert_eq!(h.took_lead, 1);
    // Another follower led first and answered; later that leader stops too.
    h.s.handle_tab_message(T0 + 35_050.0, tab_set(100, 6, "v6"));
    h.drain();
    let _ = unanswered(&mut h, T0 + 60_000.0);
    assert_eq!(h.took_lead, 1, "one timeout is not enough");
    let _ = unanswered(&mut h, T0 + 80_000.0);
    assert_eq!(h.took_lead, 2, "the second in a row takes over again");
}
