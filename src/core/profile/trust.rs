//! The trust rule for a URL a token response names as a place to send the token
//! (`instance_url`, `api_instance_url`, any [`TokenField`](super::TokenField) marked `bearer`):
//! the same for every profile, with the hosts each profile adds (`Profile::instance_hosts`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::url::HttpUrl;

/// The trust rule for any URL a token response names as a place to send the token
/// (`instance_url`, `api_instance_url`); `field` names it in the reason. https (loopback
/// excepted) and either the login host's own origin, a host of the provider profile's
/// `instance_hosts` (https only), or a host in `trusted` (`trustedInstanceHosts`; exact, or
/// `*.example.com` for its subdomains). Passed: the URL as a base
/// ([`HttpUrl::base_without_trailing_slash`]), the form the token set keeps.
pub fn check_bearer_url(
    field: &str,
    value: &str,
    login_host: Option<&HttpUrl>,
    trusted: &[String],
    profile_hosts: &[&str],
) -> Result<String, AuthError> {
    let Ok(url) = HttpUrl::parse(value, field) else {
        return Err(AuthError::token_response(
            [field, " is not an absolute http(s) URL"].cat(),
        ));
    };
    let origin = url.origin();
    if !origin.is_secure_or_loopback() {
        return Err(AuthError::token_response(
            [
                field,
                explained!(" is not https", "; refusing to send the token there"),
            ]
            .cat(),
        ));
    }
    let host = origin.host();
    let same_as_login = login_host.is_some_and(|l| l.origin() == origin);
    let mut listed = same_as_login;
    if origin.is_https() {
        for p in profile_hosts {
            listed |= host_matches(host, p);
        }
    }
    for t in trusted {
        listed |= host_matches(host, t);
    }
    if listed {
        Ok(url.base_without_trailing_slash())
    } else {
        Err(AuthError::token_response(
            [
                field,
                " host ",
                host,
                brief!(" is not a trusted instance host (trustedInstanceHosts)", " is neither the login host, a host the provider serves instances from, nor in trustedInstanceHosts; refusing to send the token there"),
            ]
            .cat(),
        ))
    }
}

/// `host` (lowercase, as [`Origin::host`](crate::core::url::Origin::host) gives it) equals
/// `pattern` in any ASCII case, or `pattern` is `*.domain` and `host` is a subdomain of it.
pub fn host_matches(host: &str, pattern: &str) -> bool {
    let host = host.as_bytes();
    match pattern.strip_prefix("*.") {
        // `host` is `<something>.domain`.
        Some(domain) => {
            let domain = domain.as_bytes();
            host.len() > domain.len() + 1
                && host[host.len() - domain.len() - 1] == b'.'
                && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain)
        }
        None => host.eq_ignore_ascii_case(pattern.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> HttpUrl {
        HttpUrl::parse(s, "loginHost").unwrap()
    }

    /// `host_matches` by bytes in any ASCII case answers as the rule it replaced (the pattern
    /// lowercased into a `String`, then `==` or `ends_with` with the dot before it).
    #[test]
    fn host_matches_answers_as_the_lowercased_pattern_did() {
        let before = |host: &str, pattern: &str| {
            let pattern = pattern.to_ascii_lowercase();
            match pattern.strip_prefix("*.") {
                Some(domain) => {
                    host.len() > domain.len() + 1
                        && host.ends_with(domain)
                        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
                }
                None => host == pattern,
            }
        };
        let hosts = [
            "",
            ".",
            "a",
            "acme.com",
            "x.acme.com",
            "xacme.com",
            ".acme.com",
            "x.y.acme.com",
            "acme.com.evil.io",
            "127.0.0.1",
            "[::1]",
            "é.acme.com",
            "x.éxample.com",
        ];
        let patterns = [
            "",
            "*",
            "*.",
            "*.*",
            "acme.com",
            "ACME.Com",
            "*.acme.com",
            "*.ACME.COM",
            "*.com",
            "*.Acme.com",
            "x.acme.com",
            "X.Acme.Com",
            "*.éxample.com",
            "*.ÉXAMPLE.com",
            "**.acme.com",
            "*.",
            "127.0.0.1",
            "[::1]",
        ];
        for h in hosts {
            for p in patterns {
                assert_eq!(host_matches(h, p), before(h, p), "{h} {p}");
            }
        }
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
