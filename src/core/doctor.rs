//! The config doctor: configuration pitfalls as findings, without network. The checks every
//! client gets are here; each provider profile adds its own (`Profile::doctor`).
//!
//! Each [`Finding`] has a stable `code`, a `severity`, the `field` at fault and a one-line
//! message; the explanation of how to fix it (in the External Client App, or in the call) is
//! the code's entry in `js/prose.js`, which `Findings::add` appends outside the npm build and
//! the npm package's development entry appends in JS (the production build ships without it).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::finding::Findings;
pub use crate::core::finding::{Finding, Severity};
use crate::core::options::ClientOptions;
use crate::core::profile::{GENERIC, Profile, SALESFORCE};
use crate::core::url::{HttpUrl, Origin};

/// Findings for `AuthClient.salesforce(options)`. `page_origin` is the app's origin when known
/// (the browser passes `location.origin`).
pub fn salesforce(options: &ClientOptions, page_origin: Option<&str>) -> Vec<Finding> {
    findings(&SALESFORCE, options, page_origin)
}

/// Findings for `new AuthClient(options)` (any provider).
pub fn generic(options: &ClientOptions, page_origin: Option<&str>) -> Vec<Finding> {
    findings(&GENERIC, options, page_origin)
}

/// Findings for a client of `profile`: the checks every client gets, then the profile's own.
pub(crate) fn findings(
    profile: &dyn Profile,
    options: &ClientOptions,
    page_origin: Option<&str>,
) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    common(&mut f, options, page_origin);
    profile.doctor(options, &mut f);
    f.0
}

/// Whether `scopes` has `word`.
fn has(scopes: &[String], word: &str) -> bool {
    crate::core::bytes::listed(scopes, word)
}

