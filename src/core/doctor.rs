//! The config doctor: the Salesforce OAuth guide's pitfalls as findings, without network.
//!
//! Each [`Finding`] has a stable `code`, a `severity`, the `field` at fault and a message that
//! says how to fix it — in the External Client App (an existing Connected App has the same
//! settings and keeps working) or in the call.

#[allow(unused_imports)]
use crate::core::prelude::*;

use serde::Serialize;

use crate::core::options::{ClientOptions, requested_scopes};
use crate::core::profile::{GENERIC, Profile};
use crate::core::provider::SalesforceHost;
use crate::core::url::{HttpUrl, Origin};

/// How bad a finding is. `Error` findings make the constructor refuse the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The flow cannot work (or would be unsafe) as configured.
    Error,
    /// Likely a mistake.
    Warning,
    /// Worth knowing.
    Info,
}

/// One doctor finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `login_host_no_cors`.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The option concerned (`loginHost`, `scopes`, …).
    pub field: &'static str,
}

struct Findings(Vec<Finding>);

impl Findings {
    fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        field: &'static str,
        message: impl Into<String>,
    ) {
        self.0.push(Finding {
            code,
            severity,
            message: message.into(),
            field,
        });
    }
}

/// Findings for `AuthClient.salesforce(options)`. `page_origin` is the app's origin when known
/// (the browser passes `location.origin`).
pub fn salesforce(options: &ClientOptions, page_origin: Option<&str>) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    common(&mut f, options, page_origin);
    login_host(&mut f, options.login_host.as_deref());
    let scopes = requested_scopes(options);
    if !scopes.iter().any(|s| s == "api") {
        f.add(Severity::Warning, "scope_missing_api", "scopes",
            "without the api scope the access token cannot call the Salesforce REST API; add \"api\" to scopes and to the app's Selected OAuth Scopes");
    }
    if let Some(redirect) = options
        .redirect_uri
        .as_deref()
        .filter(|r| HttpUrl::parse(r, "redirectUri").is_ok())
    {
        f.add(Severity::Info, "callback_url_exact", "redirectUri", [
            "register exactly ", redirect, " as a Callback URL of the External Client App: Salesforce compares it character for character (trailing slash, case, http vs https)"].concat());
    }
    f.add(Severity::Info, "connected_app_settings", "clientId",
        "in the External Client App's OAuth settings (an existing Connected App keeps working and has the same settings): turn on \"Require Proof Key for Code Exchange (PKCE)\", turn off \"Require Secret for Web Server Flow\" and \"Require Secret for Refresh Token Flow\", turn on \"Enable CORS for OAuth endpoints\", and add this app's origin to Setup > CORS");
    f.0
}

/// Findings for `new AuthClient(options)` (any provider).
pub fn generic(options: &ClientOptions, page_origin: Option<&str>) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    common(&mut f, options, page_origin);
    if options.login_host.is_some() {
        f.add(Severity::Error, "login_host_generic", "loginHost",
            "loginHost is a Salesforce option: use AuthClient.salesforce({ loginHost, ... }), or give authorizationEndpoint and tokenEndpoint");
    }
    let endpoints: [(&'static str, Option<&str>, bool); 6] = [
        (
            "authorizationEndpoint",
            options.authorization_endpoint.as_deref(),
            true,
        ),
        ("tokenEndpoint", options.token_endpoint.as_deref(), true),
        (
            "revocationEndpoint",
            options.revocation_endpoint.as_deref(),
            false,
        ),
        (
            "userinfoEndpoint",
            options.userinfo_endpoint.as_deref(),
            false,
        ),
        (
            "endSessionEndpoint",
            options.end_session_endpoint.as_deref(),
            false,
        ),
        ("issuer", options.issuer.as_deref(), false),
    ];
    for (field, value, required) in endpoints {
        match value {
            None if required => f.add(Severity::Error, "endpoint_missing", field,
                [field, " is required (or use AuthClient.discover(issuer) to read it from the provider's discovery document)"].concat()),
            None => {}
            Some(v) => secure_url(&mut f, field, v, "endpoint_invalid", "endpoint_not_https"),
        }
    }
    if options.issuer.is_none() {
        f.add(Severity::Warning, "issuer_missing", "issuer",
            "without issuer two mix-up defences are off: the callback's iss parameter is not checked (RFC 9207), and neither is the id_token's iss claim (OpenID Connect Core 1.0 §3.1.3.7); give the provider's issuer identifier, or use AuthClient.discover(issuer)");
    }
    let es256 = GENERIC.dpop_supported(options);
    match options.dpop {
        Some(crate::core::dpop::DpopMode::IfSupported) if !es256 => {
            f.add(Severity::Warning, "dpop_not_supported", "dpop",
                "dpop is \"if-supported\" but dpopSigningAlgValuesSupported does not list ES256, so tokens stay Bearer: use AuthClient.discover(issuer) to read the provider's support, or give dpopSigningAlgValuesSupported");
        }
        Some(crate::core::dpop::DpopMode::Required)
            if options.dpop_signing_alg_values_supported.is_some() && !es256 =>
        {
            f.add(Severity::Warning, "dpop_not_supported", "dpop",
                "dpop is true but the provider's dpop_signing_alg_values_supported does not list ES256 (the only algorithm this client signs with), so sign-in will fail: check the provider's DPoP settings, or use dpop: \"if-supported\"");
        }
        _ => {}
    }
    if options.revocation_endpoint.is_none() {
        f.add(Severity::Warning, "no_revocation_endpoint", "revocationEndpoint",
            "without a revocationEndpoint logout() can only forget the tokens, not revoke them at the provider; stale tokens after logout are a common audit finding");
    }
    f.0
}

