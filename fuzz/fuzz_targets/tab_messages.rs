//! What tabs and the session worker send each other (core::wire): token sets, session views,
//! errors, validated callbacks, the worker's options, versions. A message is another page
//! script's text: no input panics, a token set or view another tab sent is refused with
//! `invalid_tab_message` unless it passes the token-response rules, and whatever decodes
//! re-encodes to a form that decodes to the same thing.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

use salesforce_pkce::internals::group::{
    decode_callback, decode_options, encode_callback, encode_options,
};
use salesforce_pkce::internals::profile::{Profile, SALESFORCE};
use salesforce_pkce::internals::relay::{decode_error, encode_error};
use salesforce_pkce::internals::wire::{
    MAX_SAFE_INTEGER, SessionView, decode_tab_tokens, decode_tokens, encode_tokens, tab_version,
};
use salesforce_pkce::{AuthError, ClientConfig};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if let Some(bytes) = data.get(..8) {
        let v = f64::from_le_bytes(bytes.try_into().unwrap());
        match tab_version(v) {
            Ok(n) => assert!(n <= MAX_SAFE_INTEGER && n as f64 == v),
            Err(e) => assert_eq!(AuthError::from(e).code(), "invalid_tab_message"),
        }
    }
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let text = &*common::versioned(first, body);
    let config = &*common::CONFIG;

    match decode_tokens(text) {
        Ok(t) => {
            let once = encode_tokens(&t);
            assert!(encode_tokens(&decode_tokens(&once).unwrap()) == once);
        }
        Err(_) => assert!(decode_tab_tokens(config, text).is_err()),
    }
    match decode_tab_tokens(config, text) {
        Ok(t) => {
            assert!(t.extras.get("instance_url").is_some() && !t.access_token.secret().is_empty())
        }
        Err(e) => assert_eq!(AuthError::from(e).code(), "invalid_tab_message"),
    }

    if let Ok(v) = SessionView::decode(text) {
        assert_eq!(SessionView::decode(&v.encode()).unwrap(), v);
    }
    match SessionView::decode_trusted(config, text) {
        Ok(v) => assert_eq!(Some(&v), SessionView::decode(text).ok().as_ref()),
        Err(e) => assert_eq!(e.code(), "invalid_tab_message"),
    }

    if let Some(e) = decode_error(text) {
        assert!(AuthError::ALL_CODES.contains(&e.code()));
        let once = encode_error(&e);
        assert_eq!(encode_error(&decode_error(&once).unwrap()), once);
    }

    if let Ok(c) = decode_callback(text) {
        let once = encode_callback(&c);
        assert!(encode_callback(&decode_callback(&once).unwrap()) == once);
    }

    if let Ok((o, profile)) = decode_options(text) {
        let once = encode_options(o.clone(), profile);
        let (again, same) = decode_options(&once).unwrap();
        assert_eq!(same, profile);
        assert_eq!(encode_options(again, same), once);
        // What the session worker builds from them: a client, or a stable error.
        let built = if profile == &SALESFORCE as &dyn Profile {
            ClientConfig::salesforce(&o)
        } else {
            ClientConfig::generic(&o)
        };
        if let Err(e) = built {
            assert!(AuthError::ALL_CODES.contains(&e.code()));
        }
    }
});
