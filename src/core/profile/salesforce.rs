//! Salesforce (My Domain, Experience Cloud, the emulator on loopback): docs/SALESFORCE.md.
//!
//! A browser app must use its My Domain or Experience Cloud host: Salesforce allows CORS on
//! `/services/oauth2/token` and `/revoke` only there, never on login.salesforce.com or
//! test.salesforce.com (docs/SALESFORCE.md §1–2).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{
    API_INSTANCE_URL, Endpoints, INSTANCE_URL, ORG_ID, Profile, SilentLogin, TokenExtras,
    TokenField, USER_ID,
};
use crate::core::error::AuthError;
use crate::core::finding::{Findings, Severity};
use crate::core::json::Json;
use crate::core::options::ClientOptions;
use crate::core::url::HttpUrl;

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

/// What a Salesforce token response carries besides RFC 6749's fields (docs/SALESFORCE.md §4):
/// the REST base `instance_url` (required: relative `auth.fetch` URLs resolve against it), the
/// API host of JWT access tokens `api_instance_url`, their `token_format` (`"jwt"`), the
/// identity URL `id`, and the user and org ids taken from it or from the id_token.
const FIELDS: [TokenField; 6] = [
    TokenField::bearer_url(INSTANCE_URL).required(),
    TokenField::bearer_url(API_INSTANCE_URL),
    TokenField::text("token_format", 32),
    TokenField::text("id", 2048),
    USER_FIELD,
    ORG_FIELD,
];
/// The user and org ids, derived ([`Salesforce::derive_extras`]).
const USER_FIELD: TokenField = TokenField::derived(USER_ID, 255);
const ORG_FIELD: TokenField = TokenField::derived(ORG_ID, 255);

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
        // By the trust rule's `*.domain` match (a parsed host never starts with `.`, so it
        // answers as `ends_with(".domain")`): no `ends_with` of its own in the wasm.
        } else if super::trust::host_matches(host, "*.sandbox.my.salesforce.com") {
            SalesforceHost::SandboxMyDomain
        } else if super::trust::host_matches(host, "*.my.salesforce.com") {
            SalesforceHost::MyDomain
        } else if super::trust::host_matches(host, "*.my.site.com") {
            SalesforceHost::ExperienceCloud
        } else {
            SalesforceHost::Other
        }
    }
}

/// The Salesforce profile.
pub struct Salesforce;

/// The Salesforce profile.
pub static SALESFORCE: Salesforce = Salesforce;