fn common(f: &mut Findings, o: &ClientOptions, page_origin: Option<&str>) {
    if o.client_secret.is_some() {
        f.add(Severity::Error, "client_secret_in_browser", "clientSecret",
            "remove clientSecret: a browser app is a public client and anything in its bundle is readable by anyone; PKCE replaces the secret. In the External Client App turn off \"Require Secret for Web Server Flow\" and \"Require Secret for Refresh Token Flow\"");
    }
    match o.client_id.as_deref() {
        None | Some("") => f.add(Severity::Error, "client_id_missing", "clientId",
            "clientId is required: the External Client App's Consumer Key (shown with its OAuth settings)"),
        Some(id) if id.trim() != id || id.chars().any(char::is_control) => f.add(Severity::Error, "client_id_invalid", "clientId",
            "clientId has leading/trailing spaces or control characters; paste the Consumer Key exactly"),
        Some(_) => {}
    }
    redirect_uri(f, o.redirect_uri.as_deref(), page_origin);
    if let Some(uri) = o.post_logout_redirect_uri.as_deref() {
        post_logout_redirect_uri(f, uri, page_origin);
    }
    if let Some(uri) = o.popup_redirect_uri.as_deref() {
        match HttpUrl::parse_return(uri, "popupRedirectUri") {
            Err(e) => f.add(Severity::Error, "popup_redirect_uri_invalid", "popupRedirectUri",
                [&e.config_reason(), ", registered as a Callback URL like redirectUri"].concat()),
            Ok(u) if o.redirect_uri.as_deref().and_then(|r| HttpUrl::parse(r, "redirectUri").ok()).is_some_and(|r| r.origin() != u.origin()) => f.add(Severity::Error, "popup_redirect_uri_origin_differs", "popupRedirectUri",
                "popupRedirectUri must be on redirectUri's origin: the popup hands its callback to the opener over a same-origin BroadcastChannel"),
            Ok(_) => {}
        }
    }
    let scopes = requested_scopes(o);
    if scopes.is_empty() {
        f.add(
            Severity::Warning,
            "scopes_empty",
            "scopes",
            "no scopes requested; typical: [\"api\", \"refresh_token\", \"openid\"]",
        );
    }
    if let Some(bad) = scopes.iter().find(|s| {
        s.is_empty()
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    }) {
        f.add(Severity::Error, "scope_invalid", "scopes", ["scope \"", bad, "\" is not a valid scope token (RFC 6749 §3.3): give each scope as its own array element"].concat());
    }
    if scopes.iter().any(|s| s == "full") {
        f.add(Severity::Warning, "scope_full", "scopes",
            "the full scope grants administrative access and inflates the blast radius of a leaked token; request only what the app needs, typically api, refresh_token and openid");
    }
    if !scopes
        .iter()
        .any(|s| s == "refresh_token" || s == "offline_access")
    {
        f.add(Severity::Warning, "scope_missing_refresh_token", "scopes",
            "without refresh_token (or offline_access) there is no refresh token: when the access token expires (2 hours by default) every call fails with 401 until the user signs in again");
    }
    if !scopes.iter().any(|s| s == "openid") {
        f.add(Severity::Info, "scope_missing_openid", "scopes", "without openid there is no id_token and userinfo() may be refused; add \"openid\" to identify the user");
    }
    for origin in o.allowed_origins.iter().flatten() {
        secure_url(
            f,
            "allowedOrigins",
            origin,
            "allowed_origin_invalid",
            "allowed_origin_not_https",
        );
    }
    if let Some(base) = o.api_base.as_deref() {
        secure_url(f, "apiBase", base, "api_base_invalid", "api_base_not_https");
    }
    for host in o.trusted_instance_hosts.iter().flatten() {
        let plain = host.strip_prefix("*.").unwrap_or(host);
        let ok = !plain.is_empty()
            && plain.contains('.')
            && plain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !ok {
            f.add(
                Severity::Error,
                "trusted_instance_host_invalid",
                "trustedInstanceHosts",
                [
                    "\"",
                    host,
                    "\" is not a host name or *.domain pattern (no scheme, port or path)",
                ]
                .concat(),
            );
        }
    }
    if let Some(t) = o.timeout_ms
        && !(t.is_finite() && (1.0..=600_000.0).contains(&t))
    {
        f.add(
            Severity::Error,
            "timeout_invalid",
            "timeoutMs",
            "timeoutMs must be a number of milliseconds from 1 to 600000 (default 15000)",
        );
    }
    if let Some(s) = o.session_timeout_seconds
        && !(s.is_finite() && (60.0..=86_400.0).contains(&s))
    {
        f.add(Severity::Error, "session_timeout_invalid", "sessionTimeoutSeconds",
            "sessionTimeoutSeconds must be from 60 to 86400 (Salesforce session timeouts range from 15 minutes to 24 hours)");
    }
    match o.pending_storage.as_deref() {
        None | Some("session") => {}
        Some("local") => f.add(Severity::Info, "pending_storage_local", "pendingStorage",
            "the pending login (verifier and state, never tokens) is kept in localStorage so the callback may open in another tab; it still expires after 10 minutes and is deleted on first read"),
        Some(_) => f.add(Severity::Error, "pending_storage_invalid", "pendingStorage", "pendingStorage must be \"session\" or \"local\""),
    }
    match o.session_sharing.as_deref() {
        None | Some("off") => {}
        Some("tabs" | "tabs-locks") => f.add(Severity::Info, "session_sharing_tabs", "sessionSharing",
            "tabs of this origin share one session (one login, one refresh, logout everywhere); tokens stay in memory: a SharedWorker's with \"tabs\", every tab's with \"tabs-locks\" (sent over BroadcastChannel, which any same-origin script could also listen to)"),
        Some(_) => f.add(Severity::Error, "session_sharing_invalid", "sessionSharing", "sessionSharing must be \"off\", \"tabs\" or \"tabs-locks\""),
    }
    match o.restore.as_deref() {
        None | Some("off" | "auto") => {}
        Some(_) => f.add(
            Severity::Error,
            "restore_invalid",
            "restore",
            "restore must be \"auto\" or \"off\"",
        ),
    }
    if let Some(u) = o.worker_url.as_deref()
        && (u.is_empty()
            || u.starts_with("//")
            || u.contains(':') && !u.starts_with("https://") && !u.starts_with("http://"))
    {
        f.add(Severity::Error, "worker_url_invalid", "workerUrl",
            "workerUrl must be a path or an http(s) URL on this app's origin (the session worker must be same-origin)");
    }
}

