//! How the session worker tells its tabs of an event and of its counters (`sessionSharing:
//! "tabs"`), and how an error is passed on (the worker's replies and events, the channel's
//! messages): text forms beside the session view each message already carries, or among a
//! message's own fields. Which events travel this way is the table
//! [`crate::core::event::EVENTS`]; encoding matches every event (a new one does not
//! compile until it is handled) and a test decodes every relayed name. The worker itself
//! writes an event's form from the JS event its executor delivers (`relayEvent` in
//! js/tabs.js); [`write_event`] is the form's reference, which the browser suite holds that
//! script to.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::event::{AuthEvent, COUNTERS, Counts, EVENTS, Parts, Relay};
use crate::core::text::{decimal, parse_small};
use crate::core::wire::{BadMessage, Fields, SessionView, Writer, relayed_error};

/// Writes an event the worker's client emitted into the worker's message `w`, made of its
/// [`AuthEvent::parts`] as the message's own fields (`t` its name; the session view the message
/// carries anyway); `false` for the events each tab emits itself ([`Relay::ThisTab`]).
#[cfg(any(test, feature = "internals"))]
pub(crate) fn write_event(event: &AuthEvent, w: &mut Writer) -> bool {
    use crate::core::event::Part;
    if event.relay() == Relay::ThisTab {
        return false;
    }
    w.put("t", event.name());
    for part in event.parts().into_iter().flatten() {
        match part {
            Part::Session(_) => &mut *w,
            Part::Error(e) => w.fields(&error_fields(e)),
            Part::Flag(key, on) => w.put(key, if on { "1" } else { "0" }),
            Part::Words(key, words) => w.put(key, &crate::core::text::joined(words, " ")),
        };
    }
    true
}

/// Reads [`write_event`]'s fields of a worker message; `session` is the view the same message
/// carried (a `login` or `token_refreshed` without one is malformed).
pub(crate) fn read_event(
    fields: Fields,
    session: Option<SessionView>,
) -> Result<AuthEvent, BadMessage> {
    let name = fields.need("t")?;
    if !EVENTS
        .iter()
        .any(|(n, r)| *n == name && *r == Relay::Worker)
    {
        return Err(BadMessage);
    }
    let fields = &fields;
    AuthEvent::from_parts(name, &Relayed { fields, session }).ok_or(BadMessage)
}

/// [`write_event`] alone in a message (for tests and fuzzing).
#[cfg(any(test, feature = "internals"))]
pub fn encode_event(event: &AuthEvent) -> Option<String> {
    let mut relayed = false;
    let text = Writer::form(|w| relayed = write_event(event, w));
    relayed.then_some(text)
}

/// [`read_event`] of a message's text (for tests and fuzzing).
#[cfg(any(test, feature = "internals"))]
pub fn decode_event(text: &str, session: Option<SessionView>) -> Result<AuthEvent, BadMessage> {
    read_event(Fields::parse(text)?, session)
}

/// A relayed form's parts.
struct Relayed<'a> {
    fields: &'a Fields,
    session: Option<SessionView>,
}

impl Parts for Relayed<'_> {
    fn session(&self) -> Option<SessionView> {
        self.session.clone()
    }

    fn error(&self) -> Option<AuthError> {
        read_error(self.fields)
    }

    fn flag(&self, key: &str) -> Option<bool> {
        self.fields.get(key).map(|v| v == "1")
    }

    fn words(&self, key: &str) -> Vec<String> {
        crate::core::bytes::words(self.fields.get(key).unwrap_or_default(), b' ')
    }
}

/// The session worker's counters (`auth.stats` of every tab), into its message: each counter
/// of [`crate::core::event::COUNTERS`] under its key. (A tab's `errorsByCode` is its own: the
/// worker's are not sent.)
pub(crate) fn write_counts(counts: Counts, w: &mut Writer) {
    for (i, (_, key)) in COUNTERS.iter().enumerate() {
        w.put(key, &decimal(u64::from(counts[i])));
    }
}

/// Reads [`write_counts`]' fields (a counter not given, or not a count, is 0).
pub(crate) fn read_counts(f: &Fields) -> Counts {
    // An index loop, not `COUNTERS.map` (the array's generic `try_map` and its drain in the
    // wasm) nor a `zip` (larger still).
    let mut counts = [0; 5];
    let mut i = 0;
    while i < counts.len() {
        counts[i] = f.count(COUNTERS[i].1);
        i += 1;
    }
    counts
}

/// [`write_counts`] alone in a message (for tests and fuzzing).
#[cfg(any(test, feature = "internals"))]
pub fn encode_counts(counts: Counts) -> String {
    Writer::form(|w| write_counts(counts, w))
}

/// [`read_counts`] of a message's text (for tests and fuzzing).
#[cfg(any(test, feature = "internals"))]
pub fn decode_counts(text: &str) -> Result<Counts, BadMessage> {
    Ok(read_counts(&Fields::parse(text)?))
}

/// An error's code, message and server fields (`c`, `m`, `e`, `d`, `s`), as a form without a
/// version: a message's own fields (appended by [`Writer::fields`]; no message that carries an
/// error has other fields of these names).
pub(crate) fn error_fields(e: &AuthError) -> String {
    Writer::bare()
        .put("c", e.code())
        .put("m", &e.message())
        .opt("e", e.server_error())
        .opt("d", e.error_description())
        .opt("s", e.status().map(|s| decimal(u64::from(s))).as_deref())
        .finish()
}

/// The error among a message's own fields ([`error_fields`]), when it carries one (a `c`) as
/// [`AuthError::Relayed`] (see `wire::relayed_error`).
pub(crate) fn read_error(f: &Fields) -> Option<AuthError> {
    let code = f.get("c")?;
    Some(relayed_error(
        Some(code),
        f.owned("m").unwrap_or_default(),
        f.owned("e"),
        f.owned("d"),
        f.get("s").and_then(parse_small),
    ))
}

