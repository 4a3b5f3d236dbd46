//! Client options as the JS API and Rust callers give them, before validation
//! (`core::config` validates them, `core::doctor` reviews them).

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Deserialize;

use crate::core::error::AuthError;
use crate::core::json::Json;
use crate::core::option_table::{self, OptionEntry, option};

/// Default timeout for token, revoke and userinfo calls.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;
/// `auth.fetch` calls of one client in flight at a time when `maxInFlight` is not given.
pub const DEFAULT_MAX_IN_FLIGHT: u32 = 16;
/// Scopes requested when none are given: enough for REST calls, refresh and identity (one text,
/// split by the crate's one word splitter, `bytes::words`).
pub const DEFAULT_SCOPES: &str = "api refresh_token openid";

/// Options as the JS API and Rust callers give them (camelCase on the JS side).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientOptions {
    /// OAuth client id (Salesforce: the External Client App's consumer key).
    pub client_id: Option<String>,
    /// Must equal the registered callback URL exactly.
    pub redirect_uri: Option<String>,
    /// Salesforce: My Domain or Experience Cloud site URL (or the emulator on loopback).
    pub login_host: Option<String>,
    /// Generic: the issuer identifier (checked against `iss` and id_token `iss`).
    pub issuer: Option<String>,
    /// Generic: authorization endpoint.
    pub authorization_endpoint: Option<String>,
    /// Generic: token endpoint.
    pub token_endpoint: Option<String>,
    /// Generic: revocation endpoint (RFC 7009).
    pub revocation_endpoint: Option<String>,
    /// Generic: UserInfo endpoint.
    pub userinfo_endpoint: Option<String>,
    /// Scopes to request; default `api refresh_token openid`.
    pub scopes: Option<Vec<String>>,
    /// Extra origins that may receive the Bearer token.
    pub allowed_origins: Option<Vec<String>>,
    /// Base URL for relative `auth.fetch` URLs (generic providers); its origin is allowed.
    pub api_base: Option<String>,
    /// Timeout of token/revoke/userinfo calls in ms (default 15000).
    pub timeout_ms: Option<f64>,
    /// Where the pending login lives: `"session"` (default) or `"local"`.
    pub pending_storage: Option<String>,
    /// Hosts (exact or `*.domain`) trusted as `instance_url` besides the defaults.
    pub trusted_instance_hosts: Option<Vec<String>>,
    /// Audiences besides this client's `clientId` that an id_token's `aud` may list (OpenID
    /// Connect Core 1.0 §3.1.3.7 item 3); any other extra audience refuses the id_token.
    pub trusted_audiences: Option<Vec<String>>,
    /// Salesforce session timeout, to refresh before the token dies (no `expires_in` there).
    pub session_timeout_seconds: Option<f64>,
    /// Whether the provider sends `iss` on the callback (RFC 9207); then it is required.
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// Never accepted: present only so the doctor can explain why.
    pub client_secret: Option<String>,
    /// `"off"` (default), `"tabs"` (a SharedWorker holds the session for every tab, falling
    /// back to `"tabs-locks"` where there is none) or `"tabs-locks"` (a leader tab elected
    /// with Web Locks refreshes; tabs share tokens over BroadcastChannel).
    pub session_sharing: Option<String>,
    /// `"auto"`: `handleRedirect()` restores the session silently after a reload when no tab
    /// holds it, in a browser where this client was signed in before (until `logout()`);
    /// `"off"` (default): only `auth.restore()` does.
    pub restore: Option<String>,
    /// Where the session worker script is (default: `session-worker.js` beside the package's
    /// JS), for bundlers that move files.
    pub worker_url: Option<String>,
    /// Generic: the provider's `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0),
    /// for `logout({ endSession: true })`; discovery fills it in.
    pub end_session_endpoint: Option<String>,
    /// Where the provider sends the browser after `logout({ endSession: true })`: an https (or
    /// loopback) URL on this app's origin, registered with the provider. `logout()` may give
    /// another.
    pub post_logout_redirect_uri: Option<String>,
    /// The callback page of `loginPopup()`, when it is not `redirectUri` (a small page that only
    /// calls `handleRedirect()`); registered with the provider like `redirectUri`.
    pub popup_redirect_uri: Option<String>,
    /// DPoP (RFC 9449): `false` (default, Bearer tokens), `true` (require DPoP-bound tokens) or
    /// `"if-supported"` (DPoP where the provider supports it). In the npm package, the
    /// `salesforce-pkce/dpop` and `salesforce-pkce/tabs` entries have it.
    pub dpop: Option<crate::core::dpop::DpopMode>,
    /// Generic: the provider's `dpop_signing_alg_values_supported` (discovery fills it in); with
    /// `dpop: "if-supported"`, DPoP is used when it lists `ES256`.
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    /// Verify id_token signatures with the provider's keys (`jwks_uri`; Salesforce `/id/keys`).
    pub verify_id_token_signature: Option<bool>,
    /// Generic: the provider's `jwks_uri` (discovery fills it in).
    pub jwks_uri: Option<String>,
    /// At most this many `auth.fetch` calls of the client handed to the browser at a time
    /// (default 16; `0`: no limit); more wait, in call order.
    pub max_in_flight: Option<f64>,
}

