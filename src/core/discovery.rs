//! OpenID Connect Discovery 1.0 / RFC 8414: read endpoints from the issuer's metadata.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::callback::same_issuer;
use crate::core::config::ClientOptions;
use crate::core::error::AuthError;
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::json::{Json, WrongType};
use crate::core::text::decimal;
use crate::core::url::HttpUrl;

/// The metadata's text fields salesforce-pkce reads: the issuer, then the endpoints, in the
/// order of [`process_discovery`]'s options slots.
const TEXT_FIELDS: [&str; 7] = [
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "revocation_endpoint",
    "userinfo_endpoint",
    "end_session_endpoint",
    "jwks_uri",
];

/// The discovery request: a GET of `{issuer}/.well-known/openid-configuration` asking for JSON
/// (the issuer's path is kept, OIDC Discovery §4). An issuer that is not an https URL
/// (loopback excepted) without query or fragment → `invalid_config`.
pub fn discovery_request(issuer: &str) -> Result<HttpRequest, AuthError> {
    // Matched, not `?`: the URL is written once.
    let url = match HttpUrl::parse(issuer, "issuer") {
        Ok(u) => u,
        Err(e) => return Err(e),
    };
    if !url.origin().is_secure_or_loopback() {
        return Err(AuthError::config(
            "issuer",
            explained!(
                "must use https",
                " (plain http only for localhost / 127.0.0.1)"
            ),
        ));
    }
    if url.has_query_or_fragment() {
        return Err(AuthError::config(
            "issuer",
            brief!(
                "no ?query or #fragment",
                "must not contain ?query or #fragment"
            ),
        ));
    }
    Ok(HttpRequest::get_json(
        [
            &url.base_without_trailing_slash(),
            "/.well-known/openid-configuration",
        ]
        .cat(),
    ))
}

/// Validates a discovery answer and fills the endpoint options. The document's `issuer` must
/// equal the one asked for (OIDC Discovery §4.3, a mix-up defence) → else `issuer_mismatch`;
/// a provider that lists `code_challenge_methods_supported` without `S256` is refused.
pub fn process_discovery(
    issuer: &str,
    status: u16,
    body: &str,
    json: &impl JsonDecoder,
    mut options: ClientOptions,
) -> Result<ClientOptions, AuthError> {
    if !(200..300).contains(&status) {
        return Err(AuthError::config(
            "issuer",
            [
                brief!("discovery: HTTP ", "the discovery document answered HTTP "),
                &decimal(u64::from(status)),
            ]
            .cat(),
        ));
    }
    // Every field is read (and its type checked) before any check of its value, borrowed from
    // the tree; nothing is copied until the document passed.
    let doc = json.parse(body);
    let mut text: [Option<&str>; 7] = [None; 7];
    let mut read = || -> Result<_, WrongType> {
        let Some(v) = doc.as_ref().filter(|v| v.is_object()) else {
            return Err(WrongType);
        };
        for i in 0..7 {
            text[i] = v.str_ref(TEXT_FIELDS[i])?;
        }
        Ok((
            v.bool_field("authorization_response_iss_parameter_supported")?,
            v.str_items("code_challenge_methods_supported")?,
            v.str_items("dpop_signing_alg_values_supported")?,
        ))
    };
    let Ok((iss_parameter, methods, dpop_algs)) = read() else {
        return Err(AuthError::config(
            "issuer",
            brief!(
                "discovery: not a JSON object",
                "the discovery document is not a JSON object"
            ),
        ));
    };
    match text[0] {
        Some(i) if same_issuer(i, issuer) => {}
        _ => return Err(AuthError::IssuerMismatch),
    }
    if let Some(methods) = methods
        && !methods
            .iter()
            .any(|x| matches!(x, Json::String(s) if s == "S256"))
    {
        return Err(AuthError::config(
            "issuer",
            brief!(
                "no PKCE S256 at the provider",
                "the provider does not support PKCE with S256"
            ),
        ));
    }
    options.issuer = None;
    let slots = [
        &mut options.issuer,
        &mut options.authorization_endpoint,
        &mut options.token_endpoint,
        &mut options.revocation_endpoint,
        &mut options.userinfo_endpoint,
        &mut options.end_session_endpoint,
        &mut options.jwks_uri,
    ];
    for i in 0..7 {
        if slots[i].is_none() {
            *slots[i] = text[i].map(Into::into);
        }
    }
    if options.dpop_signing_alg_values_supported.is_none()
        && let Some(algs) = dpop_algs
    {
        let mut out = Vec::with_capacity(algs.len());
        for a in algs {
            if let Json::String(s) = a {
                out.push(s.clone());
            }
        }
        options.dpop_signing_alg_values_supported = Some(out);
    }
    if iss_parameter == Some(true) {
        options.authorization_response_iss_parameter_supported = Some(true);
    }
    Ok(options)
}

