//! `GET /services/oauth2/authorize`, the login form and the consent page.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::config::Dpop;
use crate::html;
use crate::state::{AuthRequest, CodeGrant, Shared};
use crate::util::{Params, found, parse_form, random_token, with_query};

pub(crate) const SESSION_COOKIE: &str = "sid";

/// Salesforce's OAuth error page with `status` (never a redirect).
pub(crate) fn error_page(
    status: StatusCode,
    error: &str,
    description: &str,
    detail: &str,
) -> Response {
    (status, Html(html::oauth_error(error, description, detail))).into_response()
}

/// `redirect_uri?error=…&error_description=…&state=…`
fn redirect_error(req: &AuthRequest, error: &str, description: &str) -> Response {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("error", error)
        .append_pair("error_description", description);
    if let Some(s) = &req.state {
        q.append_pair("state", s);
    }
    found(&with_query(&req.redirect_uri, &q.finish()))
}

/// The value of the emulator's session cookie (`sid`), if the request carries one.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<String> {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    cookies
        .split(';')
        .map(str::trim)
        .find_map(|c| c.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .map(str::to_owned)
}

fn session_user(app: &Shared, headers: &HeaderMap) -> Option<usize> {
    let sid = session_id(headers)?;
    app.lock().sessions.get(&sid).copied()
}

/// `GET /services/oauth2/authorize`
pub async fn authorize(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let params = match parse_form(uri.query().unwrap_or("").as_bytes()) {
        Ok(p) => Params(p),
        Err(why) => return error_page(StatusCode::BAD_REQUEST, "invalid_request", why, ""),
    };
    for name in [
        "client_id",
        "redirect_uri",
        "response_type",
        "state",
        "scope",
        "code_challenge",
        "code_challenge_method",
        "nonce",
        "prompt",
        "immediate",
        "login_hint",
    ] {
        if let Err(e) = params.one(name) {
            return error_page(StatusCode::BAD_REQUEST, "invalid_request", &e, "");
        }
    }
    let config = &app.config;
    let client_id = params.get("client_id");
    if client_id.is_empty() || client_id != config.client_id {
        return error_page(
            StatusCode::BAD_REQUEST,
            "invalid_client_id",
            "client identifier invalid",
            "<p>The <code>client_id</code> is not the consumer key of any connected app in this org.</p>",
        );
    }
    let redirect_uri = params.get("redirect_uri");
    if redirect_uri.is_empty() {
        return error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri_missing",
            "redirect_uri not provided",
            "",
        );
    }
    if !config.callbacks.iter().any(|c| c == redirect_uri) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
            &html::unregistered_uri(
                "redirect_uri",
                redirect_uri,
                "callback URLs character for character (trailing slash, case, http vs https all count)",
                &config.callbacks,
            ),
        );
    }
    let prompt: Vec<&str> = params
        .get("prompt")
        .split(' ')
        .filter(|p| !p.is_empty())
        .collect();
    let scopes: Vec<String> = match params.get("scope") {
        "" => config
            .scopes
            .iter()
            .filter(|s| *s != "full" && *s != "sfap_api")
            .cloned()
            .collect(),
        s => s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let dpop_jkt = match config.dpop {
        Dpop::Off => None,
        _ => match params.one("dpop_jkt") {
            Err(e) => return error_page(StatusCode::BAD_REQUEST, "invalid_request", &e, ""),
            Ok(v) => v.filter(|v| !v.is_empty()).map(str::to_owned),
        },
    };
    let req = AuthRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        state: params.one("state").ok().flatten().map(str::to_owned),
        scopes,
        code_challenge: params
            .one("code_challenge")
            .ok()
            .flatten()
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        nonce: params.one("nonce").ok().flatten().map(str::to_owned),
        force_consent: prompt.contains(&"consent"),
        login_hint: params.get("login_hint").to_owned(),
        dpop_jkt,
        created: Instant::now(),
    };
    if params.get("response_type") != "code" {
        return redirect_error(
            &req,
            "unsupported_response_type",
            "response type not supported",
        );
    }
    match params.get("code_challenge_method") {
        "" | "S256" => {}
        _ => {
            return redirect_error(
                &req,
                "invalid_request",
                "code challenge method not supported",
            );
        }
    }
    match &req.code_challenge {
        None if config.require_pkce => {
            let mut r = (
                StatusCode::BAD_REQUEST,
                "error=invalid_request&error_description=missing required code challenge",
            )
                .into_response();
            r.headers_mut().remove(header::CONTENT_TYPE);
            return r;
        }
        Some(c) if !is_sha256_b64url(c) => {
            return redirect_error(&req, "invalid_request", "invalid code challenge");
        }
        _ => {}
    }
    if req.scopes.iter().any(|s| !config.scopes.contains(s)) {
        return redirect_error(
            &req,
            "invalid_scope",
            "requested scope is invalid, unknown, or malformed",
        );
    }
    if req
        .dpop_jkt
        .as_deref()
        .is_some_and(|j| !is_sha256_b64url(j))
    {
        return redirect_error(&req, "invalid_request", "invalid dpop_jkt");
    }
    if prompt
        .iter()
        .any(|p| !matches!(*p, "login" | "consent" | "select_account" | "none"))
    {
        return redirect_error(&req, "invalid_request", "invalid prompt parameter");
    }
    let user = session_user(&app, &headers).filter(|_| !prompt.contains(&"login"));
    let immediate = params.get("immediate") == "true" || prompt.contains(&"none");
    if immediate {
        let consented =
            user.is_some_and(|u| app.lock().consents.contains(&(u, req.client_id.clone())));
        return match user {
            Some(u) if consented && !req.force_consent => issue_code(&app, req, u),
            _ => redirect_error(&req, "immediate_unsuccessful", "immediate unsuccessful"),
        };
    }
    next_step(&app, req, user, None)
}

