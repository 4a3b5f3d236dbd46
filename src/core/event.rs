//! Events of a session's life and its health counters: produced by the session machine
//! ([`crate::core::session`]), delivered to listeners by the runtime.

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Serialize;

use crate::core::error::AuthError;

use crate::core::wire::SessionView;

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

/// The counters of `auth.stats`, declared once: (JS name, key in the session worker's message
/// form). `auth.stats`, the worker relay and the typings are tied to this table by tests.
pub const COUNTERS: [(&str, &str); 5] = [
    ("logins", "l"),
    ("refreshes", "r"),
    ("refreshFailures", "rf"),
    ("retriedAfter401", "ra"),
    ("revocations", "rv"),
];

impl Stats {
    /// A counter by its JS name (one of `COUNTERS`: the `Stats` field names in camelCase).
    pub fn counter(&self, name: &str) -> Option<u32> {
        Some(match name {
            "logins" => self.logins,
            "refreshes" => self.refreshes,
            "refreshFailures" => self.refresh_failures,
            "retriedAfter401" => self.retried_after_401,
            "revocations" => self.revocations,
            _ => return None,
        })
    }

    /// A counter by its JS name, to change it.
    pub(crate) fn counter_mut(&mut self, name: &str) -> Option<&mut u32> {
        Some(match name {
            "logins" => &mut self.logins,
            "refreshes" => &mut self.refreshes,
            "refreshFailures" => &mut self.refresh_failures,
            "retriedAfter401" => &mut self.retried_after_401,
            "revocations" => &mut self.revocations,
            _ => return None,
        })
    }
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

    /// Adds `n` failures of `code`.
    pub(crate) fn add(&mut self, code: &'static str, n: u32) {
        match self.0.iter_mut().find(|(c, _)| *c == code) {
            Some((_, m)) => *m += n,
            None => self.0.push((code, n)),
        }
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
    Login(SessionView),
    /// The access token was refreshed.
    TokenRefreshed(SessionView),
    /// The session ended: the refresh was refused.
    SessionExpired(AuthError),
    /// Signed out; `revoked` is false when revocation failed.
    Logout {
        /// Every revocation succeeded (false in the other tabs of a shared session, and on the
        /// end-session return page: the page that logged out revoked).
        revoked: bool,
        /// This page is the way back from the provider's end-session endpoint
        /// (`logout({ endSession: true })`).
        end_session: bool,
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

/// How an event reaches a tab in `sessionSharing: "tabs"` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay {
    /// The session worker's client emits it and relays it to every tab (`core::relay`).
    Worker,
    /// Each tab emits its own (its own failures, its own callback).
    ThisTab,
}

/// Every event, declared once: its name (as `on()` takes it) and how it reaches a tab in
/// `"tabs"` mode. `on()`, the worker relay and the typings are tied to this table by tests.
pub const EVENTS: [(&str, Relay); 7] = [
    ("login", Relay::Worker),
    ("token_refreshed", Relay::Worker),
    ("session_expired", Relay::Worker),
    ("logout", Relay::Worker),
    ("error", Relay::ThisTab),
    ("scope_reduced", Relay::Worker),
    ("restore_failed", Relay::ThisTab),
];

/// Event names, as `on()` takes them (each `AuthEvent::name`).
pub const EVENT_NAMES: [&str; 7] = {
    let mut names = [""; 7];
    let mut i = 0;
    while i < EVENTS.len() {
        names[i] = EVENTS[i].0;
        i += 1;
    }
    names
};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_table_names_every_counter_of_stats_and_the_typings() {
        let mut stats = Stats::default();
        for (i, (name, _)) in COUNTERS.iter().enumerate() {
            *stats.counter_mut(name).expect(name) = i as u32 + 1;
        }
        assert_eq!(
            [
                stats.logins,
                stats.refreshes,
                stats.refresh_failures,
                stats.retried_after_401,
                stats.revocations
            ],
            [1, 2, 3, 4, 5],
            "each name reaches its own field"
        );
        let json = serde_json::to_value(&stats).unwrap();
        let mut fields: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        let mut expected: Vec<&str> = COUNTERS
            .iter()
            .map(|(n, _)| *n)
            .chain(["errorsByCode"])
            .collect();
        expected.sort_unstable();
        assert_eq!(
            fields, expected,
            "the table lists every field auth.stats has"
        );
        let typings = include_str!("../../js/types.d.ts");
        let stats_type = &typings[typings
            .find("interface AuthStats")
            .expect("AuthStats in types.d.ts")..];
        let stats_type = &stats_type[..stats_type.find('}').unwrap()];
        for (name, _) in COUNTERS {
            assert!(
                stats_type.contains(name),
                "types.d.ts AuthStats lacks {name}"
            );
        }
        for (i, (name, _)) in COUNTERS.iter().enumerate() {
            assert_eq!(
                stats.counter(name),
                Some(i as u32 + 1),
                "{name} reads its own field"
            );
        }
        assert!(stats.counter("nope").is_none());
    }
}
