//! Text forms of what crosses between tabs or to the session worker (`sessionSharing`): the
//! token set, the public session and health counters (errors: `core::relay`; a validated
//! callback's: in `core::group`). They go through `postMessage` / `BroadcastChannel` only,
//! never into storage, a URL or a log. Each form is `application/x-www-form-urlencoded` with a
//! version field, so a tab running an older build refuses a message it does not understand
//! instead of misreading it.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::form::Form;
use crate::core::profile::{API_INSTANCE_URL, INSTANCE_URL, ORG_ID, USER_ID, check_bearer_url};
use crate::core::text::{decimal, joined};
// The session worker's and the channel's forms (cargo feature `sharing`).
#[cfg(feature = "sharing")]
use crate::core::{
    bounds::token_fault,
    dpop::DpopMode,
    id_token::IdTokenIdentity,
    profile::TokenExtras,
    secret::{AccessToken, IdToken, RefreshToken},
    text::parse_small,
};
// `relayed_error` (the session worker's errors; the Rust facade's rejected promises).
#[cfg(any(feature = "sharing", not(feature = "npm")))]
use crate::core::error::ErrorCode;
use crate::core::time::Millis;
use crate::core::token::TokenSet;

/// The message protocol (`core::group::MESSAGE_PROTOCOL`, in the session group's name), as every
/// message's `v`: a tab or session worker of another build drops the other's messages whole (a
/// tab of the deploy before, whose session worker started after it, gets no answer to its hello
/// and falls back when `timeoutMs` runs out). Bump it with any change to the forms: the number is
/// `protocol!()`'s (core/mod.rs; the texts that repeat it are held to it by tests).
pub(crate) const VERSION: &str = protocol!();

/// A message that does not decode (another build's format, or garbage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadMessage;

impl From<BadMessage> for AuthError {
    fn from(_: BadMessage) -> Self {
        invalid(explained!(
            "it does not decode",
            " (another build's format, or garbage)"
        ))
    }
}

fn invalid(reason: impl Into<String>) -> AuthError {
    AuthError::InvalidTabMessage {
        reason: reason.into(),
    }
}

/// `Number.MAX_SAFE_INTEGER` (2^53 − 1): the bound of every version and time a message carries.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A version given as a JS number, as an integer: finite, whole, from 0 to [`MAX_SAFE_INTEGER`]
/// (`1e300`, `NaN`, `-1`, `1.5`: a [`BadMessage`]). A message's text is read by `Fields::ms`.
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn tab_version(v: f64) -> Result<u64, BadMessage> {
    if v >= 0.0 && v <= MAX_SAFE_INTEGER as f64 && (v as u64) as f64 == v {
        Ok(v as u64)
    } else {
        Err(BadMessage)
    }
}

pub(crate) struct Writer(Form);

impl Writer {
    pub(crate) fn new() -> Self {
        let mut s = Form::new();
        s.append_pair("v", VERSION);
        Writer(s)
    }
    pub(crate) fn put(&mut self, k: &str, v: &str) -> &mut Self {
        self.0.append_pair(k, v);
        self
    }
    pub(crate) fn opt(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.0.append_pair(k, v);
        }
        self
    }
    pub(crate) fn ms(&mut self, k: &str, v: Option<f64>) -> &mut Self {
        if let Some(v) = v.filter(|v| v.is_finite() && *v >= 0.0) {
            self.0.append_pair(k, &decimal(v as u64));
        }
        self
    }
    /// A form without a version: fields to append to a message ([`Writer::fields`]).
    #[cfg(feature = "sharing")]
    pub(crate) fn bare() -> Self {
        Writer(Form::new())
    }
    /// Appends a form's text (its fields, `relay::error_fields`) as fields of this one.
    #[cfg(feature = "sharing")]
    pub(crate) fn fields(&mut self, form: &str) -> &mut Self {
        self.0.raw("&").raw(form);
        self
    }
    pub(crate) fn finish(&mut self) -> String {
        self.0.finish()
    }
    /// A form of only what `write` puts in it (a part's text form alone: tests, fuzzing).
    pub(crate) fn form(write: impl FnOnce(&mut Writer)) -> String {
        let mut w = Writer::new();
        write(&mut w);
        w.finish()
    }
}

