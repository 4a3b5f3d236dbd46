//! Provider profiles: Salesforce hosts and endpoints, and generic OAuth/OIDC endpoints.
//!
//! Facts: `shared/salesforce-oauth.md` §1–2. A browser app must use its My Domain or
//! Experience Cloud host: Salesforce allows CORS on `/services/oauth2/token` and `/revoke` only
//! there, never on login.salesforce.com or test.salesforce.com.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::url::HttpUrl;

/// What kind of Salesforce host a `loginHost` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesforceHost {
    /// `login.salesforce.com`: production login, no CORS on token/revoke.
    ProductionLogin,
    /// `test.salesforce.com`: sandbox login, no CORS on token/revoke.
    SandboxLogin,
    /// `NAME.my.salesforce.com` (also `.develop.`, `.scratch.` …).
    MyDomain,
    /// `NAME--SBX.sandbox.my.salesforce.com`.
    SandboxMyDomain,
    /// `NAME.my.site.com[/prefix]`: an Experience Cloud site.
    ExperienceCloud,
    /// `localhost` / `127.0.0.0/8` / `[::1]`: local development or the emulator.
    Loopback,
    /// Anything else: perhaps a custom domain.
    Other,
}

impl SalesforceHost {
    /// Classifies a parsed login host.
    pub fn classify(url: &HttpUrl) -> Self {
        let host = url.origin().host();
        if url.origin().is_loopback() {
            SalesforceHost::Loopback
        } else if host == "login.salesforce.com" {
            SalesforceHost::ProductionLogin
        } else if host == "test.salesforce.com" {
            SalesforceHost::SandboxLogin
        } else if host.ends_with(".sandbox.my.salesforce.com") {
            SalesforceHost::SandboxMyDomain
        } else if host.ends_with(".my.salesforce.com") {
            SalesforceHost::MyDomain
        } else if host.ends_with(".my.site.com") {
            SalesforceHost::ExperienceCloud
        } else {
            SalesforceHost::Other
        }
    }
}

/// The endpoints a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Expected `iss` (RFC 9207 and id_token), when known.
    pub issuer: Option<String>,
    /// Authorization endpoint (the browser navigates there).
    pub authorization: String,
    /// Token endpoint.
    pub token: String,
    /// Revocation endpoint (RFC 7009), if any.
    pub revocation: Option<String>,
    /// UserInfo endpoint, if any.
    pub userinfo: Option<String>,
    /// End-session endpoint (OpenID Connect RP-Initiated Logout 1.0), if any.
    pub end_session: Option<String>,
    /// The provider's signing keys (`jwks_uri`), if known.
    pub jwks: Option<String>,
}

/// The Salesforce endpoints under a login host (My Domain, Experience Cloud site with its path
/// prefix, or the emulator): `/services/oauth2/{authorize,token,revoke,userinfo}`.
pub fn salesforce_endpoints(login_host: &HttpUrl) -> Endpoints {
    let base = login_host.base_without_trailing_slash();
    Endpoints {
        issuer: Some(base.clone()),
        authorization: [&base, "/services/oauth2/authorize"].concat(),
        token: [&base, "/services/oauth2/token"].concat(),
        revocation: Some([&base, "/services/oauth2/revoke"].concat()),
        userinfo: Some([&base, "/services/oauth2/userinfo"].concat()),
        // The single-logout endpoint My Domain discovery lists (../shared/salesforce-oauth.md §8).
        end_session: Some([&base, "/services/auth/idp/oidc/logout"].concat()),
        // Salesforce's id_token keys (CORS always on, ../shared/salesforce-oauth.md).
        jwks: Some([&base, "/id/keys"].concat()),
    }
}

/// Parses a Salesforce identity URL `https://HOST/id/<orgId>/<userId>` into (org, user).
pub fn parse_identity_url(id: &str) -> Option<(String, String)> {
    let url = HttpUrl::parse(id, "id").ok()?;
    let mut parts = url.path().trim_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("id"), Some(org), Some(user), None) if is_sf_id(org) && is_sf_id(user) => {
            Some((org.to_owned(), user.to_owned()))
        }
        _ => None,
    }
}

