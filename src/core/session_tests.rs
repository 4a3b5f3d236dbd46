//! Host tests of the session machine: only through `handle_*`, the commands and `poll_*`.

use super::*;
use crate::core::authorize::{LoginOptions, authorization_request};
use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
use crate::core::config::ClientOptions;
use crate::core::http::SerdeJson;
use crate::core::state::LoginRandomness;

const T0: f64 = 1_700_000_000_000.0;

fn config() -> ClientConfig {
    ClientConfig::generic(&ClientOptions {
        client_id: Some("cid".into()),
        redirect_uri: Some("https://app.example.com/callback".into()),
        authorization_endpoint: Some("https://id.example.com/authorize".into()),
        token_endpoint: Some("https://id.example.com/token".into()),
        revocation_endpoint: Some("https://id.example.com/revoke".into()),
        scopes: Some(vec!["api".into(), "offline_access".into()]),
        api_base: Some("https://api.example.com/".into()),
        ..Default::default()
    })
    .unwrap()
}

fn callback(c: &ClientConfig) -> ValidatedCallback {
    let req = authorization_request(
        c,
        &LoginOptions::default(),
        &LoginRandomness::from_bytes(&[7; 96]),
        T0,
        None,
    )
    .unwrap();
    let q = ["code=c0de&state=", req.pending.state.as_str()].concat();
    validate_callback(
        c,
        parse_callback(&q).unwrap().unwrap(),
        PendingLookup::Found(req.pending),
        T0,
    )
    .unwrap()
}

