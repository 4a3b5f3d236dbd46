//! Token requests (RFC 6749 §4.1.3, §6) and token responses (§5.1–5.2). Salesforce's
//! `issued_at` (a millisecond string) and missing `expires_in` are read here; the fields a
//! provider adds (Salesforce's `instance_url`, `id` …) are its profile's ([`TokenExtras`]).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::bounds::{ISSUED_AT_MS, MAX_EXPIRES_IN_S, MAX_TOKEN_BODY_BYTES, token_fault};
use crate::core::callback::ValidatedCallback;
use crate::core::config::ClientConfig;
use crate::core::dpop::DpopMode;
use crate::core::error::{AuthError, ForeignTokens};
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::id_token::{IdTokenCheck, IdTokenIdentity, check_claims, id_token_payload};
use crate::core::json::{Json, WrongType};
use crate::core::profile::{INSTANCE_URL, TokenExtras};
use crate::core::refused::refused_tokens_of;
use crate::core::secret::{AccessToken, IdToken, RefreshToken};
use crate::core::state::Nonce;
use crate::core::text::{provider_description, valid_error_code};
use crate::core::token_extras::{WRONG_SHAPE, read_extras};
use crate::core::{time::Millis, url::Origin};

/// The authorization_code grant with the PKCE verifier. Consumes the validated callback: a
/// code is exchanged once.
pub fn token_request(config: &ClientConfig, callback: &ValidatedCallback) -> HttpRequest {
    HttpRequest::form_post(
        &config.endpoints.token,
        &[
            ("grant_type", "authorization_code"),
            ("code", callback.code.secret()),
            ("redirect_uri", config.redirect_uri_for(callback.popup)),
            ("client_id", &config.client_id),
            ("code_verifier", callback.verifier.secret()),
        ],
    )
}

/// The refresh_token grant (no secret: a public client).
pub fn refresh_request(config: &ClientConfig, refresh_token: &RefreshToken) -> HttpRequest {
    HttpRequest::form_post(
        &config.endpoints.token,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.secret()),
            ("client_id", &config.client_id),
        ],
    )
}

/// A token endpoint body, success or error, as it comes off the wire, borrowed from the JSON
/// tree it was read from. Unknown fields are ignored.
struct RawTokenResponse<'a> {
    access_token: Option<&'a str>,
    refresh_token: Option<&'a str>,
    token_type: Option<&'a str>,
    /// `Some(None)`: present, but not a whole non-negative number.
    expires_in: Option<Option<u64>>,
    scope: Option<&'a str>,
    id_token: Option<&'a str>,
    issued_at: Option<Option<u64>>,
    error: Option<&'a str>,
    error_description: Option<&'a str>,
}

impl<'a> RawTokenResponse<'a> {
    /// Reads the fields of a JSON object; a field of the wrong type makes the body of the wrong shape.
    fn from_json(v: &'a Json) -> Result<Self, WrongType> {
        if !v.is_object() {
            return Err(WrongType);
        }
        Ok(RawTokenResponse {
            access_token: v.str_ref("access_token")?,
            refresh_token: v.str_ref("refresh_token")?,
            token_type: v.str_ref("token_type")?,
            expires_in: v.integer_field("expires_in")?,
            scope: v.str_ref("scope")?,
            id_token: v.str_ref("id_token")?,
            issued_at: v.integer_field("issued_at")?,
            error: v.str_ref("error")?,
            error_description: v.str_ref("error_description")?,
        })
    }
}

/// A validated token set, held only in memory.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, if granted.
    pub refresh_token: Option<RefreshToken>,
    /// The id_token, if any (the latest; kept for `id_token_hint`).
    pub id_token: Option<IdToken>,
    /// The session's identity from the first id_token (OpenID Connect Core 1.0 §12.2): a
    /// refreshed id_token must repeat it. Boxed: it is rarely read, and the token set travels
    /// by value in the session state machine's messages and actions.
    pub(crate) identity: Option<Box<IdTokenIdentity>>,
    /// The provider profile's own values (Salesforce: `instance_url`, the REST base, and
    /// `api_instance_url`, both checked by the trust rule and allowed to receive the token;
    /// `token_format`, the identity URL `id`, `user_id`, `org_id`).
    pub extras: TokenExtras,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// When the token was issued (ms since the epoch).
    pub issued_at_ms: Millis,
    /// When it expires, if known (`expires_in`, or `sessionTimeoutSeconds`).
    pub expires_at_ms: Option<Millis>,
    /// `token_type: DPoP`: the access token is bound to this client's DPoP key (RFC 9449), so
    /// it goes as `Authorization: DPoP` with a proof; else it is a Bearer token.
    pub dpop: bool,
}

