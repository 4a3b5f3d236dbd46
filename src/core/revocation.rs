//! Token revocation (RFC 7009) at logout: the refresh token first, then the access token — at
//! Salesforce, whose refresh token revocation revokes its access tokens too, the access token
//! only when there is no refresh token (the session machine applies the profile's rule).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::http::{HttpRequest, JsonDecoder};
use crate::core::text::decimal;

/// Which token a revocation request names (`token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `refresh_token`
    Refresh,
    /// `access_token`
    Access,
}

/// A revocation request, or `None` when the provider has no revocation endpoint.
pub fn revocation_request(
    config: &ClientConfig,
    token: &str,
    kind: TokenKind,
) -> Option<HttpRequest> {
    let hint = match kind {
        TokenKind::Refresh => "refresh_token",
        TokenKind::Access => "access_token",
    };
    let endpoint = config.endpoints.revocation.as_deref()?;
    Some(HttpRequest::form_post(
        endpoint,
        &[
            ("token", token),
            ("token_type_hint", hint),
            ("client_id", &config.client_id),
        ],
    ))
}

/// Judges a revocation answer. 200 is revoked. 400 `invalid_token` means the token is already
/// dead (after the refresh token's revocation Salesforce answers so for its access token) and
/// counts as revoked. Anything else — a 5xx, `unsupported_token_type`, an unexpected status —
/// is `revocation_failed`.
pub fn process_revocation_response(
    status: u16,
    body: &str,
    json: &impl JsonDecoder,
) -> Result<(), AuthError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    // (Borrowed from the parsed body: no copy of the code.)
    let value = json.parse(body);
    let error = value
        .as_ref()
        .and_then(|v| v.str_ref("error").ok().flatten());
    if status == 400 && error == Some("invalid_token") {
        return Ok(());
    }
    let what = error.map_or_else(String::new, |e| {
        [" (", crate::core::text::first_chars(e, 64), ")"].cat()
    });
    Err(AuthError::RevocationFailed {
        status: Some(status),
        reason: [
            brief!(
                "revocation: HTTP ",
                "the revocation endpoint answered HTTP "
            ),
            &decimal(u64::from(status)),
            &what,
        ]
        .cat(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;

    #[test]
    fn builds_requests_with_hint() {
        let c = crate::core::testing::salesforce("cid");
        let r = revocation_request(&c, "5Aep/x+y", TokenKind::Refresh).unwrap();
        assert_eq!(
            r.url,
            "https://acme.my.salesforce.com/services/oauth2/revoke"
        );
        assert_eq!(
            r.body.as_deref(),
            Some("token=5Aep%2Fx%2By&token_type_hint=refresh_token&client_id=cid")
        );
        let mut g = c.clone();
        g.endpoints.revocation = None;
        assert!(revocation_request(&g, "t", TokenKind::Access).is_none());
    }

    #[test]
    fn judges_answers() {
        assert!(process_revocation_response(200, "", &SerdeJson).is_ok());
        assert!(
            process_revocation_response(400, r#"{"error":"invalid_token"}"#, &SerdeJson).is_ok()
        );
        for (status, body) in [
            (400, r#"{"error":"unsupported_token_type"}"#),
            (500, "oops"),
            (503, ""),
            (302, ""),
            (400, "<html>"),
        ] {
            let e = process_revocation_response(status, body, &SerdeJson).unwrap_err();
            assert_eq!(e.code(), "revocation_failed");
            assert_eq!(e.status(), Some(status));
        }
    }
}
