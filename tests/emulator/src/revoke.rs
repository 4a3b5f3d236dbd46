//! `/services/oauth2/revoke` (RFC 7009 as Salesforce does it): POST form `token=` or GET
//! `?token=`; 200 on success, 400 `invalid_token` for unknown or dead tokens. Revoking a
//! refresh token revokes every access token issued from it. A DPoP proof is checked when one
//! comes, but none is needed, also for a DPoP-bound token: RFC 7009 has no sender constraint
//! and RFC 9449 adds none to revocation.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::sender;
use crate::state::Shared;
use crate::util::{Params, oauth_error, parse_form};

/// `POST|GET /services/oauth2/revoke`
pub async fn revoke(
    State(app): State<Shared>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Err(refusal) = sender::check(&app, &headers, &method, uri.path(), None) {
        return sender::oauth_refusal(&app, refusal);
    }
    let raw: &[u8] = if method == Method::GET {
        uri.query().unwrap_or("").as_bytes()
    } else {
        &body
    };
    let params = match parse_form(raw) {
        Ok(p) => Params(p),
        Err(why) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", why),
    };
    let token = match params.one("token") {
        Ok(Some(t)) if !t.is_empty() => t.to_owned(),
        Ok(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "token is required",
            );
        }
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e),
    };
    let callback = params.get("callback").to_owned();
    let revoked = {
        let mut s = app.lock();
        if let Some(a) = s.access.get_mut(&token).filter(|a| !a.revoked) {
            a.revoked = true;
            true
        } else if let Some(family) = s.refresh.get(&token).filter(|r| r.active).map(|r| r.family) {
            s.revoke_family(family);
            true
        } else {
            false
        }
    };
    let jsonp = method == Method::GET
        && !callback.is_empty()
        && callback
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    match (revoked, jsonp) {
        (true, false) => StatusCode::OK.into_response(),
        (false, false) => oauth_error(StatusCode::BAD_REQUEST, "invalid_token", "invalid token"),
        (ok, true) => {
            let body = if ok {
                format!("{callback}({{}})")
            } else {
                format!("{callback}({{\"error\":\"invalid_token\"}})")
            };
            ([(header::CONTENT_TYPE, "text/javascript")], body).into_response()
        }
    }
}
