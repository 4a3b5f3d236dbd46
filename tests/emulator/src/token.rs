//! `POST /services/oauth2/token`: authorization_code (+PKCE) and refresh_token grants, with
//! Salesforce's response fields (no `expires_in`) and error bodies.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::state::{AccessInfo, RefreshInfo, Shared};
use crate::util::{Params, b64url, now_ms, oauth_error, parse_form, random_token};

const BAD: StatusCode = StatusCode::BAD_REQUEST;

/// `POST /services/oauth2/token`
pub async fn token(
    State(app): State<Shared>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        return oauth_error(BAD, "invalid_request", "must use HTTP POST");
    }
    let params = match parse_form(&body) {
        Ok(p) => Params(p),
        Err(why) => return oauth_error(BAD, "invalid_request", why),
    };
    for name in [
        "grant_type",
        "code",
        "client_id",
        "client_secret",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
    ] {
        if let Err(e) = params.one(name) {
            return oauth_error(BAD, "invalid_request", &e);
        }
    }
    let grant = params.get("grant_type").to_owned();
    let mut response = match grant.as_str() {
        "" => oauth_error(BAD, "invalid_request", "grant type is missing"),
        "authorization_code" | "refresh_token" => match client(&app, &headers, &params) {
            Err(r) => r,
            Ok(client_id) if grant == "authorization_code" => {
                authorization_code(&app, &params, &client_id)
            }
            Ok(client_id) => refresh(&app, &params, &client_id),
        },
        _ => oauth_error(BAD, "unsupported_grant_type", "grant type not supported"),
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache,must-revalidate,max-age=0,no-store,private"),
    );
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// Client id from the body or HTTP Basic; a secret, if sent, must be right.
fn client(app: &Shared, headers: &HeaderMap, params: &Params) -> Result<String, Response> {
    let (mut id, mut secret) = (
        params.get("client_id").to_owned(),
        params
            .one("client_secret")
            .ok()
            .flatten()
            .map(str::to_owned),
    );
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let Some((i, s)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
            return Err(oauth_error(
                BAD,
                "invalid_client",
                "invalid client credentials",
            ));
        };
        id = i.to_owned();
        secret = Some(s.to_owned());
    }
    if id.is_empty() || id != app.config.client_id {
        return Err(oauth_error(
            BAD,
            "invalid_client_id",
            "client identifier invalid",
        ));
    }
    if secret.is_some_and(|s| s != app.config.client_secret) {
        return Err(oauth_error(
            BAD,
            "invalid_client",
            "invalid client credentials",
        ));
    }
    Ok(id)
}

