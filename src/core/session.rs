//! The session state machine (quinn-proto's shape): it owns the token set and makes every
//! decision of a session's life, and performs no I/O and reads no clock.
//!
//! Inputs go in through `handle_*` and the few commands (`start_login`, `logout`,
//! `handle_api_answer`); outputs come out of [`Session::poll_action`] as plain [`Action`]s, and
//! [`Session::poll_timeout`] says when to call [`Session::handle_timeout`]. The runtime
//! (`src/browser`) only executes actions and feeds the results back; it makes no generation,
//! version or expiry comparison of its own.
//!
//! The driver's one promise: every [`Action::Send`] gets exactly one
//! [`Session::handle_response`] with its id — the answer, or a `network_error` once its own
//! timeout (`timeoutMs`) passes.
//!
//! What lives here: single-flight refresh keyed by the token set's generation, rotation
//! adoption, `invalid_grant` → session over, network error → session kept, proactive timing
//! with a floor, revocation at logout (and of whatever a refresh in flight returns after it),
//! and the ordering of token sets between tabs by the interactive login they descend from.

use std::collections::VecDeque;

use crate::core::callback::ValidatedCallback;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{AuthEvent, Stats};
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::refresh::proactive_refresh_at;
use crate::core::revocation::{TokenKind, process_revocation_response, revocation_request};
use crate::core::state::Nonce;
use crate::core::text::decimal;
use crate::core::token::{
    Grant, TokenOutcome, TokenSet, process_token_response, refresh_request, token_request,
};
use crate::core::wire::SessionView;

/// A token set whose lifetime is shorter than this is not refreshed ahead of expiry (the 401
/// path does it), and no two proactive refreshes start closer than this without a 401.
pub const PROACTIVE_FLOOR_MS: f64 = 30_000.0;
/// The largest login id or version a tab message may carry (2^53: exact in a JS number).
pub const MAX_TAB_NUMBER: u64 = 1 << 53;

/// Names one request the session asked the driver to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId(u64);

/// Names one operation a caller awaits (a login, a refresh, a logout); settled by
/// [`Action::Settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpId(u64);

/// What a request is for (the driver's timeout and error wording depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Code exchange or refresh at the token endpoint.
    Token,
    /// Revocation (RFC 7009).
    Revocation,
}

/// An answer the driver got for a [`Action::Send`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// How this session takes part in sharing between tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not shared: this session refreshes for itself.
    Alone,
    /// Shared, and this tab holds the leader lock: it refreshes for every tab.
    Leader,
    /// Shared, another tab leads: refreshes are asked of it.
    Follower,
}

/// A message between the tabs of one session group (`sessionSharing: "tabs-locks"`). `login`
/// is the id of the interactive login a set descends from; `version` orders the sets of one
/// login (refreshes).
#[derive(Debug, Clone)]
pub enum TabMessage {
    /// A new tab asks for the session.
    Hello,
    /// A token set.
    Tokens {
        /// Login id.
        login: u64,
        /// Version within the login.
        version: u64,
        /// The set.
        tokens: TokenSet,
    },
    /// The leader holds no session.
    NoSession,
    /// A follower asks the leader for a set newer than `version`.
    Refresh {
        /// The follower's version.
        version: u64,
    },
    /// The leader's refresh of `version` failed without ending the session.
    RefreshFailed {
        /// The version it tried to replace.
        version: u64,
        /// Why.
        error: AuthError,
    },
    /// Signed out (sets of `login` and older are dead).
    Logout {
        /// The login that ended.
        login: u64,
    },
    /// The session of `login` ended: a refresh was refused.
    Expired {
        /// The login that ended.
        login: u64,
        /// Why.
        error: AuthError,
    },
}

/// What the driver must do next.
#[must_use]
#[derive(Debug)]
pub enum Action {
    /// Send this request; hand its answer to [`Session::handle_response`] with `id`.
    Send {
        /// The request's id.
        id: RequestId,
        /// What it is for.
        purpose: Purpose,
        /// The request.
        request: HttpRequest,
    },
    /// Deliver this event to the app's listeners.
    Emit(AuthEvent),
    /// Post this message to the other tabs.
    Broadcast(TabMessage),
    /// The operation `op` is over; resolve whoever awaits it.
    Settle {
        /// The operation.
        op: OpId,
        /// Its result.
        result: Result<(), AuthError>,
    },
}

