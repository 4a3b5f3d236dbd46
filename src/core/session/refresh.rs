//! Refresh: one flight per generation for every caller; dead-token answers; what a refresh
//! answer does to the session (installed, session over, session kept, or revoked as stale).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{
    Action, ApiStep, AuthError, AuthEvent, Flight, OpId, Pending, Purpose, Role, Session,
    TabMessage,
};
use crate::core::token::{TokenOutcome, refresh_request};

impl Session {
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

    pub(super) fn start_refresh(&mut self, now: f64, op: OpId) {
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
                .push_back(Action::Broadcast(TabMessage::Refresh {
                    version,
                    at: Some(now as u64),
                }));
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

    pub(super) fn refresh_answered(
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
            Err(e) if !current => {
                if let Some(foreign) = e.tokens_to_revoke() {
                    let (access, refresh) = foreign.secrets();
                    self.revoke_secrets(access, refresh, self.logout.is_some());
                }
            }
            Err(e) => {
                // A refused answer's tokens (someone else's: the id_token's identity changed,
                // and the session ends below; or failing a check) are revoked.
                if let Some(foreign) = e.tokens_to_revoke() {
                    let (access, refresh) = foreign.secrets();
                    self.revoke_secrets(access, refresh, false);
                }
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
}
