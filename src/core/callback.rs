//! The redirect back from the authorization server (RFC 6749 §4.1.2, RFC 9207).
//!
//! Two steps: [`parse_callback`] reads the URL's query strictly (every parameter at most once,
//! valid UTF-8, bounded size); [`validate_callback`] checks it against the pending login the
//! runtime found for its `state`. Only a [`ValidatedCallback`] can start a token request.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::authorize::{PENDING_TTL_MS, PendingLogin};
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::form::{Pairs, Refused};
use crate::core::pkce::CodeVerifier;
use crate::core::profile::Profile;
use crate::core::secret::AuthorizationCode;
use crate::core::state::Nonce;
use crate::core::text::{decimal, provider_description, valid_error_code};
use crate::core::time::Millis;
use crate::core::url::HttpUrl;

/// Longest callback query accepted (a Salesforce code is ~100 characters).
pub const MAX_CALLBACK_QUERY: usize = 16 * 1024;
// `parse_callback`'s message writes the limit out.
const _: () = assert!(MAX_CALLBACK_QUERY == 16384);

/// The OAuth parameters of a callback URL, each present at most once.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CallbackParams {
    /// `code`.
    pub(crate) code: Option<CodeParam>,
    /// `state`.
    pub state: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `iss` (RFC 9207).
    pub iss: Option<String>,
}

/// The authorization code as read from the URL (decoded). Redacted in `Debug`.
#[derive(PartialEq, Eq)]
pub struct CodeParam(String);

impl core::fmt::Debug for CodeParam {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CodeParam([redacted])")
    }
}

/// Whether `current_url` is the redirect URI (same origin and path); the query is not compared.
pub fn is_callback_url(config: &ClientConfig, current_url: &str) -> bool {
    let Ok(u) = HttpUrl::parse(current_url, "location") else {
        return false;
    };
    let at = |r: &HttpUrl| u.origin() == r.origin() && u.path() == r.path();
    at(&config.redirect_url) || config.popup_redirect.as_ref().is_some_and(|(_, p)| at(p))
}

/// Parses a callback query (without `?`). `Ok(None)`: not a callback (no `code`, `state` or
/// `error`). Repeated parameters, invalid percent-encoding or UTF-8, an oversized query,
/// `code` together with `error`, or an `error` outside RFC 6749's character set
/// (`%x20-21 / %x23-5B / %x5D-7E`) are `invalid_callback`. `error_description` is kept as
/// given here; [`validate_callback`] drops it outside that set and cuts it at 500 characters.
pub fn parse_callback(query: &str) -> Result<Option<CallbackParams>, AuthError> {
    if query.len() > MAX_CALLBACK_QUERY {
        return Err(AuthError::callback(
            [
                "the callback query is ",
                &decimal(query.len() as u64),
                brief!(" bytes (limit 16384)", " bytes, over the 16384-byte limit"),
            ]
            .cat(),
        ));
    }
    // The one pair reader of the stored records, strict: unknown names skipped unread.
    let mut slots: [Option<String>; 5] = Default::default();
    const NAMES: [&str; 5] = ["code", "state", "error", "error_description", "iss"];
    let read = crate::core::form::read_pairs(query, &NAMES, &mut slots, Pairs::Callback);
    if let Err(refused) = read {
        return Err(AuthError::callback(match refused {
            Refused::Percent => brief!(
                "bad percent-encoding",
                "the callback has invalid percent-encoding"
            )
            .to_owned(),
            Refused::NotUtf8 => "the callback is not valid UTF-8".to_owned(),
            // Strict: only a name in `NAMES` is refused for a repeat.
            Refused::Twice(i) => ["parameter ", NAMES[i], " appears more than once"].cat(),
        }));
    }
    let [code, state, error, error_description, iss] = slots;
    let p = CallbackParams {
        code: code.map(CodeParam),
        state,
        error,
        error_description,
        iss,
    };
    if p.code.is_none() && p.state.is_none() && p.error.is_none() {
        return Ok(None);
    }
    if p.code.is_some() && p.error.is_some() {
        return Err(AuthError::callback(brief!(
            "both code and error",
            "the callback carries both code and error"
        )));
    }
    if p.code.is_none() && p.error.is_none() {
        return Err(AuthError::callback(brief!(
            "neither code nor error",
            "the callback has neither code nor error"
        )));
    }
    if p.error.as_deref().is_some_and(|e| !valid_error_code(e)) {
        return Err(AuthError::callback(brief!(
            "the callback's error is no OAuth code",
            "the callback's error is not an OAuth error code (RFC 6749 §4.1.2.1: printable ASCII without \" and \\)"
        )));
    }
    if p.code.as_ref().is_some_and(|c| c.0.is_empty()) {
        return Err(AuthError::callback("the callback's code is empty"));
    }
    Ok(Some(p))
}