impl Profile for Salesforce {
    fn name(&self) -> &'static str {
        "salesforce"
    }

    /// `/services/oauth2/{authorize,token,revoke,userinfo}` under the login host (My Domain,
    /// Experience Cloud site with its path prefix, or the emulator), its single-logout endpoint
    /// and its id_token keys (docs/SALESFORCE.md §2).
    fn endpoints(&self, options: &ClientOptions) -> Result<Endpoints, AuthError> {
        // Matched, not `?`: the URL is written once.
        let login_host = match HttpUrl::parse(
            options.login_host.as_deref().unwrap_or_default(),
            "loginHost",
        ) {
            Ok(u) => u,
            Err(e) => return Err(e),
        };
        let base = login_host.base_without_trailing_slash();
        let at = |path: &str| [&base, path].cat();
        Ok(Endpoints {
            issuer: Some(base.clone()),
            authorization: at("/services/oauth2/authorize"),
            token: at("/services/oauth2/token"),
            revocation: Some(at("/services/oauth2/revoke")),
            userinfo: Some(at("/services/oauth2/userinfo")),
            end_session: Some(at("/services/auth/idp/oidc/logout")),
            jwks: Some(at("/id/keys")),
            login_host: Some(login_host),
        })
    }

    fn doctor(&self, options: &ClientOptions, f: &mut Findings) {
        login_host(f, options.login_host.as_deref());
        // The default scopes have `api`.
        if options.scopes.as_deref().is_some_and(|s| !crate::core::bytes::listed(s, "api")) {
            f.say(Severity::Warning, concat!("scope_missing_api scopes ", explained!("without the api scope", " the access token cannot call the Salesforce REST API")));
        }
        if let Some(redirect) = options
            .redirect_uri
            .as_deref()
            .filter(|r| HttpUrl::parse(r, "redirectUri").is_ok())
        {
            f.add(Severity::Info, "callback_url_exact", "redirectUri", &[
                "register exactly ", redirect, brief!(" as Callback URL", " as a Callback URL of the External Client App")]);
        }
        f.say(Severity::Info, concat!("connected_app_settings clientId ", brief!("External Client App: PKCE on, secrets off, CORS for OAuth endpoints on, this origin in Setup > CORS", "in the External Client App's OAuth settings: PKCE on, secrets off, CORS for OAuth endpoints on, and this origin in Setup > CORS")));
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

    /// [`FIELDS`].
    fn token_fields(&self) -> &'static [TokenField] {
        &FIELDS
    }

    /// The user and org ids: from the identity URL `id` (this answer's, or the set's), else
    /// from the id_token's `user_id` and `organization_id` claims, or its `sub` when that is
    /// an identity URL.
    fn derive_extras(&self, extras: &mut TokenExtras, id_token: Option<&Json>) {
        if let Some(claims) = id_token {
            // Borrowed from the claims, copied when kept.
            let text = |k: &str| claims.str_ref(k).ok().flatten();
            let user = text("user_id");
            let from_sub = match user {
                None => text("sub").and_then(parse_identity_url),
                Some(_) => None,
            };
            let (org, user) = match from_sub {
                Some((org, user)) => (Some(org), Some(user)),
                None => (
                    text("organization_id").map(str::to_owned),
                    user.map(str::to_owned),
                ),
            };
            if let Some(user) = user {
                extras.derive(&USER_FIELD, user);
            }
            if let Some(org) = org {
                extras.derive(&ORG_FIELD, org);
            }
        }
        if let Some((org, user)) = extras.get("id").and_then(parse_identity_url) {
            extras.derive(&ORG_FIELD, org);
            extras.derive(&USER_FIELD, user);
        }
    }

    /// id_tokens from My Domain hosts may name login.salesforce.com / test.salesforce.com (the
    /// identity service names them even when the login ran on My Domain).
    fn extra_issuers(&self) -> &'static [&'static str] {
        &["https://login.salesforce.com", "https://test.salesforce.com"]
    }

    /// Salesforce allows CORS on the token and revoke endpoints only on My Domain and
    /// Experience Cloud hosts, with "Enable CORS for OAuth endpoints" on: a blocked call fails
    /// like a network error.
    fn token_network_hint(&self) -> Option<&'static str> {
        Some(brief!(
            ". On a CORS error in the console: use the org's My Domain URL, turn on \"Enable CORS for OAuth endpoints\" in the External Client App and add this origin to Setup > CORS",
            ". If the browser's console shows a CORS error: use the org's My Domain URL (never login.salesforce.com or test.salesforce.com), turn on \"Enable CORS for OAuth endpoints\" in the External Client App (or Connected App) settings, and add this app's origin to Setup > CORS"
        ))
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

    /// docs/SALESFORCE.md §3: apps not installed in the org are refused (since September
    /// 2025).
    fn error_hint(&self, error: &str, description: Option<&str>) -> Option<&'static str> {
        let description = description.unwrap_or_default();
        (error == "invalid_client" && description.eq_ignore_ascii_case("app must be installed into org")).then_some(
            concat!(
                aside!("Salesforce blocks apps that are not installed in the org", " (since September 2025)"),
                brief!(
                    ": install the app in this org or give the users \"Approve Uninstalled Connected Apps\"",
                    ": install the External Client App (or Connected App) in this org, or give the users the \"Approve Uninstalled Connected Apps\" permission"
                )
            ),
        )
    }

    #[cfg(test)]
    fn example_options(&self) -> ClientOptions {
        ClientOptions {
            client_id: Some("3MVG9demo".into()),
            redirect_uri: Some("https://app.example.com/callback".into()),
            login_host: Some("https://acme.my.salesforce.com".into()),
            ..Default::default()
        }
    }
}

