//! What the session worker tells its tabs (core::relay): events and counters, beside the
//! session view each message carries. No input panics; whatever decodes re-encodes to a form
//! that decodes to the same thing; a login or refresh event needs its session view.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

use salesforce_pkce::AuthError;
use salesforce_pkce::internals::event::AuthEvent;
use salesforce_pkce::internals::relay::{decode_counts, decode_event, encode_counts, encode_event};
use salesforce_pkce::internals::testing;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let text = &*common::versioned(first, body);
    let session = (first & 2 == 2).then(testing::session_view);

    if let Ok(e) = decode_event(text, session.clone()) {
        if matches!(e.name(), "login" | "token_refreshed") {
            assert!(session.is_some());
        }
        let once = encode_event(&e).expect("every event that decodes is a relayed one");
        let again = decode_event(&once, session.clone()).unwrap();
        assert_eq!(again.name(), e.name());
        assert_eq!(encode_event(&again).as_deref(), Some(once.as_str()));
        if let AuthEvent::SessionExpired(err) = &again {
            assert!(AuthError::ALL_CODES.contains(&err.code()));
        }
    }

    if let Ok(c) = decode_counts(text) {
        assert_eq!(decode_counts(&encode_counts(c)).unwrap(), c);
    }
});