/// What the runtime found in storage for the callback's `state`.
pub enum PendingLookup {
    /// The record stored under the state's key.
    Found(PendingLogin),
    /// Records exist, but none under this state.
    NoneMatching,
    /// No pending record at all.
    NoneAtAll,
}

/// A callback that passed every check: the only input [`crate::core::token::token_request`] takes.
#[must_use]
pub struct ValidatedCallback {
    pub(crate) code: AuthorizationCode,
    pub(crate) verifier: CodeVerifier,
    pub(crate) nonce: Option<Nonce>,
    pub(crate) return_to: String,
    /// The login was a popup's: the code exchange repeats its redirect URI
    /// ([`ClientConfig::redirect_uri_for`]).
    pub(crate) popup: bool,
}

impl core::fmt::Debug for ValidatedCallback {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ValidatedCallback")
            .field("return_to", &self.return_to)
            .finish_non_exhaustive()
    }
}

impl ValidatedCallback {
    /// Where the app wanted to go after login (a same-origin path).
    pub fn return_to(&self) -> &str {
        &self.return_to
    }
    /// The nonce sent, if any (for the id_token check).
    pub fn nonce(&self) -> Option<&Nonce> {
        self.nonce.as_ref()
    }
}

/// Checks a parsed callback against its pending login: state (constant time), TTL, `iss`
/// (RFC 9207), then `error`. The pending record must already be deleted from storage.
///
/// The provider's `error` / `error_description` are reported only once `state` matched a
/// pending login: an error callback anyone could craft (no state, or a state of no login
/// here) is `no_pending_login` / `state_mismatch` and its text is dropped, so a link cannot
/// make the app show words of the attacker's choosing as the provider's.
pub fn validate_callback(
    config: &ClientConfig,
    params: CallbackParams,
    lookup: PendingLookup,
    now_ms: Millis,
) -> Result<ValidatedCallback, AuthError> {
    let pending = match lookup {
        PendingLookup::NoneAtAll => return Err(AuthError::NoPendingLogin),
        PendingLookup::NoneMatching => return Err(AuthError::StateMismatch),
        PendingLookup::Found(p) => p,
    };
    // Checked in place: the parameters and the record are dropped on one path.
    let fault = if !params.state.as_deref().is_some_and(|s| pending.state.is(s)) {
        AuthError::StateMismatch
    } else if now_ms - pending.created_at_ms > PENDING_TTL_MS {
        AuthError::LoginExpired
    } else if match (&params.iss, &config.endpoints.issuer) {
        (Some(iss), Some(expected)) => !same_issuer(iss, expected),
        (None, _) => config.require_iss,
        (Some(_), None) => false,
    } {
        AuthError::IssuerMismatch
    } else {
        return accept(config, params, pending);
    };
    Err(fault)
}

/// The rest of [`validate_callback`] once state, time and issuer passed: the provider's `error`,
/// else the code.
fn accept(
    config: &ClientConfig,
    params: CallbackParams,
    pending: PendingLogin,
) -> Result<ValidatedCallback, AuthError> {
    if let Some(error) = params.error {
        let description = params
            .error_description
            .as_deref()
            .and_then(provider_description);
        if no_provider_session(config.profile(), &error) {
            return Err(AuthError::LoginRequired { error, description });
        }
        let hint = config.profile().error_hint(&error, description.as_deref());
        return Err(AuthError::AuthorizationDenied {
            error,
            description,
            hint,
        });
    }
    let Some(code) = params.code else {
        return Err(AuthError::callback("missing code"));
    };
    Ok(ValidatedCallback {
        code: AuthorizationCode::new(code.0),
        verifier: pending.verifier,
        nonce: pending.nonce,
        return_to: pending.return_to,
        popup: pending.popup,
    })
}

/// OpenID Connect Core 1.0 §3.1.2.6: the answers to `prompt=none` that mean "the user must
/// sign in (or interact) first", not a refusal.
pub const NO_SESSION_ERRORS: [&str; 4] = [
    "login_required",
    "interaction_required",
    "consent_required",
    "account_selection_required",
];

/// Whether the provider's callback `error` says a sign-in without a page found no session
/// (`login_required`), rather than a refusal (`authorization_denied`, a user's Deny): OpenID
/// Connect's four answers to `prompt=none` and the profile's own (Salesforce's
/// `immediate_unsuccessful`).
pub fn no_provider_session(profile: &dyn Profile, error: &str) -> bool {
    NO_SESSION_ERRORS.contains(&error) || profile.no_session_errors().contains(&error)
}

/// Issuer identifiers compare exactly (RFC 9207 §2.4), tolerating only a trailing `/`.
pub(crate) fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_byte(b'/') == b.trim_end_byte(b'/')
}

#[cfg(test)]
#[path = "login_golden_expected.rs"]
mod golden_expected;
#[cfg(test)]
#[path = "login_golden_tests.rs"]
mod golden_tests;
#[cfg(test)]
#[path = "callback_tests.rs"]
mod tests;
