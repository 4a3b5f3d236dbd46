//! The one error type of salesforce-pkce, with its stable codes (docs/guides/errors-and-events.md).
//!
//! Every failure the library can report is an [`AuthError`]; [`AuthError::code`] returns the
//! stable string an application can switch on (`"state_mismatch"`, `"session_expired"`, …).
//! Messages never contain a token, a code, a verifier or a response body.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// A failure of the OAuth flow, with a stable [`code`](AuthError::code).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// Bad options; `field` names the option (`"redirectUri"`, `"returnTo"`, …).
    InvalidConfig {
        /// The option at fault, as the JS API spells it.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A callback arrived but no pending login record exists at all.
    NoPendingLogin,
    /// Pending logins exist but none matches the callback's `state`.
    StateMismatch,
    /// The matching pending login is older than its time to live.
    LoginExpired,
    /// The provider redirected back with `error=` (RFC 6749 §4.1.2.1), on a callback whose
    /// `state` matched a pending login (without one, the callback is `state_mismatch` or
    /// `no_pending_login` and its text is not reported).
    AuthorizationDenied {
        /// The provider's `error` code, e.g. `access_denied` (RFC 6749's character set).
        error: String,
        /// The provider's `error_description` (RFC 6749's character set, at most 500
        /// characters; dropped otherwise).
        description: Option<String>,
        /// How to fix a known cause (provider profile), in the library's words.
        hint: Option<&'static str>,
    },
    /// A sign-in without a page for the user (silent restore) found no session at the provider:
    /// its `error` is one of the "no provider session" answers (`callback::no_provider_session`).
    LoginRequired {
        /// The provider's `error` (`login_required`, Salesforce's `immediate_unsuccessful`, …).
        error: String,
        /// The provider's `error_description` (as for `AuthorizationDenied`).
        description: Option<String>,
    },
    /// The callback URL is malformed (missing or repeated parameters, `code` with `error`).
    InvalidCallback {
        /// What is malformed.
        reason: String,
    },
    /// `iss` on the callback differs from the expected issuer (RFC 9207).
    IssuerMismatch,
    /// The token endpoint answered an HTTP error.
    TokenEndpoint {
        /// HTTP status.
        status: u16,
        /// OAuth `error` from the body, when the body had one.
        error: Option<String>,
        /// OAuth `error_description`.
        description: Option<String>,
        /// How to fix a known cause (provider profile), in the library's words.
        hint: Option<&'static str>,
    },
    /// A 2xx token response that cannot be accepted.
    InvalidTokenResponse {
        /// Why it was refused.
        reason: String,
        /// The tokens the refused answer carried, to revoke ([`AuthError::tokens_to_revoke`]).
        tokens_to_revoke: Option<ForeignTokens>,
    },
    /// A refresh was rejected (`invalid_grant`): the session is over.
    SessionExpired {
        /// OAuth `error` (normally `invalid_grant`).
        error: Option<String>,
        /// OAuth `error_description`.
        description: Option<String>,
    },
    /// A refresh answered with someone else's tokens: the new id_token's `iss`, `sub`, `aud`,
    /// `azp` or `auth_time` differs from the first id_token's (OpenID Connect Core 1.0 §12.2).
    /// Code `session_expired`: the session is over, and the tokens of that answer must be
    /// revoked and never used ([`AuthError::tokens_to_revoke`]).
    IdentityChanged {
        /// The claim that differed (`"sub"`, `"iss"`, …), never its value.
        claim: &'static str,
        /// The tokens the refresh answer carried.
        tokens_to_revoke: ForeignTokens,
    },
    /// A message from another tab or the session worker that does not decode or breaks a
    /// token-response rule (an untrusted `instance_url`, an out-of-range version, …). It is
    /// dropped; the caller counts it in `stats.errorsByCode` (no event).
    InvalidTabMessage {
        /// What is wrong with it (never its content).
        reason: String,
    },
    /// No answer: offline, CORS block or timeout. The session is kept.
    Network {
        /// What failed, and its likely cause.
        reason: String,
    },
    /// `auth.fetch` to an origin that may not receive the token.
    OriginNotAllowed {
        /// The target origin.
        origin: String,
    },
    /// No session: sign in first.
    NotAuthenticated,
    /// The userinfo endpoint answered an HTTP error (after one refresh and retry).
    UserinfoFailed {
        /// HTTP status.
        status: u16,
    },
    /// The userinfo endpoint answered 2xx with what cannot be used (`core::userinfo`): code
    /// `userinfo_failed`.
    InvalidUserinfo {
        /// HTTP status (2xx).
        status: u16,
        /// Why it was refused (never its content).
        reason: &'static str,
    },
    /// Token revocation at logout failed (the local session is cleared anyway).
    RevocationFailed {
        /// HTTP status, when there was an answer.
        status: Option<u16>,
        /// What failed.
        reason: String,
    },
    /// `loginPopup()`: `window.open` returned no window (a popup blocker; call it from a click).
    PopupBlocked,
    /// `loginPopup()`: the user closed the popup while it showed this app's own origin (the
    /// only time the opener can tell; closed at the provider, it ends in `popup_timeout`).
    PopupClosed,
    /// `loginPopup()`: no callback came back within `popupTimeoutMs`.
    PopupTimeout,
    /// An error that happened in another tab or in the session worker, passed on with its
    /// code and message (`sessionSharing`).
    Relayed {
        /// Its code.
        code: ErrorCode,
        /// The original message.
        message: String,
        /// The server's `error`, if any.
        error: Option<String>,
        /// The server's `error_description`, if any.
        description: Option<String>,
        /// The HTTP status, if any.
        status: Option<u16>,
    },
}

