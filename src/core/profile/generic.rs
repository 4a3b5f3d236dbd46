//! Any standards OAuth 2.0 / OpenID Connect provider: RFC 6749, RFC 6750, OpenID Connect Core.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{API_INSTANCE_URL, Endpoints, INSTANCE_URL, Profile, SilentLogin, TokenField};
use crate::core::dpop::DpopMode;
use crate::core::error::AuthError;
use crate::core::finding::{Findings, Severity};
use crate::core::options::ClientOptions;
use crate::core::url::HttpUrl;

/// A token response may name where API calls go (`instance_url`, the base of relative
/// `auth.fetch` URLs, and `api_instance_url`): trusted only when the configuration names
/// their hosts (`trustedInstanceHosts`).
const FIELDS: [TokenField; 2] = [
    TokenField::bearer_url(INSTANCE_URL),
    TokenField::bearer_url(API_INSTANCE_URL),
];

/// The generic profile.
pub struct Generic;

/// The generic profile.
pub static GENERIC: Generic = Generic;

/// The endpoint options the doctor checks, in the order of its findings.
const ENDPOINT_FIELDS: [&str; 6] = [
    "authorizationEndpoint",
    "tokenEndpoint",
    "revocationEndpoint",
    "userinfoEndpoint",
    "endSessionEndpoint",
    "issuer",
];

impl Profile for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }

    /// As given (`AuthClient.discover` fills them in from the discovery document).
    fn endpoints(&self, options: &ClientOptions) -> Result<Endpoints, AuthError> {
        // The doctor refused a missing first two (`endpoint_missing`) and every endpoint of
        // its list that does not parse (`endpoint_invalid`) before this is asked: only
        // `jwksUri`, which it does not review, is parsed here.
        if let Some(jwks) = options.jwks_uri.as_deref()
            && let Err(e) = HttpUrl::parse(jwks, "jwksUri")
        {
            return Err(e);
        }
        Ok(Endpoints {
            issuer: options.issuer.clone(),
            authorization: options.authorization_endpoint.clone().unwrap_or_default(),
            token: options.token_endpoint.clone().unwrap_or_default(),
            revocation: options.revocation_endpoint.clone(),
            userinfo: options.userinfo_endpoint.clone(),
            end_session: options.end_session_endpoint.clone(),
            jwks: options.jwks_uri.clone(),
            login_host: None,
        })
    }

    fn doctor(&self, options: &ClientOptions, f: &mut Findings) {
        if options.login_host.is_some() {
            f.say(Severity::Error, concat!("login_host_generic loginHost ", brief!("Salesforce only", "loginHost is a Salesforce option")));
        }
        // The first two are required.
        let values = [
            &options.authorization_endpoint,
            &options.token_endpoint,
            &options.revocation_endpoint,
            &options.userinfo_endpoint,
            &options.end_session_endpoint,
            &options.issuer,
        ];
        for i in 0..6 {
            let (field, value) = (ENDPOINT_FIELDS[i], values[i]);
            match value {
                None if i < 2 => f.add(Severity::Error, "endpoint_missing", field,
                    &[field, " is required"]),
                None => {}
                Some(v) => f.secure_url(field, v, "endpoint_invalid", "endpoint_not_https"),
            }
        }
        if options.issuer.is_none() {
            f.say(Severity::Warning, concat!("issuer_missing issuer ", explained!("without issuer", " the callback's and the id_token's iss are not checked")));
        }
        let es256 = self.dpop_supported(options);
        match options.dpop {
            Some(DpopMode::IfSupported) if !es256 => {
                f.say(Severity::Warning, concat!("dpop_not_supported dpop ", brief!("the provider lists no ES256 for DPoP: tokens stay Bearer", "dpop is \"if-supported\" but dpopSigningAlgValuesSupported does not list ES256, so tokens stay Bearer")));
            }
            Some(DpopMode::Required)
                if options.dpop_signing_alg_values_supported.is_some() && !es256 =>
            {
                f.say(Severity::Warning, concat!("dpop_not_supported dpop ", brief!("the provider lists no ES256 for DPoP: sign-in will fail", "dpop is true but the provider's dpop_signing_alg_values_supported does not list ES256, so sign-in will fail")));
            }
            _ => {}
        }
        if options.revocation_endpoint.is_none() {
            f.say(Severity::Warning, concat!("no_revocation_endpoint revocationEndpoint ", explained!("without a revocationEndpoint", " logout() cannot revoke the tokens")));
        }
    }

    fn silent_login(&self) -> SilentLogin {
        SilentLogin::PromptNone
    }

    fn no_session_errors(&self) -> &'static [&'static str] {
        &[]
    }

    fn callback_extras(&self) -> &'static [&'static str] {
        &[]
    }

    /// RFC 6750 §3.1: `invalid_token` comes with a 401; a 403 is `insufficient_scope`.
    fn dead_token(&self, status: u16, _body_start: Option<&str>) -> bool {
        status == 401
    }

    /// [`FIELDS`].
    fn token_fields(&self) -> &'static [TokenField] {
        &FIELDS
    }

    fn extra_issuers(&self) -> &'static [&'static str] {
        &[]
    }

    fn token_network_hint(&self) -> Option<&'static str> {
        None
    }

    /// OpenID Connect RP-Initiated Logout 1.0 §2: `id_token_hint` is RECOMMENDED (some
    /// providers need it to honour `post_logout_redirect_uri`).
    fn end_session_id_token_hint(&self) -> bool {
        true
    }

    fn error_hint(&self, _error: &str, _description: Option<&str>) -> Option<&'static str> {
        None
    }

    /// None: only the hosts its configuration names (`trustedInstanceHosts`).
    fn instance_hosts(&self) -> &'static [&'static str] {
        &[]
    }

    /// RFC 7009 §2.1: revoking a refresh token may leave its access tokens alive.
    fn refresh_revocation_ends_access(&self) -> bool {
        false
    }

    /// When its `dpop_signing_alg_values_supported` (from discovery, or given) lists `ES256`.
    fn dpop_supported(&self, options: &ClientOptions) -> bool {
        crate::core::bytes::listed(
            options
                .dpop_signing_alg_values_supported
                .as_deref()
                .unwrap_or_default(),
            "ES256",
        )
    }

    #[cfg(test)]
    fn example_options(&self) -> ClientOptions {
        ClientOptions {
            client_id: Some("spa".into()),
            redirect_uri: Some("https://app.example.com/callback".into()),
            issuer: Some("https://id.example.com".into()),
            authorization_endpoint: Some("https://id.example.com/auth".into()),
            token_endpoint: Some("https://id.example.com/token".into()),
            revocation_endpoint: Some("https://id.example.com/revoke".into()),
            ..Default::default()
        }
    }
}