/// The fields of a message; a repeated field or a wrong version is a [`BadMessage`].
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(text: &str) -> Result<Self, BadMessage> {
        Self::parse_version(text, VERSION)
    }
    /// A form whose `v` is `version` (not the messages': a stored record), each key at most once.
    pub(crate) fn parse_version(text: &str, version: &str) -> Result<Self, BadMessage> {
        let f = Fields(crate::core::form::parse(text).ok_or(BadMessage)?);
        // Each pair the first of its name (by place: two empty values share a pointer).
        for pair in &f.0 {
            match f.pair(&pair.0) {
                Some(first) if core::ptr::eq(first, pair) => {}
                _ => return Err(BadMessage),
            }
        }
        if f.get("v") != Some(version) {
            return Err(BadMessage);
        }
        Ok(f)
    }
    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.pair(k).map(|(_, v)| &**v)
    }
    fn pair(&self, k: &str) -> Option<&(String, String)> {
        self.0.iter().find(|(have, _)| have == k)
    }
    pub(crate) fn owned(&self, k: &str) -> Option<String> {
        self.get(k).map(str::to_owned)
    }
    #[cfg(feature = "sharing")]
    pub(crate) fn need(&self, k: &str) -> Result<&str, BadMessage> {
        self.get(k).ok_or(BadMessage)
    }
    /// A whole number up to [`MAX_SAFE_INTEGER`] (times in ms, seconds).
    pub(crate) fn ms(&self, k: &str) -> Result<Option<f64>, BadMessage> {
        self.get(k)
            .map(|v| match crate::core::text::parse_u64(v) {
                Some(n) if n <= MAX_SAFE_INTEGER => Ok(n as f64),
                _ => Err(BadMessage),
            })
            .transpose()
    }
    #[cfg(feature = "sharing")]
    pub(crate) fn count(&self, k: &str) -> u32 {
        self.get(k).and_then(parse_small).unwrap_or(0)
    }
    pub(crate) fn scopes(&self) -> Vec<String> {
        self.get("sc")
            .map(|s| crate::core::bytes::words(s, b' '))
            .unwrap_or_default()
    }
}

/// The key prefix of a token set's extras in its form (`x.instance_url`).
#[cfg(feature = "sharing")]
const EXTRA: &str = "x.";

/// [`write_tokens`] alone in a form (tests, fuzzing).
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn encode_tokens(t: &TokenSet) -> String {
    Writer::form(|w| write_tokens(t, w))
}

/// The whole token set as fields of a form (a `"tabs-locks"` `tokens` message's own): the
/// session view's own fields, the profile's extras (each under `x.` and its name), the tokens.
#[cfg(feature = "sharing")]
pub(crate) fn write_tokens(t: &TokenSet, w: &mut Writer) {
    SessionView::of(t).write_own(w);
    for (k, v) in t.extras.iter() {
        w.put(&[EXTRA, k].cat(), v);
    }
    w.put("at", t.access_token.secret())
        .opt("rt", t.refresh_token.as_ref().map(RefreshToken::secret))
        .opt("it", t.id_token.as_ref().map(IdToken::secret));
    if let Some(i) = &t.identity {
        w.put("iss", &i.iss)
            .opt("sub", i.sub.as_deref())
            .put("aud", &joined(&i.aud, "\n"))
            .opt("azp", i.azp.as_deref())
            .ms("atm", i.auth_time);
    }
}

/// The first id_token's identity, when the message carries one.
#[cfg(feature = "sharing")]
fn read_identity(f: &Fields) -> Result<Option<Box<IdTokenIdentity>>, BadMessage> {
    let Some(iss) = f.owned("iss") else {
        return Ok(None);
    };
    Ok(Some(Box::new(IdTokenIdentity {
        iss,
        sub: f.owned("sub"),
        aud: crate::core::bytes::words(f.need("aud")?, b'\n'),
        azp: f.owned("azp"),
        auth_time: f.ms("atm")?,
    })))
}

/// [`read_tokens`] of a text (tests, fuzzing).
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn decode_tokens(text: &str) -> Result<TokenSet, BadMessage> {
    read_tokens(&Fields::parse(text)?)
}

