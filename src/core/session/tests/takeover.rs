//! Leader liveness in `"tabs-locks"`: a follower takes the lock over from a leader that does
//! not answer, and never refreshes beside it; a leader that lost its lock, or that reads a
//! question its asker gave up on, does not refresh. Real tabs on one clock ([`Tabs`]): the
//! silent leader is a frozen tab.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::pair::{Tabs, set_of};
use super::*;

const TIMEOUT: Millis = Millis(15_000.0);
const L: usize = 0;
const F: usize = 1;
const G: usize = 2;

/// A leader that signed in as v5 and froze, and `followers` more tabs holding v5.
fn frozen_leader(followers: usize) -> Tabs {
    let mut roles = vec![Role::Leader];
    roles.extend((0..followers).map(|_| Role::Follower));
    let mut t = Tabs::new(&roles);
    t.sign_in(L, "v5");
    t.freeze(L);
    t
}

/// Follower `f`'s refresh question at `now`, unanswered until its deadline.
fn unanswered(t: &mut Tabs, f: usize, now: Millis) -> OpId {
    t.advance(now);
    let op = t[f].s.refresh(now);
    t.drive();
    assert_eq!(t[f].s.poll_timeout(), Some(now + TIMEOUT));
    t.advance(now + TIMEOUT);
    op
}

/// The same for every tab of `fs`, asking together.
fn all_unanswered(t: &mut Tabs, fs: &[usize], now: Millis) -> Vec<OpId> {
    t.advance(now);
    let ops = fs.iter().map(|&f| t[f].s.refresh(now)).collect();
    t.drive();
    t.advance(now + TIMEOUT);
    ops
}

