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

/// The counters of `auth.stats`, declared once, by JS name. `auth.stats`, the worker relay and
/// the typings are tied to this table by tests.
pub const COUNTER_NAMES: [&str; 5] = [
    "logins",
    "refreshes",
    "refreshFailures",
    "retriedAfter401",
    "revocations",
];

/// Each counter's key in the session worker's message form, in [`COUNTER_NAMES`]' order (only
/// the sharing build has them: the default wasm carries the names alone).
#[cfg(feature = "sharing")]
const COUNTER_KEYS: [&str; 5] = ["l", "r", "rf", "ra", "rv"];

/// The counters as (JS name, key in the session worker's message form): [`COUNTER_NAMES`]
/// beside their keys.
#[cfg(feature = "sharing")]
pub const COUNTERS: [(&str, &str); 5] = {
    let mut out = [("", ""); 5];
    let mut i = 0;
    while i < out.len() {
        out[i] = (COUNTER_NAMES[i], COUNTER_KEYS[i]);
        i += 1;
    }
    out
};

/// The counters of [`COUNTER_NAMES`], in its order.
pub type Counts = [u32; 5];

impl Stats {
    /// A counter by its JS name (one of `COUNTER_NAMES`: the `Stats` field names in camelCase).
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

    /// The counters in [`COUNTER_NAMES`]' order (what the session worker tells its tabs).
    pub(crate) fn counts(&self) -> Counts {
        [
            self.logins,
            self.refreshes,
            self.refresh_failures,
            self.retried_after_401,
            self.revocations,
        ]
    }

    /// Sets the counters from [`Stats::counts`]' form (the session worker's, in a tab).
    pub(crate) fn set_counts(&mut self, c: Counts) {
        [
            self.logins,
            self.refreshes,
            self.refresh_failures,
            self.retried_after_401,
            self.revocations,
        ] = c;
    }

