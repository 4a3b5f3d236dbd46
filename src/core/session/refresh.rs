//! Refresh: when to refresh ahead of expiry; one flight per generation for every caller;
//! dead-token answers (retried only
//! within the login they were sent with, to an origin the current set allows; throttled per
//! origin when a retry is still refused); what a refresh answer does to the session
//! (installed, session over, session kept, or revoked as stale).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{
    Action, ApiStep, AuthError, AuthEvent, DEAD_ORIGIN_FLOOR_MS, Flight, OpId, Pending,
    RequestKind, Role, Session, TabMessage,
};
use crate::core::error::ErrorCode;
use crate::core::time::Millis;
use crate::core::token::{TokenOutcome, TokenSet, refresh_request};
use crate::core::url::Origin;

/// At most this many origins are throttled at once (the oldest is forgotten first).
const MAX_DEAD_ORIGINS: usize = 16;

/// When to refresh proactively: shortly before `expires_at` (10% of the lifetime, at least
/// 5 s and at most 60 s early). `None` when the lifetime is unknown (Salesforce gives no
/// `expires_in`: there a dead-token answer, or `sessionTimeoutSeconds`, drives it).
pub fn proactive_refresh_at(tokens: &TokenSet) -> Option<Millis> {
    let expires = tokens.expires_at_ms?;
    let lifetime = (expires - tokens.issued_at_ms).0.max(0.0);
    let lead = (lifetime * 0.1)
        .clamp(5_000.0, 60_000.0)
        .min(lifetime / 2.0);
    Some(expires - Millis(lead))
}

impl Session {
    /// An API request sent to `origin` with the set of `generation` got an answer; `dead` when
    /// it says the token is dead (401, or the profile's dead-token answer). Signed out → the
    /// caller gets `not_authenticated`.
    ///
    /// A dead answer is retried only with a set of the same interactive login as the one it was
    /// sent with (a set of another login — a logout then a new sign-in, or a tab adopting
    /// another tab's newer login — gets the answer delivered, never a request as that user),
    /// and only to an origin the current set may send its token to. A dead answer from an
    /// origin throttled by [`handle_retry_answer`](Self::handle_retry_answer) is delivered
    /// without a refresh.
    pub fn handle_api_answer(
        &mut self,
        now: Millis,
        generation: u64,
        origin: &Origin,
        dead: bool,
    ) -> Result<ApiStep, AuthError> {
        if !dead {
            return Ok(ApiStep::Deliver);
        }
        if self.tokens.is_none() {
            return Err(AuthError::NotAuthenticated);
        }
        if generation != self.generation {
            return Ok(self.retry_step(generation, origin));
        }
        if self.throttled(now, origin) {
            return Ok(ApiStep::Deliver);
        }
        let op = self.refresh(now);
        if let Some(f) = &mut self.flight {
            f.dead = true;
        }
        Ok(ApiStep::Wait(op))
    }

    /// Whether the held set is known dead: a dead answer to it joined the refresh in flight.
    /// Until that refresh settles, the browser runtime has no fast path and starts no
    /// `auth.fetch` call (its gate holds them; they then go with the set held after it).
    pub fn held_dead(&self) -> bool {
        self.flight
            .as_ref()
            .is_some_and(|f| f.dead && f.generation == self.generation)
    }

    /// The refresh the held set waits for while it is [known dead](Self::held_dead): the session
    /// worker holds its tabs' relayed calls on it (they then go as calls made after it would).
    #[cfg_attr(not(feature = "sharing"), allow(dead_code))]
    pub fn dead_refresh(&self) -> Option<OpId> {
        self.flight
            .as_ref()
            .filter(|_| self.held_dead())
            .map(|f| f.op)
    }

    /// After the refresh a request waited for: retry with the new token, or deliver the first
    /// answer when the token did not change (or the rules of
    /// [`handle_api_answer`](Self::handle_api_answer) refuse a retry).
    pub fn after_refresh(
        &mut self,
        generation: u64,
        origin: &Origin,
    ) -> Result<ApiStep, AuthError> {
        if self.tokens.is_none() {
            return Err(AuthError::NotAuthenticated);
        }
        if generation == self.generation {
            return Ok(ApiStep::Deliver);
        }
        Ok(self.retry_step(generation, origin))
    }

    /// The answer to a retry (the request sent once more with a newer token) to `origin`:
    /// still dead means that origin does not take this session's tokens, so its dead answers
    /// are delivered without a refresh for [`DEAD_ORIGIN_FLOOR_MS`].
    pub fn handle_retry_answer(&mut self, now: Millis, origin: &Origin, dead: bool) {
        if !dead {
            return;
        }
        // (A loop over `remove`, which the cap below uses too: no `retain` instance.)
        let mut i = 0;
        while let Some((o, until)) = self.dead_origins.get(i) {
            if *until > now && o != origin {
                i += 1;
            } else {
                self.dead_origins.remove(i);
            }
        }
        if self.dead_origins.len() >= MAX_DEAD_ORIGINS {
            self.dead_origins.remove(0);
        }
        self.dead_origins
            .push((origin.clone(), now + DEAD_ORIGIN_FLOOR_MS));
    }

    fn throttled(&self, now: Millis, origin: &Origin) -> bool {
        self.dead_origins
            .iter()
            .any(|(o, until)| o == origin && now < *until)
    }