#[test]
fn after_two_leader_timeouts_a_follower_takes_the_lock_over_and_refreshes_once() {
    let mut t = frozen_leader(1);
    let (login, _, _) = set_of(&t[L].broadcasts[0]).unwrap();
    let first = unanswered(&mut t, F, T0);
    assert_eq!(
        t[F].settled(first).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(t[F].took_lead, 0, "one timeout is not enough");
    let second = unanswered(&mut t, F, T0 + Millis(20_000.0));
    assert_eq!(t[F].took_lead, 1, "the second in a row takes the lock over");
    assert_eq!(
        t[F].settled(second),
        None,
        "the question waits for the lock"
    );
    assert!(
        t[F].token_requests().is_empty(),
        "never a refresh beside a leader without its lock"
    );
    assert_eq!(LEADER_TIMEOUTS_BEFORE_TAKEOVER, 2);
    t.advance(T0 + Millis(35_100.0));
    t.script(ok(body("v6", Some("rt2"), None)));
    assert!(t.grant_lock(F));
    assert_eq!(t[F].s.role(), Role::Leader);
    assert_eq!(t[F].token_requests().len(), 1, "exactly one refresh grant");
    assert_eq!(t[F].settled(second), Some(&Ok(())));
    assert_eq!(t[F].access(), Some("v6"));
    assert!(matches!(
        t[F].broadcasts.last(),
        Some(TabMessage::Tokens { login: l, .. }) if *l == login
    ));
    assert_eq!(t[F].token_requests().len(), 1);
    assert_eq!(
        t[L].token_requests().len(),
        1,
        "the frozen leader only signed in"
    );
}

#[test]
fn a_leader_heard_between_timeouts_resets_the_count() {
    let offline = || {
        Err(AuthError::Network {
            reason: "offline".into(),
        })
    };
    for word in [
        "its refresh failed",
        "its refreshed set",
        "it has no session",
    ] {
        let mut t = frozen_leader(1);
        let _ = unanswered(&mut t, F, T0);
        // The leader wakes at T0 + 16 s (the question it finds is too old to answer) and speaks.
        t.advance(T0 + Millis(16_000.0));
        t.thaw(L);
        let now = t.now;
        match word {
            "its refresh failed" => {
                let _ = t.refresh_with(L, offline());
            }
            "its refreshed set" => {
                let _ = t.refresh(L, "v6");
            }
            // Forged: what a leader without the session answers a new tab, heard by a
            // follower that holds one.
            _ => {
                t.deliver(F, TabMessage::NoSession);
            }
        }
        assert!(t[F].s.poll_timeout().is_none(), "{word}");
        t.freeze(L);
        let op = unanswered(&mut t, F, now + Millis(4_000.0));
        assert_eq!(t[F].took_lead, 0, "a live leader is not taken over: {word}");
        assert_eq!(
            t[F].settled(op).unwrap().as_ref().unwrap_err().code(),
            "network_error"
        );
    }
}

#[test]
fn a_takeover_that_gets_no_lock_fails_the_question_and_is_asked_again_next_time() {
    let mut t = frozen_leader(1);
    let _ = unanswered(&mut t, F, T0);
    let op = unanswered(&mut t, F, T0 + Millis(20_000.0));
    assert_eq!(t[F].took_lead, 1);
    // No lock within one more timeoutMs.
    t.advance(T0 + Millis(20_000.0) + TIMEOUT + TIMEOUT);
    assert_eq!(
        t[F].settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert_eq!(t[F].access(), Some("v5"), "the session is kept");
    let _ = unanswered(&mut t, F, T0 + Millis(60_000.0));
    assert_eq!(t[F].took_lead, 2);
    assert!(t[F].token_requests().is_empty());
}

#[test]
fn a_leader_leaves_a_question_older_than_timeout_ms_unanswered() {
    let mut t = frozen_leader(1);
    let _ = unanswered(&mut t, F, T0);
    t.advance(T0 + Millis(30_000.0));
    let _ = t.ask(F);
    // Frozen for 40 s: the question queued at T0 was given up on by its asker.
    t.advance(T0 + Millis(40_000.0));
    let questions = t.take_held(L);
    let [stale, fresh] = questions.as_slice() else {
        panic!("{questions:?}")
    };
    t.thaw(L);
    t.deliver(L, stale.clone());
    assert_eq!(
        t[L].token_requests().len(),
        1,
        "no refresh for a stale question"
    );
    // A question within timeoutMs is answered with one refresh.
    t.script(ok(body("v6", None, None)));
    t.deliver(L, fresh.clone());
    assert_eq!(t[L].token_requests().len(), 2);
    assert_eq!(t[F].access(), Some("v6"));
}

#[test]
fn a_leader_whose_lock_was_taken_over_follows_and_refreshes_no_more() {
    let mut t = Tabs::new(&[Role::Leader, Role::Follower, Role::Follower]);
    t.sign_in_with(L, body("v5", Some("rt"), Some(3_600)));
    assert!(
        t[L].s.poll_timeout().is_some(),
        "a proactive refresh is due later"
    );
    // Frozen; F takes the lock over and refreshes.
    t.freeze(L);
    let _ = unanswered(&mut t, F, T0);
    let _ = unanswered(&mut t, F, T0 + Millis(20_000.0));
    t.script(ok(body("v8", None, None)));
    assert!(t.grant_lock(F));
    // L wakes: it hears it lost the lock, then reads what came meanwhile.
    t.thaw(L);
    assert_eq!(t[L].s.role(), Role::Follower);
    assert_eq!(
        t[L].s.poll_timeout(),
        None,
        "followers refresh nothing ahead"
    );
    assert_eq!(t[L].access(), Some("v8"));
    let signed_in = t[L].token_requests().len();
    t.advance(T0 + Millis(3_600_000.0));
    // Another follower's question.
    t.script(ok(body("v9", None, None)));
    let _ = t.ask(G);
    assert_eq!(t[L].access(), Some("v9"));
    // Its own dead token: it asks the new leader.
    let g = t[L].s.generation();
    t.hold(L);
    let _ = t.dead_token(L, g);
    t.script(ok(body("v10", None, None)));
    t.drive();
    assert_eq!(
        t[L].token_requests().len(),
        signed_in,
        "only the new leader refreshes"
    );
    assert!(matches!(
        t[L].broadcasts.last(),
        Some(TabMessage::Refresh { .. })
    ));
    // The new leader's set arrives: adopted.
    t.release(L);
    assert_eq!(t[L].access(), Some("v10"));
    assert_eq!(t[L].token_requests().len(), signed_in);
    assert_eq!(t[F].token_requests().len(), 3, "F refreshed for everyone");
}

#[test]
fn a_takeover_is_no_longer_wanted_once_another_follower_took_over_and_answered() {
    let mut t = frozen_leader(2);
    assert!(!t[F].s.wants_lead());
    all_unanswered(&mut t, &[F, G], T0);
    assert!(!t[F].s.wants_lead(), "one timeout is not enough");
    let op = all_unanswered(&mut t, &[F, G], T0 + Millis(20_000.0))[0];
    assert!(t[F].s.wants_lead(), "asked at the second timeout");
    // G took the lock over first and sent its refreshed set.
    t.advance(T0 + Millis(35_050.0));
    t.script(ok(body("v6", None, None)));
    assert!(t.grant_lock(G));
    assert!(
        !t[F].s.wants_lead(),
        "a leader answered: no second takeover"
    );
    assert_eq!(
        t[F].settled(op),
        Some(&Ok(())),
        "the question has its answer"
    );
    assert!(!t.grant_lock(F), "F's takeover lands too late: not taken");
    assert_eq!(t[F].s.role(), Role::Follower);
    assert!(t[F].token_requests().is_empty());
    // And after a takeover that never came, its question failed: not wanted either.
    let mut t = frozen_leader(1);
    let _ = unanswered(&mut t, F, T0);
    let _ = unanswered(&mut t, F, T0 + Millis(20_000.0));
    t.advance(T0 + Millis(20_000.0) + TIMEOUT + TIMEOUT);
    assert!(!t[F].s.wants_lead());
}

#[test]
fn after_a_takeover_another_tab_made_the_count_starts_again_from_zero() {
    let mut t = frozen_leader(2);
    all_unanswered(&mut t, &[F, G], T0);
    all_unanswered(&mut t, &[F, G], T0 + Millis(20_000.0));
    assert_eq!(t[F].took_lead, 1);
    // G led first and answered; later G stops too.
    t.advance(T0 + Millis(35_050.0));
    t.script(ok(body("v6", None, None)));
    assert!(t.grant_lock(G));
    assert_eq!(t[F].access(), Some("v6"));
    t.freeze(G);
    let _ = unanswered(&mut t, F, T0 + Millis(60_000.0));
    assert_eq!(t[F].took_lead, 1, "one timeout is not enough");
    let _ = unanswered(&mut t, F, T0 + Millis(80_000.0));
    assert_eq!(t[F].took_lead, 2, "the second in a row takes over again");
}

#[test]
fn a_follower_that_takes_the_lead_mid_question_keeps_the_dead_mark() {
    for dead in [true, false] {
        let mut t = frozen_leader(1);
        let g = t[F].s.generation();
        // A 401 of the held set (known dead), or a question alone (not), asks the leader.
        let op = if dead {
            let Ok(ApiStep::Wait(op)) = t.dead_token(F, g) else {
                panic!("a 401 of the held set waits for a refresh")
            };
            t.drive();
            op
        } else {
            t.ask(F)
        };
        assert_eq!(t[F].s.held_dead(), dead, "while asking the leader");
        // The leader closes before it answers: F gets the lock and refreshes itself.
        t.close(L);
        assert_eq!(t[F].s.role(), Role::Leader);
        assert_eq!(t[F].token_requests().len(), 1, "F's own refresh");
        assert_eq!(t[F].s.held_dead(), dead, "until F's refresh settles");
        let (i, id) = t.waiting.pop().expect("F's refresh waits for its answer");
        let now = t.now;
        t[i].answer(now, id, ok(body("v6", Some("rt2"), None)));
        t.drive();
        assert_eq!(t[F].settled(op), Some(&Ok(())));
        assert_eq!(t[F].access(), Some("v6"));
        assert!(!t[F].s.held_dead(), "the new set is not dead");
    }
}
