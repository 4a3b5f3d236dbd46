//! Callback parsing and validation: no input panics; every rejection has a stable code.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

use salesforce_pkce::internals::authorize::{LoginOptions, authorization_request};
use salesforce_pkce::internals::callback::{PendingLookup, parse_callback, validate_callback};
use salesforce_pkce::{AuthError, LoginRandomness};

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let config = &*common::CONFIG;
    match parse_callback(query) {
        Err(e) => assert_eq!(e.code(), "invalid_callback"),
        Ok(None) => {}
        Ok(Some(params)) => {
            let pending = authorization_request(
                config,
                &LoginOptions::default(),
                &LoginRandomness::from_bytes(&[1; 96]),
                salesforce_pkce::Millis(0.0),
                None,
            )
            .unwrap()
            .pending;
            if let Err(e) = validate_callback(
                config,
                params,
                PendingLookup::Found(pending),
                salesforce_pkce::Millis(1.0),
            ) {
                assert!(AuthError::ALL_CODES.contains(&e.code()));
            }
        }
    }
});