fn body(access: &str, refresh: Option<&str>, expires_in: Option<u64>) -> String {
    let mut b = format!(r#"{{"access_token":"{access}","token_type":"Bearer""#);
    if let Some(r) = refresh {
        b += &format!(r#","refresh_token":"{r}""#);
    }
    if let Some(e) = expires_in {
        b += &format!(r#","expires_in":{e}"#);
    }
    b + "}"
}

fn ok(body: String) -> Result<HttpAnswer, AuthError> {
    Ok(HttpAnswer { status: 200, body })
}

/// Runs a session and sorts what it asks for.
struct H {
    s: Session,
    sent: Vec<(RequestId, Purpose, HttpRequest)>,
    events: Vec<AuthEvent>,
    broadcasts: Vec<TabMessage>,
    settled: Vec<(OpId, Result<(), AuthError>)>,
}

impl H {
    fn new(role: Role) -> Self {
        H {
            s: Session::new(config(), role),
            sent: vec![],
            events: vec![],
            broadcasts: vec![],
            settled: vec![],
        }
    }

    fn drain(&mut self) {
        while let Some(a) = self.s.poll_action() {
            match a {
                Action::Send {
                    id,
                    purpose,
                    request,
                } => self.sent.push((id, purpose, request)),
                Action::Emit(e) => self.events.push(e),
                Action::Broadcast(m) => self.broadcasts.push(m),
                Action::Settle { op, result } => self.settled.push((op, result)),
            }
        }
    }

    /// Signs in with a set of `access`/`refresh` and `expires_in`.
    fn signed_in(role: Role, expires_in: Option<u64>) -> Self {
        let mut h = H::new(role);
        let cb = callback(h.s.config());
        let op = h.s.start_login(&cb);
        h.drain();
        let (id, _, _) = h.sent.pop().unwrap();
        h.s.handle_response(T0, id, ok(body("at1", Some("rt1"), expires_in)), &SerdeJson);
        h.drain();
        assert!(matches!(h.settled.pop(), Some((o, Ok(()))) if o == op));
        h.events.clear();
        h.broadcasts.clear();
        h
    }

    fn answer(&mut self, now: f64, id: RequestId, a: Result<HttpAnswer, AuthError>) {
        self.s.handle_response(now, id, a, &SerdeJson);
        self.drain();
    }

    fn token_requests(&self) -> Vec<&(RequestId, Purpose, HttpRequest)> {
        self.sent.iter().filter(|r| r.1 == Purpose::Token).collect()
    }

    fn access(&self) -> Option<&str> {
        self.s.tokens().map(|t| t.access_token.secret())
    }

    fn settled(&self, op: OpId) -> Option<&Result<(), AuthError>> {
        self.settled.iter().find(|(o, _)| *o == op).map(|(_, r)| r)
    }

    fn names(&self) -> Vec<&'static str> {
        self.events.iter().map(AuthEvent::name).collect()
    }
}

fn form(r: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(r.body.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn field(r: &HttpRequest, name: &str) -> Option<String> {
    form(r).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[test]
fn login_installs_and_emits() {
    let h = H::signed_in(Role::Alone, None);
    assert_eq!(h.access(), Some("at1"));
    assert_eq!(h.s.stats().logins, 1);
    assert_eq!(h.s.generation(), 1);
}

#[test]
fn a_thousand_concurrent_401s_make_one_refresh() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let ops: Vec<ApiStep> = (0..1000)
        .map(|_| h.s.handle_api_answer(T0, g, true).unwrap())
        .collect();
    h.drain();
    assert_eq!(h.token_requests().len(), 1, "exactly one refresh request");
    let ApiStep::Wait(op) = ops[0].clone() else {
        panic!("a dead token waits for a refresh")
    };
    assert!(ops.iter().all(|s| *s == ApiStep::Wait(op)), "one shared op");
    let (id, _, req) = h.token_requests()[0].clone();
    assert_eq!(field(&req, "grant_type").as_deref(), Some("refresh_token"));
    h.answer(T0 + 10.0, id, ok(body("at2", None, None)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.access(), Some("at2"));
    for _ in 0..1000 {
        assert_eq!(h.s.after_refresh(g), Ok(ApiStep::Retry));
    }
    assert_eq!(h.s.stats().refreshes, 1);
    assert_eq!(h.s.stats().retried_after_401, 1000);
    assert_eq!(h.names(), ["token_refreshed"]);
}

#[test]
fn a_401_for_an_older_generation_retries_without_a_second_refresh() {
    let mut h = H::signed_in(Role::Alone, None);
    let old = h.s.generation();
    let Ok(ApiStep::Wait(_)) = h.s.handle_api_answer(T0, old, true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    h.answer(T0, id, ok(body("at2", None, None)));
    // A request sent with the old token answers 401 after the refresh.
    assert_eq!(h.s.handle_api_answer(T0, old, true), Ok(ApiStep::Retry));
    h.drain();
    assert_eq!(h.token_requests().len(), 1, "no second refresh");
    // A 401 for the new token does refresh again.
    let now = h.s.generation();
    assert!(matches!(
        h.s.handle_api_answer(T0, now, true),
        Ok(ApiStep::Wait(_))
    ));
    h.drain();
    assert_eq!(h.token_requests().len(), 2);
}

#[test]
fn non_dead_answers_are_delivered_and_same_token_is_not_retried() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    assert_eq!(h.s.handle_api_answer(T0, g, false), Ok(ApiStep::Deliver));
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    // The provider answers with the same access token: nothing to retry with.
    h.answer(T0, id, ok(body("at1", None, None)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.s.after_refresh(g), Ok(ApiStep::Deliver));
}

#[test]
fn rotation_replaces_the_refresh_token_before_the_refresh_is_done() {
    let mut h = H::signed_in(Role::Alone, None);
    let _ = h.s.refresh(T0);
    h.drain();
    let (id, _, req) = h.token_requests()[0].clone();
    assert_eq!(field(&req, "refresh_token").as_deref(), Some("rt1"));
    h.answer(T0, id, ok(body("at2", Some("rt2"), None)));
    assert_eq!(
        h.s.tokens()
            .unwrap()
            .refresh_token
            .as_ref()
            .unwrap()
            .secret(),
        "rt2"
    );
    let _ = h.s.refresh(T0);
    h.drain();
    let (_, _, req) = h.token_requests()[1].clone();
    assert_eq!(field(&req, "refresh_token").as_deref(), Some("rt2"));
    // Without rotation the old refresh token is kept.
    let (id, _, _) = h.token_requests()[1].clone();
    h.answer(T0, id, ok(body("at3", None, None)));
    assert_eq!(
        h.s.tokens()
            .unwrap()
            .refresh_token
            .as_ref()
            .unwrap()
            .secret(),
        "rt2"
    );
}

#[test]
fn invalid_grant_ends_the_session() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    let refused = HttpAnswer {
        status: 400,
        body: r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#
            .into(),
    };
    h.answer(T0, id, Ok(refused));
    assert_eq!(h.access(), None);
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "session_expired"
    );
    assert_eq!(h.names(), ["session_expired"]);
    assert_eq!(h.s.stats().refresh_failures, 1);
    assert_eq!(
        h.s.after_refresh(g).unwrap_err().code(),
        "not_authenticated"
    );
}

#[test]
fn a_network_error_keeps_the_session() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    let offline = AuthError::Network {
        reason: "offline".into(),
    };
    h.answer(T0, id, Err(offline));
    assert_eq!(h.access(), Some("at1"), "the session is kept");
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "network_error"
    );
    assert!(h.names().is_empty());
    // The next 401 tries again.
    assert!(matches!(
        h.s.handle_api_answer(T0, g, true),
        Ok(ApiStep::Wait(o)) if o != op
    ));
}

#[test]
fn no_refresh_token_ends_the_session() {
    let mut h = H::new(Role::Alone);
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.sent.pop().unwrap();
    h.answer(T0, id, ok(body("at1", None, None)));
    let op = h.s.refresh(T0);
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "session_expired"
    );
    assert_eq!(h.access(), None);
}

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
        [AuthEvent::Logout { revoked: true }]
    ));
    assert_eq!(h.s.stats().revocations, 2);
}

