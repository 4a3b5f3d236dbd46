//! The authorization request (RFC 6749 §4.1.1 + RFC 7636 §4.3) and the pending-login record
//! kept between `login()` and the callback.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::base64url;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::form::Form;
use crate::core::pkce::CodeVerifier;
use crate::core::profile::SilentLogin;
use crate::core::state::{LoginRandomness, Nonce, State};
use crate::core::text::decimal;
use crate::core::time::Millis;
use crate::core::url::{HttpUrl, Origin};

/// How long a pending login stays valid: 10 minutes.
pub const PENDING_TTL_MS: Millis = Millis(10.0 * 60.0 * 1000.0);
/// Prefix of the storage keys of pending logins (`<prefix><state>`).
pub const PENDING_KEY_PREFIX: &str = "salesforce-pkce:pending:";
const PENDING_FORMAT: &str = "1";

/// Options of one login.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginOptions {
    /// Where to go after the callback: a same-origin path or URL (default: `/`).
    pub return_to: Option<String>,
    /// OpenID `prompt` (`login`, `consent`, `select_account`, `none`; space-separated).
    pub prompt: Option<String>,
    /// Pre-fills the username.
    pub login_hint: Option<String>,
    /// Salesforce `immediate=true`: silent login, `immediate_unsuccessful` if impossible.
    pub immediate: Option<bool>,
    /// A silent restore (`auth.restore()`): its failure signs out quietly with a
    /// `restore_failed` event instead of rejecting. Not an option of the JS API.
    #[serde(skip)]
    pub silent: bool,
    /// A popup login (`loginPopup()`): the popup hands the callback to this page instead of
    /// exchanging the code. Not an option of the JS API (`loginPopup()` sets it).
    #[serde(skip)]
    pub popup: bool,
    /// `dpop_jkt` (RFC 9449 §10): the thumbprint of the DPoP key that will exchange the code,
    /// binding the code to it — only where that key survives the trip (a popup login). Not an
    /// option of the JS API.
    #[serde(skip)]
    pub dpop_jkt: Option<String>,
}

/// What `login()` must keep until the callback: verifier, state, nonce, returnTo, time.
pub struct PendingLogin {
    /// The `state` sent.
    pub state: State,
    /// The PKCE verifier (only here and in the token request).
    pub verifier: CodeVerifier,
    /// The OpenID nonce sent, if `openid` was requested.
    pub nonce: Option<Nonce>,
    /// Same-origin path to return to.
    pub return_to: String,
    /// When `login()` ran (ms since the epoch).
    pub created_at_ms: Millis,
    /// A silent restore (see [`LoginOptions::silent`]).
    pub silent: bool,
    /// A popup login (see [`LoginOptions::popup`]).
    pub popup: bool,
}

impl core::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("return_to", &self.return_to)
            .field("created_at_ms", &self.created_at_ms)
            .field("silent", &self.silent)
            .field("popup", &self.popup)
            .finish_non_exhaustive()
    }
}

impl PendingLogin {
    /// The storage key of this record: derived from its state.
    pub fn storage_key(&self) -> String {
        pending_key(&self.state)
    }

    /// Serializes the record for storage (form-encoded; no token ever goes in it).
    pub fn to_storage(&self) -> String {
        let mut f = Form::new();
        write_record(
            &mut f,
            self.state.as_str(),
            self.verifier.secret(),
            &self.return_to,
            self.created_at_ms,
            self.nonce.as_ref().map(Nonce::as_str),
            self.silent,
            self.popup,
        );
        f.finish()
    }

    /// Parses a stored record; a corrupt one is `invalid_callback`.
    pub fn from_storage(text: &str) -> Result<Self, AuthError> {
        match Self::read(text) {
            Some(p) => Ok(p),
            None => Err(AuthError::callback(explained!(
                "the stored pending login is corrupt",
                "; start the login again"
            ))),
        }
    }