fn is_sf_id(s: &str) -> bool {
    (15..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether an `instance_url` may receive the token under the Salesforce profile: see
/// [`check_bearer_url`] with `profile::salesforce::INSTANCE_HOSTS`. For tests and fuzz targets
/// (the runtime asks the profile's `instance_hosts`).
#[cfg(any(test, feature = "internals"))]
pub fn check_instance_url(
    instance_url: &str,
    login_host: Option<&HttpUrl>,
    trusted: &[String],
) -> Result<HttpUrl, AuthError> {
    check_bearer_url(
        "instance_url",
        instance_url,
        login_host,
        trusted,
        &crate::core::profile::salesforce::INSTANCE_HOSTS,
    )
}

/// The trust rule for any URL a token response names as a place to send the token
/// (`instance_url`, `api_instance_url`); `field` names it in the reason. https (loopback
/// excepted) and either the login host's own origin, a host of the provider profile's
/// `instance_hosts` (https only), or a host in `trusted` (`trustedInstanceHosts`; exact, or
/// `*.example.com` for its subdomains).
pub fn check_bearer_url(
    field: &str,
    value: &str,
    login_host: Option<&HttpUrl>,
    trusted: &[String],
    profile_hosts: &[&str],
) -> Result<HttpUrl, AuthError> {
    let url = HttpUrl::parse(value, field).map_err(|_| {
        AuthError::token_response([field, " is not an absolute http(s) URL"].concat())
    })?;
    let origin = url.origin();
    if !origin.is_secure_or_loopback() {
        return Err(AuthError::token_response(
            [field, " is not https; refusing to send the token there"].concat(),
        ));
    }
    let host = origin.host();
    let same_as_login = login_host.is_some_and(|l| l.origin() == origin);
    let provider = origin.is_https() && profile_hosts.iter().any(|p| host_matches(host, p));
    let listed = trusted.iter().any(|t| host_matches(host, t));
    if same_as_login || provider || listed {
        Ok(url)
    } else {
        Err(AuthError::token_response(
            [
                field,
                " host ",
                host,
                " is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there",
            ]
            .concat(),
        ))
    }
}

/// `host` equals `pattern`, or `pattern` is `*.domain` and `host` is a subdomain of it.
pub fn host_matches(host: &str, pattern: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(domain) => is_subdomain(host, domain),
        None => host == pattern,
    }
}

/// `host` is `<something>.domain`.
fn is_subdomain(host: &str, domain: &str) -> bool {
    host.len() > domain.len() + 1
        && host.ends_with(domain)
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> HttpUrl {
        HttpUrl::parse(s, "loginHost").unwrap()
    }

    #[test]
    fn classifies_salesforce_hosts() {
        use SalesforceHost::*;
        let cases = [
            ("https://login.salesforce.com", ProductionLogin),
            ("https://test.salesforce.com/", SandboxLogin),
            ("https://acme.my.salesforce.com", MyDomain),
            (
                "https://acme--uat.sandbox.my.salesforce.com",
                SandboxMyDomain,
            ),
            ("https://acme.my.site.com/partners", ExperienceCloud),
            ("http://localhost:8787", Loopback),
            ("https://login.acme.com", Other),
        ];
        for (u, k) in cases {
            assert_eq!(SalesforceHost::classify(&url(u)), k, "{u}");
        }
    }

    #[test]
    fn endpoints_keep_experience_cloud_prefix() {
        let e = salesforce_endpoints(&url("https://acme.my.site.com/partners/"));
        assert_eq!(
            e.authorization,
            "https://acme.my.site.com/partners/services/oauth2/authorize"
        );
        assert_eq!(
            e.token,
            "https://acme.my.site.com/partners/services/oauth2/token"
        );
        assert_eq!(
            e.revocation.as_deref(),
            Some("https://acme.my.site.com/partners/services/oauth2/revoke")
        );
        assert_eq!(
            e.userinfo.as_deref(),
            Some("https://acme.my.site.com/partners/services/oauth2/userinfo")
        );
        assert_eq!(
            e.issuer.as_deref(),
            Some("https://acme.my.site.com/partners")
        );
        let m = salesforce_endpoints(&url("https://acme.my.salesforce.com"));
        assert_eq!(
            m.token,
            "https://acme.my.salesforce.com/services/oauth2/token"
        );
    }

    #[test]
    fn parses_identity_urls() {
        assert_eq!(
            parse_identity_url(
                "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA"
            ),
            Some(("00Dxx0000000123AAA".into(), "005xx000000456AAA".into()))
        );
        assert_eq!(
            parse_identity_url("https://login.salesforce.com/id/00D/005"),
            None
        );
        assert_eq!(parse_identity_url("not a url"), None);
    }

    #[test]
    fn instance_url_trust_rule() {
        let login = url("https://acme.my.salesforce.com");
        assert!(check_instance_url("https://acme.my.salesforce.com", Some(&login), &[]).is_ok());
        assert!(check_instance_url("https://x.lightning.force.com", Some(&login), &[]).is_ok());
        assert!(
            check_instance_url("https://api.acme.com", Some(&login), &["*.acme.com".into()])
                .is_ok()
        );
        for bad in [
            "https://evil.example",
            "http://acme.my.salesforce.com",
            "https://salesforce.com.evil.example",
            "https://evilsalesforce.com",
            "https://na1.salesforce.com",
            "https://acme.com",
            "javascript:alert(1)",
        ] {
            let e = check_instance_url(bad, Some(&login), &["*.acme.com".into()]).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{bad}");
        }
        let local = url("http://127.0.0.1:8787");
        assert!(check_instance_url("http://127.0.0.1:8787", Some(&local), &[]).is_ok());
        assert!(check_instance_url("http://127.0.0.1:9999", Some(&local), &[]).is_err());
    }

    /// The Salesforce profile trusts the host families Salesforce serves instances and sites
    /// from (`profile::salesforce::INSTANCE_HOSTS`), besides the login host and
    /// `trustedInstanceHosts`; nothing else under salesforce.com, and no lookalike. The generic
    /// profile trusts only what its configuration names.
    #[test]
    fn instance_host_families_only_in_the_salesforce_profile() {
        use crate::core::profile::{GENERIC, Profile, SALESFORCE};
        let login = url("https://acme.my.salesforce.com");
        let check = |p: &dyn Profile, u: &str, login: Option<&HttpUrl>, trusted: &[String]| {
            check_bearer_url("instance_url", u, login, trusted, p.instance_hosts())
        };
        let families = [
            "https://acme.my.salesforce.com",
            "https://globex.my.salesforce.com/",
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme-dev-ed.develop.my.salesforce.com",
            "https://site-flow-1234.scratch.my.salesforce.com",
            "https://acme.demo.my.salesforce.com",
            "https://acme.patch.my.salesforce.com",
            "https://acme.trailblaze.my.salesforce.com",
            "https://acme.my.site.com",
            "https://acme--uat.sandbox.my.site.com",
            "https://acme.force.com",
            "https://acme.secure.force.com",
            "https://acme.lightning.force.com",
            "https://api.salesforce.com",
        ];
        for ok in families {
            assert!(check(&SALESFORCE, ok, Some(&login), &[]).is_ok(), "{ok}");
            let e = check(&GENERIC, ok, None, &[]).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "generic: {ok}");
            assert!(
                check(
                    &GENERIC,
                    ok,
                    None,
                    &[
                        "*.my.salesforce.com".into(),
                        "*.my.site.com".into(),
                        "*.force.com".into(),
                        "api.salesforce.com".into()
                    ]
                )
                .is_ok(),
                "generic, named in trustedInstanceHosts: {ok}"
            );
        }
        for bad in [
            "https://na1.salesforce.com",
            "https://cs42.salesforce.com",
            "https://login.salesforce.com",
            "https://test.salesforce.com",
            "https://help.salesforce.com",
            "https://trailhead.salesforce.com",
            "https://my.salesforce.com",
            "https://evil-my.salesforce.com",
            "https://evilsalesforce.com",
            "https://x.salesforce.com.evil.io",
            "https://x.my.salesforce.com.evil.io",
            "https://my.salesforce.com.evil.io",
            "https://x.api.salesforce.com",
            "https://api.salesforce.com.evil.io",
            "https://my.site.com",
            "https://evilmy.site.com",
            "https://acme.site.com",
            "https://x.my.site.com.evil.io",
            "https://force.com",
            "https://evilforce.com",
            "https://x.force.com.evil.io",
            "https://x.force.co",
            "http://acme.my.salesforce.com",
            "http://acme.force.com",
        ] {
            let e = check(&SALESFORCE, bad, Some(&login), &[]).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{bad}");
            assert!(check(&GENERIC, bad, None, &[]).is_err(), "generic: {bad}");
        }
        // The configured login host (a custom domain) and trustedInstanceHosts, in both.
        let custom = url("https://login.acme.example");
        let trusted = [
            "*.api.acme.example".to_owned(),
            "crm.acme.example".to_owned(),
        ];
        for p in [&SALESFORCE as &dyn Profile, &GENERIC] {
            assert!(check(p, "https://login.acme.example", Some(&custom), &[]).is_ok());
            assert!(check(p, "https://eu.api.acme.example", None, &trusted).is_ok());
            assert!(check(p, "https://crm.acme.example", None, &trusted).is_ok());
            assert!(check(p, "https://api.acme.example", None, &trusted).is_err());
            assert!(check(p, "https://x.crm.acme.example", None, &trusted).is_err());
        }
    }
}
