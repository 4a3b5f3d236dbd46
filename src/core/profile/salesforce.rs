//! Salesforce (My Domain, Experience Cloud, the emulator on loopback): `../shared/salesforce-oauth.md`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{Profile, SilentLogin};
use crate::core::options::ClientOptions;

/// The host families Salesforce serves org instances and sites from, which a token response's
/// `instance_url` (or `api_instance_url`) may name. Source: Salesforce Help, "My Domain URL
/// Formats" (<https://help.salesforce.com/s/articleView?id=xcloud.domain_name_url_formats.htm>)
/// and "JWT-Based Access Tokens" (`xcloud.jwt_access_tokens`).
///
/// - `*.my.salesforce.com`: My Domain, `<name>.my.salesforce.com`, and its other org kinds
///   `<name>--<sandbox>.sandbox.my.salesforce.com`, `<name>-dev-ed.develop.my.salesforce.com`,
///   `.scratch.`, `.demo.`, `.patch.` and `.trailblaze.my.salesforce.com`;
/// - `*.my.site.com`: Experience Cloud sites (`.sandbox.`, `.develop.` … `.my.site.com` too);
/// - `*.force.com`: the force.com site hosts (`<name>.force.com`, `<name>.secure.force.com`
///   and the sandbox forms of sites without enhanced domains) and `*.lightning.force.com`;
/// - `api.salesforce.com`: the API host a JWT access token's `api_instance_url` names.
///
/// Nothing else under salesforce.com (its marketing, help, developer and login hosts) ever
/// receives a token; the login host and `trustedInstanceHosts` are trusted besides these.
pub const INSTANCE_HOSTS: [&str; 4] = [
    "*.my.salesforce.com",
    "*.my.site.com",
    "*.force.com",
    "api.salesforce.com",
];

/// The Salesforce profile.
pub struct Salesforce;

/// The Salesforce profile.
pub static SALESFORCE: Salesforce = Salesforce;

impl Profile for Salesforce {
    fn name(&self) -> &'static str {
        "salesforce"
    }

    fn silent_login(&self) -> SilentLogin {
        SilentLogin::Immediate
    }

    /// `immediate=true` with no session (or no approval yet) comes back with
    /// `error=immediate_unsuccessful` (docs/SALESFORCE.md).
    fn no_session_errors(&self) -> &'static [&'static str] {
        &["immediate_unsuccessful"]
    }

    /// Experience Cloud callbacks carry the site's URL and id.
    fn callback_extras(&self) -> &'static [&'static str] {
        &[
            "sfdc_community_url",
            "sfdc_community_id",
            "sfdc_site_url",
            "sfdc_site_id",
        ]
    }

    /// 401 (`INVALID_SESSION_ID` from the REST API), and the userinfo / identity endpoints'
    /// answer for a dead token: 403 with the body `Bad_OAuth_Token`.
    fn dead_token(&self, status: u16, body_start: Option<&str>) -> bool {
        match status {
            401 => true,
            403 => body_start.is_some_and(|b| b.trim_start().starts_with("Bad_OAuth_Token")),
            _ => false,
        }
    }

    fn requires_instance_url(&self) -> bool {
        true
    }

    /// id_tokens from My Domain hosts may name login.salesforce.com / test.salesforce.com.
    fn accepts_login_host_issuers(&self) -> bool {
        true
    }

    /// Salesforce allows CORS on the token and revoke endpoints only on My Domain and
    /// Experience Cloud hosts, with "Enable CORS for OAuth endpoints" on: a blocked call fails
    /// like a network error.
    fn token_network_hint(&self) -> Option<&'static str> {
        Some(
            ". If the browser's console shows a CORS error: use the org's My Domain URL (never login.salesforce.com or test.salesforce.com), turn on \"Enable CORS for OAuth endpoints\" in the External Client App (or Connected App) settings, and add this app's origin to Setup > CORS",
        )
    }

    /// Salesforce's `/services/auth/idp/oidc/logout` reads neither `id_token_hint` nor
    /// `post_logout_redirect_uri` (tests/emulator/README.md, "End session"): no token in its URL.
    fn end_session_id_token_hint(&self) -> bool {
        false
    }

    /// [`INSTANCE_HOSTS`].
    fn instance_hosts(&self) -> &'static [&'static str] {
        &INSTANCE_HOSTS
    }

    /// Salesforce's help page "Revoke OAuth Tokens": revoking a refresh token also revokes the
    /// access tokens issued with it (its revoke endpoint then answers 400 for them).
    fn refresh_revocation_ends_access(&self) -> bool {
        true
    }

    /// Salesforce publishes no discovery field for it; the profile takes DPoP as supported.
    fn dpop_supported(&self, _options: &ClientOptions) -> bool {
        true
    }

    /// `shared/salesforce-oauth.md` §11c: apps not installed in the org are refused (since
    /// September 2025).
    fn error_hint(&self, error: &str, description: Option<&str>) -> Option<&'static str> {
        let description = description.unwrap_or_default();
        (error == "invalid_client" && description.eq_ignore_ascii_case("app must be installed into org")).then_some(
            "Salesforce blocks apps that are not installed in the org (since September 2025): install the External Client App (or Connected App) in this org, or give the users the \"Approve Uninstalled Connected Apps\" permission",
        )
    }
}

/// Tests: a message reports Salesforce's "app must be installed into org" with its fix.
#[cfg(test)]
pub(crate) fn assert_install_hint(m: &str) {
    assert!(
        m.contains("the provider said: \"app must be installed into org\""),
        "{m}"
    );
    assert!(m.contains("install the External Client App"), "{m}");
    assert!(m.contains("Approve Uninstalled Connected Apps"), "{m}");
}
