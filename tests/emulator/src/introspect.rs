//! `POST /services/oauth2/introspect` (RFC 7662 as Salesforce has it, docs/SALESFORCE.md §9):
//! form `token=…` (`token_type_hint` optional), client credentials in HTTP Basic or the body;
//! `{"active":true,…}` for a live token of this app, `{"active":false}` otherwise. A DPoP-bound
//! token adds `cnf: {"jkt": …}` (RFC 9449 §6.2), which a resource server compares with the key
//! of the request's proof.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::state::Shared;
use crate::token::client;
use crate::util::{Params, now_ms, oauth_error, parse_form};

/// `POST /services/oauth2/introspect`
pub async fn introspect(
    State(app): State<Shared>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    const BAD: StatusCode = StatusCode::BAD_REQUEST;
    if method != Method::POST {
        return oauth_error(BAD, "invalid_request", "must use HTTP POST");
    }
    let params = match parse_form(&body) {
        Ok(p) => Params(p),
        Err(why) => return oauth_error(BAD, "invalid_request", why),
    };
    for name in ["token", "token_type_hint", "client_id", "client_secret"] {
        if let Err(e) = params.one(name) {
            return oauth_error(BAD, "invalid_request", &e);
        }
    }
    if let Err(r) = client(&app, &headers, &params) {
        return r;
    }
    // Introspection needs the secret (Basic or body), unlike this app's token requests.
    let basic = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Basic "));
    if !basic && params.one("client_secret").ok().flatten().is_none() {
        return oauth_error(BAD, "invalid_client", "client secret required");
    }
    let token = params.get("token");
    if token.is_empty() {
        return oauth_error(BAD, "invalid_request", "token is required");
    }
    axum::Json(describe(&app, token)).into_response()
}

/// The introspection answer for `token`.
fn describe(app: &Shared, token: &str) -> Value {
    let config = &app.config;
    let s = app.lock();
    let now = Instant::now();
    let now_s = (now_ms() / 1000) as u64;
    let (user, scopes, kind, jkt, iat, exp) = if let Some(a) = s
        .access
        .get(token)
        .filter(|a| !a.revoked && a.expires > now)
    {
        let exp = now_s + a.expires.saturating_duration_since(now).as_secs();
        let iat = Some(a.issued_s);
        (a.user, &a.scopes, "access_token", &a.jkt, iat, Some(exp))
    } else if let Some(r) = s.refresh.get(token).filter(|r| r.active) {
        (r.user, &r.scopes, "refresh_token", &r.jkt, None, None)
    } else {
        return json!({ "active": false });
    };
    let u = app.user(user);
    let mut body = json!({
        "active": true, "scope": scopes.join(" "), "client_id": config.client_id,
        "username": u.username, "sub": config.identity_url(u), "token_type": kind,
    });
    if let (Some(iat), Some(exp)) = (iat, exp) {
        body["iat"] = json!(iat);
        body["nbf"] = json!(iat);
        body["exp"] = json!(exp);
    }
    if let Some(jkt) = jkt {
        body["cnf"] = json!({ "jkt": jkt });
    }
    body
}
