//! `POST /services/oauth2/token`: authorization_code (+PKCE) and refresh_token grants, with
//! Salesforce's response fields (no `expires_in`) and error bodies.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::Mac;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::Dpop;
use crate::dpop::Proof;
use crate::jwt::{id_token, jwt_access_token, secret_mac};
use crate::sender;
use crate::state::{AccessInfo, RefreshInfo, Shared};
use crate::util::{Params, b64url, now_ms, oauth_error, parse_form, random_token};

/// The `token_type` a token response issued, for the request log (a response extension).
#[derive(Debug, Clone, Copy)]
pub struct IssuedTokenType(pub &'static str);

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
        "authorization_code" | "refresh_token" => {
            match client(&app, &headers, &params).and_then(|c| Ok((c, proof(&app, &headers)?))) {
                Err(r) => r,
                Ok((client_id, proof)) if grant == "authorization_code" => {
                    authorization_code(&app, &params, &client_id, proof.as_ref())
                }
                Ok((client_id, proof)) => refresh(&app, &params, &client_id, proof.as_ref()),
            }
        }
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

/// The request's DPoP proof, checked before the grant (so a nonce retry finds its code still
/// unused): `None` without one (or with `--dpop off`); `--dpop required` refuses that.
fn proof(app: &Shared, headers: &HeaderMap) -> Result<Option<Proof>, Response> {
    let proof = sender::check(app, headers, &Method::POST, "/services/oauth2/token", None)
        .map_err(|r| sender::oauth_refusal(app, r))?;
    if proof.is_none() && app.config.dpop == Dpop::Required {
        let why = "DPoP proof required";
        return Err(oauth_error(BAD, "invalid_dpop_proof", why));
    }
    Ok(proof)
}

/// Whether a binding (`dpop_jkt` of a code, `jkt` of a refresh token) is satisfied: no binding,
/// or a proof with that key (RFC 9449 §5, §10).
fn binding_kept(binding: Option<&str>, proof: Option<&Proof>) -> bool {
    binding.is_none_or(|jkt| proof.is_some_and(|p| p.jkt == jkt))
}

/// Client id from the body or HTTP Basic; a secret, if sent, must be right.
pub(crate) fn client(
    app: &Shared,
    headers: &HeaderMap,
    params: &Params,
) -> Result<String, Response> {
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

fn authorization_code(
    app: &Shared,
    params: &Params,
    client_id: &str,
    proof: Option<&Proof>,
) -> Response {
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
    if !binding_kept(grant.request.dpop_jkt.as_deref(), proof) {
        let why = "DPoP proof key does not match dpop_jkt";
        return oauth_error(BAD, "invalid_grant", why);
    }
    let jkt = proof.map(|p| p.jkt.clone());
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
    let access = new_access(app, &mut s.access, grant.user, &scopes, family, jkt.clone());
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
                jkt: jkt.clone(),
            },
        );
        t
    });
    drop(s);
    let issued = Issued {
        user: grant.user,
        scopes: &scopes,
        access,
        refresh,
        dpop: jkt.is_some(),
    };
    success(app, issued, grant.request.nonce.as_deref(), client_id)
}

fn refresh(app: &Shared, params: &Params, client_id: &str, proof: Option<&Proof>) -> Response {
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
    if !binding_kept(info.jkt.as_deref(), proof) {
        let why = "refresh token is DPoP-bound to another key";
        return oauth_error(BAD, "invalid_grant", why);
    }
    // An unbound refresh token with a proof gives a bound access token; it stays unbound itself.
    let jkt = proof.map(|p| p.jkt.clone());
    let access = new_access(
        app,
        &mut s.access,
        info.user,
        &info.scopes,
        Some(info.family),
        jkt.clone(),
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
    let issued = Issued {
        user: info.user,
        scopes: &info.scopes,
        access,
        refresh: rotated,
        dpop: jkt.is_some(),
    };
    success(app, issued, None, client_id)
}

fn new_access(
    app: &Shared,
    map: &mut std::collections::HashMap<String, AccessInfo>,
    user: usize,
    scopes: &[String],
    family: Option<u64>,
    jkt: Option<String>,
) -> String {
    let token = if app.config.jwt_access_tokens {
        jwt_access_token(app, user, scopes, jkt.as_deref())
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
            issued_s: (now_ms() / 1000) as u64,
            revoked: false,
            jkt,
        },
    );
    token
}

/// What a grant issued.
struct Issued<'a> {
    user: usize,
    scopes: &'a [String],
    access: String,
    refresh: Option<String>,
    /// The tokens are DPoP-bound (`token_type: "DPoP"`).
    dpop: bool,
}

fn success(app: &Shared, issued: Issued, nonce: Option<&str>, client_id: &str) -> Response {
    let Issued {
        user,
        scopes,
        access,
        refresh,
        dpop,
    } = issued;
    let token_type = if dpop { "DPoP" } else { "Bearer" };
    let config = &app.config;
    let u = app.user(user);
    let id = config.identity_url(u);
    let issued_at = now_ms().to_string();
    let mac = secret_mac(app, format!("{id}{issued_at}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut body = json!({
        "access_token": access,
        "signature": signature,
        "scope": scopes.join(" "),
        "instance_url": config.public_url,
        "id": id,
        "token_type": token_type,
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
    let mut r = (StatusCode::OK, axum::Json(body)).into_response();
    r.extensions_mut().insert(IssuedTokenType(token_type));
    r
}
