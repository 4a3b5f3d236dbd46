//! id_token claim checks (OpenID Connect Core 1.0 §3.1.3.7). The token comes straight from the
//! token endpoint over TLS, so the signature check is skipped as §3.1.3.7 item 6 allows; the
//! claims are still checked: iss, aud (no untrusted extra audience), azp, exp, iat, nonce — as
//! amended by errata set 2. On refresh (§12.2) the new id_token must name the same
//! [`IdTokenIdentity`] as the first one.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::base64url;

use crate::core::callback::same_issuer;
use crate::core::error::AuthError;
use crate::core::json::{Json, WrongType};
use crate::core::state::Nonce;
use crate::core::time::Millis;

/// Clock skew tolerated on `exp` and `iat`: 5 minutes.
pub const CLOCK_SKEW_MS: Millis = Millis(5.0 * 60.0 * 1000.0);

/// What an id_token must satisfy.
pub struct IdTokenCheck<'a> {
    /// Expected issuer.
    pub issuer: Option<&'a str>,
    /// Issuers accepted besides `issuer` (the profile's `extra_issuers`: Salesforce's
    /// `https://login.salesforce.com` and `https://test.salesforce.com`).
    pub extra_issuers: &'a [&'a str],
    /// Must be in `aud`, and equal `azp` when there is one.
    pub client_id: &'a str,
    /// Audiences `aud` may list besides `client_id` (option `trustedAudiences`).
    pub trusted_audiences: &'a [String],
    /// The login's nonce (code exchange), `None` on refresh.
    pub nonce: Option<&'a Nonce>,
    /// Now, ms since the epoch.
    pub now_ms: Millis,
}

/// An id_token's payload whose claims passed the checks, and the identity they name: what
/// [`check_id_token`] returns (the token response reads the payload itself).
#[cfg(any(test, feature = "internals"))]
#[derive(Debug)]
pub struct IdTokenClaims {
    /// The payload, a JSON object.
    pub payload: Json,
    /// What identifies the session.
    pub identity: IdTokenIdentity,
}

/// The claims salesforce-pkce checks, borrowed from the payload.
struct Claims<'a> {
    iss: Option<&'a str>,
    /// `aud`'s strings (each a [`Json::String`]), as the payload lists them: sorted into the
    /// identity only once every check passed (no `Vec` to drop on a refusal).
    aud: &'a [Json],
    exp: Option<f64>,
    iat: Option<f64>,
    nonce: Option<&'a str>,
    sub: Option<&'a str>,
    azp: Option<&'a str>,
    auth_time: Option<f64>,
}

impl<'a> Claims<'a> {
    /// Reads the claims of a JSON object; a claim of the wrong type refuses the payload.
    fn read(v: &'a Json) -> Result<Self, WrongType> {
        if !v.is_object() {
            return Err(WrongType);
        }
        Ok(Claims {
            iss: v.str_ref("iss")?,
            aud: v.str_items("aud")?.unwrap_or_default(),
            exp: v.num_field("exp")?,
            iat: v.num_field("iat")?,
            nonce: v.str_ref("nonce")?,
            sub: v.str_ref("sub")?,
            azp: v.str_ref("azp")?,
            auth_time: v.num_field("auth_time")?,
        })
    }
}

/// The audiences, sorted, without repeats: the smallest one above the last taken, taken in turn
/// (lists are short; no insertion, and the wasm keeps no sort routine for it).
fn audiences(items: &[Json]) -> Vec<String> {
    let mut aud: Vec<String> = Vec::new();
    let mut last: Option<&String> = None;
    loop {
        let mut next: Option<&String> = None;
        for item in items {
            if let Json::String(a) = item
                && last.is_none_or(|l| l < a)
                && next.is_none_or(|n| a < n)
            {
                next = Some(a);
            }
        }
        let Some(a) = next else {
            return aud;
        };
        aud.push(a.clone());
        last = next;
    }
}

impl Claims<'_> {
    /// What identifies the session: kept from the first id_token, compared on refresh.
    fn into_identity(self) -> IdTokenIdentity {
        IdTokenIdentity {
            iss: self.iss.unwrap_or_default().to_owned(),
            sub: self.sub.map(str::to_owned),
            aud: audiences(self.aud),
            azp: self.azp.map(str::to_owned),
            // Whole seconds: the form tabs exchange it in (`wire`).
            auth_time: self.auth_time.map(|t| t as i64 as f64),
        }
    }
}