impl TokenSet {
    /// The base relative `auth.fetch` URLs resolve against, when the provider named one
    /// (`instance_url`: the session view's `instanceUrl`).
    pub(crate) fn instance_url(&self) -> Option<&str> {
        self.extras.get(INSTANCE_URL)
    }

    /// Calls `f` with each origin this token set names for the Bearer (those of its profile's
    /// `bearer` fields) until it returns `true`; whether it did.
    fn each_bearer_origin(
        &self,
        config: &ClientConfig,
        mut f: impl FnMut(&Origin) -> bool,
    ) -> bool {
        for field in config.profile().token_fields() {
            if field.bearer
                && let Some(url) = self.extras.get(field.name)
                && let Ok(o) = Origin::parse(url, "instance_url")
                && f(&o)
            {
                return true;
            }
        }
        false
    }

    /// Whether the Bearer may go to `origin`: one this token set names for it (Salesforce:
    /// `instance_url`'s and `api_instance_url`'s), or what
    /// [`ClientConfig::origin_allowed`] allows (`apiBase`, `allowedOrigins`).
    pub(crate) fn may_receive_bearer(&self, config: &ClientConfig, origin: &Origin) -> bool {
        config.origin_allowed(origin, None)
            || self.each_bearer_origin(config, |o| config.origin_allowed(origin, Some(o)))
    }
}

/// The outcome of a token response: the token set and what the app may want to know.
#[must_use]
#[derive(Debug)]
pub struct TokenOutcome {
    /// The new token set.
    pub tokens: TokenSet,
    /// Requested scopes that were not granted (`scope_reduced` event when non-empty).
    pub scopes_missing: Vec<String>,
    /// A new refresh token replaced the old one (rotation).
    pub rotated: bool,
}

/// Whether a response answers a code exchange or a refresh.
pub enum Grant<'a> {
    /// Code exchange; the nonce sent with the login.
    AuthorizationCode {
        /// Nonce to find in the id_token.
        nonce: Option<&'a Nonce>,
        /// The set the caller holds, if any: a refusal never hands its tokens back to revoke.
        held: Option<&'a TokenSet>,
    },
    /// Refresh of the given token set.
    Refresh {
        /// The current token set (held: a refusal never hands its tokens back to revoke).
        previous: &'a TokenSet,
    },
}

/// A refused answer's tokens (`body`, parsed: `doc`), none of `held`'s: the rule of
/// [`process_token_response`], for the browser's id_token signature check.
#[cfg(feature = "dpop")]
pub(crate) fn refused_unless_held(
    body: &str,
    doc: &Json,
    held: Option<&TokenSet>,
) -> Option<ForeignTokens> {
    crate::core::refused::refused_tokens_in(body, doc, &held_secrets(held))
}

/// The held set's access and refresh token (`""` where none): a refusal never hands them back.
pub(crate) fn held_secrets(held: Option<&TokenSet>) -> [&str; 2] {
    let Some(t) = held else {
        return ["", ""];
    };
    [
        t.access_token.secret(),
        t.refresh_token.as_ref().map_or("", |r| r.secret()),
    ]
}

/// Validates a token endpoint answer. Non-2xx → `token_endpoint_error` (a refresh rejected
/// with `invalid_grant` → `session_expired`); a 2xx that is not a JSON object, is over 64 KiB
/// (`MAX_TOKEN_BODY_BYTES`), lacks `access_token`, has a token that is not visible ASCII or is
/// over 8000 characters (`MAX_TOKEN_CHARS`), is not Bearer, has an untrusted `instance_url`, a
/// bad `expires_in` (one over 365 days is read as 365 days), an implausible `issued_at` or a
/// failing id_token → `invalid_token_response`, carrying the answer's tokens for the caller
/// to revoke ([`AuthError::tokens_to_revoke`]). A refresh whose id_token names another
/// session (`iss`, `sub`, `aud`, `azp`, `auth_time`; OpenID Connect Core 1.0 §12.2) →
/// [`AuthError::IdentityChanged`] (code `session_expired`), carrying that answer's tokens too,
/// never one of the set the grant names as held (`previous`, `held`: an answer may repeat them).
pub fn process_token_response(
    config: &ClientConfig,
    grant: Grant<'_>,
    status: u16,
    body: &str,
    now_ms: Millis,
    json: &impl JsonDecoder,
) -> Result<TokenOutcome, AuthError> {
    // Parsed once, here: the rest is not generic over the decoder.
    let oversized = body.len() > MAX_TOKEN_BODY_BYTES;
    let value = match oversized {
        true => None,
        false => json.parse(body),
    };
    let (previous, nonce, held) = match grant {
        Grant::Refresh { previous } => (Some(previous), None, Some(previous)),
        Grant::AuthorizationCode { nonce, held } => (None, nonce, held),
    };
    let answer = Answer {
        status,
        oversized,
        value: value.as_ref(),
        previous,
        nonce,
        held: held_secrets(held),
    };
    answer.outcome(config, now_ms, json)
}

