//! The tokens of a refused 2xx token answer (an id_token failing its checks or its signature,
//! Bearer under `dpop: true`, a Salesforce answer without `instance_url`, a token out of
//! bounds): handed back with the error, for the session machine to revoke (best effort, by
//! the profile's revocation policy) and never use.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::ForeignTokens;
use crate::core::json::Json;
// A refused answer's tokens read from its body (cargo feature `dpop`: the DPoP token path).
#[cfg(feature = "dpop")]
use crate::core::bounds::MAX_TOKEN_BODY_BYTES;
#[cfg(all(feature = "dpop", any(test, feature = "internals")))]
use crate::core::http::JsonDecoder;
use crate::core::secret::{AccessToken, RefreshToken};

/// The answer's `access_token` and `refresh_token`, except those in `held` (the session's own:
/// a refresh answer may repeat its refresh token). `None` without an access token to revoke,
/// or for a body over [`MAX_TOKEN_BODY_BYTES`]. (The browser keeps the body it parsed:
/// `refused_tokens_in`.)
#[cfg(all(feature = "dpop", any(test, feature = "internals")))]
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

/// `refused_tokens` of a body parsed already (`doc`; `None` too for a body over
/// [`MAX_TOKEN_BODY_BYTES`]): the browser's id_token signature check keeps the token answer it
/// parsed (`held`: the set the session holds when the check fails, `token::refused_unless_held`).
#[cfg(feature = "dpop")]
pub fn refused_tokens_in(body: &str, doc: &Json, held: &[&str]) -> Option<ForeignTokens> {
    if body.len() > MAX_TOKEN_BODY_BYTES {
        return None;
    }
    refused_tokens_of(doc, held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::{JsonDecoder, SerdeJson};

    #[test]
    fn the_session_s_own_tokens_are_not_handed_back() {
        let of = |body: &str, held: &[&str]| {
            let doc = SerdeJson.parse(body).unwrap();
            let got = refused_tokens_in(body, &doc, held).map(|t| {
                let (a, r) = t.secrets();
                (a.to_owned(), r.map(str::to_owned))
            });
            // The same as parsing the body here.
            let again = refused_tokens(body, held, &SerdeJson);
            assert_eq!(got.is_some(), again.is_some(), "{body}");
            got
        };
        // A refresh answer repeating the session's refresh token: only the new access token.
        let body = r#"{"access_token":"at2","refresh_token":"rt1","token_type":"MAC"}"#;
        assert_eq!(of(body, &["at1", "rt1"]), Some(("at2".into(), None)));
        // Repeating its access token too: nothing to revoke.
        let same = r#"{"access_token":"at1","refresh_token":"rt1"}"#;
        assert_eq!(of(same, &["at1", "rt1"]), None);
        // A code exchange's answer with no session held: both.
        assert_eq!(
            of(body, &["", ""]),
            Some(("at2".into(), Some("rt1".into())))
        );
        assert_eq!(of("{}", &[]), None);
        // A body over the bound: nothing read from it.
        let big = [
            &body[..body.len() - 1],
            r#","x":""#,
            &"x".repeat(MAX_TOKEN_BODY_BYTES),
            r#""}"#,
        ]
        .concat();
        assert_eq!(of(&big, &[]), None);
        assert!(refused_tokens("not json", &[], &SerdeJson).is_none());
    }
}