/// Reads [`write_tokens`]' fields: their structure only, no trust rule (a token set another
/// tab or the session worker sent goes through [`tab_tokens`], the token-response rules too).
#[cfg(feature = "sharing")]
fn read_tokens(f: &Fields) -> Result<TokenSet, BadMessage> {
    let access = f.need("at")?;
    if access.is_empty() {
        return Err(BadMessage);
    }
    let v = SessionView::read(f)?;
    let mut extras = TokenExtras::default();
    for (k, value) in &f.0 {
        if let Some(name) = k.strip_prefix(EXTRA) {
            extras.set(name, value.clone());
        }
    }
    Ok(TokenSet {
        access_token: AccessToken::new(access),
        refresh_token: f.get("rt").map(RefreshToken::new),
        id_token: f.get("it").map(IdToken::new),
        identity: read_identity(f)?,
        extras,
        scopes: v.scopes,
        issued_at_ms: v.issued_at,
        expires_at_ms: v.expires_at,
        dpop: v.dpop,
    })
}

/// [`tab_tokens`] of a text (tests, fuzzing).
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn decode_tab_tokens(config: &ClientConfig, text: &str) -> Result<TokenSet, BadMessage> {
    tab_tokens(config, &Fields::parse(text)?)
}

/// Reads a token set another tab sent (a `tokens` message's fields), with the rules a token
/// response passes (a message is no more trusted than the token endpoint): tokens of visible
/// ASCII within the length cap (`core::bounds`); a DPoP-bound set under `dpop: true`; only the
/// extras the provider profile keeps, each within its field's rule (a URL that may receive the
/// token trusted by the same rule as a token response's), the required ones present; times
/// whole numbers up to 2^53 − 1. Else a [`BadMessage`] (`invalid_tab_message`): dropped, counted.
#[cfg(feature = "sharing")]
pub(crate) fn tab_tokens(config: &ClientConfig, f: &Fields) -> Result<TokenSet, BadMessage> {
    let t = read_tokens(f)?;
    let fields = config.profile().token_fields();
    for (name, value) in t.extras.iter() {
        // Only the values the provider's profile keeps, each within its rule.
        let field = fields.iter().find(|f| f.name == name).ok_or(BadMessage)?;
        let fits = match field.bearer {
            true => trusted(config, field.name, value),
            false => field.fits(value),
        };
        if !fits {
            return Err(BadMessage);
        }
    }
    // The required values present, every token within its rule (`core::bounds`), and a
    // DPoP-bound set where `dpop: true` needs one.
    let rt = t.refresh_token.as_ref().map(RefreshToken::secret);
    let it = t.id_token.as_ref().map(IdToken::secret);
    if fields
        .iter()
        .any(|f| f.required && t.extras.get(f.name).is_none())
        || [Some(t.access_token.secret()), rt, it]
            .iter()
            .flatten()
            .any(|token| token_fault(token).is_some())
        || (!t.dpop && config.dpop == DpopMode::Required)
    {
        return Err(BadMessage);
    }
    Ok(t)
}

/// A session's public view (never a token): `auth.session`, what the session worker tells tabs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// `instance_url`.
    pub instance_url: Option<String>,
    /// `api_instance_url` (Salesforce JWT access tokens, e.g. `https://api.salesforce.com`).
    pub api_instance_url: Option<String>,
    /// User id.
    pub user_id: Option<String>,
    /// Org id.
    pub org_id: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Issued at (ms since the epoch).
    pub issued_at: Millis,
    /// Expires at, if known.
    pub expires_at: Option<Millis>,
    /// The access token is DPoP-bound (`session.tokenType` is `"DPoP"`, else `"Bearer"`).
    pub dpop: bool,
}

impl SessionView {
    /// The view of a token set: its profile's extras of the view's names
    /// (`core::profile::INSTANCE_URL` …), the scopes and times.
    pub(crate) fn of(t: &TokenSet) -> Self {
        let extra = |name| t.extras.get(name).map(str::to_owned);
        SessionView {
            instance_url: extra(INSTANCE_URL),
            api_instance_url: extra(API_INSTANCE_URL),
            user_id: extra(USER_ID),
            org_id: extra(ORG_ID),
            scopes: t.scopes.clone(),
            issued_at: t.issued_at_ms,
            expires_at: t.expires_at_ms,
            dpop: t.dpop,
        }
    }

    /// Its fields, into a form (its text form, or the session worker's message).
    pub(crate) fn write(&self, w: &mut Writer) {
        w.opt("iu", self.instance_url.as_deref())
            .opt("aiu", self.api_instance_url.as_deref())
            .opt("uid", self.user_id.as_deref())
            .opt("oid", self.org_id.as_deref());
        self.write_own(w);
    }