#[cfg(test)]
#[path = "discovery_golden_tests.rs"]
mod golden_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;

    const DOC: &str = r#"{"issuer":"http://127.0.0.1:9000","authorization_endpoint":"http://127.0.0.1:9000/auth","token_endpoint":"http://127.0.0.1:9000/token","revocation_endpoint":"http://127.0.0.1:9000/token/revocation","userinfo_endpoint":"http://127.0.0.1:9000/me","code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":true}"#;

    /// The options a 200 answer with `doc` fills in, for the issuer `http://127.0.0.1:9000`.
    fn discovered(doc: &str) -> ClientOptions {
        process_discovery(
            "http://127.0.0.1:9000",
            200,
            doc,
            &SerdeJson,
            ClientOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn discovery_fills_endpoints() {
        let r = discovery_request("https://idp.example.com/tenant/").unwrap();
        assert_eq!(
            r.url,
            "https://idp.example.com/tenant/.well-known/openid-configuration"
        );
        assert_eq!(r.method, crate::core::http::Method::Get);
        assert_eq!(r.headers, [("Accept", "application/json")]);
        assert_eq!(r.body, None);
        let o = discovered(DOC);
        assert_eq!(
            o.token_endpoint.as_deref(),
            Some("http://127.0.0.1:9000/token")
        );
        assert_eq!(
            o.revocation_endpoint.as_deref(),
            Some("http://127.0.0.1:9000/token/revocation")
        );
        assert_eq!(o.authorization_response_iss_parameter_supported, Some(true));
    }

    #[test]
    fn discovery_fills_jwks_and_dpop_support() {
        let doc = DOC.replace(
            r#""code_challenge_methods_supported""#,
            r#""jwks_uri":"http://127.0.0.1:9000/jwks","dpop_signing_alg_values_supported":["ES256","PS256"],"code_challenge_methods_supported""#,
        );
        let o = discovered(&doc);
        assert_eq!(o.jwks_uri.as_deref(), Some("http://127.0.0.1:9000/jwks"));
        assert_eq!(
            o.dpop_signing_alg_values_supported.as_deref(),
            Some(&["ES256".to_owned(), "PS256".to_owned()][..])
        );
        // Without them, nothing is filled in (no DPoP support assumed).
        let o = discovered(DOC);
        assert_eq!(
            (o.jwks_uri, o.dpop_signing_alg_values_supported),
            (None, None)
        );
    }

    #[test]
    fn discovery_rejections() {
        let j = SerdeJson;
        assert_eq!(
            process_discovery(
                "http://127.0.0.1:9001",
                200,
                DOC,
                &j,
                ClientOptions::default()
            )
            .unwrap_err()
            .code(),
            "issuer_mismatch"
        );
        assert_eq!(
            process_discovery(
                "http://127.0.0.1:9000",
                404,
                "",
                &j,
                ClientOptions::default()
            )
            .unwrap_err()
            .code(),
            "invalid_config"
        );
        assert_eq!(
            process_discovery(
                "http://127.0.0.1:9000",
                200,
                "<html>",
                &j,
                ClientOptions::default()
            )
            .unwrap_err()
            .code(),
            "invalid_config"
        );
        let plain = DOC.replace(r#"["S256"]"#, r#"["plain"]"#);
        assert_eq!(
            process_discovery(
                "http://127.0.0.1:9000",
                200,
                &plain,
                &j,
                ClientOptions::default()
            )
            .unwrap_err()
            .code(),
            "invalid_config"
        );
        for bad in [
            "http://idp.example.com",
            "https://idp.example.com/?tenant=x",
            "https://idp.example.com/#x",
            "idp.example.com",
        ] {
            assert_eq!(
                discovery_request(bad).unwrap_err().code(),
                "invalid_config",
                "{bad}"
            );
        }
    }
}