use crate::core::secret::{AccessToken, RefreshToken};
use crate::core::text::decimal;

/// The tokens of a refused 2xx token answer (someone else's, or failing a check): to revoke,
/// never to use. `Debug` prints them redacted; they never appear in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForeignTokens {
    /// Its access token, unless it is the one the session holds (a refresh answer may repeat it).
    pub access_token: Option<AccessToken>,
    /// Its refresh token, when it carried one.
    pub refresh_token: Option<RefreshToken>,
}

impl ForeignTokens {
    /// The access token and the refresh token, to revoke.
    pub fn secrets(&self) -> (Option<&str>, Option<&str>) {
        (
            self.access_token.as_ref().map(|a| a.secret()),
            self.refresh_token.as_ref().map(|r| r.secret()),
        )
    }
}

/// Why a refresh was refused, for descriptions whose cause is known (Salesforce's
/// `invalid_grant` / `authentication failure`: the user was deactivated or changed their
/// password).
fn refresh_cause(description: &Option<String>) -> Option<&'static str> {
    match description.as_deref() {
        Some(d) if d.eq_ignore_ascii_case("authentication failure") => Some(brief!(
            "The user was probably deactivated or changed their password",
            "The provider no longer accepts this user's grant: the user was probably deactivated or changed their password"
        )),
        _ => None,
    }
}

impl AuthError {
    /// For `invalid_config`, the reason alone (without the "invalid configuration: field: "
    /// prefix, which [`message`](Self::message) adds); for every other code, the message. A
    /// doctor finding names its field once with this.
    pub fn config_reason(&self) -> String {
        match self {
            AuthError::InvalidConfig { reason, .. } => reason.clone(),
            other => other.message(),
        }
    }

