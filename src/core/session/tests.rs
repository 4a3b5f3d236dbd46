//! Host tests of the session machine: only through `handle_*`, the commands and `poll_*`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::config::ClientOptions;
use crate::core::http::SerdeJson;
use crate::core::testing::{self, form_pairs, token_body as body};
use crate::core::url::Origin;

const T0: Millis = testing::NOW;

mod api;
mod install_golden;
mod logout;
mod pair;
mod parse_identity;
mod refused;
mod revoke_golden;
mod tabs;
mod takeover;
mod timing;

/// The origin of `apiBase`, where the token may go.
fn api() -> Origin {
    Origin::parse("https://api.example.com", "test").unwrap()
}

/// The generic provider, with a refresh scope and an API base.
fn config() -> ClientConfig {
    ClientConfig::generic(&ClientOptions {
        scopes: Some(vec!["api".into(), "offline_access".into()]),
        api_base: Some("https://api.example.com/".into()),
        ..testing::generic_options()
    })
    .unwrap()
}

/// A login of `c` back with its code, ready for the exchange.
fn callback(c: &ClientConfig) -> ValidatedCallback {
    testing::validated_callback(c, 7, "c0de")
}

fn ok(body: String) -> Result<HttpAnswer, AuthError> {
    Ok(HttpAnswer { status: 200, body })
}

/// Runs a session and sorts what it asks for.
struct H {
    s: Session,
    sent: Vec<(RequestId, RequestKind, HttpRequest)>,
    events: Vec<AuthEvent>,
    broadcasts: Vec<TabMessage>,
    settled: Vec<(OpId, Result<(), AuthError>)>,
    /// How many times it asked to take the leader lock over.
    took_lead: usize,
}

/// A message as the other tabs read it: a posted set through the channel's reader
/// (`channel::decode`, with the trust rules), the others as they are.
#[cfg(feature = "sharing")]
fn read_back(config: &ClientConfig, m: TabMessage) -> TabMessage {
    match m {
        TabMessage::Set(text) => {
            crate::core::channel::decode(config, text.secret()).expect("a posted set reads back")
        }
        m => m,
    }
}

/// Without sharing nothing is posted.
#[cfg(not(feature = "sharing"))]
fn read_back(_: &ClientConfig, m: TabMessage) -> TabMessage {
    m
}

impl H {
    fn new(role: Role) -> Self {
        H::with(config(), role)
    }

    fn with(config: ClientConfig, role: Role) -> Self {
        H {
            s: Session::new(config, role),
            sent: vec![],
            events: vec![],
            broadcasts: vec![],
            settled: vec![],
            took_lead: 0,
        }
    }

    fn drain(&mut self) {
        while let Some(a) = self.s.poll_action() {
            match a {
                Action::Send { id, kind, request } => self.sent.push((id, kind, request)),
                Action::Emit(e) => self.events.push(e),
                Action::Broadcast(m) => {
                    let m = read_back(self.s.config(), m);
                    self.broadcasts.push(m);
                }
                Action::Settle { op, result } => {
                    assert!(
                        !self.settled.iter().any(|(o, _)| *o == op),
                        "{op:?} settled twice"
                    );
                    self.settled.push((op, result))
                }
                Action::TakeLead => self.took_lead += 1,
            }
        }
    }

    /// Signs in with a set of `access`/`refresh` and `expires_in`.
    fn signed_in(role: Role, expires_in: Option<u64>) -> Self {
        H::signed_in_with(config(), role, body("at1", Some("rt1"), expires_in))
    }

    /// Signs in with `config`, the code exchange answered with `answer`.
    fn signed_in_with(config: ClientConfig, role: Role, answer: String) -> Self {
        let mut h = H::with(config, role);
        let cb = callback(h.s.config());
        let op = h.s.start_login(&cb);
        h.drain();
        let (id, _, _) = h.sent.pop().unwrap();
        h.s.handle_response(T0, id, ok(answer), &SerdeJson);
        h.drain();
        assert!(matches!(h.settled.pop(), Some((o, Ok(()))) if o == op));
        h.events.clear();
        h.broadcasts.clear();
        h
    }