    /// The record, or `None` when it is corrupt (what the sweep of expired records asks: no
    /// error is made for a record it deletes).
    pub(crate) fn read(text: &str) -> Option<Self> {
        const NAMES: [&str; 8] = [
            "v",
            "state",
            "verifier",
            "return_to",
            "created_at",
            "nonce",
            "silent",
            "popup",
        ];
        let mut slots: [Option<String>; 8] = Default::default();
        crate::core::form::read_record(text, PENDING_FORMAT, &NAMES, &mut slots)?;
        // Checked in place first, the verifier last: a refused record is dropped whole, once.
        let created = crate::core::text::parse_u64(slots[4].as_deref()?)?;
        if slots[1].is_none() || !slots[3].as_deref().is_some_and(is_local_path) {
            return None;
        }
        let verifier = CodeVerifier::from_stored(slots[2].take()?)?;
        let [_, state, _, return_to, _, nonce, silent, popup] = slots;
        Some(PendingLogin {
            state: State::new(state.unwrap_or_default()),
            verifier,
            nonce: nonce.map(Nonce::new),
            return_to: return_to.unwrap_or_default(),
            created_at_ms: Millis(created as f64),
            silent: silent.is_some(),
            popup: popup.is_some(),
        })
    }
}

/// The pending record's pairs, in their order: the one writer of [`PendingLogin::to_storage`]
/// and of [`login_texts`].
#[allow(clippy::too_many_arguments)]
fn write_record(
    f: &mut Form,
    state: &str,
    verifier: &str,
    return_to: &str,
    created_at: Millis,
    nonce: Option<&str>,
    silent: bool,
    popup: bool,
) {
    f.append_pair("v", PENDING_FORMAT)
        .append_pair("state", state)
        .append_pair("verifier", verifier)
        .append_pair("return_to", return_to)
        .append_pair("created_at", &decimal(created_at.as_u64()));
    if let Some(n) = nonce {
        f.append_pair("nonce", n);
    }
    if silent {
        f.append_pair("silent", "1");
    }
    if popup {
        f.append_pair("popup", "1");
    }
}

/// The storage key for a state.
pub fn pending_key(state: &State) -> String {
    [PENDING_KEY_PREFIX, state.as_str()].cat()
}

/// An authorization request: the URL to navigate to and the record to store first.
#[must_use]
#[derive(Debug)]
pub struct AuthorizationRequest {
    /// The authorize URL.
    pub url: String,
    /// Store under `pending.storage_key()` before navigating.
    pub pending: PendingLogin,
}

/// Builds the authorize URL (response_type=code, client_id, redirect_uri, scope, state,
/// code_challenge, code_challenge_method=S256, nonce, prompt, login_hint) and its pending
/// record. `app_origin` is the page's origin (`returnTo` must stay on it). The texts of
/// `login_texts`, the record read back.
pub fn authorization_request(
    config: &ClientConfig,
    options: &LoginOptions,
    randomness: &LoginRandomness,
    now_ms: Millis,
    app_origin: Option<&str>,
) -> Result<AuthorizationRequest, AuthError> {
    let mut bytes = [0; 96];
    bytes[..32].copy_from_slice(&randomness.verifier);
    bytes[32..64].copy_from_slice(&randomness.state);
    bytes[64..].copy_from_slice(&randomness.nonce);
    let texts = match login_texts(config, options, &bytes, now_ms, app_origin) {
        Ok(t) => t,
        Err(e) => return Err(e),
    };
    let mut pending = match PendingLogin::from_storage(texts.record()) {
        Ok(p) => p,
        Err(e) => return Err(e),
    };
    // The record keeps whole milliseconds; the request, the time given.
    pending.created_at_ms = now_ms;
    Ok(AuthorizationRequest {
        url: texts.url().to_owned(),
        pending,
    })
}

/// A login's three texts written once, into one text: the pending record's storage key, the
/// record and the authorize URL, a line break between them (none of the three holds one: the
/// key is base64url, the record form-encoded, the URL an endpoint `HttpUrl::parse` accepted —
/// it refuses control characters — followed by form-encoded parameters; the URL is last, found
/// after the last line break). The browser crosses it to JS as it is
/// (`Store::set_item_then`); no `PendingLogin` is made for a login.
pub(crate) struct LoginTexts(String);

impl LoginTexts {
    /// `key\nrecord\nurl`.
    pub(crate) fn text(&self) -> &str {
        &self.0
    }