/// `loginHost`: present, https (loopback excepted), a base URL, and a host with CORS on the
/// token endpoint (docs/SALESFORCE.md §1).
fn login_host(f: &mut Findings, value: Option<&str>) {
    let Some(value) = value else {
        return f.say(Severity::Error, concat!("login_host_missing loginHost ", explained!("loginHost is required", ": your org's My Domain URL")));
    };
    let url = match HttpUrl::parse(value, "loginHost") {
        Ok(u) => u,
        Err(e) => {
            return f.refused("login_host_invalid", "loginHost", e);
        }
    };
    if !url.origin().is_secure_or_loopback() {
        f.say(Severity::Error, "login_host_not_https loginHost loginHost must use https");
    }
    if url.has_query_or_fragment() {
        f.say(Severity::Error, concat!("login_host_invalid loginHost ", explained!("loginHost must be a base URL", " without ?query or #fragment")));
    }
    match SalesforceHost::classify(&url) {
        SalesforceHost::ProductionLogin | SalesforceHost::SandboxLogin => f.add(Severity::Error, "login_host_no_cors", "loginHost", &[
            url.origin().host(), " cannot be used from a browser app (no CORS on its token endpoint): use your org's My Domain URL"]),
        SalesforceHost::Other => f.add(Severity::Warning, "login_host_not_my_domain", "loginHost", &[
            url.origin().host(), " is not a My Domain or Experience Cloud host"]),
        SalesforceHost::ExperienceCloud => f.say(Severity::Info, concat!("login_host_experience_cloud loginHost ", brief!("keep the site's path prefix", "Experience Cloud site: keep the site's path prefix in loginHost"))),
        SalesforceHost::Loopback => f.say(Severity::Info, concat!("login_host_loopback loginHost ", explained!("loopback loginHost", ": for development only"))),
        SalesforceHost::MyDomain | SalesforceHost::SandboxMyDomain => {}
    }
}

/// Parses a Salesforce identity URL `https://HOST/id/<orgId>/<userId>` into (org, user).
pub fn parse_identity_url(id: &str) -> Option<(String, String)> {
    let Ok(url) = HttpUrl::parse(id, "id") else {
        return None;
    };
    // `id/<org>/<user>`: a third `/` would be inside `user`, which is_sf_id refuses.
    let (org, user) = url
        .path()
        .trim_byte(b'/')
        .strip_prefix("id/")?
        .cut(b'/')?;
    (is_sf_id(org) && is_sf_id(user)).then(|| (org.to_owned(), user.to_owned()))
}

fn is_sf_id(s: &str) -> bool {
    matches!(s.len(), 15..=18) && s.all_bytes(|b| b.is_ascii_alphanumeric())
}

/// Whether an `instance_url` may receive the token under the Salesforce profile: see
/// [`check_bearer_url`](super::check_bearer_url) with [`INSTANCE_HOSTS`]. For tests and fuzz
/// targets (the runtime asks the profile's `instance_hosts`).
#[cfg(any(test, feature = "internals"))]
pub fn check_instance_url(
    instance_url: &str,
    login_host: Option<&HttpUrl>,
    trusted: &[String],
) -> Result<HttpUrl, AuthError> {
    super::check_bearer_url(
        "instance_url",
        instance_url,
        login_host,
        trusted,
        &INSTANCE_HOSTS,
    )?;
    HttpUrl::parse(instance_url, "instance_url")
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

#[cfg(test)]
#[path = "salesforce_tests.rs"]
mod tests;