/// What to do with an API answer (see [`Session::handle_api_answer`]).
#[must_use]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiStep {
    /// Give the response to the caller as it is.
    Deliver,
    /// Send the request once more with the current token.
    Retry,
    /// Wait for the refresh `op`, then ask [`Session::after_refresh`].
    Wait(OpId),
}

/// What a request in flight was for.
enum Pending {
    Login {
        op: OpId,
        nonce: Option<Nonce>,
        epoch: u64,
    },
    Refresh {
        generation: u64,
        epoch: u64,
    },
    Revoke {
        for_logout: bool,
    },
}

/// The refresh in flight (at most one: single flight).
struct Flight {
    op: OpId,
    generation: u64,
    /// `Some(deadline)` when a follower waits for the leader's answer.
    leader_deadline: Option<f64>,
}

/// A logout waiting for its revocations (and for refreshes that were in flight).
struct Logout {
    op: OpId,
    deadline: f64,
    revoked: u32,
    attempted: bool,
    failure: Option<AuthError>,
}

/// The session state machine. See the module documentation.
pub struct Session {
    config: ClientConfig,
    role: Role,
    tokens: Option<TokenSet>,
    generation: u64,
    login: u64,
    version: u64,
    /// Sets from this login or older are ignored (after a logout or an ended session).
    dead_login: u64,
    /// Bumped by logout: answers to requests sent before it are revoked, not kept.
    epoch: u64,
    flight: Option<Flight>,
    pending: Vec<(RequestId, Pending)>,
    logout: Option<Logout>,
    next_id: u64,
    proactive_at: Option<f64>,
    last_proactive: f64,
    tiny_reported: bool,
    stats: Stats,
    actions: VecDeque<Action>,
}

