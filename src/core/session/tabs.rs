//! Sharing between tabs (`"tabs-locks"`): token sets ordered by the interactive login they
//! descend from, then by version; a logout or an ended session kills its login in every tab.
//! Leader liveness: after [`LEADER_TIMEOUTS_BEFORE_TAKEOVER`] unanswered refresh questions in a
//! row a follower takes the lock over; a leader that lost its lock follows; a question older
//! than `timeoutMs` is left unanswered.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{Action, AuthError, LEADER_TIMEOUTS_BEFORE_TAKEOVER, Role, Session, TabMessage};
#[cfg(feature = "sharing")]
use super::{AuthEvent, MAX_TAB_NUMBER};
use crate::core::secret::TokensMessage;
use crate::core::time::Millis;
use crate::core::token::TokenSet;

/// A follower's leader timeouts in a row, and whether it asked to take the lock over.
#[derive(Debug, Default)]
pub(super) struct Takeover {
    misses: u32,
    asked: bool,
}

impl Session {
    /// The sharing role the session's decisions read: [`Role::Alone`] in a build without the
    /// `sharing` feature (the npm default entry, which refuses `sessionSharing`: no other role
    /// is ever set there), so that the tab branches are left out of that wasm.
    pub(super) fn role_now(&self) -> Role {
        match cfg!(feature = "sharing") {
            true => self.role,
            false => Role::Alone,
        }
    }

    /// When a follower stops waiting for the leader's refresh (set only when following: never
    /// in a build without the `sharing` feature, which leaves the leader's timeout out).
    pub(super) fn leader_deadline(&self) -> Option<Millis> {
        match &self.flight {
            Some(f) if cfg!(feature = "sharing") => f.leader_deadline,
            _ => None,
        }
    }

    /// A tab message could not be read: counted (`invalid_tab_message`), no event.
    #[cfg(feature = "sharing")]
    pub fn note_bad_tab_message(&mut self) {
        self.stats.errors_by_code.increment("invalid_tab_message");
    }