#[test]
fn logout_while_a_refresh_is_in_flight_revokes_what_it_returns() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let Ok(ApiStep::Wait(flight)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    h.drain();
    let (refresh_id, _, _) = h.token_requests()[0].clone();
    let op = h.s.logout(T0);
    h.drain();
    assert_eq!(
        h.settled(flight).unwrap().as_ref().unwrap_err().code(),
        "not_authenticated"
    );
    for (id, purpose, _) in h.sent.clone() {
        if purpose == Purpose::Revocation {
            h.answer(T0, id, ok(String::new()));
        }
    }
    assert!(h.settled(op).is_none(), "logout waits for the refresh");
    h.answer(T0, refresh_id, ok(body("at2", Some("rt2"), None)));
    assert_eq!(h.access(), None, "nothing the refresh returned is kept");
    let late: Vec<String> = h
        .sent
        .iter()
        .filter(|r| r.1 == Purpose::Revocation)
        .filter_map(|r| field(&r.2, "token"))
        .collect();
    assert_eq!(
        late,
        ["rt1", "at1", "rt2", "at2"],
        "what arrived is revoked"
    );
    assert!(h.settled(op).is_none());
    for (id, purpose, _) in h.sent.clone().into_iter().skip(3) {
        if purpose == Purpose::Revocation {
            h.answer(T0, id, ok(String::new()));
        }
    }
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert!(!h.names().contains(&"token_refreshed"));
}

