//! The UserInfo endpoint (OpenID Connect Core 1.0 §5.3): where the request goes, and the checks
//! its answer passes before the app sees it.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::bounds::MAX_USERINFO_BODY_BYTES;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::http::JsonDecoder;
use crate::core::token::TokenSet;

/// The UserInfo endpoint (§5.3.1), borrowed: the runtime GETs it asking for JSON (the
/// executor's `userinfo` in js/executor.js builds the request) like an `auth.fetch` — with the
/// access token (`Authorization: Bearer`, or `DPoP` with a proof), one refresh and retry on a
/// dead-token answer — never following a redirect. No endpoint → `invalid_config`
/// (`userinfoEndpoint`).
pub(crate) fn userinfo_endpoint(config: &ClientConfig) -> Result<&str, AuthError> {
    match &config.endpoints.userinfo {
        Some(url) => Ok(url),
        None => Err(AuthError::config(
            "userinfoEndpoint",
            brief!(
                "none for this provider",
                "this provider has no userinfo endpoint"
            ),
        )),
    }
}

/// Validates a UserInfo answer to a request sent with `tokens`: a status outside 2xx →
/// `userinfo_failed` with it ([`AuthError::UserinfoFailed`]); a 2xx answer is refused
/// ([`AuthError::InvalidUserinfo`], code `userinfo_failed` too) when it is over 256 KiB
/// ([`MAX_USERINFO_BODY_BYTES`]), not a JSON object (a signed or encrypted `application/jwt`
/// answer, §5.3.2, is not read: its body is a JWT), without a string `sub` (§5.3.2: always
/// returned), or with a `sub` other than the session's id_token's (§5.3.2: "MUST be verified
/// to exactly match"; a token substitution would show someone else's claims).
pub fn process_userinfo_response(
    tokens: &TokenSet,
    status: u16,
    body: &str,
    json: &impl JsonDecoder,
) -> Result<(), AuthError> {
    if !(200..300).contains(&status) {
        return Err(AuthError::UserinfoFailed { status });
    }
    let refuse = |reason| Err(AuthError::InvalidUserinfo { status, reason });
    if body.len() > MAX_USERINFO_BODY_BYTES {
        return refuse("the body is over 256 KiB");
    }
    let Some(claims) = json.parse(body).filter(|v| v.is_object()) else {
        return refuse(explained!(
            "the body is not a JSON object",
            " (a signed application/jwt answer is not read)"
        ));
    };
    let Ok(Some(sub)) = claims.str_ref("sub") else {
        return refuse("it has no sub");
    };
    let session_sub = tokens.identity.as_ref().and_then(|i| i.sub.as_deref());
    if session_sub.is_some_and(|s| s != sub) {
        return refuse(explained!(
            "its sub is not the signed-in user's",
            " (the id_token's)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;
    use crate::core::id_token::IdTokenIdentity;
    use crate::core::secret::AccessToken;
    use crate::core::time::Millis;

    const SUB: &str = "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA";

    fn tokens(sub: Option<&str>) -> TokenSet {
        TokenSet {
            access_token: AccessToken::new("00D!at"),
            refresh_token: None,
            id_token: None,
            identity: sub.map(|s| {
                Box::new(IdTokenIdentity {
                    iss: "https://acme.my.salesforce.com".into(),
                    sub: Some(s.into()),
                    aud: vec!["cid".into()],
                    azp: None,
                    auth_time: None,
                })
            }),
            extras: Default::default(),
            scopes: vec![],
            issued_at_ms: Millis(0.0),
            expires_at_ms: None,
            dpop: false,
        }
    }

    fn process(t: &TokenSet, status: u16, body: &str) -> Result<(), AuthError> {
        process_userinfo_response(t, status, body, &SerdeJson)
    }

    #[test]
    fn the_endpoint_is_the_profile_s_or_a_refusal_naming_the_option() {
        let sf =
            crate::core::config::ClientConfig::salesforce(&crate::core::options::ClientOptions {
                client_id: Some("cid".into()),
                redirect_uri: Some("https://app.example.com/callback".into()),
                login_host: Some("https://acme.my.site.com/partners".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            userinfo_endpoint(&sf),
            Ok("https://acme.my.site.com/partners/services/oauth2/userinfo")
        );
        let generic =
            crate::core::config::ClientConfig::generic(&crate::core::options::ClientOptions {
                client_id: Some("spa".into()),
                redirect_uri: Some("https://app.example.com/callback".into()),
                authorization_endpoint: Some("https://id.example.com/auth".into()),
                token_endpoint: Some("https://id.example.com/token".into()),
                ..Default::default()
            })
            .unwrap();
        let e = userinfo_endpoint(&generic).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert!(e.message().contains("userinfoEndpoint"), "{e}");
    }

    #[test]
    fn a_json_object_with_the_session_s_sub_is_accepted() {
        let body = format!(r#"{{"sub":"{SUB}","name":"Ada","user_id":"005xx"}}"#);
        let t = tokens(Some(SUB));
        assert_eq!(process(&t, 200, &body), Ok(()));
        assert_eq!(process(&t, 203, &body), Ok(()), "any 2xx");
        assert_eq!(
            process(&tokens(None), 200, r#"{"sub":"anyone"}"#),
            Ok(()),
            "without an id_token there is no sub to compare"
        );
    }

    /// Each rejection, with its stable code and status, never quoting the body.
    #[test]
    fn each_rejection_is_userinfo_failed() {
        let t = tokens(Some(SUB));
        let good = format!(r#"{{"sub":"{SUB}"}}"#);
        let huge = format!(
            r#"{{"sub":"{SUB}","pad":"{}"}}"#,
            "x".repeat(MAX_USERINFO_BODY_BYTES)
        );
        let array = format!(r#"[{{"sub":"{SUB}"}}]"#);
        let other = r#"{"sub":"https://login.salesforce.com/id/00Dxx0000000123AAA/005OTHER"}"#;
        let cases: [(&str, u16, &str, &str); 10] = [
            ("an HTTP error", 500, &good, "answered HTTP 500"),
            ("a 403", 403, "Bad_OAuth_Token", "answered HTTP 403"),
            (
                "a signed answer (application/jwt)",
                200,
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
                "application/jwt",
            ),
            ("an oversized body", 200, &huge, "over 256 KiB"),
            ("HTML", 200, "<html>sign in</html>", "not a JSON object"),
            ("a JSON array", 200, &array, "not a JSON object"),
            (
                "a JSON string",
                200,
                r#""{\"sub\":\"x\"}""#,
                "not a JSON object",
            ),
            ("no sub", 200, r#"{"name":"Ada"}"#, "no sub"),
            ("a sub that is no string", 200, r#"{"sub":42}"#, "no sub"),
            ("another user's sub", 200, other, "not the signed-in user's"),
        ];
        for (name, status, body, why) in cases {
            let e = process(&t, status, body).unwrap_err();
            assert_eq!(e.code(), "userinfo_failed", "{name}");
            assert_eq!(e.status(), Some(status), "{name}");
            assert!(e.message().contains(why), "{name}: {e}");
            assert!(
                !e.message().contains("Ada") && !e.message().contains("005OTHER"),
                "{name}: {e}"
            );
        }
    }
}