    /// This tab became the leader (it got the lock): it refreshes from now on.
    #[cfg(feature = "sharing")]
    pub fn handle_became_leader(&mut self, now: Millis) {
        self.role = Role::Leader;
        self.takeover = Takeover::default();
        if let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some()) {
            // A follower's question that no leader will answer now: refresh here (the set
            // known dead stays so until this refresh settles: `held_dead`).
            if self.generation == f.generation {
                self.start_refresh(now, f.op);
                if let Some(n) = &mut self.flight {
                    n.dead = f.dead;
                }
            } else {
                self.settle(f.op, Ok(()));
            }
        }
        self.schedule(now, false);
    }

    /// Another tab took the leader lock over from this one (this tab did not answer in time:
    /// it was frozen, or busy): it follows from now on, and refreshes no more.
    #[cfg(feature = "sharing")]
    pub fn handle_lost_lead(&mut self) {
        if self.role == Role::Leader {
            self.role = Role::Follower;
        }
    }

    /// Whether this tab still wants to take the leader lock over ([`Action::TakeLead`]), asked
    /// again when the takeover is about to happen: not once a leader was heard meanwhile (another
    /// follower that took over first answered), nor after the question that asked for it failed.
    #[cfg(feature = "sharing")]
    pub fn wants_lead(&self) -> bool {
        self.role == Role::Follower
            && self.takeover.asked
            && self.takeover.misses >= LEADER_TIMEOUTS_BEFORE_TAKEOVER
    }

    /// The leader did not answer this follower's refresh question within `timeoutMs`. The
    /// question fails with `network_error` (the session is kept), except at the
    /// [`LEADER_TIMEOUTS_BEFORE_TAKEOVER`]th time in a row: then this tab asks to take the lock
    /// over, and the question waits one more `timeoutMs` for the lock (then refreshes here).
    pub(super) fn leader_timed_out(&mut self, now: Millis) {
        self.takeover.misses = self.takeover.misses.saturating_add(1);
        if self.takeover.misses >= LEADER_TIMEOUTS_BEFORE_TAKEOVER && !self.takeover.asked {
            self.takeover.asked = true;
            if let Some(f) = self.flight.as_mut() {
                f.leader_deadline = Some(now + Millis(f64::from(self.config.timeout_ms)));
            }
            self.actions.push(Action::TakeLead);
            return;
        }
        self.takeover.asked = false;
        let Some(f) = self.flight.take() else { return };
        let e = AuthError::Network {
            reason: explained!(
                "the leader tab did not answer",
                " the refresh request in time (timeoutMs)"
            )
            .into(),
        };
        self.stats.refresh_failures += 1;
        self.settle(f.op, Err(e));
    }

    /// A message from another tab, as a whole (the session tests deliver them so; a tab reads
    /// a channel message straight into the methods below, `core::channel::read`). Whether it
    /// brought a token set this tab adopted.
    #[cfg(all(feature = "sharing", any(test, feature = "internals")))]
    pub fn handle_tab_message(&mut self, now: Millis, message: TabMessage) -> bool {
        match message {
            // A posted set is read as the other tabs read it (`channel::decode`: `Tokens`);
            // its text unread here is a message this machine cannot read.
            TabMessage::Set(_) => self.note_bad_tab_message(),
            TabMessage::Tokens {
                login,
                version,
                tokens,
            } => return self.tab_tokens(now, login, version, tokens),
            TabMessage::Hello => self.tab_hello(),
            TabMessage::NoSession => self.tab_no_session(),
            TabMessage::Refresh { version, at } => self.tab_refresh(now, version, at),
            TabMessage::RefreshFailed { version, error } => self.tab_refresh_failed(version, error),
            TabMessage::Logout { login } => self.tab_ended(login, None),
            TabMessage::Expired { login, error } => self.tab_ended(login, Some(error)),
        }
        false
    }

    /// A new tab asks for the session: a set, or (the leader) "no session".
    #[cfg(feature = "sharing")]
    pub fn tab_hello(&mut self) {
        match &self.tokens {
            Some(t) => {
                let m = self.tokens_message(t);
                self.actions.push(Action::Broadcast(m));
            }
            None if self.role == Role::Leader => {
                self.actions.push(Action::Broadcast(TabMessage::NoSession));
            }
            None => {}
        }
    }

    /// The leader holds no session (a leader spoke: no takeover is wanted).
    #[cfg(feature = "sharing")]
    pub fn tab_no_session(&mut self) {
        self.takeover = Takeover::default();
    }

    /// A follower asks the leader for a set newer than `version` (asked at `at`).
    #[cfg(feature = "sharing")]
    pub fn tab_refresh(&mut self, now: Millis, version: u64, at: Option<u64>) {
        if self.role != Role::Leader {
            return;
        }
        // Asked longer than timeoutMs ago (this leader was frozen, say): the asker gave up on
        // it, and may lead now.
        if let Some(at) = at
            && now - Millis(at as f64) > Millis(f64::from(self.config.timeout_ms))
        {
            return;
        }
        match &self.tokens {
            Some(_) if version == self.version => {
                let _background = self.refresh(now);
            }
            Some(t) => {
                let m = self.tokens_message(t);
                self.actions.push(Action::Broadcast(m));
            }
            // The leader missed the session (it was frozen, say): ask the tabs that hold it.
            // The follower times out with network_error and keeps its session.
            None => self.actions.push(Action::Broadcast(TabMessage::Hello)),
        }
    }

    /// The leader's refresh of `version` failed without ending the session.
    #[cfg(feature = "sharing")]
    pub fn tab_refresh_failed(&mut self, version: u64, error: AuthError) {
        // A leader spoke: the count starts again (and no takeover is wanted now).
        self.takeover = Takeover::default();
        if self.version == version
            && let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some())
        {
            self.settle(f.op, Err(error));
        }
    }

    /// Another tab signed out (`error` `None`) or its session of `login` expired (`error`).
    #[cfg(feature = "sharing")]
    pub fn tab_ended(&mut self, login: u64, error: Option<AuthError>) {
        if self.session_ended(login) {
            self.emit(match error {
                None => AuthEvent::Logout {
                    revoked: false,
                    end_session: false,
                },
                Some(e) => AuthEvent::SessionExpired(e),
            });
        }
    }

    /// Another tab ended the session of `login`: sets of it and older are dead here too.
    /// Whether this tab held it (and so signs out now).
    #[cfg(feature = "sharing")]
    pub(super) fn session_ended(&mut self, login: u64) -> bool {
        if login < self.login || login > MAX_TAB_NUMBER {
            return false;
        }
        self.dead_login = self.dead_login.max(login);
        self.clear().is_some()
    }

    /// Another tab's token set (of `login`, `version`). Whether it was adopted (whatever came
    /// with it, a DPoP key in `"tabs-locks"`, belongs to the session now).
    #[cfg(feature = "sharing")]
    pub fn tab_tokens(&mut self, now: Millis, login: u64, version: u64, tokens: TokenSet) -> bool {
        if login > MAX_TAB_NUMBER || version > MAX_TAB_NUMBER {
            self.note_bad_tab_message();
            return false;
        }
        let newer = (login, version) > (self.login, self.version);
        if login <= self.dead_login || !newer {
            return false;
        }
        let first = self.tokens.is_none();
        self.takeover = Takeover::default();
        self.logout_before_login();
        let view = self.install(now, tokens, (login, version), false);
        self.emit(if first {
            AuthEvent::Login(view)
        } else {
            AuthEvent::TokenRefreshed(view)
        });
        if let Some(f) = self.flight.take_if(|f| f.leader_deadline.is_some()) {
            self.settle(f.op, Ok(()));
        }
        true
    }

    /// This tab's set `tokens` as the channel's `tokens` message (`core::channel`): `t`, the
    /// login id `l`, the version `n`, then the set's own fields (`wire::write_tokens`).
    pub(super) fn tokens_message(&self, tokens: &TokenSet) -> TabMessage {
        #[cfg(feature = "sharing")]
        {
            use crate::core::text::decimal;
            let mut w = crate::core::wire::Writer::new();
            w.put("t", "tokens")
                .put("l", &decimal(self.login))
                .put("n", &decimal(self.version));
            crate::core::wire::write_tokens(tokens, &mut w);
            TabMessage::Set(TokensMessage::new(w.finish()))
        }
        #[cfg(not(feature = "sharing"))]
        {
            let _ = tokens;
            TabMessage::Set(TokensMessage::new(String::new()))
        }
    }
}
