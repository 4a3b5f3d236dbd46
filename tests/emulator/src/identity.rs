//! UserInfo, the identity URL and OpenID discovery.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::Dpop;
use crate::sender;
use crate::state::{AccessInfo, Shared};
use crate::util::{bad_oauth_token, oauth_error, rest_error};

/// The live access token of a userinfo or identity request; a dead or missing one is 403
/// `Bad_OAuth_Token` (as before DPoP), a DPoP refusal 401 with a JSON OAuth error body and
/// `WWW-Authenticate: DPoP …` (the emulator's choice of body; see the README).
fn session(
    app: &Shared,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
) -> Result<AccessInfo, Response> {
    sender::resource_access(app, headers, method, uri).map_err(|denied| {
        sender::resource_refusal(app, denied, bad_oauth_token, |error, why| {
            oauth_error(StatusCode::UNAUTHORIZED, error, why)
        })
    })
}

fn urls(app: &Shared) -> serde_json::Value {
    let b = &app.config.public_url;
    json!({
        "enterprise": format!("{b}/services/Soap/c/{{version}}/{}", app.config.org_id), "partner": format!("{b}/services/Soap/u/{{version}}/{}", app.config.org_id),
        "rest": format!("{b}/services/data/v{{version}}/"), "sobjects": format!("{b}/services/data/v{{version}}/sobjects/"),
        "query": format!("{b}/services/data/v{{version}}/query/"), "custom_domain": b,
    })
}

/// `GET|POST /services/oauth2/userinfo`
pub async fn userinfo(
    State(app): State<Shared>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    let s = session(&app, &headers, &method, &uri)?;
    let u = app.user(s.user);
    let c = &app.config;
    Ok(axum::Json(json!({
        "sub": c.identity_url(u), "user_id": u.id, "organization_id": c.org_id, "preferred_username": u.username,
        "nickname": u.given_name.to_lowercase(), "name": u.name, "email": u.email, "email_verified": true,
        "given_name": u.given_name, "family_name": u.family_name, "zoneinfo": "Europe/London",
        "photos": { "picture": format!("{}/profilephoto/005/F", c.public_url), "thumbnail": format!("{}/profilephoto/005/T", c.public_url) },
        "profile": format!("{}/{}", c.public_url, u.id), "picture": format!("{}/profilephoto/005/F", c.public_url),
        "address": {}, "phone_number": null, "phone_number_verified": false, "is_salesforce_integration_user": false,
        "urls": urls(&app), "active": true, "user_type": "STANDARD", "language": "en_US", "locale": "en_GB",
        "utcOffset": 0, "updated_at": "2026-01-01T00:00:00Z", "is_app_installed": true,
    }))
    .into_response())
}

/// `GET /id/{orgId}/{userId}`
pub async fn identity(
    State(app): State<Shared>,
    Path((org, user)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    let s = session(&app, &headers, &method, &uri)?;
    let u = app.user(s.user);
    let c = &app.config;
    if org != c.org_id || user != u.id {
        return Err(rest_error(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_ACCESS",
            "you may read only your own identity",
        ));
    }
    Ok(axum::Json(json!({
        "id": c.identity_url(u), "asserted_user": true, "user_id": u.id, "organization_id": c.org_id, "username": u.username,
        "nick_name": u.given_name.to_lowercase(), "display_name": u.name, "email": u.email, "email_verified": true,
        "first_name": u.given_name, "last_name": u.family_name, "timezone": "Europe/London", "photos": {},
        "status": { "created_date": null, "body": null }, "urls": urls(&app), "active": true, "user_type": "STANDARD",
        "language": "en_US", "locale": "en_GB", "utcOffset": 0, "last_modified_date": "2026-01-01T00:00:00.000Z", "is_app_installed": true,
    }))
    .into_response())
}

/// `GET /.well-known/openid-configuration` (no `code_challenge_methods_supported`, as Salesforce;
/// `end_session_endpoint` and `frontchannel_logout_supported` as My Domain discovery lists them).
pub async fn discovery(State(app): State<Shared>) -> Response {
    let b = &app.config.public_url;
    let mut body = json!({
        "issuer": b,
        "authorization_endpoint": format!("{b}/services/oauth2/authorize"),
        "token_endpoint": format!("{b}/services/oauth2/token"),
        "revocation_endpoint": format!("{b}/services/oauth2/revoke"),
        "userinfo_endpoint": format!("{b}/services/oauth2/userinfo"),
        "jwks_uri": format!("{b}/id/keys"),
        "introspection_endpoint": format!("{b}/services/oauth2/introspect"),
        "end_session_endpoint": format!("{b}{}", crate::logout::END_SESSION_PATH),
        "frontchannel_logout_supported": true,
        "response_types_supported": ["code", "token", "token id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "display_values_supported": ["page", "popup", "touch"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "private_key_jwt"],
        "scopes_supported": app.config.scopes,
        "claims_supported": ["active", "address", "email", "email_verified", "family_name", "given_name", "is_app_installed", "language", "locale", "name", "nickname", "organization_id", "phone_number", "phone_number_verified", "photos", "picture", "preferred_username", "profile", "sub", "updated_at", "urls", "user_id", "user_type", "zoneinfo"],
    });
    if app.config.dpop != Dpop::Off {
        body["dpop_signing_alg_values_supported"] = json!(["ES256"]);
    }
    axum::Json(body).into_response()
}
