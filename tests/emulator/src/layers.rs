//! One middleware for every request: CORS (as Salesforce applies it per endpoint group), fault
//! injection, and the request log.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::{LogEntry, Shared};
use crate::util::{Params, now_ms, parse_form};

/// Endpoint groups (for CORS and faults).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
    /// `/services/oauth2/authorize…`
    Authorize,
    /// `/services/oauth2/token`
    Token,
    /// `/services/oauth2/revoke`
    Revoke,
    /// `/services/oauth2/introspect`
    Introspect,
    /// `/services/oauth2/userinfo`
    Userinfo,
    /// `/id/keys`, `/services/oauth2/id/keys` (the JWKS)
    Keys,
    /// `/id/…`
    Identity,
    /// `/services/auth/idp/oidc/logout` (end session)
    Logout,
    /// `/services/data…`
    Rest,
    /// `/.well-known/…`
    Discovery,
    /// `/__emulator/…`
    Control,
    /// Anything else.
    Other,
}

impl Group {
    /// The group of a path.
    pub fn of(path: &str) -> Group {
        if path.starts_with("/services/oauth2/authorize") {
            Group::Authorize
        } else if path == "/services/oauth2/token" {
            Group::Token
        } else if path == "/services/oauth2/revoke" {
            Group::Revoke
        } else if path == "/services/oauth2/introspect" {
            Group::Introspect
        } else if path == "/services/oauth2/userinfo" {
            Group::Userinfo
        } else if path == "/id/keys" || path == "/services/oauth2/id/keys" {
            Group::Keys
        } else if path == crate::logout::END_SESSION_PATH {
            Group::Logout
        } else if path.starts_with("/id/") {
            Group::Identity
        } else if path.starts_with("/services/data") {
            Group::Rest
        } else if path.starts_with("/.well-known/") {
            Group::Discovery
        } else if path.starts_with("/__emulator/") {
            Group::Control
        } else {
            Group::Other
        }
    }

    fn name(self) -> &'static str {
        match self {
            Group::Authorize => "authorize",
            Group::Token => "token",
            Group::Revoke => "revoke",
            Group::Introspect => "introspect",
            Group::Userinfo => "userinfo",
            Group::Keys => "keys",
            Group::Identity => "identity",
            Group::Logout => "logout",
            Group::Rest => "rest",
            Group::Discovery => "discovery",
            Group::Control => "control",
            Group::Other => "other",
        }
    }
}

/// CORS decision for a cross-origin request.
enum Cors {
    /// Not a cross-origin request, or a group without CORS handling.
    Skip,
    /// Allowed: echo this origin.
    Allow(String),
    /// Blocked with 403 (Salesforce's answer to an origin not on the allowlist).
    Forbid,
    /// No CORS headers at all (login.salesforce.com for token/revoke): the browser blocks.
    Silent,
}

fn cors(app: &Shared, group: Group, headers: &HeaderMap) -> Cors {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return Cors::Skip;
    };
    if origin == app.config.public_origin() {
        return Cors::Skip;
    }
    let listed = app.config.cors_origins.iter().any(|o| o == origin);
    let oauth = matches!(group, Group::Token | Group::Revoke | Group::Introspect);
    match group {
        Group::Discovery | Group::Keys => Cors::Allow("*".into()),
        _ if oauth && !app.config.oauth_cors => Cors::Silent,
        Group::Token
        | Group::Revoke
        | Group::Introspect
        | Group::Userinfo
        | Group::Rest
        | Group::Control
            if listed =>
        {
            Cors::Allow(origin.to_owned())
        }
        Group::Token
        | Group::Revoke
        | Group::Introspect
        | Group::Userinfo
        | Group::Rest
        | Group::Control => Cors::Forbid,
        Group::Identity | Group::Authorize | Group::Logout | Group::Other => Cors::Skip,
    }
}

/// The request headers a preflight allows: those asked for (default: `authorization,
/// content-type, accept, dpop`), less `DPoP` with `--cors-no-dpop-header`.
fn allowed_headers(asked: Option<HeaderValue>, dpop: bool) -> Option<HeaderValue> {
    let asked = asked
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("authorization, content-type, accept, dpop");
    if dpop {
        return HeaderValue::from_str(asked).ok();
    }
    let kept: Vec<&str> = asked
        .split(',')
        .filter(|h| !h.trim().eq_ignore_ascii_case("dpop"))
        .collect();
    HeaderValue::from_str(&kept.join(",")).ok()
}

fn add_cors(
    r: &mut Response,
    origin: &str,
    preflight: Option<Option<HeaderValue>>,
    dpop: bool,
    extra_methods: &[String],
) {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    // A browser reads DPoP-Nonce and WWW-Authenticate only when exposed (RFC 9449 §8, §9).
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("DPoP-Nonce, WWW-Authenticate"),
    );
    if let Some(asked) = preflight {
        let mut methods = String::from("GET, POST, PATCH, PUT, DELETE, HEAD, OPTIONS");
        for m in extra_methods {
            methods.push_str(", ");
            methods.push_str(m);
        }
        if let Ok(v) = HeaderValue::from_str(&methods) {
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, v);
        }
        if let Some(allowed) = allowed_headers(asked, dpop) {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allowed);
        }
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
}