    /// The human-readable message (what `Display` prints and `AuthError.message` holds).
    /// Built by concatenation: `format!` would keep `core::fmt` in the wasm. Every arm gives
    /// the message's parts; one `concat` builds it.
    #[rustfmt::skip]
    pub fn message(&self) -> String {
        // The arms without a provider's description.
        const NONE: &Option<String> = &None;
        let number;
        // The message's parts, then (below) the provider's description and the hint of the
        // answers that carry them.
        let parts: &[&str] = match self {
            AuthError::InvalidConfig { field, reason } => &["invalid configuration: ", field, ": ", reason],
            AuthError::NoPendingLogin => &[explained!("no login is pending in this browser tab", ": the callback was opened without a matching login() here (reload of an old callback, another tab, or storage cleared)")],
            AuthError::StateMismatch => &[brief!("state matches no pending login", "the callback's state matches no pending login (possible forged or cross-tab callback)")],
            AuthError::LoginExpired => &[explained!("the pending login expired", " before the callback arrived; start the login again")],
            AuthError::AuthorizationDenied { error, .. } => &[brief!("the provider refused the login: ", "the authorization server refused the login: "), error],
            AuthError::LoginRequired { error, .. } => &[brief!("no session at the provider: the user must sign in (login()); it answered ", "no session at the authorization server for a sign-in without a page: the user must sign in (login()); it answered "), error],
            AuthError::InvalidCallback { reason } => &["invalid callback: ", reason],
            AuthError::IssuerMismatch => &[brief!("the callback's iss is not the issuer", "the callback's iss parameter is not the expected issuer (RFC 9207 mix-up defence)")],
            AuthError::TokenEndpoint { status, error, .. } => {
                let (sep, error) = error.as_deref().map_or(("", ""), |e| (": ", e));
                number = decimal(u64::from(*status));
                &[brief!("token endpoint: HTTP ", "the token endpoint answered HTTP "), &number, sep, error]
            }
            AuthError::InvalidTokenResponse { reason, .. } => &["invalid token response: ", reason],
            AuthError::SessionExpired { .. } => &[brief!("session expired or revoked; sign in again", "the session has expired or was revoked; sign in again")],
            AuthError::IdentityChanged { claim, .. } => &[brief!("the session has ended: a refresh returned someone else's tokens (", "the session has ended: a refresh returned someone else's tokens (the new id_token's "), claim,
                concat!(aside!(" differs from the signed-in session's", ", OpenID Connect Core 1.0 §12.2"), brief!("); sign in again", "); they are not used and must be revoked; sign in again"))],
            AuthError::InvalidTabMessage { reason } => &[brief!("tab message refused: ", "a message from another tab or the session worker was refused: "), reason],
            AuthError::Network { reason } => &["network error: ", reason],
            AuthError::OriginNotAllowed { origin } => &["refusing to send the access token to ", origin, brief!(": not in allowedOrigins", ": not the instance origin and not in allowedOrigins")],
            AuthError::NotAuthenticated => &["not signed in"],
            AuthError::UserinfoFailed { status } => {
                number = decimal(u64::from(*status));
                &[brief!("userinfo: HTTP ", "the userinfo endpoint answered HTTP "), &number]
            }
            AuthError::InvalidUserinfo { reason, .. } => &[brief!("userinfo answer refused: ", "the userinfo endpoint's answer was refused: "), reason],
            AuthError::RevocationFailed { reason, .. } => &["token revocation failed: ", reason],
            AuthError::PopupBlocked => &[brief!("the browser blocked the login popup: call loginPopup() from a click (a user gesture)", "the browser blocked the login popup: call loginPopup() directly from a click or key handler (a user gesture), or allow popups for this site")],
            AuthError::PopupClosed => &[explained!("the login popup was closed", " before the sign-in finished")],
            AuthError::PopupTimeout => &[brief!("no sign-in from the popup within popupTimeoutMs", "no sign-in came back from the login popup within popupTimeoutMs (a popup closed while it showed the provider's page ends this way too)")],
            AuthError::Relayed { message, .. } => &[message],
        };
        // `; the provider said: "description"` when there is a non-empty one (the provider's
        // words, quoted: RFC 6749's character set has no `"`, never the library's), and
        // `. hint` when there is one.
        let (description, hint) = match self {
            AuthError::AuthorizationDenied { description, hint, .. }
            | AuthError::TokenEndpoint { description, hint, .. } => (description, *hint),
            AuthError::LoginRequired { description, .. } => (description, None),
            AuthError::SessionExpired { description, .. } => (description, refresh_cause(description)),
            _ => (NONE, None),
        };
        let mut m = parts.cat();
        if let Some(d) = description.as_deref()
            && !d.is_empty()
        {
            m.push_str("; the provider said: \"");
            m.push_str(d);
            m.push('"');
        }
        if let Some(h) = hint {
            m.push_str(". ");
            m.push_str(h);
        }
        m
    }
}