fn redirect_uri(f: &mut Findings, value: Option<&str>, page_origin: Option<&str>) {
    let Some(value) = value else {
        f.add(Severity::Error, "redirect_uri_missing", "redirectUri",
            "redirectUri is required, e.g. location.origin + \"/callback\"; it must equal a Callback URL of the app exactly");
        return;
    };
    let url = match HttpUrl::parse(value, "redirectUri") {
        Ok(u) => u,
        Err(e) => {
            return f.add(
                Severity::Error,
                "redirect_uri_invalid",
                "redirectUri",
                e.config_reason(),
            );
        }
    };
    if !url.origin().is_secure_or_loopback() {
        f.add(Severity::Error, "redirect_uri_not_https", "redirectUri",
            "redirectUri must use https; plain http is accepted only for localhost / 127.0.0.1 during development");
    }
    if url.fragment().is_some() {
        f.add(
            Severity::Error,
            "redirect_uri_has_fragment",
            "redirectUri",
            "redirectUri must not contain a #fragment (RFC 6749 §3.1.2)",
        );
    }
    if let Some(page) = page_origin.and_then(|p| Origin::parse(p, "pageOrigin").ok())
        && &page != url.origin()
    {
        f.add(
            Severity::Warning,
            "redirect_uri_origin_differs",
            "redirectUri",
            [
                "redirectUri's origin ",
                &url.origin().serialize(),
                " differs from this page's origin ",
                &page.serialize(),
                ": the pending login stored here will not be found when the callback opens there",
            ]
            .concat(),
        );
    }
}

