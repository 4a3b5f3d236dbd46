//! Logout and revocation (RFC 7009): memory first, then the refresh token and the access
//! token (at a provider whose refresh token revocation ends its access tokens, Salesforce, the
//! refresh token alone when there is one); a logout waits (bounded by `timeoutMs`) for refreshes that were in flight, whose
//! answers are revoked too.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{Action, AuthError, AuthEvent, OpId, Pending, RequestKind, Role, Session, TabMessage};
use crate::core::revocation::{TokenKind, revocation_request};
use crate::core::time::Millis;
use crate::core::token::TokenSet;

/// A logout waiting for its revocations (and for refreshes that were in flight). `ops`: the
/// logouts it settles — one still waiting when a login completed and the app logged out again
/// is taken over by the new one, and a logout called while one waits (nothing held) joins it,
/// so that all settle together once every revocation is answered (an `endSession` logout's
/// navigation waits for them), or the last one's time ran out; one `logout` event for them,
/// emitted early (`told`) when a login completes meanwhile.
pub(super) struct Logout {
    pub(super) ops: Vec<OpId>,
    pub(super) deadline: Millis,
    pub(super) revoked: u32,
    pub(super) attempted: bool,
    pub(super) failure: Option<AuthError>,
    /// Its `logout` event was emitted already: a session was installed while it waited
    /// ([`Session::logout_before_login`]).
    pub(super) told: bool,
}

impl Session {
    /// Signs out: forgets the set at once, tells the other tabs, and revokes the refresh token
    /// and the access token (at a provider whose refresh token revocation ends its access
    /// tokens, Salesforce, the refresh token alone when there is one). `op` settles once the
    /// revocations (and any refresh that was in flight, whose answer is revoked too) are done,
    /// or `timeoutMs` passed.
    pub fn logout(&mut self, now: Millis) -> OpId {
        let op = self.op();
        let Some(tokens) = self.clear() else {
            // Nothing held: done, unless a logout still waits for its revocations (a second
            // click): then this one settles with it (an `endSession` logout navigates after them).
            match &mut self.logout {
                Some(l) => l.ops.push(op),
                None => self.settle(op, Ok(())),
            }
            return op;
        };
        if self.role_now() != Role::Alone {
            let login = self.login;
            self.actions
                .push(Action::Broadcast(TabMessage::Logout { login }));
        }
        let attempted = self.revoke(&tokens, true);
        let mut l = self.logout.take().unwrap_or(Logout {
            ops: Vec::new(),
            deadline: now,
            revoked: 0,
            attempted: false,
            failure: None,
            told: false,
        });
        // A session ended now (one a login installed after `told`): its event is due.
        l.told = false;
        l.ops.push(op);
        l.deadline = now + Millis(f64::from(self.config.timeout_ms));
        l.attempted |= attempted;
        self.logout = Some(l);
        self.finish_logout_if_done(false);
        op
    }

    /// Whether a logout waits for its revocations (or for refreshes that were in flight).
    #[cfg(feature = "sharing")]
    pub fn logout_waits(&self) -> bool {
        self.logout.is_some()
    }

    /// Revokes a set's refresh token, then its access token; whether any request was made.
    pub(super) fn revoke(&mut self, tokens: &TokenSet, for_logout: bool) -> bool {
        let refresh = tokens.refresh_token.as_ref().map(|r| r.secret());
        self.revoke_secrets(Some(tokens.access_token.secret()), refresh, for_logout)
    }

    /// Revokes the tokens a refused answer carried (`e`'s [`AuthError::tokens_to_revoke`]).
    /// Never a token the session holds: the core hands none back (`process_token_response` is
    /// given the held set with either grant; the DPoP path's signature check, the same rule).
    pub(super) fn revoke_refused(&mut self, e: &AuthError, for_logout: bool) {
        if let Some(t) = e.tokens_to_revoke() {
            let (access, refresh) = t.secrets();
            self.revoke_secrets(access, refresh, for_logout);
        }
    }

    /// Revokes a refresh token (if any), then an access token (if any) — unless the profile says
    /// the refresh token's revocation ends its access tokens (Salesforce): then the access token
    /// only when there is no refresh token.
    pub(super) fn revoke_secrets(
        &mut self,
        access: Option<&str>,
        refresh: Option<&str>,
        for_logout: bool,
    ) -> bool {
        let ends_access =
            refresh.is_some() && self.config.profile().refresh_revocation_ends_access();
        let any = self.revoke_one(refresh, TokenKind::Refresh, for_logout);
        self.revoke_one(
            access.filter(|_| !ends_access),
            TokenKind::Access,
            for_logout,
        ) || any
    }

    /// Sends `token`'s revocation, if there is a token and an endpoint: whether it did.
    fn revoke_one(&mut self, token: Option<&str>, kind: TokenKind, for_logout: bool) -> bool {
        let Some(request) = token.and_then(|t| revocation_request(&self.config, t, kind)) else {
            return false;
        };
        self.send(
            RequestKind::Revocation,
            request,
            Pending::Revoke { for_logout },
        );
        true
    }

    /// A session is being installed (a login completed, here or in another tab) while a logout
    /// waits for its revocations: that logout's event goes now, before the `login` event
    /// (`revoked: false`, their outcome not yet known; its promise settles as before, with
    /// `revocation_failed` if one fails), so that the last of the two events an app hears is the
    /// one that holds: signed in.
    pub(super) fn logout_before_login(&mut self) {
        if let Some(l) = self.logout.as_mut().filter(|l| !l.told) {
            l.told = true;
            self.logout_event(false);
        }
    }

    /// This tab's `logout` event.
    fn logout_event(&mut self, revoked: bool) {
        self.emit(AuthEvent::Logout {
            revoked,
            end_session: false,
        });
    }

    /// Settles the logout once nothing it waits for is left (or its time ran out).
    pub(super) fn finish_logout_if_done(&mut self, out_of_time: bool) {
        let waiting = self.pending.iter().any(|(_, p)| match p {
            Pending::Revoke { for_logout } => *for_logout,
            Pending::Refresh { epoch, .. } | Pending::Login { epoch, .. } => *epoch < self.epoch,
        });
        if waiting && !out_of_time {
            return;
        }
        let Some(l) = self.logout.take() else {
            return;
        };
        let failure = l.failure.or_else(|| {
            waiting.then(|| AuthError::RevocationFailed {
                status: None,
                reason: brief!(
                    "revocation timed out (timeoutMs)",
                    "revocation did not finish within timeoutMs"
                )
                .into(),
            })
        });
        self.stats.revocations += l.revoked;
        if !l.told {
            self.logout_event(l.attempted && failure.is_none());
        }
        // The first call settles last: with `endSession`, the navigation that happens last is
        // the one the page follows, and a call that joined with nothing held has no id_token
        // for the end-session request's hint.
        // (Popped: last first, with no `IntoIter` instance.)
        let mut ops = l.ops;
        while let Some(op) = ops.pop() {
            self.settle(op, failure.as_ref().map_or(Ok(()), |e| Err(e.copy())));
        }
    }
}
