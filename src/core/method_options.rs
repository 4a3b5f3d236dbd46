//! The options objects of the client's option-taking methods (`login()`,
//! `authorizationUrl()`, `loginPopup()`, `logout()`), read by one table: one reader for the
//! four, each method reading its own entries.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::authorize::LoginOptions;
use crate::core::end_session::LogoutOptions;
use crate::core::error::AuthError;
use crate::core::json::Json;
use crate::core::option_table::{self, OptionEntry, option};
use crate::core::popup::PopupOptions;

/// What a method's options object holds: a login's options, a popup's and a logout's (each
/// method fills only its own).
#[derive(Debug, Default)]
pub(crate) struct MethodOptions {
    pub(crate) login: LoginOptions,
    pub(crate) popup: PopupOptions,
    pub(crate) logout: LogoutOptions,
}

/// Every method's options, each struct's in its field order: `LoginOptions`'s ([`LOGIN`]),
/// then `PopupOptions`'s (with the login's: [`POPUP`]), then `LogoutOptions`'s ([`LOGOUT`]).
pub(crate) const TABLE: &[OptionEntry<MethodOptions>] = &[
    option!(login.return_to, "returnTo", String),
    option!(login.prompt, "prompt", String),
    option!(login.login_hint, "loginHint", String),
    option!(login.immediate, "immediate", bool),
    option!(popup.popup_features, "popupFeatures", String),
    option!(popup.popup_timeout_ms, "popupTimeoutMs", f64),
    option!(logout.end_session, "endSession", bool),
    option!(
        logout.post_logout_redirect_uri,
        "postLogoutRedirectUri",
        String
    ),
    option!(logout.state, "state", String),
    option!(logout.return_to, "returnTo", String),
];

/// `login()`'s and `authorizationUrl()`'s entries of [`TABLE`] (from, to).
pub(crate) const LOGIN: (usize, usize) = (0, 4);
/// `loginPopup()`'s: a login's and the popup's.
pub(crate) const POPUP: (usize, usize) = (0, 6);
/// `logout()`'s.
pub(crate) const LOGOUT: (usize, usize) = (6, 10);

/// A method's options from the object the app gave, read by its `entries` of [`TABLE`] (any
/// other name is an unknown option).
pub(crate) fn read(value: &Json, entries: (usize, usize)) -> Result<MethodOptions, AuthError> {
    option_table::read(value, &TABLE[entries.0..entries.1])
}
