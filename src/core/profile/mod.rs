//! Provider profiles: everything a provider does differently, behind one type ([`Profile`]).
//! Shared code asks the configuration's profile (`ClientConfig::profile`) and never checks
//! which provider it is; a new provider (Okta, say) is one new file here.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::options::ClientOptions;

mod generic;
pub(crate) mod salesforce;

pub use generic::GENERIC;
pub use salesforce::SALESFORCE;

/// How a provider is asked for a sign-in that shows the user no page (silent restore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SilentLogin {
    /// Salesforce's `immediate=true`.
    Immediate,
    /// OpenID Connect's `prompt=none`.
    PromptNone,
}

/// What a provider does differently from the standards' defaults.
pub trait Profile: Sync {
    /// The profile's name (`"salesforce"`, `"generic"`): the constructor the session worker uses.
    fn name(&self) -> &'static str;

    /// How a silent sign-in is asked for.
    fn silent_login(&self) -> SilentLogin;

    /// The provider's own `error` codes, beyond OpenID Connect's, that say a silent sign-in
    /// found no session (`callback::no_provider_session`).
    fn no_session_errors(&self) -> &'static [&'static str];

    /// Parameters the provider adds to the callback, removed from the address bar with `code`,
    /// `state`, `error`, `error_description` and `iss`.
    fn callback_extras(&self) -> &'static [&'static str];

    /// Whether an API answer says the access token is dead (refresh once, then retry). `body_start`
    /// is the first characters of a 403's body (peeked at only for a 403).
    fn dead_token(&self, status: u16, body_start: Option<&str>) -> bool;

    /// Whether a token response must carry `instance_url` (the base of relative API calls).
    fn requires_instance_url(&self) -> bool;

    /// Whether an id_token may name the provider's shared login hosts as its issuer.
    fn accepts_login_host_issuers(&self) -> bool;

    /// The likely cause added to a network error at the token or revocation endpoint.
    fn token_network_hint(&self) -> Option<&'static str>;

    /// How to fix a provider error whose cause the profile knows (the provider's own text is
    /// reported beside it).
    fn error_hint(&self, error: &str, description: Option<&str>) -> Option<&'static str>;

    /// Whether the end-session navigation carries `id_token_hint` (in its URL: the one token
    /// that is ever put in a URL, and only where the provider reads it).
    fn end_session_id_token_hint(&self) -> bool;

    /// Whether revoking a refresh token revokes the access tokens issued from it, so that a
    /// logout revokes the refresh token alone (and the access token only when there is no
    /// refresh token). RFC 7009 §2.1 lets a server keep access tokens alive: other providers
    /// get both revocations.
    fn refresh_revocation_ends_access(&self) -> bool;

    /// Whether the provider binds tokens with DPoP and ES256, the one algorithm this client
    /// signs with (what `dpop: "if-supported"` goes by).
    fn dpop_supported(&self, options: &ClientOptions) -> bool;

    /// The hosts (`*.domain` for its subdomains, else exact) that the provider serves API
    /// instances from: a token response's `instance_url` on one of them may receive the token,
    /// besides the login host and `trustedInstanceHosts` (`core::provider::check_bearer_url`).
    fn instance_hosts(&self) -> &'static [&'static str];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_salesforce_only_rule_is_absent_from_the_generic_profile() {
        let (sf, generic) = (&SALESFORCE, &GENERIC);
        assert_eq!(sf.silent_login(), SilentLogin::Immediate);
        assert_eq!(generic.silent_login(), SilentLogin::PromptNone);
        assert_eq!(sf.no_session_errors(), ["immediate_unsuccessful"]);
        assert!(generic.no_session_errors().is_empty());
        assert!(sf.callback_extras().contains(&"sfdc_community_url"));
        assert!(
            generic.callback_extras().is_empty(),
            "no sfdc_* parameters stripped"
        );
        assert!(sf.dead_token(403, Some("Bad_OAuth_Token")));
        assert!(
            !generic.dead_token(403, Some("Bad_OAuth_Token")),
            "a 403 is never a dead token"
        );
        for p in [sf as &dyn Profile, generic] {
            assert!(p.dead_token(401, None));
            for s in [200, 204, 400, 404, 500] {
                assert!(!p.dead_token(s, None), "{s}");
            }
            assert!(!p.dead_token(403, None));
            assert!(!p.dead_token(403, Some(r#"[{"errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)));
        }
        assert!(sf.requires_instance_url() && !generic.requires_instance_url());
        assert!(sf.accepts_login_host_issuers() && !generic.accepts_login_host_issuers());
        assert!(sf.token_network_hint().unwrap().contains("CORS"));
        assert_eq!(generic.token_network_hint(), None);
        let uninstalled = Some("app must be installed into org");
        assert!(sf.error_hint("invalid_client", uninstalled).is_some());
        assert_eq!(generic.error_hint("invalid_client", uninstalled), None);
        assert!(generic.end_session_id_token_hint() && !sf.end_session_id_token_hint());
        assert!(sf.refresh_revocation_ends_access() && !generic.refresh_revocation_ends_access());
        let none = ClientOptions::default();
        let es256 = ClientOptions {
            dpop_signing_alg_values_supported: Some(vec!["RS256".into(), "ES256".into()]),
            ..Default::default()
        };
        let rs256 = ClientOptions {
            dpop_signing_alg_values_supported: Some(vec!["RS256".into()]),
            ..Default::default()
        };
        assert!(sf.dpop_supported(&none), "Salesforce is not asked");
        assert!(!generic.dpop_supported(&none) && !generic.dpop_supported(&rs256));
        assert!(generic.dpop_supported(&es256));
        assert!(sf.instance_hosts().contains(&"*.my.salesforce.com"));
        assert!(
            generic.instance_hosts().is_empty(),
            "the generic profile trusts only what its config names"
        );
    }
}