impl core::fmt::Display for AuthError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for AuthError {}

/// Declares the stable error codes once: the [`ErrorCode`] enum, its strings and
/// [`AuthError::ALL_CODES`] all come from this list.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// The stable codes of [`AuthError`] (what [`AuthError::code`] returns as a string), in
        /// the order of docs/guides/errors-and-events.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code's stable string (`"state_mismatch"`); never changes between releases.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    /// An option is missing or invalid.
    InvalidConfig => "invalid_config",
    /// A callback arrived with no login pending in this tab.
    NoPendingLogin => "no_pending_login",
    /// The callback's `state` is not the pending login's.
    StateMismatch => "state_mismatch",
    /// The pending login is older than its time to live.
    LoginExpired => "login_expired",
    /// The provider refused the authorization (the user denied it, or an error callback).
    AuthorizationDenied => "authorization_denied",
    /// A silent sign-in (restore) found no session at the provider: the user must sign in.
    LoginRequired => "login_required",
    /// The callback is malformed.
    InvalidCallback => "invalid_callback",
    /// The callback's or id_token's issuer is not the expected one.
    IssuerMismatch => "issuer_mismatch",
    /// The token endpoint answered with an error.
    TokenEndpointError => "token_endpoint_error",
    /// The token endpoint's answer breaks the rules.
    InvalidTokenResponse => "invalid_token_response",
    /// The session ended (a refresh was refused, or the identity changed).
    SessionExpired => "session_expired",
    /// A request failed without an answer (network, CORS, timeout).
    NetworkError => "network_error",
    /// `auth.fetch` was asked to send the token to an origin it may not go to.
    OriginNotAllowed => "origin_not_allowed",
    /// No session is held.
    NotAuthenticated => "not_authenticated",
    /// The revocation endpoint refused a revocation.
    RevocationFailed => "revocation_failed",
    /// The UserInfo endpoint refused the call, or its answer could not be used.
    UserinfoFailed => "userinfo_failed",
    /// A message from another tab or the session worker was refused.
    InvalidTabMessage => "invalid_tab_message",
    /// The browser blocked the login popup.
    PopupBlocked => "popup_blocked",
    /// The user closed the login popup.
    PopupClosed => "popup_closed",
    /// The login popup did not come back in time.
    PopupTimeout => "popup_timeout",
    /// JS only: the package was used before `init()`, or a client after `free()`.
    NotInitialized => "not_initialized",
}

impl AuthError {
    /// The stable code of this error as a value; [`code`](Self::code) is its string.
    pub fn kind(&self) -> ErrorCode {
        match self {
            AuthError::InvalidConfig { .. } => ErrorCode::InvalidConfig,
            AuthError::NoPendingLogin => ErrorCode::NoPendingLogin,
            AuthError::StateMismatch => ErrorCode::StateMismatch,
            AuthError::LoginExpired => ErrorCode::LoginExpired,
            AuthError::AuthorizationDenied { .. } => ErrorCode::AuthorizationDenied,
            AuthError::LoginRequired { .. } => ErrorCode::LoginRequired,
            AuthError::InvalidCallback { .. } => ErrorCode::InvalidCallback,
            AuthError::IssuerMismatch => ErrorCode::IssuerMismatch,
            AuthError::TokenEndpoint { .. } => ErrorCode::TokenEndpointError,
            AuthError::InvalidTokenResponse { .. } => ErrorCode::InvalidTokenResponse,
            AuthError::SessionExpired { .. } | AuthError::IdentityChanged { .. } => {
                ErrorCode::SessionExpired
            }
            AuthError::InvalidTabMessage { .. } => ErrorCode::InvalidTabMessage,
            AuthError::Network { .. } => ErrorCode::NetworkError,
            AuthError::OriginNotAllowed { .. } => ErrorCode::OriginNotAllowed,
            AuthError::NotAuthenticated => ErrorCode::NotAuthenticated,
            AuthError::RevocationFailed { .. } => ErrorCode::RevocationFailed,
            AuthError::UserinfoFailed { .. } | AuthError::InvalidUserinfo { .. } => {
                ErrorCode::UserinfoFailed
            }
            AuthError::PopupBlocked => ErrorCode::PopupBlocked,
            AuthError::PopupClosed => ErrorCode::PopupClosed,
            AuthError::PopupTimeout => ErrorCode::PopupTimeout,
            AuthError::Relayed { code, .. } => *code,
        }
    }