fn common(f: &mut Findings, o: &ClientOptions, page_origin: Option<&str>) {
    if o.client_secret.is_some() {
        f.say(
            Severity::Error,
            concat!(
                "client_secret_in_browser clientSecret ",
                explained!("remove clientSecret", ": a browser app is a public client")
            ),
        );
    }
    match o.client_id.as_deref() {
        None | Some("") => f.say(
            Severity::Error,
            "client_id_missing clientId clientId is required",
        ),
        Some(id) if client_id_blank(id) => f.say(
            Severity::Error,
            concat!(
                "client_id_invalid clientId ",
                brief!(
                    "has edge spaces or control chars",
                    "clientId has leading/trailing spaces or control characters"
                )
            ),
        ),
        Some(_) => {}
    }
    let page = page_origin.and_then(Origin::of);
    let redirect = redirect_uri(f, o.redirect_uri.as_deref(), page.as_ref());
    if let Some(uri) = o.post_logout_redirect_uri.as_deref() {
        match HttpUrl::parse_return(uri, "postLogoutRedirectUri") {
            Err(e) => f.refused(
                "post_logout_redirect_uri_invalid",
                "postLogoutRedirectUri",
                e,
            ),
            Ok(url) => origin_differs(
                f,
                "post_logout_redirect_uri_origin_differs",
                "postLogoutRedirectUri",
                url.origin(),
                page.as_ref(),
            ),
        }
    }
    if let Some(uri) = o.popup_redirect_uri.as_deref() {
        match HttpUrl::parse_return(uri, "popupRedirectUri") {
            Err(e) => f.refused("popup_redirect_uri_invalid", "popupRedirectUri", e),
            Ok(u) if redirect.as_ref().is_some_and(|r| r != u.origin()) => f.say(
                Severity::Error,
                concat!(
                    "popup_redirect_uri_origin_differs popupRedirectUri ",
                    brief!(
                        "not redirectUri's origin",
                        "popupRedirectUri must be on redirectUri's origin"
                    )
                ),
            ),
            Ok(_) => {}
        }
    }
    // The default scopes pass every check below.
    if let Some(scopes) = o.scopes.as_deref() {
        if scopes.is_empty() {
            f.say(Severity::Warning, "scopes_empty scopes no scopes requested");
        }
        if let Some(bad) = scopes.iter().find(|s| !scope_token(s)) {
            f.add(
                Severity::Error,
                "scope_invalid",
                "scopes",
                &[
                    "scope \"",
                    bad,
                    explained!("\" is not a valid scope token", " (RFC 6749 §3.3)"),
                ],
            );
        }
        if has(scopes, "full") {
            f.say(
                Severity::Warning,
                concat!(
                    "scope_full scopes ",
                    brief!(
                        "full grants admin access",
                        "the full scope grants administrative access"
                    )
                ),
            );
        }
        if !has(scopes, "refresh_token") && !has(scopes, "offline_access") {
            f.say(
                Severity::Warning,
                concat!(
                    "scope_missing_refresh_token scopes ",
                    explained!(
                        "without refresh_token (or offline_access)",
                        " there is no refresh token"
                    )
                ),
            );
        }
        if !has(scopes, "openid") {
            f.say(
                Severity::Info,
                concat!(
                    "scope_missing_openid scopes ",
                    explained!("without openid", " there is no id_token")
                ),
            );
        }
    }
    for origin in o.allowed_origins.as_deref().unwrap_or_default() {
        f.secure_url(
            "allowedOrigins",
            origin,
            "allowed_origin_invalid",
            "allowed_origin_not_https",
        );
    }
    if let Some(base) = o.api_base.as_deref() {
        f.secure_url("apiBase", base, "api_base_invalid", "api_base_not_https");
    }
    for host in o.trusted_instance_hosts.as_deref().unwrap_or_default() {
        let plain = host.strip_prefix("*.").unwrap_or(host);
        let ok = !plain.is_empty()
            && plain.has(b'.')
            && plain.all_bytes(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !ok {
            f.add(
                Severity::Error,
                "trusted_instance_host_invalid",
                "trustedInstanceHosts",
                &[
                    "\"",
                    host,
                    brief!(
                        "\": not a host or *.domain",
                        "\" is not a host name or *.domain pattern"
                    ),
                ],
            );
        }
    }
    if let Some(t) = o.timeout_ms
        && !matches!(t, 1.0..=600_000.0)
    {
        f.say(
            Severity::Error,
            concat!(
                "timeout_invalid timeoutMs ",
                brief!("must be 1..600000", "timeoutMs must be from 1 to 600000")
            ),
        );
    }
    if let Some(n) = o.max_in_flight
        && !(matches!(n, 0.0..=10_000.0) && f64::from(n as u32) == n)
    {
        f.say(
            Severity::Error,
            concat!(
                "max_in_flight_invalid maxInFlight ",
                brief!(
                    "must be an integer 0..10000",
                    "maxInFlight must be a whole number from 0 to 10000"
                )
            ),
        );
    }
    if let Some(s) = o.session_timeout_seconds
        && !matches!(s, 60.0..=86_400.0)
    {
        f.say(
            Severity::Error,
            concat!(
                "session_timeout_invalid sessionTimeoutSeconds ",
                brief!(
                    "must be 60..86400",
                    "sessionTimeoutSeconds must be from 60 to 86400"
                )
            ),
        );
    }
    match o.pending_storage.as_deref() {
        None | Some("session") => {}
        Some("local") => f.say(
            Severity::Info,
            concat!(
                "pending_storage_local pendingStorage ",
                brief!(
                    "kept in localStorage",
                    "the pending login is kept in localStorage"
                )
            ),
        ),
        Some(_) => f.say(
            Severity::Error,
            concat!(
                "pending_storage_invalid pendingStorage ",
                brief!(
                    "session or local",
                    "pendingStorage must be \"session\" or \"local\""
                )
            ),
        ),
    }
    match o.session_sharing.as_deref() {
        None | Some("off") => {}
        Some("tabs" | "tabs-locks") => f.say(
            Severity::Info,
            concat!(
                "session_sharing_tabs sessionSharing ",
                brief!(
                    "tabs share a session",
                    "tabs of this origin share one session"
                )
            ),
        ),
        Some(_) => f.say(
            Severity::Error,
            concat!(
                "session_sharing_invalid sessionSharing ",
                brief!(
                    "off, tabs or tabs-locks",
                    "sessionSharing must be \"off\", \"tabs\" or \"tabs-locks\""
                )
            ),
        ),
    }
    match o.restore.as_deref() {
        None | Some("off" | "auto") => {}
        Some(_) => f.say(
            Severity::Error,
            concat!(
                "restore_invalid restore ",
                brief!("auto or off", "restore must be \"auto\" or \"off\"")
            ),
        ),
    }
    if let Some(u) = o.worker_url.as_deref()
        && (u.is_empty()
            || u.starts_with("//")
            || u.has(b':') && !u.starts_with("https://") && !u.starts_with("http://"))
    {
        f.say(
            Severity::Error,
            concat!(
                "worker_url_invalid workerUrl ",
                brief!(
                    "a path or same-origin http(s) URL",
                    "workerUrl must be a path or an http(s) URL on this app's origin"
                )
            ),
        );
    }
}

/// Whether a `clientId` starts or ends with White_Space or has a control character anywhere:
/// one pass over its characters.
pub(crate) fn client_id_blank(id: &str) -> bool {
    id.char_indices().any(|(i, c)| {
        c.is_control() || c.is_whitespace() && (i == 0 || i + c.len_utf8() == id.len())
    })
}

/// Whether a scope is a token the doctor accepts: not empty, without White_Space, control
/// characters, `"` or `\\`.
pub(crate) fn scope_token(scope: &str) -> bool {
    !scope.is_empty()
        && !scope
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
}

/// The `redirectUri` checks; its origin when it parses.
fn redirect_uri(f: &mut Findings, value: Option<&str>, page: Option<&Origin>) -> Option<Origin> {
    let Some(value) = value else {
        f.say(
            Severity::Error,
            "redirect_uri_missing redirectUri redirectUri is required",
        );
        return None;
    };
    let url = match HttpUrl::parse(value, "redirectUri") {
        Ok(u) => u,
        Err(e) => {
            f.refused("redirect_uri_invalid", "redirectUri", e);
            return None;
        }
    };
    if !url.origin().is_secure_or_loopback() {
        f.say(
            Severity::Error,
            "redirect_uri_not_https redirectUri redirectUri must use https",
        );
    }
    if url.fragment().is_some() {
        f.say(
            Severity::Error,
            concat!(
                "redirect_uri_has_fragment redirectUri ",
                brief!(
                    "no #fragment",
                    "redirectUri must not contain a #fragment (RFC 6749 §3.1.2)"
                )
            ),
        );
    }
    origin_differs(
        f,
        "redirect_uri_origin_differs",
        "redirectUri",
        url.origin(),
        page,
    );
    Some(url.origin().clone())
}

/// A warning when the URL option `field`'s `origin` is not this page's (when known): the way
/// back from the provider lands there, and `handleRedirect()` finds its record only on this
/// origin.
fn origin_differs(
    f: &mut Findings,
    code: &'static str,
    field: &'static str,
    origin: &Origin,
    page: Option<&Origin>,
) {
    if let Some(page) = page
        && page != origin
    {
        f.add(
            Severity::Warning,
            code,
            field,
            &[
                field,
                "'s origin ",
                &origin.serialize(),
                " differs from this page's origin ",
                &page.serialize(),
            ],
        );
    }
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "doctor_golden_tests.rs"]
mod golden_tests;
