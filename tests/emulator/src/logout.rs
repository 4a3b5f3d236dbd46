//! `GET|POST /services/auth/idp/oidc/logout`: the end-session endpoint, Salesforce's OpenID
//! Connect single-logout endpoint as My Domain discovery lists it (`end_session_endpoint`).
//!
//! Every call ends the emulator's browser session (the `sid` cookie's session is forgotten and
//! the cookie cleared). What follows depends on [`EndSession`]: Salesforce's documented
//! behaviour (parameters ignored; the configured logout URL or a "logged out" page) or OpenID
//! Connect RP-Initiated Logout 1.0 (a registered `post_logout_redirect_uri` with `state`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::authorize::{error_page, session_id};
use crate::config::{EndSession, origin_of};
use crate::html;
use crate::jwt::is_our_id_token;
use crate::state::Shared;
use crate::util::{Params, found, parse_form, with_query};

/// The endpoint's path.
pub const END_SESSION_PATH: &str = "/services/auth/idp/oidc/logout";

/// Clears the session cookie that `authorize` sets.
const CLEAR_COOKIE: &str = "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";

/// The parameters OpenID Connect RP-Initiated Logout 1.0 §2 defines; each at most once.
const PARAMETERS: [&str; 6] = [
    "id_token_hint",
    "logout_hint",
    "client_id",
    "post_logout_redirect_uri",
    "state",
    "ui_locales",
];

/// `GET|POST /services/auth/idp/oidc/logout` — GET reads the query; POST reads the form body
/// (and any query parameters with it, so a parameter sent in both is a repeat).
pub async fn end_session(
    State(app): State<Shared>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(sid) = session_id(&headers) {
        app.lock().sessions.remove(&sid);
    }
    let mut response = match app.config.end_session {
        EndSession::Salesforce => match &app.config.logout_url {
            Some(url) => found(url),
            None => logged_out(&app),
        },
        EndSession::Oidc => match parameters(&method, &uri, &body) {
            Ok(params) => oidc(&app, &params),
            Err(why) => refuse("invalid_request", why, ""),
        },
    };
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, HeaderValue::from_static(CLEAR_COOKIE));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn parameters(method: &Method, uri: &Uri, body: &[u8]) -> Result<Params, &'static str> {
    let mut pairs = parse_form(uri.query().unwrap_or("").as_bytes())?;
    if method == Method::POST {
        pairs.extend(parse_form(body)?);
    }
    Ok(Params(pairs))
}

/// A parameter's single value; an empty one counts as absent (OpenID Connect Core 1.0 §3.1.2.1).
fn given<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params.one(name).ok().flatten().filter(|v| !v.is_empty())
}

/// OpenID Connect RP-Initiated Logout 1.0: check `client_id` and `id_token_hint` when sent;
/// redirect only to a registered `post_logout_redirect_uri`.
fn oidc(app: &Shared, params: &Params) -> Response {
    if let Some(e) = PARAMETERS.iter().find_map(|n| params.one(n).err()) {
        return refuse("invalid_request", &e, "");
    }
    let config = &app.config;
    if given(params, "client_id").is_some_and(|c| c != config.client_id) {
        return refuse(
            "invalid_client_id",
            "client identifier invalid",
            "<p>The <code>client_id</code> is not the consumer key of any connected app in this org.</p>",
        );
    }
    if given(params, "id_token_hint").is_some_and(|t| !is_our_id_token(app, t, &config.client_id)) {
        return refuse(
            "invalid_request",
            "invalid id_token_hint",
            "<p>The <code>id_token_hint</code> is not an ID token this org issued to this app.</p>",
        );
    }
    let Some(target) = given(params, "post_logout_redirect_uri") else {
        return logged_out(app);
    };
    if !config.post_logout_uris.iter().any(|u| u == target) {
        return refuse(
            "invalid_request",
            "post_logout_redirect_uri must match configuration",
            &html::unregistered_uri(
                "post_logout_redirect_uri",
                target,
                "post-logout redirect URIs character for character",
                &config.post_logout_uris,
            ),
        );
    }
    match given(params, "state") {
        Some(state) => {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("state", state)
                .finish();
            found(&with_query(target, &query))
        }
        None => found(target),
    }
}

fn refuse(error: &str, description: &str, detail: &str) -> Response {
    error_page(StatusCode::BAD_REQUEST, error, description, detail)
}

/// "You have logged out", with a link to the app (the origin of its first callback URL).
fn logged_out(app: &Shared) -> Response {
    let back = app
        .config
        .callbacks
        .first()
        .map(|c| format!("{}/", origin_of(c)))
        .unwrap_or_else(|| "/".to_owned());
    Html(html::logged_out(&back)).into_response()
}