/// 43–200 characters (Salesforce's own SDK sends ~171) from RFC 7636's alphabet minus `~`:
/// Salesforce answers "invalid code verifier" to a `~`, although RFC 7636 §4.1 allows it (§11c).
fn valid_verifier(v: &str) -> bool {
    (43..=200).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

fn authorization_code(app: &Shared, params: &Params, client_id: &str) -> Response {
    let code = params.get("code");
    let grant = {
        let mut s = app.lock();
        match s.codes.get_mut(code) {
            None => return oauth_error(BAD, "invalid_grant", "invalid authorization code"),
            Some(g) if g.used => {
                return oauth_error(BAD, "invalid_grant", "invalid authorization code");
            }
            Some(g) => {
                g.used = true;
                g.clone()
            }
        }
    };
    if grant.issued.elapsed() > app.config.code_ttl {
        return oauth_error(BAD, "invalid_grant", "expired authorization code");
    }
    if grant.request.client_id != client_id {
        return oauth_error(BAD, "invalid_grant", "invalid authorization code");
    }
    if params.get("redirect_uri") != grant.request.redirect_uri {
        return oauth_error(
            BAD,
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        );
    }
    if let Some(challenge) = &grant.request.code_challenge {
        let verifier = params.get("code_verifier");
        if !valid_verifier(verifier) || b64url(&Sha256::digest(verifier.as_bytes())) != *challenge {
            return oauth_error(BAD, "invalid_grant", "invalid code verifier");
        }
    }
    let scopes = grant.request.scopes.clone();
    let wants_refresh = scopes
        .iter()
        .any(|s| s == "refresh_token" || s == "offline_access");
    let mut s = app.lock();
    let family = wants_refresh.then(|| {
        s.make_room_for_grant(grant.user, client_id, app.config.max_refresh_grants);
        s.next_family += 1;
        s.next_family
    });
    let access = new_access(app, &mut s.access, grant.user, &scopes, family, client_id);
    let refresh = family.map(|f| {
        let t = format!("5Aep861{}", random_token(80));
        s.refresh.insert(
            t.clone(),
            RefreshInfo {
                user: grant.user,
                scopes: scopes.clone(),
                family: f,
                client_id: client_id.to_owned(),
                active: true,
                rotated: false,
            },
        );
        t
    });
    drop(s);
    success(
        app,
        grant.user,
        &scopes,
        access,
        refresh,
        grant.request.nonce.as_deref(),
        client_id,
    )
}

fn refresh(app: &Shared, params: &Params, client_id: &str) -> Response {
    let presented = params.get("refresh_token");
    let expired = || oauth_error(BAD, "invalid_grant", "expired access/refresh token");
    let mut s = app.lock();
    let Some(info) = s.refresh.get(presented).cloned() else {
        return expired();
    };
    if info.rotated {
        // Reuse of a rotated-out token: revoke the whole family (Salesforce rotation).
        s.revoke_family(info.family);
        return expired();
    }
    if !info.active || info.client_id != client_id {
        return expired();
    }
    let access = new_access(
        app,
        &mut s.access,
        info.user,
        &info.scopes,
        Some(info.family),
        client_id,
    );
    let rotated = app.config.rotate_refresh_tokens.then(|| {
        let t = format!("5Aep861{}", random_token(80));
        if let Some(old) = s.refresh.get_mut(presented) {
            old.active = false;
            old.rotated = true;
        }
        s.refresh.insert(
            t.clone(),
            RefreshInfo {
                active: true,
                rotated: false,
                ..info.clone()
            },
        );
        t
    });
    drop(s);
    success(
        app,
        info.user,
        &info.scopes,
        access,
        rotated,
        None,
        client_id,
    )
}

fn new_access(
    app: &Shared,
    map: &mut std::collections::HashMap<String, AccessInfo>,
    user: usize,
    scopes: &[String],
    family: Option<u64>,
    client_id: &str,
) -> String {
    let token = if app.config.jwt_access_tokens {
        jwt_access_token(app, user, scopes, client_id)
    } else {
        format!("{}!AR8AQ{}", &app.config.org_id[..15], random_token(100))
    };
    map.insert(
        token.clone(),
        AccessInfo {
            user,
            scopes: scopes.to_vec(),
            family,
            expires: Instant::now() + app.config.access_token_ttl,
            revoked: false,
        },
    );
    token
}

fn success(
    app: &Shared,
    user: usize,
    scopes: &[String],
    access: String,
    refresh: Option<String>,
    nonce: Option<&str>,
    client_id: &str,
) -> Response {
    let config = &app.config;
    let u = app.user(user);
    let id = config.identity_url(u);
    let issued_at = now_ms().to_string();
    let mac = secret_mac(app, &format!("{id}{issued_at}"));
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut body = json!({
        "access_token": access,
        "signature": signature,
        "scope": scopes.join(" "),
        "instance_url": config.public_url,
        "id": id,
        "token_type": "Bearer",
        "issued_at": issued_at,
    });
    if let Some(r) = refresh {
        body["refresh_token"] = Value::String(r);
    }
    if config.jwt_access_tokens {
        body["token_format"] = json!("jwt");
        if scopes.iter().any(|s| s == "sfap_api") {
            let api = config.api_instance_url.as_deref();
            body["api_instance_url"] = json!(api.unwrap_or(&config.public_url));
        }
    }
    if scopes.iter().any(|s| s == "openid") {
        body["id_token"] = Value::String(id_token(app, user, nonce, client_id));
    }
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// An id_token (HS256 with the app's secret; clients may skip the signature, OIDC Core 3.1.3.7).
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
    signed_jwt(
        app,
        r#"{"alg":"HS256","typ":"JWT","kid":"emulator"}"#,
        &claims,
    )
}

/// A JWT-based access token (§11c: Salesforce's are RS256 JWTs with `tty: sfdc-core-token` in
/// the header). Signed HS256 with the app's secret like the id_token, with RFC 9068 claims
/// (the facts file names no others); clients must treat it as opaque.
fn jwt_access_token(app: &Shared, user: usize, scopes: &[String], client_id: &str) -> String {
    let config = &app.config;
    let now = (now_ms() / 1000) as u64;
    let claims = json!({
        "iss": config.public_url, "sub": app.user(user).id, "aud": config.public_url,
        "client_id": client_id, "scope": scopes.join(" "), "iat": now,
        "exp": now + config.access_token_ttl.as_secs(), "jti": random_token(24),
    });
    let header = r#"{"alg":"HS256","typ":"JWT","kid":"emulator","tty":"sfdc-core-token"}"#;
    signed_jwt(app, header, &claims)
}

/// HMAC-SHA256 keyed with the app's secret over `message` (token signatures, JWTs).
fn secret_mac(app: &Shared, message: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app.config.client_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac
}

/// `header.payload.signature`, HS256 keyed with the app's secret.
fn signed_jwt(app: &Shared, header: &str, claims: &Value) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let signature = b64url(&secret_mac(app, &signing_input).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Whether `token` is an id_token this emulator issued to `client_id`: its HS256 signature
/// (constant-time check), an id_token header (not a JWT access token's), `iss` = the public
/// URL and `aud` = `client_id`. `exp` is not checked: an end-session request may carry an
/// expired id_token as its hint (OpenID Connect RP-Initiated Logout 1.0 §2).
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
    let signed = decode(signature).is_some_and(|sig| {
        secret_mac(app, &format!("{header}.{payload}"))
            .verify_slice(&sig)
            .is_ok()
    });
    let (Some(header), Some(claims)) = (json(header), json(payload)) else {
        return false;
    };
    signed
        && header["alg"] == "HS256"
        && header.get("tty").is_none()
        && claims["iss"] == app.config.public_url.as_str()
        && claims["aud"] == client_id
}