/// `postLogoutRedirectUri`: https (loopback excepted), and on this page's origin — the way back
/// from the provider lands there, and `handleRedirect()` finds its record only on this origin.
fn post_logout_redirect_uri(f: &mut Findings, uri: &str, page_origin: Option<&str>) {
    let origin = match HttpUrl::parse_return(uri, "postLogoutRedirectUri") {
        Ok(url) => url.origin().clone(),
        Err(e) => {
            return f.add(
                Severity::Error,
                "post_logout_redirect_uri_invalid",
                "postLogoutRedirectUri",
                [
                    &e.config_reason(),
                    ": the provider sends the browser there after ending its session",
                ]
                .concat(),
            );
        }
    };
    if let Some(page) = page_origin.and_then(|p| Origin::parse(p, "pageOrigin").ok())
        && origin != page
    {
        f.add(Severity::Warning, "post_logout_redirect_uri_origin_differs", "postLogoutRedirectUri", [
            "postLogoutRedirectUri's origin ", &origin.serialize(), " differs from this page's origin ", &page.serialize(),
            ": after ending the provider's session the browser lands on another origin, where handleRedirect() cannot recognise the return; register a URL on this app's origin with the provider"].concat());
    }
}

fn login_host(f: &mut Findings, value: Option<&str>) {
    let Some(value) = value else {
        return f.add(Severity::Error, "login_host_missing", "loginHost",
            "loginHost is required: your org's My Domain URL (https://NAME.my.salesforce.com) or Experience Cloud site URL");
    };
    let url = match HttpUrl::parse(value, "loginHost") {
        Ok(u) => u,
        Err(e) => {
            return f.add(
                Severity::Error,
                "login_host_invalid",
                "loginHost",
                e.config_reason(),
            );
        }
    };
    if !url.origin().is_secure_or_loopback() {
        f.add(
            Severity::Error,
            "login_host_not_https",
            "loginHost",
            "loginHost must use https (plain http only for a local emulator on localhost)",
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        f.add(
            Severity::Error,
            "login_host_invalid",
            "loginHost",
            "loginHost must be a base URL without ?query or #fragment",
        );
    }
    match SalesforceHost::classify(&url) {
        SalesforceHost::ProductionLogin | SalesforceHost::SandboxLogin => f.add(Severity::Error, "login_host_no_cors", "loginHost", [
            url.origin().host(), " cannot be used from a browser app: Salesforce allows CORS on /services/oauth2/token and /revoke only on My Domain and Experience Cloud hosts (with \"Enable CORS for OAuth endpoints\" on), so the token call would be blocked. Use your org's My Domain URL instead, e.g. https://NAME.my.salesforce.com (sandbox: https://NAME--SANDBOX.sandbox.my.salesforce.com); find it in Setup > My Domain"].concat()),
        SalesforceHost::Other => f.add(Severity::Warning, "login_host_not_my_domain", "loginHost", [
            url.origin().host(), " is not a My Domain (*.my.salesforce.com) or Experience Cloud (*.my.site.com) host; a custom domain may work if CORS for OAuth endpoints is enabled there"].concat()),
        SalesforceHost::ExperienceCloud => f.add(Severity::Info, "login_host_experience_cloud", "loginHost",
            "Experience Cloud site: keep the site's path prefix in loginHost (e.g. https://NAME.my.site.com/partners); users sign in with their site credentials"),
        SalesforceHost::Loopback => f.add(Severity::Info, "login_host_loopback", "loginHost", "loopback loginHost: a local emulator or proxy, for development only"),
        SalesforceHost::MyDomain | SalesforceHost::SandboxMyDomain => {}
    }
}

fn secure_url(
    f: &mut Findings,
    field: &'static str,
    value: &str,
    invalid: &'static str,
    not_https: &'static str,
) {
    match HttpUrl::parse(value, field) {
        Err(e) => f.add(Severity::Error, invalid, field, e.config_reason()),
        Ok(u) if !u.origin().is_secure_or_loopback() => f.add(
            Severity::Error,
            not_https,
            field,
            [
                field,
                " must use https (plain http only for localhost / 127.0.0.1)",
            ]
            .concat(),
        ),
        Ok(_) => {}
    }
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod tests;
