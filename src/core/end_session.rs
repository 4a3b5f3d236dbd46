//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the request that sends the
//! browser to the provider's `end_session_endpoint` once `logout()` has revoked and forgotten
//! the tokens, and the record that recognises the way back (`handleRedirect()` checks `state`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::authorize::{PENDING_TTL_MS, is_local_path, same_origin_path};
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::form::Form;
use crate::core::state::State;
use crate::core::text::decimal;
use crate::core::time::Millis;
use crate::core::url::{HttpUrl, Origin};
use crate::core::wire::MAX_SAFE_INTEGER;

/// Prefix of the storage keys of pending end-session returns (`<prefix><state>`).
pub const LOGOUT_KEY_PREFIX: &str = "salesforce-pkce:logout:";
const LOGOUT_FORMAT: &str = "1";

/// Options of one `logout()`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogoutOptions {
    /// After revocation, also end the provider's session (a top-level navigation to its
    /// `end_session_endpoint`).
    pub end_session: Option<bool>,
    /// Where the provider sends the browser back (default: the client's
    /// `postLogoutRedirectUri`; none: the provider shows its own page).
    pub post_logout_redirect_uri: Option<String>,
    /// An application value carried through the provider and given back by `handleRedirect()`.
    pub state: Option<String>,
    /// Same-origin path given back by `handleRedirect()` on the way back (default `/`).
    pub return_to: Option<String>,
}

/// The top-level GET navigation to the end-session endpoint. Always a GET: a cross-site POST
/// navigation carries no `SameSite=Lax` cookie, so the provider would not see the session it is
/// asked to end (oidc-provider refuses POST there unless told otherwise, for this reason).
#[must_use]
#[derive(Debug)]
pub struct EndSessionRequest {
    /// The URL to navigate to: the endpoint with `client_id`, `id_token_hint` (where the
    /// profile sends it), `post_logout_redirect_uri` and `state`.
    pub url: String,
    /// Store under `pending.storage_key()` before navigating, when a way back was asked for.
    pub pending: Option<PendingLogout>,
}

/// What `logout({ endSession: true })` keeps until the provider sends the browser back.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLogout {
    /// The `state` sent (random; the key of the record).
    pub state: String,
    /// Same-origin path to give back.
    pub return_to: String,
    /// The application's value, given back as is.
    pub app_state: Option<String>,
    /// When `logout()` ran (ms since the epoch).
    pub created_at_ms: Millis,
}

impl PendingLogout {
    /// The storage key of this record.
    pub fn storage_key(&self) -> String {
        logout_key(&self.state)
    }

    /// Serializes the record for storage (no token ever goes in it).
    pub fn to_storage(&self) -> String {
        let mut s = Form::new();
        s.append_pair("v", LOGOUT_FORMAT)
            .append_pair("state", &self.state)
            .append_pair("return_to", &self.return_to)
            .append_pair("created_at", &decimal(self.created_at_ms.as_u64()));
        if let Some(a) = &self.app_state {
            s.append_pair("app_state", a);
        }
        s.finish()
    }

    /// Parses a stored record (`None` when it is corrupt).
    pub fn from_storage(text: &str) -> Option<Self> {
        let mut slots: [Option<String>; 5] = Default::default();
        crate::core::form::read_record(
            text,
            LOGOUT_FORMAT,
            &["v", "state", "return_to", "app_state", "created_at"],
            &mut slots,
        )?;
        // Checked in place first: a refused record is dropped whole, once.
        let created = crate::core::text::parse_u64(slots[4].as_deref()?)?;
        if created > MAX_SAFE_INTEGER
            || slots[1].is_none()
            || !slots[2].as_deref().is_some_and(is_local_path)
        {
            return None;
        }
        let [_, state, return_to, app_state, _] = slots;
        Some(PendingLogout {
            state: state.unwrap_or_default(),
            return_to: return_to.unwrap_or_default(),
            app_state,
            created_at_ms: Millis(created as f64),
        })
    }

    /// Whether the record is past its time to live (that of a pending login, 10 minutes).
    pub fn expired(&self, now_ms: Millis) -> bool {
        now_ms - self.created_at_ms > PENDING_TTL_MS
    }
}

/// The storage key for a state.
pub fn logout_key(state: &str) -> String {
    [LOGOUT_KEY_PREFIX, state].cat()
}

/// Builds the end-session navigation. `id_token` is the session's latest id_token (sent as
/// `id_token_hint` where the profile says the provider reads it: the one URL a token is ever
/// put in, docs/SECURITY.md);
/// `state_bytes` make the random `state`; `page_origin` is the page's origin (`returnTo` must
/// stay on it).
pub fn end_session_request(
    config: &ClientConfig,
    options: &LogoutOptions,
    id_token: Option<&str>,
    state_bytes: &[u8; 32],
    now_ms: Millis,
    page_origin: Option<&str>,
) -> Result<EndSessionRequest, AuthError> {
    let Some(endpoint) = config.endpoints.end_session.as_deref() else {
        return Err(AuthError::config(
            "endSession",
            brief!(
                "no end_session_endpoint: give endSessionEndpoint",
                "this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession"
            ),
        ));
    };
    let parsed;
    let origin = match page_origin {
        // Matched, not `?`: the `Origin` is written once.
        Some(o) => match Origin::parse(o, "returnTo") {
            Ok(o) => {
                parsed = o;
                &parsed
            }
            Err(e) => return Err(e),
        },
        None => config.redirect_url.origin(),
    };
    let back = options
        .post_logout_redirect_uri
        .as_deref()
        .or(config.post_logout_redirect_uri.as_deref());
    if let Some(uri) = back
        && let Err(e) = HttpUrl::parse_return(uri, "postLogoutRedirectUri")
    {
        return Err(e);
    }
    let mut q = Form::query(endpoint);
    q.append_pair("client_id", &config.client_id);
    if config.profile().end_session_id_token_hint()
        && let Some(t) = id_token
    {
        q.append_pair("id_token_hint", t);
    }
    let pending = match back {
        Some(uri) => {
            let state = State::from_random_bytes(state_bytes).into_string();
            q.append_pair("post_logout_redirect_uri", uri);
            q.append_pair("state", &state);
            // (Matched out, not moved by `?`.)
            let return_to =
                match same_origin_path(options.return_to.as_deref().unwrap_or("/"), origin) {
                    Ok(path) => path,
                    Err(e) => return Err(e),
                };
            Some(PendingLogout {
                state,
                return_to,
                app_state: options.state.clone(),
                created_at_ms: now_ms,
            })
        }
        None => None,
    };
    Ok(EndSessionRequest {
        url: q.finish(),
        pending,
    })
}

/// The `state` of a page that may be an end-session return: a query with `state` and neither
/// `code` nor `error` (a login callback has one of them).
pub fn logout_return_state(query: &str) -> Option<String> {
    use crate::core::form::{Pairs, read_pairs};
    // Every pair decoded; `state` at most once.
    let mut slots: [Option<String>; 3] = Default::default();
    read_pairs(query, &["state", "code", "error"], &mut slots, Pairs::Query).ok()?;
    let [state, code, error] = slots;
    if code.is_some() || error.is_some() {
        return None;
    }
    state.filter(|s| !s.is_empty() && s.len() <= 128)
}

#[cfg(test)]
#[path = "end_session_golden_tests.rs"]
mod golden_tests;
#[cfg(test)]
#[path = "end_session_tests.rs"]
mod tests;
