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
//! What lives here: single-flight refresh keyed by the token set's generation, dead-token
//! retries only within one login and to allowed origins, a per-origin refresh throttle, rotation
//! adoption, `invalid_grant` → session over, network error → session kept, proactive timing
//! with a floor, revocation at logout (and of whatever a refresh in flight returns after it),
//! and the ordering of token sets between tabs by the interactive login they descend from.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use crate::core::callback::ValidatedCallback;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{AuthEvent, Stats};
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::revocation::process_revocation_response;
use crate::core::state::Nonce;
use crate::core::text::decimal;
use crate::core::time::Millis;
use crate::core::token::{Grant, TokenOutcome, TokenSet, process_token_response, token_request};
use crate::core::url::Origin;
use crate::core::wire::SessionView;

mod logout;
mod refresh;
mod restore;
mod tabs;
mod types;

use refresh::proactive_refresh_at;
pub use restore::may_auto_restore;
pub use types::*;

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
    leader_deadline: Option<Millis>,
    /// A dead answer to this generation's set joined it: the set is known dead.
    dead: bool,
}

use logout::Logout;

/// The session state machine. See the module documentation.
pub struct Session {
    /// Shared with the browser runtime's client (one copy of the configuration).
    config: Rc<ClientConfig>,
    role: Role,
    tokens: Option<TokenSet>,
    generation: u64,
    login: u64,
    /// The first generation of the current login: sets from it on descend from that login.
    login_since: u64,
    version: u64,
    /// Sets from this login or older are ignored (after a logout or an ended session).
    dead_login: u64,
    /// Bumped by logout: answers to requests sent before it are revoked, not kept.
    epoch: u64,
    /// Origins whose dead-token answers are delivered without a refresh, and until when.
    dead_origins: Vec<(Origin, Millis)>,
    flight: Option<Flight>,
    /// A follower's count of leader timeouts in a row (see `tabs.rs`).
    takeover: tabs::Takeover,
    pending: Vec<(RequestId, Pending)>,
    logout: Option<Logout>,
    next_id: u64,
    proactive_at: Option<Millis>,
    last_proactive: Millis,
    tiny_reported: bool,
    stats: Stats,
    /// In order; few at a time (a `Vec`: no ring buffer's code in the wasm).
    actions: Vec<Action>,
}

impl Session {
    /// A signed-out session for `config`.
    pub fn new(config: ClientConfig, role: Role) -> Self {
        Session {
            config: Rc::new(config),
            role,
            tokens: None,
            generation: 0,
            login: 0,
            login_since: 0,
            version: 0,
            dead_login: 0,
            epoch: 0,
            dead_origins: Vec::new(),
            flight: None,
            takeover: tabs::Takeover::default(),
            pending: Vec::new(),
            logout: None,
            next_id: 0,
            proactive_at: None,
            last_proactive: Millis(f64::NEG_INFINITY),
            tiny_reported: false,
            stats: Stats::default(),
            actions: Vec::new(),
        }
    }

    /// The configuration (for tests).
    #[cfg(test)]
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The configuration, shared (the browser runtime's client keeps it beside the session).
    pub(crate) fn shared_config(&self) -> Rc<ClientConfig> {
        self.config.clone()
    }

    /// The held token set, if signed in.
    pub fn tokens(&self) -> Option<&TokenSet> {
        self.tokens.as_ref()
    }

    /// Bumped whenever the access token changes or the session ends.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The sharing role (for tests).
    #[cfg(test)]
    pub fn role(&self) -> Role {
        self.role
    }

    /// Changes the sharing role while signed out (a sharing mode that fell back: the session
    /// worker failed, so this tab shares through the tabs, or not at all). Ignored while a
    /// session is held.
    #[cfg(feature = "sharing")]
    pub fn set_role(&mut self, role: Role) {
        if self.tokens.is_none() {
            self.role = role;
        }
    }

    /// The counters (for the client's whole life).
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The next thing to do, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        match self.actions.is_empty() {
            true => None,
            false => Some(self.actions.remove(0)),
        }
    }

    /// When [`handle_timeout`](Self::handle_timeout) wants to run (ms since the epoch).
    pub fn poll_timeout(&self) -> Option<Millis> {
        let proactive = match (&self.flight, self.role_now()) {
            (None, Role::Alone | Role::Leader) => self.proactive_at,
            _ => None,
        };
        let logout = self.logout.as_ref().map(|l| l.deadline);
        [self.leader_deadline(), logout]
            .into_iter()
            .flatten()
            .fold(proactive, |next, t| Some(next.map_or(t, |n| n.min(t))))
    }

    /// Counts a failure by code (`stats.errorsByCode` counts every failure; a failure a promise
    /// reports is only counted).
    pub fn count(&mut self, error: &AuthError) {
        self.stats.errors_by_code.increment(error.code());
    }

    /// A failure no promise reports (a background refresh, a tab message): counted, and the
    /// `error` event.
    pub fn report(&mut self, error: &AuthError) {
        self.count(error);
        self.emit(AuthEvent::Error(error.copy()));
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
        self.send(RequestKind::Token, request, pending);
        op
    }