#[test]
fn logout_is_bounded_by_the_timeout() {
    let mut h = H::signed_in(Role::Alone, None);
    let op = h.s.logout(T0);
    h.drain();
    let deadline = h.s.poll_timeout().unwrap();
    assert_eq!(deadline, T0 + 15_000.0);
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
    let Ok(ApiStep::Wait(flight)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    h.drain();
    let (refresh_id, _, _) = h.token_requests()[0].clone();
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (login_id, _, _) = h.sent.last().unwrap().clone();
    h.answer(T0, login_id, ok(body("new1", Some("newrt"), None)));
    assert_eq!(h.settled(flight), Some(&Ok(())), "its callers retry");
    assert_eq!(h.s.after_refresh(g), Ok(ApiStep::Retry));
    h.answer(T0, refresh_id, ok(body("old2", Some("oldrt2"), None)));
    assert_eq!(h.access(), Some("new1"));
    let revoked: Vec<String> = h
        .sent
        .iter()
        .filter(|r| r.1 == Purpose::Revocation)
        .filter_map(|r| field(&r.2, "token"))
        .collect();
    assert_eq!(revoked, ["oldrt2", "old2"]);
}

#[test]
fn proactive_refresh_for_an_hour_long_token() {
    let mut h = H::signed_in(Role::Alone, Some(3600));
    assert_eq!(h.s.poll_timeout(), Some(T0 + 3_540_000.0));
    h.s.handle_timeout(T0 + 3_539_999.0);
    h.drain();
    assert!(h.token_requests().is_empty());
    h.s.handle_timeout(T0 + 3_540_000.0);
    h.drain();
    assert_eq!(h.token_requests().len(), 1);
    assert_eq!(h.s.poll_timeout(), None, "no timer while a refresh flies");
    let (id, _, _) = h.token_requests()[0].clone();
    let t1 = T0 + 3_540_100.0;
    h.answer(t1, id, ok(body("at2", None, Some(3600))));
    assert_eq!(h.s.poll_timeout(), Some(t1 + 3_540_000.0));
    assert!(!h.names().contains(&"error"));
}

/// Idle for `secs` seconds, waking whenever the session asks; how many refreshes started.
fn idle(h: &mut H, from: f64, secs: u64) -> usize {
    let end = from + secs as f64 * 1000.0;
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
        let _ = h.s.handle_api_answer(T0 + 1.0, g, true);
        h.drain();
        let (id, _, _) = h.token_requests()[0].clone();
        h.answer(T0 + 2.0, id, ok(body("at2", None, Some(expires_in))));
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
        Some(T0 + 25_000.0),
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

fn tab_set(login: u64, version: u64, access: &str) -> TabMessage {
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
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    h.drain();
    assert_eq!(h.access(), Some("v5"));
    assert_eq!(h.names(), ["login"]);
    // Older version of the same login, arriving late.
    h.s.handle_tab_message(T0, tab_set(100, 4, "v4"));
    // The same one again.
    h.s.handle_tab_message(T0, tab_set(100, 5, "v5"));
    h.drain();
    assert_eq!(h.access(), Some("v5"));
    assert_eq!(h.names(), ["login"]);
    h.s.handle_tab_message(T0, tab_set(100, 6, "v6"));
    h.drain();
    assert_eq!(h.access(), Some("v6"));
    assert_eq!(h.names(), ["login", "token_refreshed"]);
    // A set of an older login, whatever its version.
    h.s.handle_tab_message(T0, tab_set(99, 1_000, "old"));
    h.drain();
    assert_eq!(h.access(), Some("v6"));
    // A newer login wins over any version.
    h.s.handle_tab_message(T0, tab_set(101, 1, "new"));
    h.drain();
    assert_eq!(h.access(), Some("new"));
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
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, true) else {
        panic!()
    };
    let _ = h.s.handle_api_answer(T0, g, true);
    h.drain();
    assert!(
        h.sent.is_empty(),
        "a follower never calls the token endpoint"
    );
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Refresh { version: 5 }]
    ));
    h.s.handle_tab_message(T0, tab_set(100, 6, "v6"));
    h.drain();
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.s.after_refresh(g), Ok(ApiStep::Retry));
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
        },
    );
    h.drain();
    assert!(h.token_requests().is_empty());
    assert_eq!(h.broadcasts.len(), 2);
    // A follower at the leader's version: one refresh for everyone.
    h.s.handle_tab_message(T0, TabMessage::Refresh { version });
    h.s.handle_tab_message(T0, TabMessage::Refresh { version });
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

#[test]
fn signed_out_api_answers_are_not_authenticated() {
    let mut h = H::new(Role::Alone);
    assert_eq!(
        h.s.handle_api_answer(T0, 0, true).unwrap_err().code(),
        "not_authenticated"
    );
    let op = h.s.refresh(T0);
    h.drain();
    assert_eq!(
        h.settled(op).unwrap().as_ref().unwrap_err().code(),
        "not_authenticated"
    );
    let op = h.s.logout(T0);
    h.drain();
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert!(h.names().is_empty());
}