#[cfg(test)]
impl IdTokenClaims {
    fn from_json(v: Json) -> Result<Self, WrongType> {
        let identity = Claims::read(&v)?.into_identity();
        Ok(IdTokenClaims {
            payload: v,
            identity,
        })
    }

    /// What identifies the session.
    pub fn identity(&self) -> IdTokenIdentity {
        self.identity.clone()
    }
}

/// The claims of the first id_token that a refreshed one must repeat (OpenID Connect Core 1.0
/// §12.2): kept in the token set instead of re-reading the raw token.
#[derive(Debug, Clone, PartialEq)]
pub struct IdTokenIdentity {
    /// `iss`.
    pub iss: String,
    /// `sub`.
    pub sub: Option<String>,
    /// `aud`, sorted, without duplicates.
    pub aud: Vec<String>,
    /// `azp`, if present.
    pub azp: Option<String>,
    /// `auth_time`, if present (seconds since the epoch).
    pub auth_time: Option<f64>,
}

impl IdTokenIdentity {
    /// The first claim in which a refreshed id_token's identity differs from the first one's
    /// (`None`: the same session). `iss`, `sub` and `aud` must be equal; `azp` and
    /// `auth_time` must be equal when the new token carries them (§12.2: `auth_time` is the
    /// time of the original authentication, not of the refresh).
    pub fn differs_from(&self, first: &IdTokenIdentity) -> Option<&'static str> {
        if self.iss != first.iss {
            Some("iss")
        } else if self.sub != first.sub {
            Some("sub")
        } else if self.aud != first.aud {
            Some("aud")
        } else if self.azp.is_some() && self.azp != first.azp {
            Some("azp")
        } else if self.auth_time.is_some() && self.auth_time != first.auth_time {
            Some("auth_time")
        } else {
            None
        }
    }
}

/// Decodes the JWT payload and checks its claims; returns them. (The token response path
/// calls [`id_token_payload`] and [`check_claims`] itself, with the decoder it was given:
/// this is for tests, fuzz targets and the property tests.)
#[cfg(any(test, feature = "internals"))]
pub fn check_id_token(
    jwt: &str,
    check: &IdTokenCheck<'_>,
    json: &impl crate::core::http::JsonDecoder,
) -> Result<IdTokenClaims, AuthError> {
    let payload = json.parse(&id_token_payload(jwt)?);
    let identity = check_claims(payload.as_ref(), check)?;
    Ok(IdTokenClaims {
        payload: payload.unwrap_or(Json::Null),
        identity,
    })
}

/// An `invalid_token_response` about the id_token.
#[inline(never)]
fn bad(why: &str) -> AuthError {
    AuthError::token_response(["id_token ", why].cat())
}

/// The text of a JWT's payload (the JSON of its claims, unchecked).
pub(crate) fn id_token_payload(jwt: &str) -> Result<String, AuthError> {
    // Three parts: exactly two dots.
    let parts = match jwt.cut(b'.') {
        Some((_, rest)) => rest.cut(b'.'),
        None => None,
    };
    let payload = match parts {
        Some((p, signature)) if !signature.has(b'.') => p,
        _ => {
            return Err(bad(explained!(
                "is not a JWT",
                " (header.payload.signature)"
            )));
        }
    };
    let Some(bytes) = base64url::decode(payload.trim_end_byte(b'=')) else {
        return Err(bad("payload is not base64url"));
    };
    match crate::core::text::utf8(&bytes) {
        Some(text) => Ok(text),
        None => Err(bad("payload is not UTF-8")),
    }
}

/// Checks the claims of a parsed payload (`None`: it was not JSON); returns the identity they
/// name.
pub(crate) fn check_claims(
    payload: Option<&Json>,
    check: &IdTokenCheck<'_>,
) -> Result<IdTokenIdentity, AuthError> {
    match claims_fault(payload, check) {
        Ok(identity) => Ok(identity),
        Err(why) => Err(bad(why)),
    }
}

