//! Any standards OAuth 2.0 / OpenID Connect provider: RFC 6749, RFC 6750, OpenID Connect Core.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{Profile, SilentLogin};
use crate::core::options::ClientOptions;

/// The generic profile.
pub struct Generic;

/// The generic profile.
pub static GENERIC: Generic = Generic;

impl Profile for Generic {
    fn name(&self) -> &'static str {
        "generic"
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

    fn requires_instance_url(&self) -> bool {
        false
    }

    fn accepts_login_host_issuers(&self) -> bool {
        false
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
        options
            .dpop_signing_alg_values_supported
            .iter()
            .flatten()
            .any(|a| a == "ES256")
    }
}