impl Session {
    /// A signed-out session for `config`.
    pub fn new(config: ClientConfig, role: Role) -> Self {
        Session {
            config,
            role,
            tokens: None,
            generation: 0,
            login: 0,
            version: 0,
            dead_login: 0,
            epoch: 0,
            flight: None,
            pending: Vec::new(),
            logout: None,
            next_id: 0,
            proactive_at: None,
            last_proactive: f64::NEG_INFINITY,
            tiny_reported: false,
            stats: Stats::default(),
            actions: VecDeque::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The held token set, if signed in.
    pub fn tokens(&self) -> Option<&TokenSet> {
        self.tokens.as_ref()
    }

    /// Bumped whenever the access token changes or the session ends.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The sharing role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The counters (for the client's whole life).
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The next thing to do, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) wants to run (ms since the epoch).
    pub fn poll_timeout(&self) -> Option<f64> {
        let proactive = match (&self.flight, self.role) {
            (None, Role::Alone | Role::Leader) => self.proactive_at,
            _ => None,
        };
        let leader = self.flight.as_ref().and_then(|f| f.leader_deadline);
        let logout = self.logout.as_ref().map(|l| l.deadline);
        [proactive, leader, logout]
            .into_iter()
            .flatten()
            .reduce(f64::min)
    }

    /// Counts a failure by code and emits the `error` event.
    pub fn report(&mut self, error: &AuthError) {
        self.stats.errors_by_code.increment(error.code());
        self.actions
            .push_back(Action::Emit(AuthEvent::Error(error.clone())));
    }

    /// A tab message could not be read: counted (`invalid_tab_message`), no event.
    pub fn note_bad_tab_message(&mut self) {
        self.stats.errors_by_code.increment("invalid_tab_message");
    }

    /// Exchanges a validated callback's code; `op` settles when the session is installed.
    pub fn start_login(&mut self, callback: &ValidatedCallback) -> OpId {
        let op = self.op();
        let request = token_request(&self.config, callback);
        let pending = Pending::Login {
            op,
            nonce: callback.nonce().cloned(),
            epoch: self.epoch,
        };
        self.send(Purpose::Token, request, pending);
        op
    }

    /// An API request sent with the set of `generation` got an answer; `dead` when it says
    /// the token is dead (401, or the profile's dead-token answer). Signed out → the caller
    /// gets `not_authenticated`.
    pub fn handle_api_answer(
        &mut self,
        now: f64,
        generation: u64,
        dead: bool,
    ) -> Result<ApiStep, AuthError> {
        if !dead {
            return Ok(ApiStep::Deliver);
        }
        if self.tokens.is_none() {
            return Err(AuthError::NotAuthenticated);
        }
        if generation != self.generation {
            self.stats.retried_after_401 += 1;
            return Ok(ApiStep::Retry);
        }
        Ok(ApiStep::Wait(self.refresh(now)))
    }

    /// After the refresh a request waited for: retry with the new token, or deliver the first
    /// answer when the token did not change.
    pub fn after_refresh(&mut self, generation: u64) -> Result<ApiStep, AuthError> {
        if self.tokens.is_none() {
            return Err(AuthError::NotAuthenticated);
        }
        if generation == self.generation {
            return Ok(ApiStep::Deliver);
        }
        self.stats.retried_after_401 += 1;
        Ok(ApiStep::Retry)
    }

    /// Refreshes the held set, once for all callers: joins the refresh in flight for this
    /// generation, or starts one (a follower asks the leader). Returns the operation to await.
    pub fn refresh(&mut self, now: f64) -> OpId {
        if let Some(f) = self
            .flight
            .as_ref()
            .filter(|f| f.generation == self.generation)
        {
            return f.op;
        }
        let op = self.op();
        self.start_refresh(now, op);
        op
    }

    fn start_refresh(&mut self, now: f64, op: OpId) {
        let generation = self.generation;
        let Some(tokens) = &self.tokens else {
            self.settle(op, Err(AuthError::NotAuthenticated));
            return;
        };
        if self.role == Role::Follower {
            self.flight = Some(Flight {
                op,
                generation,
                leader_deadline: Some(now + f64::from(self.config.timeout_ms)),
            });
            let version = self.version;
            self.actions
                .push_back(Action::Broadcast(TabMessage::Refresh { version }));
            return;
        }
        let Some(refresh_token) = &tokens.refresh_token else {
            let e = AuthError::SessionExpired {
                error: None,
                description: Some("no refresh token: request the refresh_token scope".into()),
            };
            self.end_session(&e);
            self.settle(op, Err(e));
            return;
        };
        let request = refresh_request(&self.config, refresh_token);
        self.flight = Some(Flight {
            op,
            generation,
            leader_deadline: None,
        });
        let epoch = self.epoch;
        self.send(
            Purpose::Token,
            request,
            Pending::Refresh { generation, epoch },
        );
    }

    /// The answer (or network error) to a request this session asked for.
    pub fn handle_response(
        &mut self,
        now: f64,
        id: RequestId,
        answer: Result<HttpAnswer, AuthError>,
        json: &impl JsonDecoder,
    ) {
        let Some(i) = self.pending.iter().position(|(r, _)| *r == id) else {
            return;
        };
        let (_, what) = self.pending.swap_remove(i);
        match what {
            Pending::Login { op, nonce, epoch } => {
                let grant = Grant::AuthorizationCode {
                    nonce: nonce.as_ref(),
                };
                let result = answer.and_then(|a| {
                    process_token_response(&self.config, grant, a.status, &a.body, now, json)
                });
                self.login_answered(now, op, epoch, result);
            }
            Pending::Refresh { generation, epoch } => {
                let result = answer.and_then(|a| match &self.tokens {
                    Some(previous) => process_token_response(
                        &self.config,
                        Grant::Refresh { previous },
                        a.status,
                        &a.body,
                        now,
                        json,
                    ),
                    // Signed out meanwhile: whatever arrived is revoked below.
                    None => process_token_response(
                        &self.config,
                        Grant::AuthorizationCode { nonce: None },
                        a.status,
                        &a.body,
                        now,
                        json,
                    ),
                });
                self.refresh_answered(now, generation, epoch, result);
            }
            Pending::Revoke { for_logout } => {
                let result = match answer {
                    Ok(a) => process_revocation_response(a.status, &a.body, json),
                    Err(e) => Err(AuthError::RevocationFailed {
                        status: None,
                        reason: e.message(),
                    }),
                };
                if let Some(l) = self.logout.as_mut().filter(|_| for_logout) {
                    match result {
                        Ok(()) => l.revoked += 1,
                        Err(e) => {
                            l.failure.get_or_insert(e);
                        }
                    }
                } else if result.is_ok() {
                    self.stats.revocations += 1;
                }
            }
        }
        self.finish_logout_if_done(false);
    }

    /// Time passed: a proactive refresh is due, the leader did not answer, or a logout's
    /// wait ran out.
    pub fn handle_timeout(&mut self, now: f64) {
        if let Some(f) = &self.flight
            && f.leader_deadline.is_some_and(|d| now >= d)
        {
            let op = f.op;
            self.flight = None;
            let e = AuthError::Network {
                reason: "the leader tab did not answer the refresh request in time (timeoutMs)"
                    .into(),
            };
            self.stats.refresh_failures += 1;
            self.settle(op, Err(e));
        }
        if self.logout.as_ref().is_some_and(|l| now >= l.deadline) {
            self.finish_logout_if_done(true);
        }
        if self.flight.is_none()
            && self.role != Role::Follower
            && self.proactive_at.is_some_and(|t| now >= t)
        {
            self.proactive_at = None;
            self.last_proactive = now;
            let _background = self.refresh(now);
        }
    }

    /// Signs out: forgets the set at once, tells the other tabs, and revokes the refresh token
    /// and the access token. `op` settles once the revocations (and any refresh that was in
    /// flight, whose answer is revoked too) are done, or `timeoutMs` passed.
    pub fn logout(&mut self, now: f64) -> OpId {
        let op = self.op();
        let Some(tokens) = self.clear() else {
            self.settle(op, Ok(()));
            return op;
        };
        self.dead_login = self.dead_login.max(self.login);
        if self.role != Role::Alone {
            let login = self.login;
            self.actions
                .push_back(Action::Broadcast(TabMessage::Logout { login }));
        }
        self.logout = Some(Logout {
            op,
            deadline: now + f64::from(self.config.timeout_ms),
            revoked: 0,
            attempted: false,
            failure: None,
        });
        let attempted = self.revoke(&tokens, true);
        if let Some(l) = &mut self.logout {
            l.attempted = attempted;
        }
        self.finish_logout_if_done(false);
        op
    }

    /// This tab became the leader (it got the lock): it refreshes from now on.
    pub fn handle_became_leader(&mut self, now: f64) {
        self.role = Role::Leader;
        if let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some()) {
            // A follower's question that no leader will answer now: refresh here.
            if self.generation == f.generation {
                self.start_refresh(now, f.op);
            } else {
                self.settle(f.op, Ok(()));
            }
        }
        self.schedule(now, false);
    }

