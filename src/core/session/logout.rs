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

/// This tab's `logout` event, held ([`Logout::held`]) or about to be emitted: `revoked` made
/// false if a revocation failed.
const OWN_LOGOUT: Action = Action::Emit(AuthEvent::Logout {
    revoked: true,
    end_session: false,
});

/// A logout waiting for its revocations (and for refreshes that were in flight). `ops`: the
/// logouts it settles — one still waiting when a login completed and the app logged out again
/// is taken over by the new one, and a logout called while one waits (nothing held) joins it,
/// so that all settle together once every revocation is answered (an `endSession` logout's
/// navigation waits for them), or the last one's time ran out; one `logout` event for them
/// (one more for each session that a login installed meanwhile and a logout ended: `held`).
pub(super) struct Logout {
    pub(super) ops: Vec<OpId>,
    pub(super) deadline: Millis,
    pub(super) revoked: u32,
    pub(super) attempted: bool,
    pub(super) failure: Option<AuthError>,
    /// Empty, or a session was installed while it waited ([`Session::logout_before_login`]):
    /// the events from then on, held in order until it is done, so that its `logout` event
    /// comes before the `login` event and says what happened to the revocations. Its own
    /// `logout` events are held with `revoked: true` (no other is: another tab's says false),
    /// made false then if a revocation failed.
    pub(super) held: Vec<Action>,
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
            held: Vec::new(),
        });
        // A session a login installed while it waited ended now: its event goes after that
        // login's.
        if !l.held.is_empty() {
            l.held.push(OWN_LOGOUT);
        }
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
    /// waits for its revocations: that logout's event, then the `login` event and any after it,
    /// are held until they are answered (or its time runs out), so that the last of the two
    /// events an app hears is the one that holds, signed in, and the first says whether the
    /// revocations succeeded (`revoked`, as its promise reports). The session is installed
    /// meanwhile.
    pub(super) fn logout_before_login(&mut self) {
        if let Some(l) = self.logout.as_mut().filter(|l| l.held.is_empty()) {
            l.held.push(OWN_LOGOUT);
        }
    }

    /// An event: emitted, or held while a logout holds the events (`Logout::held`). Out of
    /// line: it is called from many places.
    #[inline(never)]
    pub(super) fn emit(&mut self, event: AuthEvent) {
        match &mut self.logout {
            Some(l) if !l.held.is_empty() => &mut l.held,
            _ => &mut self.actions,
        }
        .push(Action::Emit(event));
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
        // Its `logout` event, or the events it held, each of its own `logout` events saying the
        // revocations' outcome (as the promises do: one for all).
        let revoked = l.attempted && failure.is_none();
        let mut held = l.held;
        if held.is_empty() {
            held.push(OWN_LOGOUT);
        }
        for a in &mut held {
            if let Action::Emit(AuthEvent::Logout { revoked: r, .. }) = a {
                *r &= revoked;
            }
        }
        self.actions.append(&mut held);
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