/// A token endpoint answer (`value`: its body parsed, unless over 64 KiB) and its grant.
struct Answer<'a> {
    status: u16,
    oversized: bool,
    value: Option<&'a Json>,
    previous: Option<&'a TokenSet>,
    nonce: Option<&'a Nonce>,
    held: [&'a str; 2],
}

impl Answer<'_> {
    fn outcome(
        &self,
        config: &ClientConfig,
        now_ms: Millis,
        json: &dyn JsonDecoder,
    ) -> Result<TokenOutcome, AuthError> {
        // A refused 2xx answer's tokens (and another user's) are to revoke, not the held ones.
        let mut r = self.process(config, now_ms, json);
        if (200..300).contains(&self.status)
            && let Err(e) = &mut r
        {
            let found = self.value.and_then(|v| refused_tokens_of(v, &self.held));
            match e {
                AuthError::InvalidTokenResponse {
                    tokens_to_revoke, ..
                } => *tokens_to_revoke = found,
                AuthError::IdentityChanged {
                    tokens_to_revoke, ..
                } => {
                    if let Some(found) = found {
                        *tokens_to_revoke = found;
                    }
                }
                _ => {}
            }
        }
        r
    }

    fn process(
        &self,
        config: &ClientConfig,
        now_ms: Millis,
        json: &dyn JsonDecoder,
    ) -> Result<TokenOutcome, AuthError> {
        let status = self.status;
        let body: Option<Result<RawTokenResponse<'_>, WrongType>> =
            self.value.map(RawTokenResponse::from_json);
        if !(200..300).contains(&status) {
            let (error, description) = match body {
                Some(Ok(r)) => (
                    r.error.filter(|e| valid_error_code(e)),
                    r.error_description.and_then(provider_description),
                ),
                _ => (None, None),
            };
            let hint = error.and_then(|e| config.profile().error_hint(e, description.as_deref()));
            let refused_refresh = error == Some("invalid_grant");
            let error = error.map(str::to_owned);
            if self.previous.is_some() && refused_refresh {
                return Err(AuthError::SessionExpired { error, description });
            }
            return Err(AuthError::TokenEndpoint {
                status,
                error,
                description,
                hint,
            });
        }
        let r = match body {
            Some(Ok(r)) => r,
            None if self.oversized => {
                return Err(AuthError::token_response("the body is over 64 KiB"));
            }
            None => return Err(AuthError::token_response("the body is not JSON")),
            Some(Err(WrongType)) => return Err(AuthError::token_response(WRONG_SHAPE)),
        };
        let Some(access_token) = r.access_token.filter(|t| !t.is_empty()) else {
            return Err(AuthError::token_response(
                "access_token is missing or empty",
            ));
        };
        // An empty refresh_token or id_token is no token (as if absent).
        let new_refresh = r.refresh_token.filter(|t| !t.is_empty());
        let id_token = r.id_token.filter(|t| !t.is_empty());
        for &(field, token) in &[
            ("access_token", Some(access_token)),
            ("refresh_token", new_refresh),
            ("id_token", id_token),
        ] {
            if let Some(fault) = token.and_then(token_fault) {
                return Err(AuthError::token_response([field, fault].cat()));
            }
        }
        // (Each refusal matched out and returned, not moved by `?`: a copy fewer.)
        let dpop = match token_type_is_dpop(config, r.token_type) {
            Ok(dpop) => dpop,
            Err(e) => return Err(e),
        };
        // Without expires_in, the session's timeout (`sessionTimeoutSeconds`), if any.
        let expires_in = match r.expires_in {
            None => config.session_timeout_seconds.map(f64::from),
            Some(Some(v)) => Some(v.min(MAX_EXPIRES_IN_S) as f64),
            Some(None) => {
                return Err(AuthError::token_response(brief!(
                    "expires_in must be >= 0",
                    "expires_in is not a non-negative number"
                )));
            }
        };
        let previous = self.previous;
        // `value` is the JSON object `r` was read from.
        let value = self.value.unwrap_or(&Json::Null);
        let mut extras = match read_extras(config, value, previous.map(|p| &p.extras)) {
            Ok(extras) => extras,
            Err(e) => return Err(e),
        };
        let issued_at_ms = match r.issued_at {
            Some(Some(ms)) if ISSUED_AT_MS.contains(&ms) => Millis(ms as f64),
            Some(_) => {
                return Err(AuthError::token_response(brief!(
                    "issued_at: not ms in 2000..2100",
                    "issued_at is not a time in milliseconds from 2000 to 2100"
                )));
            }
            None => now_ms,
        };
        let mut identity = previous.and_then(|p| p.identity.clone());
        let id_token = match id_token {
            Some(jwt) => {
                let check = IdTokenCheck {
                    issuer: config.endpoints.issuer.as_deref(),
                    extra_issuers: config.profile().extra_issuers(),
                    client_id: &config.client_id,
                    trusted_audiences: &config.trusted_audiences,
                    nonce: self.nonce,
                    now_ms,
                };
                let payload = match id_token_payload(jwt) {
                    Ok(text) => json.parse(&text),
                    Err(e) => return Err(e),
                };
                let fresh = match check_claims(payload.as_ref(), &check) {
                    Ok(fresh) => fresh,
                    Err(e) => return Err(e),
                };
                if let Some(first) = &identity
                    && let Some(claim) = fresh.differs_from(first)
                {
                    return Err(AuthError::IdentityChanged {
                        claim,
                        tokens_to_revoke: ForeignTokens::default(),
                    });
                }
                // The first id_token's identity is kept; a later one's was only compared.
                identity.get_or_insert_with(|| Box::new(fresh));
                derive_extras(config, &mut extras, payload.as_ref());
                Some(IdToken::new(jwt))
            }
            None => {
                derive_extras(config, &mut extras, None);
                previous.and_then(|p| p.id_token.clone())
            }
        };
        let expires_at_ms = expires_in.map(|s| now_ms + Millis::secs(s));
        let granted: Vec<String> = match r.scope {
            Some(s) => crate::core::bytes::words(s, b' '),
            None => previous.map_or(&config.scopes, |p| &p.scopes).clone(),
        };
        // The refresh_token scope: a refresh token (even an empty one) answered or held.
        let has_refresh =
            r.refresh_token.is_some() || previous.is_some_and(|p| p.refresh_token.is_some());
        let mut scopes_missing = Vec::new();
        for s in &config.scopes {
            let granted =
                crate::core::bytes::listed(&granted, s) || (s == "refresh_token" && has_refresh);
            if !granted {
                scopes_missing.push(s.clone());
            }
        }
        let old_refresh = previous.and_then(|p| p.refresh_token.as_ref());
        let (refresh_token, rotated) = match new_refresh {
            Some(n) => (
                Some(RefreshToken::new(n)),
                old_refresh.is_some_and(|o| n != o.secret()),
            ),
            None => (old_refresh.cloned(), false),
        };
        Ok(TokenOutcome {
            tokens: TokenSet {
                access_token: AccessToken::new(access_token),
                refresh_token,
                id_token,
                identity,
                extras,
                scopes: granted,
                issued_at_ms,
                expires_at_ms,
                dpop,
            },
            scopes_missing,
            rotated,
        })
    }
}