    /// A message from another tab.
    pub fn handle_tab_message(&mut self, now: f64, message: TabMessage) {
        match message {
            TabMessage::Hello => match &self.tokens {
                Some(t) => {
                    let m = self.tokens_message(t.clone());
                    self.actions.push_back(Action::Broadcast(m));
                }
                None if self.role == Role::Leader => {
                    self.actions
                        .push_back(Action::Broadcast(TabMessage::NoSession));
                }
                None => {}
            },
            TabMessage::Tokens {
                login,
                version,
                tokens,
            } => self.tab_tokens(now, login, version, tokens),
            TabMessage::NoSession => {}
            TabMessage::Refresh { version } if self.role == Role::Leader => match &self.tokens {
                Some(_) if version == self.version => {
                    let _background = self.refresh(now);
                }
                Some(t) => {
                    let m = self.tokens_message(t.clone());
                    self.actions.push_back(Action::Broadcast(m));
                }
                // The leader missed the session (it was frozen, say): ask the tabs that hold
                // it. The follower times out with network_error and keeps its session.
                None => self.actions.push_back(Action::Broadcast(TabMessage::Hello)),
            },
            TabMessage::Refresh { .. } => {}
            TabMessage::RefreshFailed { version, error } => {
                if self.version == version
                    && let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some())
                {
                    self.settle(f.op, Err(error));
                }
            }
            TabMessage::Logout { login } => {
                if self.session_ended(login) {
                    self.emit(AuthEvent::Logout { revoked: false });
                }
            }
            TabMessage::Expired { login, error } => {
                if self.session_ended(login) {
                    self.emit(AuthEvent::SessionExpired(error));
                }
            }
        }
    }

    /// Another tab ended the session of `login`: sets of it and older are dead here too.
    /// Whether this tab held it (and so signs out now).
    fn session_ended(&mut self, login: u64) -> bool {
        if login < self.login || login > MAX_TAB_NUMBER {
            return false;
        }
        self.dead_login = self.dead_login.max(login);
        self.clear().is_some()
    }

    fn tab_tokens(&mut self, now: f64, login: u64, version: u64, tokens: TokenSet) {
        if login > MAX_TAB_NUMBER || version > MAX_TAB_NUMBER {
            self.note_bad_tab_message();
            return;
        }
        let newer = (login, version) > (self.login, self.version);
        if login <= self.dead_login || !newer {
            return;
        }
        let first = self.tokens.is_none();
        let view = self.install(now, tokens, (login, version), false);
        self.emit(if first {
            AuthEvent::Login(view)
        } else {
            AuthEvent::TokenRefreshed(view)
        });
        if let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some()) {
            self.settle(f.op, Ok(()));
        }
    }

    fn login_answered(
        &mut self,
        now: f64,
        op: OpId,
        epoch: u64,
        result: Result<TokenOutcome, AuthError>,
    ) {
        match result {
            Ok(outcome) if epoch != self.epoch => {
                // Signed out while the code was exchanged: nothing it returned is kept.
                self.revoke(&outcome.tokens, true);
                self.settle(op, Err(AuthError::NotAuthenticated));
            }
            Ok(outcome) => {
                self.stats.logins += 1;
                let login = (now as u64).max(self.login + 1).max(self.dead_login + 1);
                let view = self.install_outcome(now, outcome, login, 0);
                self.emit(AuthEvent::Login(view));
                self.settle(op, Ok(()));
            }
            Err(e) => self.settle(op, Err(e)),
        }
    }

    fn refresh_answered(
        &mut self,
        now: f64,
        generation: u64,
        epoch: u64,
        result: Result<TokenOutcome, AuthError>,
    ) {
        let flight = self
            .flight
            .take_if(|f| f.generation == generation && f.leader_deadline.is_none());
        let current = flight.is_some() && generation == self.generation && epoch == self.epoch;
        match result {
            Ok(outcome) if !current => {
                // Signed out or replaced meanwhile: revoke what arrived, keep nothing.
                self.revoke(&outcome.tokens, self.logout.is_some());
            }
            Ok(outcome) => {
                self.stats.refreshes += 1;
                let (login, version) = (self.login, self.version);
                let view = self.install_outcome(now, outcome, login, version + 1);
                self.emit(AuthEvent::TokenRefreshed(view));
            }
            Err(_) if !current => {}
            Err(e) => {
                self.stats.refresh_failures += 1;
                if e.code() == "session_expired" {
                    self.end_session(&e);
                } else if self.role != Role::Alone {
                    let version = self.version;
                    self.actions
                        .push_back(Action::Broadcast(TabMessage::RefreshFailed {
                            version,
                            error: e.clone(),
                        }));
                }
                if let Some(f) = flight {
                    self.settle(f.op, Err(e));
                }
                return;
            }
        }
        if let Some(f) = flight {
            self.settle(f.op, Ok(()));
        }
    }

    fn install_outcome(
        &mut self,
        now: f64,
        outcome: TokenOutcome,
        login: u64,
        version: u64,
    ) -> SessionView {
        let TokenOutcome {
            tokens,
            scopes_missing,
            ..
        } = outcome;
        let granted = tokens.scopes.clone();
        let version = if self.role == Role::Alone {
            version
        } else {
            (now as u64).max(self.version + 1).max(version)
        };
        let view = self.install(now, tokens, (login, version), true);
        if self.role != Role::Alone
            && let Some(t) = &self.tokens
        {
            let m = self.tokens_message(t.clone());
            self.actions.push_back(Action::Broadcast(m));
        }
        if !scopes_missing.is_empty() {
            self.emit(AuthEvent::ScopeReduced {
                missing: scopes_missing,
                granted,
            });
        }
        view
    }

    /// Holds `tokens` as the session's set and schedules its proactive refresh.
    fn install(
        &mut self,
        now: f64,
        tokens: TokenSet,
        (login, version): (u64, u64),
        fresh: bool,
    ) -> SessionView {
        let same = self
            .tokens
            .as_ref()
            .is_some_and(|t| t.access_token == tokens.access_token);
        if !same {
            self.generation += 1;
            // Callers of a refresh of an older set retry with this one; what that refresh
            // returns is revoked (it answers for a set no longer held).
            if let Some(f) = self.flight.take() {
                self.settle(f.op, Ok(()));
            }
        }
        let view = SessionView::of(&tokens);
        self.tokens = Some(tokens);
        self.login = login;
        self.version = version;
        self.schedule(now, fresh);
        view
    }

    /// When to refresh the held set ahead of expiry: never sooner than the floor after the
    /// last proactive refresh; and for a set the provider just gave (`fresh`) with a lifetime
    /// under the floor, never (reported once: the 401 path refreshes it).
    fn schedule(&mut self, now: f64, fresh: bool) {
        self.proactive_at = None;
        let Some(t) = &self.tokens else { return };
        let Some(expires) = t.expires_at_ms else {
            return;
        };
        let lifetime = expires - now;
        if fresh && lifetime < PROACTIVE_FLOOR_MS {
            if !self.tiny_reported {
                self.tiny_reported = true;
                let secs = decimal((lifetime.max(0.0) / 1000.0) as u64);
                let e = AuthError::token_response(
                    [
                        "expires_in of ",
                        &secs,
                        " s is too short to refresh ahead of expiry: refreshing on 401 instead",
                    ]
                    .concat(),
                );
                self.report(&e);
            }
            return;
        }
        self.proactive_at =
            proactive_refresh_at(t).map(|at| at.max(self.last_proactive + PROACTIVE_FLOOR_MS));
    }

    fn tokens_message(&self, tokens: TokenSet) -> TabMessage {
        TabMessage::Tokens {
            login: self.login,
            version: self.version,
            tokens,
        }
    }

    /// Forgets the set (a new generation); returns it.
    fn clear(&mut self) -> Option<TokenSet> {
        self.generation += 1;
        self.epoch += 1;
        self.proactive_at = None;
        if let Some(f) = self.flight.take() {
            self.settle(f.op, Err(AuthError::NotAuthenticated));
        }
        self.tokens.take()
    }

    fn end_session(&mut self, e: &AuthError) {
        self.clear();
        self.dead_login = self.dead_login.max(self.login);
        if self.role != Role::Alone {
            let login = self.login;
            self.actions
                .push_back(Action::Broadcast(TabMessage::Expired {
                    login,
                    error: e.clone(),
                }));
        }
        self.emit(AuthEvent::SessionExpired(e.clone()));
    }

    /// Revokes a set's refresh token, then its access token; whether any request was made.
    fn revoke(&mut self, tokens: &TokenSet, for_logout: bool) -> bool {
        let mut pairs = vec![(tokens.access_token.secret(), TokenKind::Access)];
        if let Some(r) = &tokens.refresh_token {
            pairs.insert(0, (r.secret(), TokenKind::Refresh));
        }
        let requests: Vec<HttpRequest> = pairs
            .into_iter()
            .filter_map(|(t, kind)| revocation_request(&self.config, t, kind))
            .collect();
        let any = !requests.is_empty();
        for request in requests {
            self.send(Purpose::Revocation, request, Pending::Revoke { for_logout });
        }
        any
    }

    /// Settles the logout once nothing it waits for is left (or its time ran out).
    fn finish_logout_if_done(&mut self, out_of_time: bool) {
        let waiting = self.pending.iter().any(|(_, p)| {
            matches!(p, Pending::Revoke { for_logout: true })
                || matches!(p, Pending::Refresh { epoch, .. } | Pending::Login { epoch, .. } if *epoch < self.epoch)
        });
        if waiting && !out_of_time {
            return;
        }
        let Some(l) = self.logout.take() else { return };
        self.stats.revocations += l.revoked;
        let failure = l.failure.or_else(|| {
            waiting.then(|| AuthError::RevocationFailed {
                status: None,
                reason: "revocation did not finish within timeoutMs".into(),
            })
        });
        self.emit(AuthEvent::Logout {
            revoked: l.attempted && failure.is_none(),
        });
        self.settle(l.op, failure.map_or(Ok(()), Err));
    }

    fn send(&mut self, purpose: Purpose, request: HttpRequest, what: Pending) {
        self.next_id += 1;
        let id = RequestId(self.next_id);
        self.pending.push((id, what));
        self.actions.push_back(Action::Send {
            id,
            purpose,
            request,
        });
    }

    fn op(&mut self) -> OpId {
        self.next_id += 1;
        OpId(self.next_id)
    }

    fn settle(&mut self, op: OpId, result: Result<(), AuthError>) {
        self.actions.push_back(Action::Settle { op, result });
    }

    fn emit(&mut self, event: AuthEvent) {
        self.actions.push_back(Action::Emit(event));
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