/// [`check_claims`], the refusal as its reason.
fn claims_fault(
    payload: Option<&Json>,
    check: &IdTokenCheck<'_>,
) -> Result<IdTokenIdentity, &'static str> {
    let Some(Ok(claims)) = payload.map(Claims::read) else {
        return Err(brief!(
            "payload is no claims object",
            "payload is not a JSON object of claims"
        ));
    };
    let Some(iss) = claims.iss else {
        return Err("has no iss");
    };
    if let Some(expected) = check.issuer {
        if !same_issuer(iss, expected) && !check.extra_issuers.iter().any(|i| same_issuer(iss, i)) {
            return Err("iss is not the expected issuer");
        }
    }
    // Errata set 2, §3.1.3.7 item 3: refuse "additional audiences not trusted by the Client".
    let (mut ours, mut untrusted) = (false, false);
    for a in claims.aud {
        let Json::String(a) = a else { continue };
        match a == check.client_id {
            true => ours = true,
            false => untrusted |= !crate::core::bytes::listed(check.trusted_audiences, a),
        }
    }
    if !ours {
        return Err(brief!(
            "aud lacks this client_id",
            "aud does not contain this client_id"
        ));
    }
    if untrusted {
        return Err(brief!(
            "aud has an audience not in trustedAudiences",
            "aud lists an audience other than this client_id that is not in trustedAudiences"
        ));
    }
    if claims.azp.is_some_and(|azp| azp != check.client_id) {
        return Err("azp is not this client_id");
    }
    let Some(exp) = claims.exp else {
        return Err("has no exp");
    };
    if Millis::secs(exp) + CLOCK_SKEW_MS < check.now_ms {
        return Err("has expired");
    }
    let Some(iat) = claims.iat else {
        return Err("has no iat");
    };
    if Millis::secs(iat) > check.now_ms + CLOCK_SKEW_MS {
        return Err("was issued in the future");
    }
    if let Some(expected) = check.nonce
        && claims.nonce != Some(expected.as_str())
    {
        return Err(brief!(
            "nonce mismatch",
            "nonce does not match the login's nonce"
        ));
    }
    Ok(claims.into_identity())
}

