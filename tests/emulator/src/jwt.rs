//! The JWTs the emulator signs: id_tokens (RS256 with the key at `/id/keys`, as Salesforce; or
//! HS256 with the app's secret, `--id-token-alg hs256`) and JWT-based access tokens (HS256 with
//! the app's secret; clients treat them as opaque), and the HMAC behind the token `signature`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::config::IdTokenAlg;
use crate::jwks;
use crate::state::Shared;
use crate::util::{b64url, now_ms, random_token};

/// An id_token for `user` (OpenID Connect Core 1.0 §2), signed as `--id-token-alg` says.
pub fn id_token(app: &Shared, user: usize, nonce: Option<&str>, client_id: &str) -> String {
    let config = &app.config;
    let u = app.user(user);
    let now = (now_ms() / 1000) as u64;
    let mut claims = json!({
        "iss": config.public_url, "sub": config.identity_url(u), "aud": client_id, "exp": now + 300, "iat": now,
        "name": u.name, "preferred_username": u.username, "email": u.email, "user_id": u.id, "organization_id": config.org_id,
    });
    if let Some(n) = nonce {
        claims["nonce"] = Value::String(n.to_owned());
    }
    match config.id_token_alg {
        IdTokenAlg::Rs256 => {
            let header = json!({ "alg": "RS256", "typ": "JWT", "kid": jwks::KID }).to_string();
            signed(&header, &claims, |input| jwks::key().sign(input))
        }
        IdTokenAlg::Hs256 => hs256(
            app,
            r#"{"alg":"HS256","typ":"JWT","kid":"emulator"}"#,
            &claims,
        ),
    }
}

/// A JWT-based access token (docs/SALESFORCE.md §4: Salesforce's are RS256 JWTs with `tty: sfdc-core-token` in
/// the header). Signed HS256 with the app's secret, with RFC 9068 claims (the facts file names
/// no others) and, when DPoP-bound, `cnf.jkt`; clients must treat it as opaque.
pub fn jwt_access_token(app: &Shared, user: usize, scopes: &[String], jkt: Option<&str>) -> String {
    let config = &app.config;
    let client_id = &config.client_id;
    let now = (now_ms() / 1000) as u64;
    let mut claims = json!({
        "iss": config.public_url, "sub": app.user(user).id, "aud": config.public_url,
        "client_id": client_id, "scope": scopes.join(" "), "iat": now,
        "exp": now + config.access_token_ttl.as_secs(), "jti": random_token(24),
    });
    if let Some(jkt) = jkt {
        claims["cnf"] = json!({ "jkt": jkt }); // RFC 9449 §6.1
    }
    let header = r#"{"alg":"HS256","typ":"JWT","kid":"emulator","tty":"sfdc-core-token"}"#;
    hs256(app, header, &claims)
}

/// HMAC-SHA256 keyed with the app's secret over `message` (token signatures, HS256 JWTs).
pub fn secret_mac(app: &Shared, message: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app.config.client_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(message);
    mac
}

/// `header.payload.signature` with `sign` over the signing input.
fn signed(header: &str, claims: &Value, sign: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let signature = b64url(&sign(signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// HS256 keyed with the app's secret.
fn hs256(app: &Shared, header: &str, claims: &Value) -> String {
    signed(header, claims, |input| {
        secret_mac(app, input).finalize().into_bytes().to_vec()
    })
}

/// Whether `token` is an id_token this emulator issued to `client_id`: its signature as
/// `--id-token-alg` signs them (RS256 with the published key, or HS256 with the app's secret in
/// constant time; the header's `alg` must say the same, and a JWT access token's `tty` header
/// is refused), `iss` = the public URL and `aud` = `client_id`. `exp` is not checked: an
/// end-session request may carry an expired id_token as its hint (OpenID Connect RP-Initiated
/// Logout 1.0 §2).
pub fn is_our_id_token(app: &Shared, token: &str, client_id: &str) -> bool {
    let decode = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .ok()
    };
    let json = |part: &str| decode(part).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let input = format!("{header}.{payload}");
    let alg = match app.config.id_token_alg {
        IdTokenAlg::Rs256 => "RS256",
        IdTokenAlg::Hs256 => "HS256",
    };
    let signed = decode(signature).is_some_and(|sig| match app.config.id_token_alg {
        IdTokenAlg::Rs256 => jwks::key().verify(input.as_bytes(), &sig),
        IdTokenAlg::Hs256 => secret_mac(app, input.as_bytes()).verify_slice(&sig).is_ok(),
    });
    let (Some(header), Some(claims)) = (json(header), json(payload)) else {
        return false;
    };
    signed
        && header["alg"] == alg
        && header.get("tty").is_none()
        && claims["iss"] == app.config.public_url.as_str()
        && claims["aud"] == client_id
}
