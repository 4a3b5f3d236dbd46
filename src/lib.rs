//! # salesforce-pkce
//!
//! OAuth 2.0 Authorization Code + PKCE for browser single-page apps, Salesforce first, with no
//! client secret and no backend. Tokens live only in memory.
//!
//! - `browser` (wasm32 only): [`AuthClient`](browser::AuthClient), the client a Rust app uses
//!   (Yew, Leptos, Dioxus), with its events, session view and redirect result.
//! - At the crate root: the options and configuration, [`AuthError`] and [`ErrorCode`], the
//!   secret newtypes, and the sans-I/O protocol steps ([`authorization_request`],
//!   [`parse_callback`], [`validate_callback`], [`token_request`], [`refresh_request`],
//!   [`process_token_response`]), which build requests as values and check the answers you hand
//!   them, on any target.
//! - [`doctor`]: the configuration doctor.
//!
//! The protocol core's other modules are private: docs/public-api.txt lists every public path.
#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// `?` on a large `Ok` value copies the whole `Result` into the caller's layout; the crate
// matches it out instead where that makes the wasm smaller (docs/DECISIONS.md, "Largest
// functions, size first" and "Construction, options and URLs, size first").
#![allow(clippy::question_mark)]

extern crate alloc;
#[cfg(any(test, not(target_arch = "wasm32")))]
extern crate std;

// Crate-private: the browser runtime drives it; `internals` (below) opens it to this
// repository's tests. On the host the runtime (`browser`, `js`) is not compiled, so core items
// only it uses are unused there by design: the dead-code check that counts is the wasm32
// build's (`make lint` runs clippy on the wasm32 library without `internals`, `-D warnings`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]
#[macro_use]
mod core;

/// The crate's internals (every module of the sans-I/O core), for this repository's integration
/// tests, cargo-fuzz targets and benchmarks only: behind the cargo feature `internals`, hidden
/// from the docs, and no part of the public API: anything here may change in any release.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::core::*;
}

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(all(feature = "npm", target_arch = "wasm32", not(test)))]
mod npm;

// The public API. Everything else in `core` is crate-private (docs/public-api.txt lists every
// public path; `make lint` checks it: a new `pub` here or in `browser` is a visible decision).

// Configuration and options.
pub use crate::core::authorize::LoginOptions;
pub use crate::core::config::{ClientConfig, ClientOptions, PendingStorage};
pub use crate::core::dpop::DpopMode;
pub use crate::core::end_session::LogoutOptions;
pub use crate::core::popup::PopupOptions;
// Errors.
pub use crate::core::error::{AuthError, ErrorCode, ForeignTokens};
// Secrets: `Debug` prints `[redacted]`, no `Display`.
pub use crate::core::pkce::CodeVerifier;
pub use crate::core::secret::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
pub use crate::core::state::{LoginRandomness, Nonce, State};
// The sans-I/O protocol steps: each `*_request` builds a request as a value, each `process_*`
// / `validate_*` checks what came back (docs/ARCHITECTURE.md, "The protocol steps").
pub use crate::core::authorize::{AuthorizationRequest, PendingLogin, authorization_request};
pub use crate::core::callback::{
    CallbackParams, PendingLookup, ValidatedCallback, parse_callback, validate_callback,
};
#[cfg(not(target_arch = "wasm32"))]
pub use crate::core::http::SerdeJson;
pub use crate::core::http::{HttpRequest, JsonDecoder, Method};
pub use crate::core::profile::TokenExtras;
pub use crate::core::token::{
    Grant, TokenOutcome, TokenSet, process_token_response, refresh_request, token_request,
};
// Time: `now` and the times of token sets and pending logins (ms since the epoch).
pub use crate::core::time::Millis;
// The configuration doctor's findings.
pub use crate::core::doctor::{Finding, Severity};

/// The configuration doctor: what is wrong or worth knowing about a set of options before a
/// login (the JS API's `AuthClient.doctor`).
pub mod doctor {
    pub use crate::core::doctor::{Finding, Severity, generic, salesforce};
}