    /// The fields that are not the profile's extras.
    fn write_own(&self, w: &mut Writer) {
        w.put("sc", &joined(&self.scopes, " "))
            .ms("ia", Some(self.issued_at.0))
            .ms("ea", self.expires_at.map(|t| t.0));
        if self.dpop {
            w.put("tt", "DPoP");
        }
    }

    fn read(f: &Fields) -> Result<Self, BadMessage> {
        Ok(SessionView {
            instance_url: f.owned("iu"),
            api_instance_url: f.owned("aiu"),
            user_id: f.owned("uid"),
            org_id: f.owned("oid"),
            scopes: f.scopes(),
            issued_at: Millis(f.ms("ia")?.ok_or(BadMessage)?),
            expires_at: f.ms("ea")?.map(Millis),
            dpop: match f.get("tt") {
                None => false,
                Some("DPoP") => true,
                Some(_) => return Err(BadMessage),
            },
        })
    }

    /// Its text form.
    pub fn encode(&self) -> String {
        Writer::form(|w| self.write(w))
    }

    /// Reads a view the session worker sent, with the token-response trust rule on its
    /// `instance_url` (`auth.fetch` resolves relative URLs against it); else
    /// `invalid_tab_message`.
    pub fn decode_trusted(config: &ClientConfig, text: &str) -> Result<Self, AuthError> {
        let v = Self::decode(text)?;
        for (field, url) in v.urls() {
            if let Some(u) = url {
                let (login, hosts) = (config.login_host(), &config.trusted_instance_hosts);
                check_bearer_url(field, u, login, hosts, config.profile().instance_hosts())
                    .map_err(|e| invalid(e.message()))?;
            }
        }
        Ok(v)
    }

    /// [`decode_trusted`](Self::decode_trusted) of the view among a session worker's message's
    /// own fields, where the reason is not wanted (a tab drops a view that fails it): `None`.
    #[cfg(feature = "sharing")]
    pub(crate) fn trusted(config: &ClientConfig, f: &Fields) -> Option<Self> {
        let v = Self::read_view(f).ok()?;
        for (field, url) in v.urls().iter() {
            if let Some(u) = url
                && !trusted(config, field, u)
            {
                return None;
            }
        }
        Some(v)
    }

    /// `instance_url` and `api_instance_url`: what must pass a token response's trust rule.
    fn urls(&self) -> [(&'static str, Option<&str>); 2] {
        [
            (INSTANCE_URL, self.instance_url.as_deref()),
            (API_INSTANCE_URL, self.api_instance_url.as_deref()),
        ]
    }

    /// Reads [`SessionView::encode`]'s form.
    pub fn decode(text: &str) -> Result<Self, BadMessage> {
        Self::read_view(&Fields::parse(text)?)
    }

    /// The view among a form's fields (a view never carries a token: a form with one has none).
    fn read_view(f: &Fields) -> Result<Self, BadMessage> {
        match f.get("at").or(f.get("rt")) {
            None => Self::read(f),
            Some(_) => Err(BadMessage),
        }
    }
}

/// Whether `url` (the value of `field`) passes a token response's trust rule.
#[cfg(feature = "sharing")]
fn trusted(config: &ClientConfig, field: &str, url: &str) -> bool {
    check_bearer_url(
        field,
        url,
        config.login_host(),
        &config.trusted_instance_hosts,
        config.profile().instance_hosts(),
    )
    .is_ok()
}

/// An error passed on (by a tab, the session worker, a JS `AuthError`): a code this build does
/// not know becomes `network_error` (the call did not get a usable answer).
#[cfg(any(feature = "sharing", not(feature = "npm")))]
pub fn relayed_error(
    code: Option<&str>,
    message: String,
    error: Option<String>,
    description: Option<String>,
    status: Option<u16>,
) -> AuthError {
    let known = ErrorCode::ALL.iter().find(|k| Some(k.as_str()) == code);
    AuthError::Relayed {
        code: known.copied().unwrap_or(ErrorCode::NetworkError),
        message,
        error,
        description,
        status,
    }
}

impl AuthError {
    /// This error remade of what a JS `AuthError` shows (code, message, server fields, status).
    pub(crate) fn relayed(&self) -> AuthError {
        AuthError::Relayed {
            code: self.kind(),
            message: self.message(),
            error: self.server_error().map(str::to_owned),
            description: self.error_description().map(str::to_owned),
            status: self.status(),
        }
    }
}

#[cfg(test)]
#[path = "wire_bounds_tests.rs"]
mod bounds_tests;
#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