    fn answer(&mut self, now: Millis, id: RequestId, a: Result<HttpAnswer, AuthError>) {
        self.s.handle_response(now, id, a, &SerdeJson);
        self.drain();
    }

    /// An API answer says the token of generation `g` is dead: the refresh it waits for, and
    /// the first token request sent (the refresh's, in a fresh harness).
    fn dead_token_answer(&mut self, g: u64) -> (OpId, RequestId) {
        let Ok(ApiStep::Wait(op)) = self.s.handle_api_answer(T0, g, &api(), true) else {
            panic!("a dead token waits for a refresh")
        };
        self.drain();
        (op, self.token_requests()[0].0)
    }

    /// Answers every revocation request sent so far, with the status `status` gives its id (an
    /// id answered before is answered again: a second answer is ignored).
    fn answer_revocations(&mut self, status: impl Fn(RequestId) -> u16) {
        for (id, kind, _) in self.sent.clone() {
            if kind == RequestKind::Revocation {
                let body = String::new();
                self.answer(
                    T0,
                    id,
                    Ok(HttpAnswer {
                        status: status(id),
                        body,
                    }),
                );
            }
        }
    }

    /// The tokens every revocation request so far named, in order.
    fn revoked(&self) -> Vec<String> {
        self.sent
            .iter()
            .filter(|r| r.1 == RequestKind::Revocation)
            .filter_map(|r| field(&r.2, "token"))
            .collect()
    }

