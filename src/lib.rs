//! # salesforce-pkce
//!
//! OAuth 2.0 Authorization Code + PKCE for browser single-page apps, Salesforce first, with no
//! client secret and no backend. Tokens live only in memory.
//!
//! - [`core`]: the sans-I/O protocol core (PKCE, config doctor, authorize URL, callback,
//!   token/error parsing, provider profiles, refresh policy). Runs anywhere.
//! - `browser` (wasm32 only): the runtime that touches the browser.
//! - `js` (wasm32 only): the `#[wasm_bindgen]` API.
#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(any(test, not(target_arch = "wasm32")))]
extern crate std;

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(all(feature = "npm", target_arch = "wasm32", not(test)))]
mod npm;

pub use crate::core::authorize::{
    AuthorizationRequest, LoginOptions, PendingLogin, authorization_request,
};
pub use crate::core::callback::{
    CallbackParams, PendingLookup, ValidatedCallback, parse_callback, validate_callback,
};
pub use crate::core::config::{ClientConfig, ClientOptions, PendingStorage};
pub use crate::core::doctor::{Finding, Severity};
pub use crate::core::dpop::DpopMode;
pub use crate::core::end_session::LogoutOptions;
pub use crate::core::error::{AuthError, ErrorCode};
pub use crate::core::pkce::CodeVerifier;
pub use crate::core::popup::PopupOptions;
pub use crate::core::secret::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
pub use crate::core::state::{LoginRandomness, Nonce, State};
pub use crate::core::token::{
    TokenOutcome, TokenSet, process_token_response, refresh_request, token_request,
};