/// A base64url SHA-256 digest without padding (43 characters): an S256 code challenge (RFC 7636
/// §4.2) or a key thumbprint (`dpop_jkt`, RFC 9449 §10, RFC 7638).
fn is_sha256_b64url(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// After the request is valid: login form, consent page, or a code.
fn next_step(
    app: &Shared,
    req: AuthRequest,
    user: Option<usize>,
    set_cookie: Option<String>,
) -> Response {
    let id = random_token(32);
    let mut response = match user {
        None => Html(html::login(&id, &req.login_hint, None)).into_response(),
        Some(_) if !app.config.app_installed => {
            return with_cookie(not_installed(&req), set_cookie);
        }
        Some(u)
            if req.force_consent || !app.lock().consents.contains(&(u, req.client_id.clone())) =>
        {
            let name = &app.user(u).username;
            Html(html::consent(
                &id,
                name,
                "salesforce-pkce demo",
                &req.scopes,
            ))
            .into_response()
        }
        Some(u) => return with_cookie(issue_code(app, req, u), set_cookie),
    };
    app.lock().requests.insert(id, req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    with_cookie(response, set_cookie)
}

fn with_cookie(mut r: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// Salesforce since Sept 2025, for a user of an app not installed in the org (docs/SALESFORCE.md §3,
/// `OAUTH_APPROVAL_ERROR_GENERIC`): a redirect, after the user has signed in.
fn not_installed(req: &AuthRequest) -> Response {
    redirect_error(req, "invalid_client", "app must be installed into org")
}

fn issue_code(app: &Shared, req: AuthRequest, user: usize) -> Response {
    if !app.config.app_installed {
        return not_installed(&req);
    }
    let code = format!("aPrx{}==", random_token(44));
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("code", &code);
    if let Some(s) = &req.state {
        q.append_pair("state", s);
    }
    let target = with_query(&req.redirect_uri, &q.finish());
    app.lock().codes.insert(
        code,
        CodeGrant {
            request: req,
            user,
            issued: Instant::now(),
            used: false,
        },
    );
    found(&target)
}

fn take_request(app: &Shared, params: &Params) -> Option<AuthRequest> {
    let id = params.one("req").ok().flatten()?;
    let mut s = app.lock();
    let r = s.requests.remove(id)?;
    (r.created.elapsed() < app.config.code_ttl).then_some(r)
}

fn expired_request() -> Response {
    error_page(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "the login request expired or was already used",
        "<p>Go back to the app and start the login again.</p>",
    )
}

/// `POST /services/oauth2/authorize/login` — the login form.
pub async fn login(State(app): State<Shared>, body: Bytes) -> Response {
    let Ok(params) = parse_form(&body).map(Params) else {
        return expired_request();
    };
    let Some(req) = take_request(&app, &params) else {
        return expired_request();
    };
    let (username, password) = (params.get("username"), params.get("password"));
    let found = app
        .config
        .users
        .iter()
        .position(|u| u.username.eq_ignore_ascii_case(username) && u.password == password);
    let Some(user) = found else {
        let id = random_token(32);
        let hint = username.to_owned();
        app.lock().requests.insert(id.clone(), req);
        let msg = "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";
        return Html(html::login(&id, &hint, Some(msg))).into_response();
    };
    let sid = random_token(40);
    app.lock().sessions.insert(sid.clone(), user);
    let cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    let req = AuthRequest {
        force_consent: req.force_consent,
        ..req
    };
    next_step(&app, req, Some(user), Some(cookie))
}

/// `POST /services/oauth2/authorize/consent` — Allow / Deny.
pub async fn consent(State(app): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(params) = parse_form(&body).map(Params) else {
        return expired_request();
    };
    let Some(req) = take_request(&app, &params) else {
        return expired_request();
    };
    let Some(user) = session_user(&app, &headers) else {
        return next_step(&app, req, None, None);
    };
    match params.get("decision") {
        "allow" => {
            app.lock().consents.insert((user, req.client_id.clone()));
            issue_code(&app, req, user)
        }
        _ => redirect_error(&req, "access_denied", "end-user denied authorization"),
    }
}