    fn token_requests(&self) -> Vec<&(RequestId, RequestKind, HttpRequest)> {
        self.sent
            .iter()
            .filter(|r| r.1 == RequestKind::Token)
            .collect()
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

fn field(r: &HttpRequest, name: &str) -> Option<String> {
    form_pairs(r.body.as_deref().unwrap_or(""))
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
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
        .map(|_| h.s.handle_api_answer(T0, g, &api(), true).unwrap())
        .collect();
    h.drain();
    assert_eq!(h.token_requests().len(), 1, "exactly one refresh request");
    let ApiStep::Wait(op) = ops[0].clone() else {
        panic!("a dead token waits for a refresh")
    };
    assert!(ops.iter().all(|s| *s == ApiStep::Wait(op)), "one shared op");
    let (id, _, req) = h.token_requests()[0].clone();
    assert_eq!(field(&req, "grant_type").as_deref(), Some("refresh_token"));
    h.answer(T0 + Millis(10.0), id, ok(body("at2", None, None)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.access(), Some("at2"));
    for _ in 0..1000 {
        assert_eq!(h.s.after_refresh(g, &api()), Ok(ApiStep::Retry));
    }
    assert_eq!(h.s.stats().refreshes, 1);
    assert_eq!(h.s.stats().retried_after_401, 1000);
    assert_eq!(h.names(), ["token_refreshed"]);
}

#[test]
fn a_401_for_an_older_generation_retries_without_a_second_refresh() {
    let mut h = H::signed_in(Role::Alone, None);
    let old = h.s.generation();
    let Ok(ApiStep::Wait(_)) = h.s.handle_api_answer(T0, old, &api(), true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    h.answer(T0, id, ok(body("at2", None, None)));
    // A request sent with the old token answers 401 after the refresh.
    assert_eq!(
        h.s.handle_api_answer(T0, old, &api(), true),
        Ok(ApiStep::Retry)
    );
    h.drain();
    assert_eq!(h.token_requests().len(), 1, "no second refresh");
    // A 401 for the new token does refresh again.
    let now = h.s.generation();
    assert!(matches!(
        h.s.handle_api_answer(T0, now, &api(), true),
        Ok(ApiStep::Wait(_))
    ));
    h.drain();
    assert_eq!(h.token_requests().len(), 2);
}

#[test]
fn non_dead_answers_are_delivered_and_same_token_is_not_retried() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    assert_eq!(
        h.s.handle_api_answer(T0, g, &api(), false),
        Ok(ApiStep::Deliver)
    );
    let Ok(ApiStep::Wait(op)) = h.s.handle_api_answer(T0, g, &api(), true) else {
        panic!()
    };
    h.drain();
    let (id, _, _) = h.token_requests()[0].clone();
    // The provider answers with the same access token: nothing to retry with.
    h.answer(T0, id, ok(body("at1", None, None)));
    assert_eq!(h.settled(op), Some(&Ok(())));
    assert_eq!(h.s.after_refresh(g, &api()), Ok(ApiStep::Deliver));
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
    let (op, id) = h.dead_token_answer(g);
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
        h.s.after_refresh(g, &api()).unwrap_err().code(),
        "not_authenticated"
    );
}

#[test]
fn a_network_error_keeps_the_session() {
    let mut h = H::signed_in(Role::Alone, None);
    let g = h.s.generation();
    let (op, id) = h.dead_token_answer(g);
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
        h.s.handle_api_answer(T0, g, &api(), true),
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
fn signed_out_api_answers_are_not_authenticated() {
    let mut h = H::new(Role::Alone);
    assert_eq!(
        h.s.handle_api_answer(T0, 0, &api(), true)
            .unwrap_err()
            .code(),
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

fn id_token(sub: &str, nonce: Option<&str>) -> String {
    let nonce = nonce.map_or(String::new(), |n| format!(r#","nonce":"{n}""#));
    testing::jwt(&testing::id_token_claims(
        testing::ISSUER,
        testing::GENERIC_CLIENT_ID,
        sub,
        &nonce,
    ))
}

/// Signs `h` in as alice ("at1", "rt1", an id_token naming her).
fn signed_in_as_alice(h: &mut H) {
    let cb = callback(h.s.config());
    let nonce = cb.nonce().map(|n| n.as_str().to_owned());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.sent.pop().unwrap();
    let first = testing::with_members(
        &body("at1", Some("rt1"), None),
        &format!(r#""id_token":"{}""#, id_token("alice", nonce.as_deref())),
    );
    h.answer(T0, id, ok(first));
}

#[test]
fn a_refresh_with_someone_elses_id_token_is_revoked_and_ends_the_session() {
    let mut h = H::new(Role::Leader);
    signed_in_as_alice(&mut h);
    assert_eq!(h.access(), Some("at1"), "{:?}", h.settled);
    h.events.clear();
    h.broadcasts.clear();
    let g = h.s.generation();
    let (op, id) = h.dead_token_answer(g);
    let theirs = testing::with_members(
        &body("theirs", Some("rt-theirs"), None),
        &format!(r#""id_token":"{}""#, id_token("mallory", None)),
    );
    h.answer(T0, id, ok(theirs));
    assert_eq!(h.access(), None, "the session ends");
    let e = h.settled(op).unwrap().as_ref().unwrap_err();
    assert_eq!(e.code(), "session_expired");
    assert!(e.message().contains("someone else's tokens"), "{e}");
    assert_eq!(h.names(), ["session_expired"], "emitted once");
    assert!(matches!(
        h.broadcasts.as_slice(),
        [TabMessage::Expired { .. }]
    ));
    let revoked = h.revoked();
    assert_eq!(revoked, ["rt-theirs", "theirs"], "what arrived is revoked");
}

#[test]
fn a_refresh_with_someone_elses_id_token_never_revokes_a_token_the_session_holds() {
    // The answer naming another user repeats the held refresh token (a server that does not
    // rotate echoes it), the held access token, or both: only what is not held is revoked.
    for (access, refresh, revoked) in [
        ("theirs", "rt1", &["theirs"][..]),
        ("at1", "rt-theirs", &["rt-theirs"]),
        ("at1", "rt1", &[]),
    ] {
        let mut h = H::new(Role::Alone);
        signed_in_as_alice(&mut h);
        let (op, id) = h.dead_token_answer(h.s.generation());
        let theirs = testing::with_members(
            &body(access, Some(refresh), None),
            &format!(r#""id_token":"{}""#, id_token("mallory", None)),
        );
        h.answer(T0, id, ok(theirs));
        let e = h.settled(op).unwrap().as_ref().unwrap_err();
        assert_eq!(e.code(), "session_expired", "{access} {refresh}");
        assert_eq!(h.access(), None, "the session ends");
        assert_eq!(h.revoked(), revoked, "{access} {refresh}");
    }
}