    /// Retry a dead answer of an older `generation` with the current set: only when that set
    /// descends from the same login, and may go to `origin` (an API origin it allows, or the
    /// UserInfo endpoint's, where the library itself sends it).
    fn retry_step(&mut self, generation: u64, origin: &Origin) -> ApiStep {
        let same_login = generation >= self.login_since;
        let userinfo = self.config.endpoints.userinfo.as_deref();
        let allowed = self.tokens.as_ref().is_some_and(|t| {
            t.may_receive_bearer(&self.config, origin)
                || userinfo.is_some_and(|u| Origin::of(u).as_ref() == Some(origin))
        });
        if !(same_login && allowed) {
            return ApiStep::Deliver;
        }
        self.stats.retried_after_401 += 1;
        ApiStep::Retry
    }

    /// Refreshes the held set, once for all callers: joins the refresh in flight for this
    /// generation, or starts one (a follower asks the leader). Returns the operation to await.
    pub fn refresh(&mut self, now: Millis) -> OpId {
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

    pub(super) fn start_refresh(&mut self, now: Millis, op: OpId) {
        let generation = self.generation;
        let Some(tokens) = &self.tokens else {
            self.settle(op, Err(AuthError::NotAuthenticated));
            return;
        };
        if self.role_now() == Role::Follower {
            self.flight = Some(Flight {
                op,
                generation,
                leader_deadline: Some(now + Millis(f64::from(self.config.timeout_ms))),
                dead: false,
            });
            let version = self.version;
            self.actions.push(Action::Broadcast(TabMessage::Refresh {
                version,
                at: Some(now.as_u64()),
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
            dead: false,
        });
        let epoch = self.epoch;
        self.send(
            RequestKind::Token,
            request,
            Pending::Refresh { generation, epoch },
        );
    }

    pub(super) fn refresh_answered(
        &mut self,
        now: Millis,
        generation: u64,
        epoch: u64,
        result: Result<TokenOutcome, AuthError>,
    ) {
        let flight = self
            .flight
            .take_if(|f| f.generation == generation && f.leader_deadline.is_none());
        let current = flight.is_some() && generation == self.generation && epoch == self.epoch;
        let settled = match result {
            Ok(outcome) if !current => {
                // Signed out or replaced meanwhile: revoke what arrived, keep nothing.
                self.revoke(&outcome.tokens, self.logout.is_some());
                Ok(())
            }
            Ok(outcome) => {
                self.stats.refreshes += 1;
                let (login, version) = (self.login, self.version);
                let view = self.install_outcome(now, outcome, login, version + 1);
                self.emit(AuthEvent::TokenRefreshed(view));
                Ok(())
            }
            Err(e) if !current => {
                self.revoke_refused(&e, self.logout.is_some());
                Ok(())
            }
            Err(e) => {
                // A refused answer's tokens (someone else's: the id_token's identity changed,
                // and the session ends below; or failing a check) are revoked.
                self.revoke_refused(&e, false);
                self.stats.refresh_failures += 1;
                if e.kind() == ErrorCode::SessionExpired {
                    self.end_session(&e);
                } else if self.role_now() != Role::Alone {
                    let version = self.version;
                    self.actions
                        .push(Action::Broadcast(TabMessage::RefreshFailed {
                            version,
                            error: e.copy(),
                        }));
                }
                Err(e)
            }
        };
        if let Some(f) = flight {
            self.settle(f.op, settled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::secret::AccessToken;

    #[test]
    fn at_most_sixteen_origins_are_throttled_the_oldest_forgotten_first() {
        let mut s = Session::new(crate::core::testing::salesforce("cid"), Role::Alone);
        let o = |i: usize| Origin::of(&format!("https://o{i}.example.com")).unwrap();
        for i in 0..=MAX_DEAD_ORIGINS {
            s.handle_retry_answer(Millis(i as f64), &o(i), true);
        }
        let now = Millis(100.0);
        assert!(!s.throttled(now, &o(0)), "the oldest is forgotten");
        assert!((1..=MAX_DEAD_ORIGINS).all(|i| s.throttled(now, &o(i))));
        assert_eq!(s.dead_origins.len(), MAX_DEAD_ORIGINS);
        // An origin throttled again has one record, the newest; the others keep their order.
        s.handle_retry_answer(now, &o(5), true);
        let order: Vec<_> = s.dead_origins.iter().map(|(o, _)| o.clone()).collect();
        let want: Vec<_> = (1..=MAX_DEAD_ORIGINS)
            .filter(|&i| i != 5)
            .chain([5])
            .map(o)
            .collect();
        assert!(order == want, "kept in order, the renewed one last");
        // Records whose floor has passed are dropped.
        s.handle_retry_answer(now + DEAD_ORIGIN_FLOOR_MS, &o(99), true);
        assert_eq!(s.dead_origins.len(), 1);
        assert!(s.throttled(now + DEAD_ORIGIN_FLOOR_MS, &o(99)));
    }

    #[test]
    fn proactive_refresh_schedule() {
        let mut t = TokenSet {
            access_token: AccessToken::new("a"),
            refresh_token: None,
            id_token: None,
            identity: None,
            extras: Default::default(),
            scopes: vec![],
            issued_at_ms: Millis(0.0),
            expires_at_ms: None,
            dpop: false,
        };
        assert_eq!(proactive_refresh_at(&t), None);
        t.expires_at_ms = Some(Millis(3_600_000.0));
        assert_eq!(proactive_refresh_at(&t), Some(Millis(3_540_000.0)));
        t.expires_at_ms = Some(Millis(20_000.0));
        assert_eq!(proactive_refresh_at(&t), Some(Millis(15_000.0)));
        t.expires_at_ms = Some(Millis(4_000.0));
        assert_eq!(proactive_refresh_at(&t), Some(Millis(2_000.0)));
    }
}
