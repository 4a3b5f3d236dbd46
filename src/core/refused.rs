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
/// a refresh answer may repeat either). `None` without a token to revoke, or for a body over
/// [`MAX_TOKEN_BODY_BYTES`]. (The browser keeps the body it parsed:
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
    let (access, refresh) = (field("access_token"), field("refresh_token"));
    access.or(refresh)?;
    Some(ForeignTokens {
        access_token: access.map(AccessToken::new),
        refresh_token: refresh.map(RefreshToken::new),
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
                (a.map(str::to_owned), r.map(str::to_owned))
            });
            // The same as parsing the body here.
            let again = refused_tokens(body, held, &SerdeJson);
            assert_eq!(got.is_some(), again.is_some(), "{body}");
            got
        };
        let at = |a: &str, r: &str| format!(r#"{{"access_token":"{a}","refresh_token":"{r}"}}"#);
        let held = ["at1", "rt1"];
        let some = |a: Option<&str>, r: Option<&str>| Some((a.map(Into::into), r.map(Into::into)));
        // (a) The held access token with a new refresh token: the refresh token alone.
        assert_eq!(of(&at("at1", "rt2"), &held), some(None, Some("rt2")));
        // (b) Both held: nothing to revoke.
        assert_eq!(of(&at("at1", "rt1"), &held), None);
        // (c) Both new: both.
        assert_eq!(of(&at("at2", "rt2"), &held), some(Some("at2"), Some("rt2")));
        // (d) A new access token with the held refresh token: the access token alone.
        assert_eq!(of(&at("at2", "rt1"), &held), some(Some("at2"), None));
        // A code exchange's answer with no session held: both; a refresh token without an
        // access token too.
        let body = r#"{"access_token":"at2","refresh_token":"rt1","token_type":"MAC"}"#;
        assert_eq!(of(body, &["", ""]), some(Some("at2"), Some("rt1")));
        assert_eq!(
            of(r#"{"refresh_token":"rt2"}"#, &held),
            some(None, Some("rt2"))
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
