//! DPoP proofs (RFC 9449 §4): one proof JWT checked against the request it came with, and the
//! RFC 7638 thumbprint of its key. Pure: the time, the expected method and URL and the access
//! token are arguments; the replay cache and the server nonce live in [`crate::sender`].

use base64::Engine as _;
use p256::EncodedPoint;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::util::b64url;

/// How far a proof's `iat` may be from the server's clock, in seconds (either way).
pub const IAT_WINDOW: i64 = 300;

/// What a proof must match: the request as the client addressed it.
pub struct Expected<'a> {
    /// The request method (`htm`).
    pub method: &'a str,
    /// `{public_url}{path}` (`htu`, compared after normalisation, RFC 9449 §4.3).
    pub url: &'a str,
    /// Now, in seconds since the epoch.
    pub now: i64,
    /// On resource requests: the access token the proof must hash into `ath`.
    pub access_token: Option<&'a str>,
}

/// A proof that passed [`check`] (its `jti` not yet checked for replay, its `nonce` not yet
/// compared with the server's).
#[derive(Debug, Clone)]
pub struct Proof {
    /// RFC 7638 thumbprint of the proof's public key.
    pub jkt: String,
    /// The proof's unique id.
    pub jti: String,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// The server nonce the proof carries, if any.
    pub nonce: Option<String>,
}

fn decode(part: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "DPoP proof is not base64url".to_owned())
}

fn object(part: &str, what: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(&decode(part)?) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(format!("DPoP proof {what} is not a JSON object")),
    }
}

fn text<'a>(m: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    m.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("DPoP proof has no {name}"))
}

/// The RFC 7638 thumbprint of an EC P-256 public key: base64url(SHA-256) of the members `crv`,
/// `kty`, `x`, `y` in that order, without whitespace.
pub fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    b64url(&Sha256::digest(canonical.as_bytes()))
}

/// The proof's public key from its `jwk` header: an EC P-256 public key, never a private one.
fn public_key(header: &Map<String, Value>) -> Result<(VerifyingKey, String), String> {
    let Some(Value::Object(jwk)) = header.get("jwk") else {
        return Err("DPoP proof header has no jwk".into());
    };
    if jwk.contains_key("d") {
        return Err("DPoP proof jwk contains a private key".into());
    }
    if jwk.get("kty").and_then(Value::as_str) != Some("EC")
        || jwk.get("crv").and_then(Value::as_str) != Some("P-256")
    {
        return Err("DPoP proof jwk is not an EC P-256 key".into());
    }
    let (x, y) = (text(jwk, "x")?, text(jwk, "y")?);
    let (xb, yb) = (decode(x)?, decode(y)?);
    if xb.len() != 32 || yb.len() != 32 {
        return Err("DPoP proof jwk coordinates are not 32 bytes".into());
    }
    let point =
        EncodedPoint::from_affine_coordinates(xb.as_slice().into(), yb.as_slice().into(), false);
    let key = VerifyingKey::from_encoded_point(&point)
        .map_err(|_| "DPoP proof jwk is not a point on P-256".to_owned())?;
    Ok((key, thumbprint(x, y)))
}

/// `url` without query and fragment, scheme and host in lower case, without a default port,
/// an empty path as `/` (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2–6.2.3). `None`: not absolute.
pub fn normalize_url(url: &str) -> Option<String> {
    let url = url.split(['#', '?']).next().unwrap_or("");
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let mut host = authority.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => "",
    };
    if !default.is_empty() && host.ends_with(default) {
        host.truncate(host.len() - default.len());
    }
    Some(format!("{scheme}://{host}{path}"))
}

