//! The tokens of a refused 2xx token answer (an id_token failing its checks or its signature,
//! Bearer under `dpop: true`, a Salesforce answer without `instance_url`, a token out of
//! bounds): handed back with the error, for the session machine to revoke (best effort, by
//! the profile's revocation policy) and never use.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::ForeignTokens;
use crate::core::json::Json;
// A refused answer's tokens read from its body (cargo feature `dpop`: the DPoP token path).
use crate::core::secret::{AccessToken, RefreshToken};
#[cfg(feature = "dpop")]
use crate::core::{
    bounds::MAX_TOKEN_BODY_BYTES,
    form::decode,
    http::{HttpRequest, JsonDecoder},
};

/// The answer's `access_token` and `refresh_token`, except those in `held` (the session's own:
/// a refresh answer may repeat its refresh token). `None` without an access token to revoke,
/// or for a body over [`MAX_TOKEN_BODY_BYTES`].
#[cfg(feature = "dpop")]
pub fn refused_tokens(body: &str, held: &[&str], json: &impl JsonDecoder) -> Option<ForeignTokens> {
    let v = json
        .parse(body)
        .filter(|_| body.len() <= MAX_TOKEN_BODY_BYTES)?;
    refused_tokens_of(&v, held)
}

/// [`refused_tokens`] of a body already parsed (and within [`MAX_TOKEN_BODY_BYTES`]).
pub(crate) fn refused_tokens_of(v: &Json, held: &[&str]) -> Option<ForeignTokens> {
    let field = |k: &str| {
        v.str_ref(k)
            .ok()
            .flatten()
            .filter(|t| !t.is_empty() && !held.contains(t))
    };
    Some(ForeignTokens {
        access_token: AccessToken::new(field("access_token")?),
        refresh_token: field("refresh_token").map(RefreshToken::new),
    })
}

/// [`refused_tokens`] of the answer to the token `request` (its refresh token, if it sent one,
/// is the session's). The browser reads [`sent_refresh_token`] when the answer comes, and the
/// tokens only if it refuses it.
#[cfg(any(test, feature = "internals"))]
pub fn refused_answer_tokens(
    request: &HttpRequest,
    body: &str,
    json: &impl JsonDecoder,
) -> Option<ForeignTokens> {
    refused_tokens(body, &[&sent_refresh_token(request)], json)
}

/// The refresh token the token `request` sent (empty if none): the session's, never handed
/// back with a refused answer.
#[cfg(feature = "dpop")]
pub(crate) fn sent_refresh_token(request: &HttpRequest) -> String {
    request
        .body
        .as_deref()
        .and_then(form_refresh_token)
        .unwrap_or_default()
}

/// The first `refresh_token` of a form body, as `form::parse` reads the form (`None` when it
/// has none, or a decoded name or value is not UTF-8).
#[cfg(feature = "dpop")]
fn form_refresh_token(form: &str) -> Option<String> {
    let mut found = None;
    for part in form.parts(b'&').filter(|p| !p.is_empty()) {
        let (name, value) = part.cut(b'=').unwrap_or((part, ""));
        let (name, value) = (decode(name)?, decode(value)?);
        if name == "refresh_token" && found.is_none() {
            found = Some(value);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;

    #[test]
    fn the_session_s_own_refresh_token_is_not_handed_back() {
        let body = r#"{"access_token":"at2","refresh_token":"rt1","token_type":"MAC"}"#;
        let refresh = HttpRequest::form_post(
            "https://id.example.com/token",
            &[("grant_type", "refresh_token"), ("refresh_token", "rt1")],
        );
        let t = refused_answer_tokens(&refresh, body, &SerdeJson).unwrap();
        assert_eq!(t.secrets(), ("at2", None));
        let code = HttpRequest::form_post(
            "https://id.example.com/token",
            &[("grant_type", "authorization_code"), ("code", "c")],
        );
        let t = refused_answer_tokens(&code, body, &SerdeJson).unwrap();
        assert_eq!(t.secrets(), ("at2", Some("rt1")));
        assert!(refused_tokens("{}", &[], &SerdeJson).is_none());
        assert!(refused_tokens("not json", &[], &SerdeJson).is_none());
    }

    #[test]
    fn the_sent_refresh_token_is_read_as_form_parse_reads_the_form() {
        // What the code read before: the first `refresh_token` of `form::parse`'s pairs.
        let before = |form: &str| {
            crate::core::form::parse(form)
                .iter()
                .flatten()
                .find(|(k, _)| k == "refresh_token")
                .map(|(_, v)| v.clone())
        };
        for form in [
            "",
            "&&",
            "refresh_token",
            "refresh_token=",
            "refresh_token=a%2Bb+c",
            "grant_type=refresh_token&refresh_token=rt1",
            "refresh_token=one&refresh_token=two",
            "refresh%5Ftoken=x",
            "refresh_token=ok&bad=%FF",
            "bad=%FF&refresh_token=ok",
            "refresh_token=%C3%A9&x=%zz",
            "code=c&redirect_uri=https%3A%2F%2Fapp",
        ] {
            assert_eq!(form_refresh_token(form), before(form), "{form}");
        }
    }
}