impl ClientOptions {
    /// The options of the JS API, in field order: one entry each (a host test ties this table
    /// to the struct's fields and to `js/types.d.ts`).
    pub(crate) const OPTIONS: &'static [OptionEntry<ClientOptions>] = &[
        option!(client_id, "clientId", String),
        option!(redirect_uri, "redirectUri", String),
        option!(login_host, "loginHost", String),
        option!(issuer, "issuer", String),
        option!(authorization_endpoint, "authorizationEndpoint", String),
        option!(token_endpoint, "tokenEndpoint", String),
        option!(revocation_endpoint, "revocationEndpoint", String),
        option!(userinfo_endpoint, "userinfoEndpoint", String),
        option!(scopes, "scopes", Vec<String>),
        option!(allowed_origins, "allowedOrigins", Vec<String>),
        option!(api_base, "apiBase", String),
        option!(timeout_ms, "timeoutMs", f64),
        option!(pending_storage, "pendingStorage", String),
        option!(trusted_instance_hosts, "trustedInstanceHosts", Vec<String>),
        option!(trusted_audiences, "trustedAudiences", Vec<String>),
        option!(session_timeout_seconds, "sessionTimeoutSeconds", f64),
        option!(
            authorization_response_iss_parameter_supported,
            "authorizationResponseIssParameterSupported",
            bool
        ),
        // Never accepted (the doctor explains why), and never sent to the session worker.
        option!(client_secret, "clientSecret", String, page_only),
        // The worker does neither sharing nor restore.
        option!(session_sharing, "sessionSharing", String, page_only),
        option!(restore, "restore", String, page_only),
        option!(worker_url, "workerUrl", String),
        option!(end_session_endpoint, "endSessionEndpoint", String),
        option!(post_logout_redirect_uri, "postLogoutRedirectUri", String),
        option!(popup_redirect_uri, "popupRedirectUri", String),
        option!(dpop, "dpop", crate::core::dpop::DpopMode),
        option!(
            dpop_signing_alg_values_supported,
            "dpopSigningAlgValuesSupported",
            Vec<String>
        ),
        option!(verify_id_token_signature, "verifyIdTokenSignature", bool),
        option!(jwks_uri, "jwksUri", String),
        // The page's `auth.fetch` gate only: the worker's requests are the tabs'.
        option!(max_in_flight, "maxInFlight", f64, page_only),
    ];

    /// The options from the object the app gave (`undefined`/`null` read as `{}`), by
    /// its `OPTIONS` table: a value of the wrong type, or a key that is no option (a typo
    /// such as `clientID`), is `invalid_config` naming it.
    pub(crate) fn from_json(value: &Json) -> Result<ClientOptions, AuthError> {
        option_table::read(value, Self::OPTIONS)
    }

    /// The JS names of the options, in field order (for tests).
    #[cfg(test)]
    pub(crate) fn js_fields() -> impl Iterator<Item = &'static str> {
        Self::OPTIONS.iter().map(|e| e.name)
    }
}

/// The scopes to request: the given ones, or the default set.
pub(crate) fn requested_scopes(options: &ClientOptions) -> Vec<String> {
    match &options.scopes {
        Some(s) => s.clone(),
        // Not an iterator chain of its own: `words` is shared with the token answer's scopes.
        None => crate::core::bytes::words(DEFAULT_SCOPES, b' '),
    }
}