    /// The authorize URL: after the last line break.
    pub(crate) fn url(&self) -> &str {
        self.0.rcut(b'\n').map_or("", |(_, url)| url)
    }

    /// The login's `state`: the key's end, before the first line break.
    #[cfg(test)]
    pub(crate) fn state(&self) -> &str {
        let key = self.0.cut(b'\n').map_or("", |(key, _)| key);
        key.get(PENDING_KEY_PREFIX.len()..).unwrap_or_default()
    }

    /// The pending record: between the two line breaks.
    pub(crate) fn record(&self) -> &str {
        let rest = self.0.cut(b'\n').map_or("", |(_, rest)| rest);
        rest.rcut(b'\n').map_or("", |(record, _)| record)
    }
}

/// The texts of one login ([`LoginTexts`]): the checks and values of
/// [`authorization_request`], written into one buffer. `random`: 32 bytes each for the
/// verifier, the state and the nonce, in that order ([`LoginRandomness`]'s parts, as one
/// `getRandomValues` fills them), encoded straight from it: no array copied into three.
pub(crate) fn login_texts(
    config: &ClientConfig,
    options: &LoginOptions,
    random: &[u8; 96],
    now_ms: Millis,
    app_origin: Option<&str>,
) -> Result<LoginTexts, AuthError> {
    let parsed;
    let app_origin = match app_origin {
        // Matched, not `?`: the `Origin` is written once.
        Some(o) => match Origin::parse(o, "returnTo") {
            Ok(origin) => {
                parsed = origin;
                &parsed
            }
            Err(e) => return Err(e),
        },
        None => config.redirect_url.origin(),
    };
    // (Each refusal matched out and returned, not moved by `?`: a copy fewer.)
    let return_to = match same_origin_path(options.return_to.as_deref().unwrap_or("/"), app_origin)
    {
        Ok(path) => path,
        Err(e) => return Err(e),
    };
    let prompt = match options.prompt.as_deref().map(validate_prompt) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return Err(e),
        None => None,
    };
    let verifier = base64url::encode(&random[..32]);
    let state = base64url::encode(&random[32..64]);
    let wants_openid = crate::core::bytes::listed(&config.scopes, "openid");
    let nonce = wants_openid.then(|| base64url::encode(&random[64..]));
    let nonce = nonce.as_deref();

    let challenge = crate::core::pkce::sha256_base64url(verifier.as_bytes());
    let endpoint = &config.endpoints.authorization;
    // Room for the key, the record and the URL: the text is allocated once (the PKCE row).
    let mut q = Form::with_room(endpoint.len() + 1024);
    q.raw(PENDING_KEY_PREFIX).raw(&state).raw("\n");
    write_record(
        &mut q,
        &state,
        &verifier,
        &return_to,
        now_ms,
        nonce,
        options.silent,
        options.popup,
    );
    q.then_query(endpoint)
        .append_pair("response_type", "code")
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", config.redirect_uri_for(options.popup));
    // The scopes joined by spaces, absent when that text is empty (no scope, one empty one).
    let scopes = &config.scopes;
    if scopes.len() > 1 || scopes.first().is_some_and(|s| !s.is_empty()) {
        q.append_words("scope", scopes);
    }
    q.append_pair("state", &state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    if let Some(n) = nonce {
        q.append_pair("nonce", n);
    }
    if let Some(p) = prompt {
        q.append_pair("prompt", p);
    }
    if let Some(h) = options.login_hint.as_deref().filter(|h| !h.is_empty()) {
        q.append_pair("login_hint", h);
    }
    if options.immediate == Some(true) {
        q.append_pair("immediate", "true");
    }
    if let Some(jkt) = &options.dpop_jkt {
        q.append_pair("dpop_jkt", jkt);
    }
    Ok(LoginTexts(q.finish()))
}

/// The options of a silent restore after a reload: back to `return_to`, with Salesforce's
/// `immediate=true` or OpenID's `prompt=none`, so that no page is shown to the user.
pub fn restore_options(config: &ClientConfig, return_to: String) -> LoginOptions {
    let immediate = config.profile().silent_login() == SilentLogin::Immediate;
    LoginOptions {
        return_to: Some(return_to),
        prompt: (!immediate).then(|| "none".to_owned()),
        login_hint: None,
        immediate: immediate.then_some(true),
        silent: true,
        popup: false,
        dpop_jkt: None,
    }
}