    /// A counter by its JS name, to change it.
    #[cfg(test)]
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
        /// end-session return page: the page that logged out revoked; false too when a login
        /// completed while they were in flight: the event then comes before the `login` event,
        /// handled once the new session is installed — a listener sees it signed in — and the
        /// `logout()` promise reports their outcome).
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
/// `"tabs"` mode ([`AuthEvent::from_parts`] makes each of its parts). `on()`, the worker relay
/// and the typings are tied to this table by tests.
pub(crate) const EVENTS: [(&str, Relay); 7] = [
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

/// One part of what an event carries besides its name, under the key the JS object uses (the
/// relayed form the same key, but an error as the message's own fields, `core::relay`): the one
/// description of an event's payload, from which `src/js/convert.rs` makes the JS object and
/// `core::relay` the session worker's form (and [`AuthEvent::from_parts`] the event back).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    /// The session it is about (`session`; a relayed event carries it beside its form).
    Session(&'a SessionView),
    /// Its error (`error`; relayed as the message's own fields `c m e d s`).
    Error(&'a AuthError),
    /// A flag.
    Flag(&'static str, bool),
    /// Words (scopes).
    Words(&'static str, &'a [String]),
}

/// Where [`AuthEvent::from_parts`] finds an event's parts (a relayed form and its session
/// view).
#[cfg(any(feature = "sharing", test))]
pub(crate) trait Parts {
    /// The session view.
    fn session(&self) -> Option<SessionView>;
    /// The error.
    fn error(&self) -> Option<AuthError>;
    /// The flag `key`.
    fn flag(&self, key: &str) -> Option<bool>;
    /// The words under `key` (none when absent).
    fn words(&self, key: &str) -> Vec<String>;
}

impl AuthEvent {
    /// What the event carries besides its name (at most two parts; no allocation).
    pub(crate) fn parts(&self) -> [Option<Part<'_>>; 2] {
        match self {
            AuthEvent::Login(s) | AuthEvent::TokenRefreshed(s) => [Some(Part::Session(s)), None],
            AuthEvent::SessionExpired(e) | AuthEvent::Error(e) | AuthEvent::RestoreFailed(e) => {
                [Some(Part::Error(e)), None]
            }
            AuthEvent::Logout {
                revoked,
                end_session,
            } => [
                Some(Part::Flag("revoked", *revoked)),
                Some(Part::Flag("endSession", *end_session)),
            ],
            AuthEvent::ScopeReduced { missing, granted } => [
                Some(Part::Words("missing", missing)),
                Some(Part::Words("granted", granted)),
            ],
        }
    }

    /// The event named `name`, made of the parts [`AuthEvent::parts`] gave (`None`: an unknown
    /// name, or a part it needs is missing).
    /// (A `match`, not a table of functions: one reader's parts, no `dyn` calls.)
    #[cfg(feature = "sharing")]
    pub(crate) fn from_parts(name: &str, p: &impl Parts) -> Option<AuthEvent> {
        Some(match name {
            "login" => AuthEvent::Login(p.session()?),
            "token_refreshed" => AuthEvent::TokenRefreshed(p.session()?),
            "session_expired" => AuthEvent::SessionExpired(p.error()?),
            "logout" => AuthEvent::Logout {
                revoked: p.flag("revoked")?,
                end_session: p.flag("endSession")?,
            },
            "error" => AuthEvent::Error(p.error()?),
            "scope_reduced" => AuthEvent::ScopeReduced {
                missing: p.words("missing"),
                granted: p.words("granted"),
            },
            "restore_failed" => AuthEvent::RestoreFailed(p.error()?),
            _ => return None,
        })
    }

    /// How the event reaches a tab in `"tabs"` mode (its [`EVENTS`] entry; the session worker's
    /// host reads the table itself).
    #[cfg(all(feature = "sharing", any(test, feature = "internals")))]
    pub(crate) fn relay(&self) -> Relay {
        let me = self.name();
        EVENTS
            .iter()
            .find(|(n, ..)| *n == me)
            .map_or(Relay::ThisTab, |(_, r)| *r)
    }

    /// An event of each name, for tests of everything made from [`AuthEvent::parts`]: made by
    /// [`AuthEvent::from_parts`] of sample parts (a session view, an error, flags set, words).
    #[cfg(test)]
    pub(crate) fn sample(name: &str) -> Option<AuthEvent> {
        struct Samples;
        impl Parts for Samples {
            fn session(&self) -> Option<SessionView> {
                Some(crate::core::testing::session_view())
            }
            fn error(&self) -> Option<AuthError> {
                Some(AuthError::NotAuthenticated)
            }
            fn flag(&self, _: &str) -> Option<bool> {
                Some(true)
            }
            fn words(&self, key: &str) -> Vec<String> {
                vec![key.to_owned(), "api".to_owned()]
            }
        }
        AuthEvent::from_parts(name, &Samples)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts as [`AuthEvent::parts`] gave them.
    struct Given<'a>([Option<Part<'a>>; 2]);

    impl Parts for Given<'_> {
        fn session(&self) -> Option<SessionView> {
            self.0.iter().flatten().find_map(|p| match p {
                Part::Session(s) => Some((*s).clone()),
                _ => None,
            })
        }
        fn error(&self) -> Option<AuthError> {
            self.0.iter().flatten().find_map(|p| match p {
                Part::Error(e) => Some((*e).clone()),
                _ => None,
            })
        }
        fn flag(&self, key: &str) -> Option<bool> {
            self.0.iter().flatten().find_map(|p| match p {
                Part::Flag(k, on) if *k == key => Some(*on),
                _ => None,
            })
        }
        fn words(&self, key: &str) -> Vec<String> {
            self.0
                .iter()
                .flatten()
                .find_map(|p| match p {
                    Part::Words(k, w) if *k == key => Some(w.to_vec()),
                    _ => None,
                })
                .unwrap_or_default()
        }
    }

    #[test]
    fn every_event_is_made_back_of_its_parts() {
        for (name, relay) in EVENTS {
            let event = AuthEvent::sample(name).unwrap_or_else(|| panic!("no sample for {name}"));
            assert_eq!(event.name(), name, "name() of the sample of {name}");
            assert_eq!(event.relay(), relay);
            let back = AuthEvent::from_parts(name, &Given(event.parts()))
                .unwrap_or_else(|| panic!("from_parts does not make {name}"));
            assert_eq!(format!("{back:?}"), format!("{event:?}"), "{name}");
        }
        assert!(AuthEvent::from_parts("made_up", &Given([None, None])).is_none());
        assert!(
            AuthEvent::from_parts("logout", &Given([None, None])).is_none(),
            "a part it needs is missing"
        );
    }

    #[test]
    fn the_executor_takes_every_event_name_and_no_other() {
        // The npm build's `on` is the executor's (`listen` in js/executor.js): an unknown
        // name is refused there by this list.
        let js = include_str!("../../js/executor.js");
        let line = js
            .lines()
            .find(|l| l.starts_with("const events = \""))
            .expect("js/executor.js lists the event names");
        let names: Vec<&str> = line.split('"').nth(1).unwrap().split(' ').collect();
        assert_eq!(names, EVENT_NAMES, "js/executor.js's event names");
    }

    #[test]
    fn the_counter_table_names_every_counter_of_stats_and_the_typings() {
        let mut stats = Stats::default();
        for (i, name) in COUNTER_NAMES.iter().enumerate() {
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
        let mut expected: Vec<&str> = COUNTER_NAMES.into_iter().chain(["errorsByCode"]).collect();
        expected.sort_unstable();
        assert_eq!(
            fields, expected,
            "the table lists every field auth.stats has"
        );
        let typings = include_str!("../../js/types.d.ts");
        let stats_type = &typings[typings
            .find("interface AuthStats")
            .expect("AuthStats in types.d.ts")..];
        let stats_type = &stats_type[..stats_type.find_byte(b'}').unwrap()];
        for name in COUNTER_NAMES {
            assert!(
                stats_type.contains(name),
                "types.d.ts AuthStats lacks {name}"
            );
        }
        for (i, name) in COUNTER_NAMES.iter().enumerate() {
            assert_eq!(
                stats.counter(name),
                Some(i as u32 + 1),
                "{name} reads its own field"
            );
        }
        assert_eq!(
            stats.counts(),
            [1, 2, 3, 4, 5],
            "counts() in the table's order"
        );
        assert!(stats.counter("nope").is_none());
    }
}