    /// The stable code of this error (docs/guides/errors-and-events.md); never changes between
    /// releases.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The server's OAuth `error`, when the server gave one.
    pub fn server_error(&self) -> Option<&str> {
        match self {
            AuthError::AuthorizationDenied { error, .. }
            | AuthError::LoginRequired { error, .. } => Some(error),
            AuthError::TokenEndpoint { error, .. }
            | AuthError::SessionExpired { error, .. }
            | AuthError::Relayed { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The server's `error_description`, when the server gave one.
    pub fn error_description(&self) -> Option<&str> {
        match self {
            AuthError::AuthorizationDenied { description, .. }
            | AuthError::LoginRequired { description, .. }
            | AuthError::TokenEndpoint { description, .. }
            | AuthError::SessionExpired { description, .. }
            | AuthError::Relayed { description, .. } => description.as_deref(),
            _ => None,
        }
    }

    /// The tokens a caller must revoke and drop: those of a refresh answer that carried
    /// someone else's session ([`AuthError::IdentityChanged`]), or of a refused 2xx answer
    /// (`invalid_token_response`). `None` for every other error.
    pub fn tokens_to_revoke(&self) -> Option<&ForeignTokens> {
        match self {
            AuthError::IdentityChanged {
                tokens_to_revoke, ..
            } => Some(tokens_to_revoke),
            AuthError::InvalidTokenResponse {
                tokens_to_revoke: t,
                ..
            } => t.as_ref(),
            _ => None,
        }
    }

    /// This `invalid_token_response` with the refused answer's tokens (others unchanged).
    #[cfg(feature = "dpop")]
    pub(crate) fn revoking(mut self, tokens: Option<ForeignTokens>) -> Self {
        if let AuthError::InvalidTokenResponse {
            tokens_to_revoke: t,
            ..
        } = &mut self
        {
            *t = tokens;
        }
        self
    }

    /// A second copy of the same failure (for an event and a promise, or two promises): in the
    /// npm build a relayed one ([`AuthError::relayed`]: no derived `Clone` in the wasm).
    pub(crate) fn copy(&self) -> AuthError {
        if cfg!(feature = "npm") {
            self.relayed()
        } else {
            self.clone()
        }
    }

    /// The HTTP status, when the failure came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            AuthError::TokenEndpoint { status, .. } => Some(*status),
            AuthError::RevocationFailed { status, .. } | AuthError::Relayed { status, .. } => {
                *status
            }
            AuthError::UserinfoFailed { status } | AuthError::InvalidUserinfo { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// Every stable code's string, in order (from [`ErrorCode::ALL`]).
    pub const ALL_CODES: [&'static str; ErrorCode::ALL.len()] = {
        let mut out = [""; ErrorCode::ALL.len()];
        let mut i = 0;
        while i < out.len() {
            out[i] = ErrorCode::ALL[i].as_str();
            i += 1;
        }
        out
    };

    pub(crate) fn config(field: &str, reason: impl Into<String>) -> Self {
        AuthError::InvalidConfig {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn callback(reason: impl Into<String>) -> Self {
        AuthError::InvalidCallback {
            reason: reason.into(),
        }
    }

    pub(crate) fn token_response(reason: impl Into<String>) -> Self {
        AuthError::InvalidTokenResponse {
            reason: reason.into(),
            tokens_to_revoke: None,
        }
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "error_golden_tests.rs"]
mod golden_tests;
