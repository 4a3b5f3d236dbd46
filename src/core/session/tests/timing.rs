//! Proactive refresh: timing, the 30 s floor, tiny lifetimes.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

#[test]
fn proactive_refresh_for_an_hour_long_token() {
    let mut h = H::signed_in(Role::Alone, Some(3600));
    assert_eq!(h.s.poll_timeout(), Some(T0 + Millis(3_540_000.0)));
    h.s.handle_timeout(T0 + Millis(3_539_999.0));
    h.drain();
    assert!(h.token_requests().is_empty());
    h.s.handle_timeout(T0 + Millis(3_540_000.0));
    h.drain();
    assert_eq!(h.token_requests().len(), 1);
    assert_eq!(h.s.poll_timeout(), None, "no timer while a refresh flies");
    let (id, _, _) = h.token_requests()[0].clone();
    let t1 = T0 + Millis(3_540_100.0);
    h.answer(t1, id, ok(body("at2", None, Some(3600))));
    assert_eq!(h.s.poll_timeout(), Some(t1 + Millis(3_540_000.0)));
    assert!(!h.names().contains(&"error"));
}

/// Idle for `secs` seconds, waking whenever the session asks; how many refreshes started.
fn idle(h: &mut H, from: Millis, secs: u64) -> usize {
    let end = from + Millis(secs as f64 * 1000.0);
    let before = h.token_requests().len();
    while let Some(t) = h.s.poll_timeout().filter(|t| *t <= end) {
        h.s.handle_timeout(t.max(from));
        h.drain();
    }
    h.token_requests().len() - before
}

#[test]
fn tiny_lifetimes_fall_back_to_401_and_are_reported_once() {
    for expires_in in [0, 1] {
        let mut h = H::new(Role::Alone);
        let cb = callback(h.s.config());
        let _ = h.s.start_login(&cb);
        h.drain();
        let (id, _, _) = h.sent.pop().unwrap();
        h.answer(T0, id, ok(body("at1", Some("rt1"), Some(expires_in))));
        assert_eq!(h.s.poll_timeout(), None, "no proactive refresh");
        assert_eq!(idle(&mut h, T0, 60), 0, "no refresh in 60 idle seconds");
        let errors: Vec<_> = h
            .events
            .iter()
            .filter_map(|e| match e {
                AuthEvent::Error(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code(), "invalid_token_response");
        assert!(errors[0].message().contains("expires_in"));
        assert_eq!(
            h.s.stats().errors_by_code.get("invalid_token_response"),
            Some(&1)
        );
        // The 401 path still refreshes, and the next tiny set is not reported again.
        let g = h.s.generation();
        let _ = h.s.handle_api_answer(T0 + Millis(1.0), g, &api(), true);
        h.drain();
        let (id, _, _) = h.token_requests()[0].clone();
        h.answer(
            T0 + Millis(2.0),
            id,
            ok(body("at2", None, Some(expires_in))),
        );
        assert_eq!(h.access(), Some("at2"));
        assert_eq!(
            h.s.stats().errors_by_code.get("invalid_token_response"),
            Some(&1)
        );
    }
}

#[test]
fn proactive_refreshes_are_at_least_the_floor_apart() {
    // 30 s lifetimes would be refreshed 25 s after issue (5 s early); the floor makes it 30.
    let mut h = H::signed_in(Role::Alone, Some(30));
    assert_eq!(
        h.s.poll_timeout(),
        Some(T0 + Millis(25_000.0)),
        "the first one is not held back"
    );
    let mut starts = vec![];
    for i in 0..10 {
        let now = h.s.poll_timeout().unwrap();
        h.s.handle_timeout(now);
        h.drain();
        let (id, _, _) = h.token_requests().last().map(|r| (*r).clone()).unwrap();
        starts.push(now);
        h.sent.clear();
        h.answer(now, id, ok(body(&format!("at{i}"), None, Some(30))));
    }
    for w in starts.windows(2) {
        assert_eq!(w[1] - w[0], PROACTIVE_FLOOR_MS);
    }
    assert_eq!(h.s.stats().refreshes, 10);
}
