//! Token, revocation and discovery responses and id_tokens: no body panics the parsers.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

use salesforce_pkce::ClientOptions;
use salesforce_pkce::internals::discovery::process_discovery;
use salesforce_pkce::internals::http::SerdeJson;
use salesforce_pkce::internals::id_token::check_id_token;
use salesforce_pkce::internals::revocation::process_revocation_response;
use salesforce_pkce::internals::testing::id_token_check;
use salesforce_pkce::internals::token::{Grant, process_token_response};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 600;
    let Ok(body) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let config = &*common::CONFIG;
    if let Err(e) = process_token_response(
        config,
        Grant::AuthorizationCode {
            nonce: None,
            held: None,
        },
        status,
        body,
        salesforce_pkce::Millis(1.7e12),
        &SerdeJson,
    ) {
        assert!(["token_endpoint_error", "invalid_token_response"].contains(&e.code()));
    }
    if let Err(e) = process_revocation_response(status, body, &SerdeJson) {
        assert_eq!(e.code(), "revocation_failed");
    }
    let _ = process_discovery(
        "https://idp.example.com",
        status,
        body,
        &SerdeJson,
        ClientOptions::default(),
    );
    let check = id_token_check(salesforce_pkce::Millis(1.7e12));
    if let Err(e) = check_id_token(body, &check, &SerdeJson) {
        assert_eq!(e.code(), "invalid_token_response");
    }
});
