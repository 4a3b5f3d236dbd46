//! The sans-I/O protocol core: pure functions and types, no browser API, no clock, no
//! randomness source. Time, random bytes, URLs and HTTP responses are arguments; requests come
//! out as values. Tested with plain `cargo test` on the host.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// A message's short text, then (outside the npm build) its explanation: `explained!("short",
/// "more")` is `"shortmore"` for Rust callers and in the tests, and `"short"` in the npm
/// package's wasm, whose development build appends `more` in JS (scripts/error-prose.mjs reads
/// these pairs from the sources; docs/DECISIONS.md "The default page's text").
#[cfg(feature = "npm")]
macro_rules! explained {
    ($short:literal, $more:literal) => {
        $short
    };
}
/// A message's short text, then its explanation (see the npm build's definition).
#[cfg(not(feature = "npm"))]
macro_rules! explained {
    ($short:literal, $more:literal) => {
        concat!($short, $more)
    };
}
/// `explained!` for an explanation inside a message (more text follows it): `aside!("short",
/// "more")` is `"shortmore"` for Rust callers and `"short"` in the npm wasm, as `explained!`; the
/// development build inserts `more` after `short` where a message contains it, rather than
/// appending it (scripts/error-prose.mjs tells the two apart by the macro's name).
macro_rules! aside {
    ($short:literal, $more:literal) => {
        explained!($short, $more)
    };
}

/// A message's production text and its whole text: `brief!("short", "whole")` is `"whole"` for
/// Rust callers and in the tests, and `"short"` in the npm package's wasm, whose development build
/// puts `whole` back in JS where a message contains `short` (scripts/error-prose.mjs reads these
/// pairs as `briefs`; docs/DECISIONS.md "The production build's text, size first"). For a text
/// whose production form is not a prefix of the whole one (`explained!`, `aside!`).
#[cfg(feature = "npm")]
macro_rules! brief {
    ($short:literal, $whole:literal) => {
        $short
    };
}
/// A message's production text and its whole text (see the npm build's definition).
#[cfg(not(feature = "npm"))]
macro_rules! brief {
    ($short:literal, $whole:literal) => {
        $whole
    };
}

/// The message protocol's version as a literal: `wire::VERSION` (every tab and worker
/// message's `v`), and the constant messages `concat!` makes of it (`liveness::PING`). Bump it
/// with any change to the forms. Elsewhere the number is written only where a test holds it to
/// this one: `js/tabs.js`'s goodbye, ping and pong (`liveness`'s test) and the two fuzz
/// dictionaries (`wire`'s test); the tests read `testing::PROTOCOL`.
macro_rules! protocol {
    () => {
        "9"
    };
}

pub mod authorize;
pub mod base64url;
pub mod bounds;
pub(crate) mod bytes;
pub mod callback;
#[cfg(feature = "sharing")]
pub mod channel;
pub mod config;
pub mod discovery;
pub mod doctor;
pub mod dpop;
pub mod end_session;
pub mod error;
pub mod event;
pub mod finding;
pub mod form;
#[cfg(feature = "sharing")]
pub mod group;
pub mod http;
pub mod id_token;
pub mod json;
#[cfg(feature = "dpop")]
pub mod jwks;
#[cfg(feature = "sharing")]
pub mod liveness;
pub(crate) mod method_options;
pub(crate) mod option_table;
pub mod options;
pub mod pkce;
pub mod popup;
pub(crate) mod prelude;
pub mod profile;
pub mod refused;
#[cfg(feature = "sharing")]
pub mod relay;
pub mod revocation;
pub mod secret;
pub mod session;
pub mod state;
// Test fixtures (tests only: `cfg(test)`, or the `internals` feature's integration tests).
#[cfg(any(test, feature = "internals"))]
pub mod testing;
pub(crate) mod text;
pub mod time;
pub mod token;
pub(crate) mod token_extras;
pub mod tree;
pub mod url;
pub mod userinfo;
pub mod wire;