    /// The answer (or network error) to a request this session asked for.
    pub fn handle_response(
        &mut self,
        now: Millis,
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
                    held: self.tokens.as_ref(),
                };
                let result = match answer {
                    Ok(a) => {
                        process_token_response(&self.config, grant, a.status, &a.body, now, json)
                    }
                    Err(e) => Err(e),
                };
                self.login_answered(now, op, epoch, result);
            }
            Pending::Refresh { generation, epoch } => {
                let grant = match &self.tokens {
                    Some(previous) => Grant::Refresh { previous },
                    // Signed out meanwhile: whatever arrived is revoked below.
                    None => Grant::AuthorizationCode {
                        nonce: None,
                        held: None,
                    },
                };
                let result = match answer {
                    Ok(a) => {
                        process_token_response(&self.config, grant, a.status, &a.body, now, json)
                    }
                    Err(e) => Err(e),
                };
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
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.leader_deadline().is_some_and(|d| now >= d) {
            self.leader_timed_out(now);
        }
        if self.logout.as_ref().is_some_and(|l| now >= l.deadline) {
            self.finish_logout_if_done(true);
        }
        if self.flight.is_none()
            && self.role_now() != Role::Follower
            && self.proactive_at.is_some_and(|t| now >= t)
        {
            self.proactive_at = None;
            self.last_proactive = now;
            let _background = self.refresh(now);
        }
    }

    fn login_answered(
        &mut self,
        now: Millis,
        op: OpId,
        epoch: u64,
        result: Result<TokenOutcome, AuthError>,
    ) {
        let settled = match result {
            Ok(outcome) if epoch != self.epoch => {
                // Signed out while the code was exchanged: nothing it returned is kept.
                self.revoke(&outcome.tokens, true);
                Err(AuthError::NotAuthenticated)
            }
            Ok(outcome) => {
                self.stats.logins += 1;
                let login = now.as_u64().max(self.login + 1).max(self.dead_login + 1);
                self.logout_before_login();
                let view = self.install_outcome(now, outcome, login, 0);
                self.emit(AuthEvent::Login(view));
                Ok(())
            }
            Err(e) => {
                // A refused 2xx answer: its tokens are revoked, never used.
                self.revoke_refused(&e, epoch != self.epoch && self.logout.is_some());
                Err(e)
            }
        };
        self.settle(op, settled);
    }

    fn install_outcome(
        &mut self,
        now: Millis,
        outcome: TokenOutcome,
        login: u64,
        version: u64,
    ) -> SessionView {
        let TokenOutcome {
            tokens,
            scopes_missing,
            ..
        } = outcome;
        let version = if self.role_now() == Role::Alone {
            version
        } else {
            now.as_u64().max(self.version + 1).max(version)
        };
        let view = self.install(now, tokens, (login, version), true);
        if self.role_now() != Role::Alone
            && let Some(t) = &self.tokens
        {
            let m = self.tokens_message(t);
            self.actions.push(Action::Broadcast(m));
        }
        if !scopes_missing.is_empty()
            && let Some(t) = &self.tokens
        {
            // The granted scopes, cloned only for the event.
            let granted = t.scopes.clone();
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
        now: Millis,
        tokens: TokenSet,
        (login, version): (u64, u64),
        fresh: bool,
    ) -> SessionView {
        // A set of another login is a new generation even with the same access token: requests
        // sent with the old login's sets are never retried with it.
        let new_login = self.tokens.is_none() || login != self.login;
        let same = !new_login
            && self
                .tokens
                .as_ref()
                .is_some_and(|t| t.access_token == tokens.access_token);
        if !same {
            self.generation += 1;
            // Callers of a refresh of an older set retry with this one; what that refresh
            // returns is revoked (it answers for a set no longer held).
            self.land(Ok(()));
        }
        if new_login {
            self.login_since = self.generation;
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
    fn schedule(&mut self, now: Millis, fresh: bool) {
        self.proactive_at = None;
        let Some(t) = &self.tokens else { return };
        let Some(expires) = t.expires_at_ms else {
            return;
        };
        let lifetime = expires - now;
        if fresh && lifetime < PROACTIVE_FLOOR_MS {
            if !self.tiny_reported {
                self.tiny_reported = true;
                let secs = decimal(lifetime.max(Millis(0.0)).as_u64() / 1000);
                let e = AuthError::token_response(
                    [
                        "expires_in of ",
                        &secs,
                        explained!(
                            " s is too short to refresh ahead of expiry",
                            ": refreshing on 401 instead"
                        ),
                    ]
                    .cat(),
                );
                self.report(&e);
            }
            return;
        }
        self.proactive_at =
            proactive_refresh_at(t).map(|at| at.max(self.last_proactive + PROACTIVE_FLOOR_MS));
    }

    /// Forgets the set (a new generation), and sets of its login or older: returns it.
    fn clear(&mut self) -> Option<TokenSet> {
        self.dead_login = self.dead_login.max(self.login);
        self.generation += 1;
        self.epoch += 1;
        self.proactive_at = None;
        self.dead_origins.clear();
        self.land(Err(AuthError::NotAuthenticated));
        self.tokens.take()
    }

    fn end_session(&mut self, e: &AuthError) {
        self.clear();
        if self.role_now() != Role::Alone {
            let login = self.login;
            self.actions.push(Action::Broadcast(TabMessage::Expired {
                login,
                error: e.copy(),
            }));
        }
        self.emit(AuthEvent::SessionExpired(e.copy()));
    }

    fn send(&mut self, kind: RequestKind, request: HttpRequest, what: Pending) {
        self.next_id += 1;
        let id = RequestId(self.next_id);
        self.pending.push((id, what));
        self.actions.push(Action::Send { id, kind, request });
    }

    fn op(&mut self) -> OpId {
        self.next_id += 1;
        OpId(self.next_id)
    }

    /// Ends the refresh in flight, if any: its callers get `result`.
    fn land(&mut self, result: Result<(), AuthError>) {
        if let Some(f) = self.flight.take() {
            self.settle(f.op, result);
        }
    }

    fn settle(&mut self, op: OpId, result: Result<(), AuthError>) {
        self.actions.push(Action::Settle { op, result });
    }

    fn emit(&mut self, event: AuthEvent) {
        self.actions.push(Action::Emit(event));
    }
}

#[cfg(test)]
mod tests;