/// Accepts a path (`/x?y#z`) or an absolute URL on `origin`; returns the path part, which the
/// browser resolves (`new URL(path, location.href)`) on the page's own origin. Anything else
/// (`//evil`, `/\evil`, another origin, `javascript:`, an absolute URL whose path is
/// `//evil/…`) is an open redirect.
pub fn same_origin_path(return_to: &str, origin: &Origin) -> Result<String, AuthError> {
    match local_path_of(return_to, origin) {
        Some(path) => Ok(path),
        None => Err(AuthError::config(
            "returnTo",
            brief!(
                "must be a same-origin path or URL",
                "must be a path or URL on this app's own origin (an off-origin returnTo would be an open redirect)"
            ),
        )),
    }
}

fn local_path_of(return_to: &str, origin: &Origin) -> Option<String> {
    // The URL parser drops tabs and newlines anywhere and reads `\` as `/` (WHATWG URL).
    if has_control_or_backslash(return_to) {
        return None;
    }
    // Checked borrowed, owned once it passed.
    let url;
    let path = if return_to.starts_with("/") {
        return_to
    } else {
        let Ok(u) = HttpUrl::parse(return_to, "returnTo") else {
            return None;
        };
        url = u;
        if url.origin() != origin {
            return None;
        }
        url.path_query_fragment()
    };
    is_local_path(path).then(|| path.to_owned())
}

fn has_control_or_backslash(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || c == '\\')
}

/// A path the URL parser resolves on the page's origin, and whose normalised path does not
/// start with `//` either (an app that navigates to `new URL(p, location.href).pathname` stays
/// on its origin too): it starts with one `/`, has no control character or `\`, and its dot
/// segments (`.`, `..`, `%2e`, WHATWG URL "shorten") do not leave an empty first segment.
/// Stored records are checked with it again when read.
pub fn is_local_path(path: &str) -> bool {
    if !path.starts_with("/") || path.starts_with("//") || has_control_or_backslash(path) {
        return false;
    }
    let end = crate::core::text::end_at(path, b"?#");
    // The segments the URL parser keeps, as a count and whether the first is empty.
    let (mut kept, mut first_empty) = (0usize, false);
    // Two one-sided cuts (as `tree::Reader::string`): no `Range` slicing routine of its own.
    let mut rest = &path[..end][1..];
    loop {
        let (segment, more) = match rest.cut(b'/') {
            Some((s, more)) => (s, Some(more)),
            None => (rest, None),
        };
        match dots(segment.as_bytes()) {
            0 | 3.. => {
                if kept == 0 {
                    first_empty = segment.is_empty();
                }
                kept += 1;
            }
            n => {
                if n == 2 {
                    kept = kept.saturating_sub(1);
                }
                if more.is_none() {
                    if kept == 0 {
                        first_empty = true;
                    }
                    kept += 1;
                }
            }
        }
        match more {
            Some(m) => rest = m,
            None => return !(kept >= 2 && first_empty),
        }
    }
}

/// How many dots a segment is made of (`.` or `%2e`, any case): 1 and 2 are the dot segments.
fn dots(mut s: &[u8]) -> usize {
    let mut n = 0;
    while let Some(&b) = s.first() {
        if b == b'.' {
            s = &s[1..];
        } else if s.len() >= 3 && b == b'%' && s[1] == b'2' && s[2] | 0x20 == b'e' {
            s = &s[3..];
        } else {
            return 0;
        }
        n += 1;
    }
    n
}

fn validate_prompt(prompt: &str) -> Result<&str, AuthError> {
    // `none` only alone; the others space-separated, each once or more (no empty word).
    let ok = prompt == "none"
        || prompt
            .parts(b' ')
            .all(|p| matches!(p, "login" | "consent" | "select_account"));
    if ok {
        Ok(prompt)
    } else {
        Err(AuthError::config(
            "prompt",
            "must be login, consent, select_account (space-separated) or none alone",
        ))
    }
}

#[cfg(test)]
#[path = "authorize_tests.rs"]
mod tests;
