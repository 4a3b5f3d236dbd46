//! The core's requests: what each is for, and the wording of one that got no answer (the
//! executor's `request` sends them: a timeout, no cookies, no Referer).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::env;
use crate::core::bounds::MAX_TOKEN_BODY_BYTES;
use crate::core::error::AuthError;

/// The request could not be built (`Headers.set`, `new Request` or `fetch` threw before
/// sending): a fixed message, never the browser's, which may quote a header value (Firefox
/// quotes the whole value, token included).
pub(crate) fn unbuildable() -> AuthError {
    AuthError::config(
        "input",
        concat!(
            brief!(
                "the request could not be built: the browser refused it",
                "the request could not be built: the browser refused its method, a header name or value, or its body"
            ),
            aside!(
                " (its own message is not shown",
                ": it may quote a header value"
            ),
            ")"
        ),
    )
}

/// What a core request is for (to word a network failure).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Token endpoint (code exchange or refresh).
    Token,
    /// Revocation endpoint.
    Revocation,
    /// Discovery document.
    Discovery,
    /// The provider's signing keys (`jwks_uri`).
    #[cfg(feature = "dpop")]
    Jwks,
}

impl Purpose {
    /// How much of an answer's body is read: a token endpoint's to [`MAX_TOKEN_BODY_BYTES`] and
    /// one byte (the core refuses a longer one by its size); others whole (0).
    pub(crate) fn body_cap(self) -> u32 {
        match self {
            Purpose::Token => MAX_TOKEN_BODY_BYTES as u32,
            _ => 0,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Purpose::Token => "the token endpoint",
            Purpose::Revocation => "the revocation endpoint",
            Purpose::Discovery => "the discovery document",
            #[cfg(feature = "dpop")]
            Purpose::Jwks => brief!("the jwks_uri", "the provider's keys (jwks_uri)"),
        }
    }
}

/// A core request that got no answer (offline, CORS block, timeout): `network_error`, worded
/// with its likely cause (`hint`: the provider profile's, for the token and revocation
/// endpoints).
pub(crate) fn network(
    purpose: Purpose,
    url: &str,
    detail: &str,
    timed_out: bool,
    hint: Option<&'static str>,
) -> AuthError {
    let origin = env::url(url, None).map(|(_, o)| o).unwrap_or_default();
    let reason = if timed_out {
        [
            purpose.what(),
            " (",
            &origin,
            ") did not answer in time (timeoutMs)",
        ]
        .cat()
    } else {
        let mut r = [
            "could not reach ",
            purpose.what(),
            " (",
            &origin,
            "): ",
            detail,
        ]
        .cat();
        if let Some(hint) = hint.filter(|_| matches!(purpose, Purpose::Token | Purpose::Revocation))
        {
            r.push_str(hint);
        }
        r
    };
    AuthError::Network { reason }
}