#[cfg(test)]
#[path = "id_token_golden_tests.rs"]
mod golden_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;
    use crate::core::testing::jwt;

    fn check<'a>(nonce: Option<&'a Nonce>) -> IdTokenCheck<'a> {
        IdTokenCheck {
            issuer: Some("https://acme.my.salesforce.com"),
            extra_issuers: &[
                "https://login.salesforce.com",
                "https://test.salesforce.com",
            ],
            client_id: "cid",
            trusted_audiences: &[],
            nonce,
            now_ms: Millis(1_000_000_000.0),
        }
    }

    #[test]
    fn identity_audiences_are_a_sorted_set() {
        let of = |aud: &[&str]| {
            let aud = aud.iter().map(|a| Json::String(a.to_string())).collect();
            IdTokenClaims::from_json(Json::Object(vec![("aud".into(), Json::Array(aud))]))
                .unwrap()
                .identity()
                .aud
        };
        assert_eq!(of(&["b", "a", "b", "c", "a"]), ["a", "b", "c"]);
        assert_eq!(of(&["c", "b", "a"]), of(&["a", "c", "b"]));
        assert_eq!(of(&[]), Vec::<String>::new());
    }

    /// `audiences` answers as `sort` and `dedup` would, for every list of up to four
    /// audiences over a few that share prefixes (the empty one too), strings only or not.
    #[test]
    fn audiences_are_sort_and_dedup() {
        let words = ["", "a", "ab", "b", "B", "é"];
        let mut lists: Vec<Vec<&str>> = vec![vec![]];
        for _ in 0..4 {
            let longer: Vec<Vec<&str>> = lists
                .iter()
                .filter(|l| l.len() == lists.last().map_or(0, Vec::len))
                .flat_map(|l| words.iter().map(move |w| [l.as_slice(), &[*w]].concat()))
                .collect();
            lists.extend(longer);
        }
        assert_eq!(lists.len(), 1 + 6 + 36 + 216 + 1296);
        for list in &lists {
            let mut items: Vec<Json> = list.iter().map(|a| Json::String(a.to_string())).collect();
            let mut expected: Vec<String> = list.iter().map(|a| a.to_string()).collect();
            expected.sort();
            expected.dedup();
            assert_eq!(audiences(&items), expected, "{list:?}");
            // Items that are no string are passed over.
            items.insert(items.len() / 2, Json::Number(1.0));
            assert_eq!(audiences(&items), expected, "{list:?}");
        }
    }

    #[test]
    fn accepts_valid_claims_and_hands_back_the_payload() {
        let n = Nonce::new("n1");
        let t = jwt(
            r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"nonce":"n1","sub":"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA"}"#,
        );
        let c = check_id_token(&t, &check(Some(&n)), &SerdeJson).unwrap();
        assert_eq!(
            c.payload.str_field("sub"),
            Ok(Some(
                "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA".into()
            ))
        );
        let t = jwt(
            r#"{"iss":"https://login.salesforce.com","aud":["cid"],"azp":"cid","exp":1000100,"iat":999999}"#,
        );
        assert!(check_id_token(&t, &check(None), &SerdeJson).is_ok());
    }

    #[test]
    fn extra_audiences_need_trusted_audiences_and_azp_must_be_this_client() {
        let t = jwt(
            r#"{"iss":"https://login.salesforce.com","aud":["x","cid"],"exp":1000100,"iat":999999}"#,
        );
        let e = check_id_token(&t, &check(None), &SerdeJson).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response");
        assert!(e.to_string().contains("trustedAudiences"), "{e}");
        let trusted = ["x".to_owned()];
        let with_x = IdTokenCheck {
            trusted_audiences: &trusted,
            ..check(None)
        };
        assert!(check_id_token(&t, &with_x, &SerdeJson).is_ok());
        let t = jwt(
            r#"{"iss":"https://login.salesforce.com","aud":["x","cid","y"],"exp":1000100,"iat":999999}"#,
        );
        assert!(
            check_id_token(&t, &with_x, &SerdeJson).is_err(),
            "y is not trusted"
        );
        let t = jwt(
            r#"{"iss":"https://login.salesforce.com","aud":"cid","azp":"other","exp":1000100,"iat":999999}"#,
        );
        let e = check_id_token(&t, &check(None), &SerdeJson).unwrap_err();
        assert!(e.to_string().contains("azp"), "{e}");
    }

    #[test]
    fn refreshed_identity_must_repeat_the_first() {
        let identity = |claims: &str| {
            check_id_token(&jwt(claims), &check(None), &SerdeJson)
                .unwrap()
                .identity()
        };
        let claims = |extra: &str| {
            identity(&format!(
                r#"{{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"sub":"u1","auth_time":999000{extra}}}"#
            ))
        };
        let first = claims("");
        assert_eq!(claims("").differs_from(&first), None);
        assert_eq!(claims(r#","azp":"cid""#).differs_from(&first), Some("azp"));
        let other = identity(
            r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"sub":"u2","auth_time":999000}"#,
        );
        assert_eq!(other.differs_from(&first), Some("sub"));
        let later = identity(
            r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"sub":"u1","auth_time":999500}"#,
        );
        assert_eq!(later.differs_from(&first), Some("auth_time"));
        let moved = identity(
            r#"{"iss":"https://login.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"sub":"u1"}"#,
        );
        assert_eq!(moved.differs_from(&first), Some("iss"));
    }

    #[test]
    fn rejects_each_failing_claim() {
        let n = Nonce::new("n1");
        let cases = [
            "not-a-jwt".to_owned(),
            "a.!!!.c".to_owned(),
            jwt("[1,2]"),
            jwt(r#"{"aud":"cid","exp":1000100,"iat":999999,"nonce":"n1"}"#),
            jwt(
                r#"{"iss":"https://evil.example","aud":"cid","exp":1000100,"iat":999999,"nonce":"n1"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"other","exp":1000100,"iat":999999,"nonce":"n1"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":990000,"iat":980000,"nonce":"n1"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","iat":999999,"nonce":"n1"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":1001000,"nonce":"n1"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999,"nonce":"n2"}"#,
            ),
            jwt(
                r#"{"iss":"https://acme.my.salesforce.com","aud":"cid","exp":1000100,"iat":999999}"#,
            ),
        ];
        for t in cases {
            let e = check_id_token(&t, &check(Some(&n)), &SerdeJson).unwrap_err();
            assert_eq!(e.code(), "invalid_token_response", "{t}");
            assert!(
                e.to_string()
                    .starts_with("invalid token response: id_token")
            );
        }
    }
}