fn take_fault(app: &Shared, group: Group) -> Option<crate::state::Fault> {
    let mut s = app.lock();
    let i = s.faults.iter().position(|f| f.endpoint == group.name())?;
    if s.faults[i].count <= 1 {
        return Some(s.faults.remove(i));
    }
    s.faults[i].count -= 1;
    Some(s.faults[i].clone())
}

/// The middleware.
pub async fn layer(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let (req, facts) = match body_facts(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    let group = Group::of(&path);
    let decision = cors(&app, group, req.headers());
    let preflight = method == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let asked_headers = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let auth_scheme = crate::sender::auth_scheme(req.headers());
    let dpop = req.headers().contains_key(crate::sender::DPOP);
    let announce = match group {
        Group::Token | Group::Revoke | Group::Userinfo | Group::Identity | Group::Rest => {
            crate::sender::nonce_to_announce(&app, req.headers())
        }
        _ => None,
    };

    let mut dropped = false;
    let mut response = match decision {
        Cors::Forbid => (StatusCode::FORBIDDEN, "CORS origin not allowed").into_response(),
        _ if preflight => match &decision {
            Cors::Allow(_) => StatusCode::NO_CONTENT.into_response(),
            _ => StatusCode::FORBIDDEN.into_response(),
        },
        _ => {
            let fault = if group == Group::Control {
                None
            } else {
                take_fault(&app, group)
            };
            if let Some(f) = &fault
                && f.delay_ms > 0
            {
                tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
            }
            match fault {
                Some(f) if f.drop => {
                    dropped = true;
                    let stream = futures_util::stream::once(async {
                        Err::<Bytes, std::io::Error>(std::io::Error::other(
                            "connection dropped by fault injection",
                        ))
                    });
                    Response::new(Body::from_stream(stream))
                }
                Some(f) if f.status.is_some() => {
                    let status = StatusCode::from_u16(f.status.unwrap_or(500))
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let body = f.body.unwrap_or_else(|| {
                        "<html><body>An internal server error has occurred</body></html>".into()
                    });
                    let ct = if body.trim_start().starts_with(['{', '[']) {
                        "application/json"
                    } else {
                        "text/html"
                    };
                    let mut r = (status, [(header::CONTENT_TYPE, ct)], body).into_response();
                    if let Some(v) = f.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                        r.headers_mut().insert(header::LOCATION, v);
                    }
                    r
                }
                _ => next.run(req).await,
            }
        }
    };
    match &decision {
        Cors::Allow(o) => add_cors(
            &mut response,
            o,
            preflight.then_some(asked_headers),
            app.config.cors_dpop_header,
            &app.config.cors_extra_methods,
        ),
        Cors::Skip | Cors::Forbid | Cors::Silent => {}
    }
    if app.config.coop && group == Group::Authorize && is_html(&response) {
        response.headers_mut().insert(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
    }
    if let Some(n) = announce.filter(|_| response.status().is_success())
        && let Ok(v) = HeaderValue::from_str(&n)
    {
        response.headers_mut().insert(crate::sender::DPOP_NONCE, v);
    }
    let token_type = response
        .extensions()
        .get::<crate::token::IssuedTokenType>()
        .map(|t| t.0);
    let status = if dropped {
        0
    } else {
        response.status().as_u16()
    };
    if group != Group::Control {
        let mut s = app.lock();
        s.next_seq += 1;
        let seq = s.next_seq;
        s.log.push(LogEntry {
            seq,
            time: now_ms(),
            method: method.to_string(),
            path,
            grant_type: facts.grant_type,
            id_token_hint: facts.id_token_hint,
            auth_scheme,
            dpop,
            token_type,
            status,
            origin,
            bearer,
        });
    }
    response
}

fn is_html(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// What the log says about a request beyond method and path (never a value).
#[derive(Default)]
struct Facts {
    /// Token requests: `grant_type`.
    grant_type: Option<String>,
    /// End-session requests: where an `id_token_hint` came: `query`, `body` or `query+body`.
    id_token_hint: Option<&'static str>,
}

/// For token and end-session requests: buffers a POST body to read what the log records (also
/// when a fault answers instead of the handler), then hands the same bytes on.
async fn body_facts(req: Request) -> Result<(Request, Facts), Response> {
    let path = req.uri().path();
    let (token, logout) = (
        path == "/services/oauth2/token",
        path == crate::logout::END_SESSION_PATH,
    );
    if !token && !logout {
        return Ok((req, Facts::default()));
    }
    let has_hint = |raw: &[u8]| {
        parse_form(raw)
            .ok()
            .is_some_and(|p| p.iter().any(|(k, _)| k == "id_token_hint"))
    };
    let in_query = logout && has_hint(req.uri().query().unwrap_or("").as_bytes());
    if req.method() != Method::POST {
        let id_token_hint = in_query.then_some("query");
        return Ok((
            req,
            Facts {
                id_token_hint,
                ..Facts::default()
            },
        ));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response())?;
    let grant_type = parse_form(&bytes)
        .ok()
        .filter(|_| token)
        .map(Params)
        .map(|p| p.get("grant_type").to_owned())
        .filter(|g| !g.is_empty());
    let id_token_hint = match (in_query, logout && has_hint(&bytes)) {
        (true, true) => Some("query+body"),
        (true, false) => Some("query"),
        (false, true) => Some("body"),
        (false, false) => None,
    };
    let facts = Facts {
        grant_type,
        id_token_hint,
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), facts))
}
