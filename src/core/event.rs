//! Events of a session's life and its health counters: produced by the session machine
//! ([`crate::core::session`]), delivered to listeners by the runtime.

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Serialize;

use crate::core::error::AuthError;

/// What the app may know about the session (never a token).
pub use crate::core::wire::SessionView as Session;

/// Counters for the client's whole life (logout does not reset them). Forward them to your
/// monitoring and alert on spikes of failures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Successful logins.
    pub logins: u32,
    /// Successful refreshes.
    pub refreshes: u32,
    /// Failed refreshes.
    pub refresh_failures: u32,
    /// Requests retried after a 401 and a refresh.
    pub retried_after_401: u32,
    /// Tokens revoked at logout.
    pub revocations: u32,
    /// Failures by stable code.
    pub errors_by_code: ErrorCounts,
}

/// Failure counts by stable code (a small list: there are only a few codes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorCounts(Vec<(&'static str, u32)>);

impl ErrorCounts {
    /// The count for `code`, if any failure had it.
    pub fn get(&self, code: &str) -> Option<&u32> {
        self.0.iter().find(|(c, _)| *c == code).map(|(_, n)| n)
    }

    /// Every (code, count) pair.
    pub fn entries(&self) -> &[(&'static str, u32)] {
        &self.0
    }

    pub(crate) fn increment(&mut self, code: &'static str) {
        match self.0.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.0.push((code, 1)),
        }
    }
}

impl Serialize for ErrorCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (code, n) in &self.0 {
            map.serialize_entry(code, n)?;
        }
        map.end()
    }
}

/// An event of the client's life.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthEvent {
    /// Signed in (after the callback).
    Login(Session),
    /// The access token was refreshed.
    TokenRefreshed(Session),
    /// The session ended: the refresh was refused.
    SessionExpired(AuthError),
    /// Signed out; `revoked` is false when revocation failed.
    Logout {
        /// Every revocation succeeded.
        revoked: bool,
    },
    /// Any failure (for monitoring).
    Error(AuthError),
    /// Fewer scopes were granted than requested.
    ScopeReduced {
        /// Requested, not granted.
        missing: Vec<String>,
        /// Granted.
        granted: Vec<String>,
    },
    /// A silent restore found no live provider session.
    RestoreFailed(AuthError),
}

/// Event names, as `on()` takes them.
pub const EVENT_NAMES: [&str; 7] = [
    "login",
    "token_refreshed",
    "session_expired",
    "logout",
    "error",
    "scope_reduced",
    "restore_failed",
];

impl AuthEvent {
    /// The event's name.
    pub fn name(&self) -> &'static str {
        match self {
            AuthEvent::Login(_) => "login",
            AuthEvent::TokenRefreshed(_) => "token_refreshed",
            AuthEvent::SessionExpired(_) => "session_expired",
            AuthEvent::Logout { .. } => "logout",
            AuthEvent::Error(_) => "error",
            AuthEvent::ScopeReduced { .. } => "scope_reduced",
            AuthEvent::RestoreFailed(_) => "restore_failed",
        }
    }
}