/// Checks one proof (RFC 9449 §4.3 steps 2–11, less the replay and nonce checks): a compact
/// JWS with `typ` `dpop+jwt`, `alg` ES256 (nothing else, so never `none` or HS*), a public EC
/// P-256 `jwk`, a valid signature (raw `r||s`), `htm` and `htu` matching the request, `iat`
/// within [`IAT_WINDOW`], a `jti`, and on resource requests `ath` = base64url(SHA-256(token)).
/// `Err` says why, for the `error_description`.
pub fn check(proof: &str, expected: &Expected) -> Result<Proof, String> {
    let mut parts = proof.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("DPoP proof is not a compact JWS".into());
    };
    let header = object(h, "header")?;
    if header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err("DPoP proof typ is not dpop+jwt".into());
    }
    match header.get("alg").and_then(Value::as_str) {
        Some("ES256") => {}
        Some(other) => return Err(format!("DPoP proof alg {other} is not supported (ES256)")),
        None => return Err("DPoP proof has no alg".into()),
    }
    if header.contains_key("crit") {
        return Err("DPoP proof has critical header parameters".into());
    }
    let (key, jkt) = public_key(&header)?;
    let signature = Signature::from_slice(&decode(s)?)
        .map_err(|_| "DPoP proof signature is not a 64-byte ES256 signature".to_owned())?;
    key.verify(format!("{h}.{c}").as_bytes(), &signature)
        .map_err(|_| "DPoP proof signature does not verify".to_owned())?;
    let claims = object(c, "payload")?;
    let jti = text(&claims, "jti")?;
    if jti.is_empty() {
        return Err("DPoP proof has an empty jti".into());
    }
    if text(&claims, "htm")? != expected.method {
        return Err("DPoP proof htm does not match the request method".into());
    }
    let htu = normalize_url(text(&claims, "htu")?);
    if htu.is_none() || htu != normalize_url(expected.url) {
        return Err("DPoP proof htu does not match the request URL".into());
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_f64)
        .ok_or("DPoP proof has no numeric iat")? as i64;
    if (iat - expected.now).abs() > IAT_WINDOW {
        return Err("DPoP proof iat is too far from the server's time".into());
    }
    if let Some(token) = expected.access_token {
        match claims.get("ath").and_then(Value::as_str) {
            None => return Err("DPoP proof has no ath".into()),
            Some(ath) if ath != b64url(&Sha256::digest(token.as_bytes())) => {
                return Err("DPoP proof ath does not match the access token".into());
            }
            Some(_) => {}
        }
    }
    let nonce = match claims.get("nonce") {
        None => None,
        Some(Value::String(n)) => Some(n.clone()),
        Some(_) => return Err("DPoP proof nonce is not a string".into()),
    };
    Ok(Proof {
        jkt,
        jti: jti.to_owned(),
        iat,
        nonce,
    })
}

/// The `nonce` claim of a proof, unverified (for deciding whether to announce a new nonce on a
/// response whose handler already verified the proof).
pub fn nonce_claim(proof: &str) -> Option<String> {
    let claims = object(proof.split('.').nth(1)?, "payload").ok()?;
    claims.get("nonce")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_of_the_rfc_9449_example_key() {
        // RFC 9449 §4.1 Figure 3's key; §6.1 gives its thumbprint as the `jkt`.
        assert_eq!(
            thumbprint(
                "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
                "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"
            ),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    #[test]
    fn urls_are_normalised_before_comparison() {
        let n = |u| normalize_url(u);
        assert_eq!(
            n("HTTPS://Server.Example.COM:443/token?x=1#f").as_deref(),
            Some("https://server.example.com/token")
        );
        assert_eq!(
            n("http://127.0.0.1:80").as_deref(),
            Some("http://127.0.0.1/")
        );
        assert_eq!(
            n("http://127.0.0.1:8787/a").as_deref(),
            Some("http://127.0.0.1:8787/a")
        );
        assert_ne!(n("http://h/A"), n("http://h/a"), "paths keep their case");
        assert_eq!(n("/token"), None);
        assert_eq!(n("http://user@h/"), None);
    }

    #[test]
    fn malformed_proofs_are_refused_with_a_reason() {
        let e = Expected {
            method: "POST",
            url: "http://h/token",
            now: 0,
            access_token: None,
        };
        assert!(check("a.b", &e).unwrap_err().contains("compact JWS"));
        let header = b64url(br#"{"typ":"dpop+jwt","alg":"none"}"#);
        let err = check(&format!("{header}.e30."), &e).unwrap_err();
        assert!(err.contains("alg none"), "{err}");
        let header = b64url(br#"{"typ":"JWT","alg":"ES256"}"#);
        let err = check(&format!("{header}.e30.x"), &e).unwrap_err();
        assert!(err.contains("typ"), "{err}");
    }
}
