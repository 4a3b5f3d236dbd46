//! The session machine's plain values: ids, what it asks the driver to do, and tab messages.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::event::AuthEvent;
use crate::core::http::HttpRequest;
use crate::core::time::Millis;
#[cfg(any(test, feature = "internals"))]
use crate::core::token::TokenSet;

/// A token set whose lifetime is shorter than this is not refreshed ahead of expiry (the 401
/// path does it), and no two proactive refreshes start closer than this without a 401.
pub const PROACTIVE_FLOOR_MS: Millis = Millis(30_000.0);
/// After this many leader timeouts in a row (a follower's refresh question unanswered for
/// `timeoutMs` each time, with no word from a leader in between), a follower takes the leader
/// lock over ([`Action::TakeLead`]) instead of failing the question: a frozen leader, or one
/// whose wasm trapped, holds its Web Lock forever. A follower never refreshes beside a leader
/// without taking the lock first (with rotation, one of them would get `invalid_grant`).
pub const LEADER_TIMEOUTS_BEFORE_TAKEOVER: u32 = 2;
/// After a retry with a newer token still got a dead-token answer from an origin, that
/// origin's dead-token answers are delivered without a refresh for this long (a resource that
/// never takes this session's tokens must not cost one refresh grant per call).
pub const DEAD_ORIGIN_FLOOR_MS: Millis = Millis(60_000.0);
/// The largest login id or version a tab message may carry (exact in a JS number).
#[cfg(feature = "sharing")]
pub use crate::core::wire::MAX_SAFE_INTEGER as MAX_TAB_NUMBER;

/// Names one request the session asked the driver to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId(pub(super) u64);

#[cfg_attr(
    feature = "dpop",
    allow(dead_code, reason = "the DPoP build's requests keep their id")
)]
impl RequestId {
    /// The id as a number the executor hands back (exact in a JS number: ids count up by one).
    pub(crate) fn number(self) -> u64 {
        self.0
    }

    /// The request whose [`RequestId::number`] is `n`.
    pub(crate) fn of_number(n: u64) -> Self {
        RequestId(n)
    }
}

/// Names one operation a caller awaits (a login, a refresh, a logout); settled by
/// [`Action::Settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpId(pub(super) u64);

/// Which of the provider's endpoints a request the session sends goes to (the driver words a
/// network failure by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
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
    #[cfg_attr(
        not(feature = "sharing"),
        expect(
            dead_code,
            reason = "only a sharing tab becomes leader (session/tabs.rs)"
        )
    )]
    Leader,
    /// Shared, another tab leads: refreshes are asked of it.
    Follower,
}

/// A message between the tabs of one session group (`sessionSharing: "tabs-locks"`). `login`
/// is the id of the interactive login a set descends from; `version` orders the sets of one
/// login (refreshes).
#[derive(Debug, Clone)]
// One message at a time, moved from the channel into the machine: boxing the token set would
// only add an allocation.
#[allow(clippy::large_enum_variant)]
// The machine writes them in every build; only a sharing build reads or receives them
// (`core::channel`, session/tabs.rs).
#[cfg_attr(
    not(feature = "sharing"),
    expect(
        dead_code,
        reason = "read and received only with cargo feature sharing"
    )
)]
pub enum TabMessage {
    /// A new tab asks for the session.
    Hello,
    /// This tab's token set as the channel's `tokens` message, written from the session's set
    /// when the message is made (`Session::tokens_message`: no copy of the set is kept for it).
    /// Empty in a build without the `sharing` feature, which never posts one (no role but
    /// `Alone`).
    Set(crate::core::secret::TokensMessage),
    /// Another tab's token set, as `core::channel::decode` reads it (tests, fuzzing: a tab
    /// reads a channel message straight into its session machine, `core::channel::read`).
    #[cfg(any(test, feature = "internals"))]
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
        /// When it asked (ms since the epoch; `None` from a tab that did not say). A leader
        /// leaves a question older than `timeoutMs` unanswered: its asker gave up on it, and
        /// may have taken the lead over meanwhile (a leader that was frozen reads its queue
        /// when it wakes).
        at: Option<u64>,
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
    /// Send this request; hand its answer to [`Session::handle_response`](super::Session::handle_response) with `id`.
    Send {
        /// The request's id.
        id: RequestId,
        /// Where it goes.
        kind: RequestKind,
        /// The request.
        request: HttpRequest,
    },
    /// Deliver this event to the app's listeners.
    Emit(AuthEvent),
    /// Post this message to the other tabs.
    Broadcast(
        #[cfg_attr(
            not(feature = "sharing"),
            expect(dead_code, reason = "posted only with cargo feature sharing")
        )]
        TabMessage,
    ),
    /// Take the leader lock over (`navigator.locks.request(name, { steal: true })`): the
    /// leader did not answer [`LEADER_TIMEOUTS_BEFORE_TAKEOVER`] times in a row. One tab at a
    /// time, and only if [`Session::wants_lead`](super::Session::wants_lead) still holds then
    /// (two followers timing out together must not both refresh). Once this tab holds the lock,
    /// [`Session::handle_became_leader`](super::Session::handle_became_leader).
    TakeLead,
    /// The operation `op` is over; resolve whoever awaits it.
    Settle {
        /// The operation.
        op: OpId,
        /// Its result.
        result: Result<(), AuthError>,
    },
}

/// What to do with an API answer (see [`Session::handle_api_answer`](super::Session::handle_api_answer)).
#[must_use]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiStep {
    /// Give the response to the caller as it is.
    Deliver,
    /// Send the request once more with the current token.
    Retry,
    /// Wait for the refresh `op`, then ask [`Session::after_refresh`](super::Session::after_refresh).
    Wait(OpId),
}