/// The profile's derived fields (from the values read and the id_token's claims), kept only
/// within their field's bounds ([`TokenExtras::derive`]).
fn derive_extras(config: &ClientConfig, extras: &mut TokenExtras, claims: Option<&Json>) {
    config.profile().derive_extras(extras, claims);
    extras.drop_marked();
}

/// `token_type` by the `dpop` option (RFC 9449 §5): `Ok(true)` for a DPoP-bound token (off
/// without the `dpop` feature: the npm default entry refuses the option).
fn token_type_is_dpop(config: &ClientConfig, token_type: Option<&str>) -> Result<bool, AuthError> {
    let dpop = cfg!(feature = "dpop");
    match token_type {
        Some(t) if t.eq_ignore_ascii_case("bearer") => {
            if dpop && config.dpop == DpopMode::Required {
                return Err(AuthError::token_response(brief!(
                    "token_type is Bearer under dpop: true",
                    "token_type is Bearer, but dpop: true requires DPoP-bound tokens (turn DPoP on for this app at the provider, or use dpop: \"if-supported\")"
                )));
            }
            Ok(false)
        }
        Some(t) if t.eq_ignore_ascii_case("dpop") && dpop && config.uses_dpop() => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("dpop") => Err(AuthError::token_response(brief!(
            "token_type is DPoP: set the dpop option",
            "token_type is DPoP, but this client sent no DPoP proof (set the dpop option)"
        ))),
        Some(_) => Err(AuthError::token_response(
            "token_type is neither Bearer nor DPoP",
        )),
        None => Err(AuthError::token_response("token_type is missing")),
    }
}

#[cfg(test)]
#[path = "token_bounds_tests.rs"]
mod bounds_tests;
#[cfg(test)]
#[path = "token_expiry_golden_tests.rs"]
mod expiry_golden_tests;
#[cfg(test)]
#[path = "token_golden_tests.rs"]
mod golden_tests;
#[cfg(test)]
#[path = "token_identity_tests.rs"]
mod identity_tests;
#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