/// [`error_fields`] in a message of their own (tests, fuzzing).
#[cfg(any(test, feature = "internals"))]
pub fn encode_error(e: &AuthError) -> String {
    Writer::form(|w| {
        w.fields(&error_fields(e));
    })
}

/// [`read_error`] of a message's text (tests, fuzzing): `None` when it does not decode or
/// carries no error.
#[cfg(any(test, feature = "internals"))]
pub fn decode_error(text: &str) -> Option<AuthError> {
    read_error(&Fields::parse(text).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::event::Stats;
    use crate::core::testing::message;

    fn view() -> SessionView {
        crate::core::testing::session_view()
    }

    fn sample(name: &str) -> AuthEvent {
        AuthEvent::sample(name)
            .unwrap_or_else(|| panic!("the table names an event with no sample: {name}"))
    }

    /// An event as a tab sees it: errors by code and message (a relayed error keeps both).
    fn describe(e: &AuthEvent) -> String {
        match e {
            AuthEvent::SessionExpired(e) | AuthEvent::Error(e) | AuthEvent::RestoreFailed(e) => {
                [e.code(), ": ", &e.message()].cat()
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_relayed_event_round_trips_and_the_others_stay_in_their_tab() {
        for (name, relay) in EVENTS {
            let event = sample(name);
            assert_eq!(event.name(), name);
            match relay {
                Relay::Worker => {
                    let text = encode_event(&event).expect(name);
                    let back = decode_event(&text, Some(view())).expect(name);
                    assert_eq!(back.name(), name);
                    assert_eq!(describe(&back), describe(&event), "{name}");
                }
                Relay::ThisTab => assert!(encode_event(&event).is_none(), "{name}"),
            }
        }
        assert!(
            decode_event("t=login", None).is_err(),
            "a login needs its session view"
        );
        assert!(decode_event("t=made_up", Some(view())).is_err());
    }

    #[test]
    fn the_typings_name_every_event() {
        let typings = include_str!("../../js/types.d.ts");
        let names = &typings[typings.find("type AuthEventName").unwrap()..];
        let names = &names[..names.find_byte(b';').unwrap()];
        for (name, ..) in EVENTS {
            assert!(
                names.contains(&["\"", name, "\""].cat()),
                "AuthEventName lacks {name}"
            );
            assert!(
                typings.contains(&["type: \"", name, "\""].cat()),
                "AuthEvent lacks {name}"
            );
        }
        // And the other way: an event the typings name is in the table (`on()` accepts only
        // the table's names).
        for quoted in names[names.find_byte(b'=').unwrap() + 1..].parts(b'|') {
            let name = quoted.trim().trim_byte(b'"');
            assert!(
                EVENTS.iter().any(|(n, ..)| *n == name),
                "{name} is in the typings but not in EVENTS"
            );
        }
    }

    #[test]
    fn the_event_table_of_the_guide_lists_every_event() {
        let guide = include_str!("../../docs/guides/errors-and-events.md");
        for (name, ..) in EVENTS {
            assert!(
                guide.contains(&["\n| `", name, "` |"].cat()),
                "docs/guides/errors-and-events.md's event table lacks {name}"
            );
        }
    }

    #[test]
    fn errors_keep_code_message_and_server_fields() {
        let e = AuthError::TokenEndpoint {
            status: 400,
            error: Some("invalid_grant".into()),
            description: Some("expired".into()),
            hint: None,
        };
        let back = decode_error(&encode_error(&e)).unwrap();
        assert_eq!(back.code(), "token_endpoint_error");
        assert_eq!(back.to_string(), e.to_string());
        assert_eq!(back.server_error(), Some("invalid_grant"));
        assert_eq!(back.error_description(), Some("expired"));
        assert_eq!(back.status(), Some(400));
        // The fields are a message's own: no form nested in another, no version of their own.
        assert_eq!(
            error_fields(&e),
            "c=token_endpoint_error&m=the+token+endpoint+answered+HTTP+400%3A+invalid_grant%3B+the+provider+said%3A+%22expired%22&e=invalid_grant&d=expired&s=400"
        );
        // A code this build does not know (the JS relay's `0` for a value thrown that is no
        // AuthError) is a network_error; no code: no error; a message of another version: none.
        assert_eq!(
            decode_error(&message("c=made_up&m=x")).unwrap().code(),
            "network_error"
        );
        assert_eq!(
            decode_error(&message("c=0")).unwrap().code(),
            "network_error"
        );
        assert!(decode_error(&message("m=x&e=invalid_grant")).is_none());
        assert!(decode_error("v=1&c=made_up&m=x").is_none());
        assert!(decode_error("nonsense").is_none());
    }

    #[test]
    fn counters_round_trip() {
        let mut stats = Stats::default();
        for (i, (name, _)) in COUNTERS.iter().enumerate() {
            *stats.counter_mut(name).unwrap() = i as u32 + 1;
        }
        stats.errors_by_code.increment("state_mismatch");
        let text = encode_counts(stats.counts());
        assert!(
            !text.contains("state_mismatch"),
            "errorsByCode is each tab's own"
        );
        let mut back = Stats::default();
        back.set_counts(decode_counts(&text).unwrap());
        for (name, _) in COUNTERS {
            assert_eq!(back.counter(name), stats.counter(name), "{name}");
        }
        assert_eq!(back.errors_by_code.entries().len(), 0);
        assert_eq!(
            decode_counts(&message("l=x")).unwrap(),
            [0; 5],
            "not a count: 0"
        );
        assert!(decode_counts("v=2&l=1").is_err());
    }
}
