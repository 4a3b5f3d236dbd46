//! Sender-constrained tokens at each endpoint: the one DPoP proof a request may carry (RFC 9449
//! §4.3), the replay cache, the server nonce (§8, §9), how a token is presented at a resource
//! (§7), and the answers when a proof or a presentation is refused.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::config::Dpop;
use crate::dpop::{self, Expected, IAT_WINDOW, Proof};
use crate::state::{AccessInfo, Shared};
use crate::util::{Params, now_ms, oauth_error, parse_form, random_token};

/// The request header carrying a proof.
pub const DPOP: &str = "dpop";
/// The response header carrying the server nonce.
pub const DPOP_NONCE: &str = "dpop-nonce";
/// Replay-cache size: past it, expired `jti`s are forgotten; if none has expired yet, new
/// proofs are refused (an unexpired `jti` is never forgotten, so a replay is never accepted).
const REPLAY_CAP: usize = 100_000;

/// DPoP state: the server nonce and the `jti`s seen.
#[derive(Debug)]
pub struct DpopState {
    /// The nonce proofs must carry (with `--dpop-nonce`).
    pub nonce: String,
    /// The nonce before the last rotation, still accepted after a rotation with grace.
    pub previous: Option<String>,
    /// `jti` → the proof's `iat` (kept until that `iat` leaves the window).
    seen: HashMap<String, i64>,
}

impl Default for DpopState {
    fn default() -> Self {
        DpopState {
            nonce: random_token(32),
            previous: None,
            seen: HashMap::new(),
        }
    }
}

impl DpopState {
    /// A new nonce; with `grace` the old one stays accepted (responses then announce the new one).
    pub fn rotate(&mut self, grace: bool) {
        let old = std::mem::replace(&mut self.nonce, random_token(32));
        self.previous = grace.then_some(old);
    }

    /// Records a `jti`; `Err` (the reason) when it was seen before or the cache is full.
    fn remember(&mut self, jti: &str, iat: i64, now: i64) -> Result<(), &'static str> {
        if self.seen.contains_key(jti) {
            return Err("DPoP proof replayed (jti already used)");
        }
        if self.seen.len() >= REPLAY_CAP {
            self.seen.retain(|_, t| *t + IAT_WINDOW >= now);
            if self.seen.len() >= REPLAY_CAP {
                return Err("DPoP replay cache full, try again later");
            }
        }
        self.seen.insert(jti.to_owned(), iat);
        Ok(())
    }
}

/// Why a proof was refused.
#[derive(Debug)]
pub enum Refusal {
    /// `invalid_dpop_proof`, with the reason.
    Proof(String),
    /// `use_dpop_nonce`: the nonce is missing or stale.
    Nonce,
}

/// Checks the DPoP proof of a request, if one came: `Ok(None)` when `--dpop off` (the header is
/// ignored) or when the request has none. `path` is the request path (without query); the URL
/// the client addressed is `{public_url}{path}`. `access_token`: on resource requests.
pub fn check(
    app: &Shared,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    access_token: Option<&str>,
) -> Result<Option<Proof>, Refusal> {
    if app.config.dpop == Dpop::Off {
        return Ok(None);
    }
    let mut all = headers.get_all(DPOP).iter();
    let Some(first) = all.next() else {
        return Ok(None);
    };
    if all.next().is_some() {
        return Err(Refusal::Proof("more than one DPoP header".into()));
    }
    let raw = first
        .to_str()
        .map_err(|_| Refusal::Proof("DPoP header is not ASCII".into()))?;
    let now = (now_ms() / 1000) as i64;
    let url = format!("{}{path}", app.config.public_url);
    let expected = Expected {
        method: method.as_str(),
        url: &url,
        now,
        access_token,
    };
    let proof = dpop::check(raw, &expected).map_err(Refusal::Proof)?;
    let mut s = app.lock();
    if app.config.dpop_nonce {
        let n = proof.nonce.as_deref();
        if n.is_none() || (n != Some(&s.dpop.nonce) && n != s.dpop.previous.as_deref()) {
            return Err(Refusal::Nonce);
        }
    }
    s.dpop
        .remember(&proof.jti, proof.iat, now)
        .map_err(|e| Refusal::Proof(e.into()))?;
    Ok(Some(proof))
}

fn with_nonce(app: &Shared, mut r: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&app.lock().dpop.nonce) {
        r.headers_mut().insert(DPOP_NONCE, v);
    }
    r
}

/// The token, revocation or introspection endpoint's answer to a refused proof: 400
/// `invalid_dpop_proof`, or 400 `use_dpop_nonce` with a `DPoP-Nonce` header (RFC 9449 §8).
pub fn oauth_refusal(app: &Shared, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Proof(why) => oauth_error(StatusCode::BAD_REQUEST, "invalid_dpop_proof", &why),
        Refusal::Nonce => with_nonce(
            app,
            oauth_error(
                StatusCode::BAD_REQUEST,
                "use_dpop_nonce",
                "Authorization server requires nonce in DPoP proof",
            ),
        ),
    }
}

/// How an access token came to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer` or `OAuth`, or `oauth_token=`.
    Bearer,
    /// `Authorization: DPoP` (only when DPoP is on).
    Dpop,
}

/// The access token of a resource request and how it came: `Authorization: Bearer|OAuth …`,
/// `Authorization: DPoP …` (with DPoP on), or `oauth_token=`.
pub fn presented(app: &Shared, headers: &HeaderMap, uri: &Uri) -> Option<(Scheme, String)> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = v.split_once(' ')?;
        let token = token.trim().to_owned();
        if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth") {
            return Some((Scheme::Bearer, token));
        }
        let dpop = app.config.dpop != Dpop::Off && scheme.eq_ignore_ascii_case("dpop");
        return dpop.then_some((Scheme::Dpop, token));
    }
    let q = Params(parse_form(uri.query()?.as_bytes()).ok()?);
    let token = q.one("oauth_token").ok().flatten()?;
    Some((Scheme::Bearer, token.to_owned()))
}

/// Why a resource refused a request.
#[derive(Debug)]
pub enum Denied {
    /// No token, or a dead one: the endpoint's usual answer (REST 401 `INVALID_SESSION_ID`,
    /// userinfo/identity 403 `Bad_OAuth_Token`).
    Dead,
    /// A DPoP refusal: 401 with `WWW-Authenticate: DPoP error="…"`.
    Dpop(&'static str, String),
    /// 401 `use_dpop_nonce` with a `DPoP-Nonce` header.
    Nonce,
}

/// The live access token of a resource request, checked against its binding (RFC 9449 §7): a
/// bound token needs `Authorization: DPoP` and a proof with the bound key; an unbound one must
/// come as Bearer; a proof, whenever one comes, must be valid (with `ath`).
pub fn resource_access(
    app: &Shared,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
) -> Result<AccessInfo, Denied> {
    let (scheme, token) = presented(app, headers, uri).ok_or(Denied::Dead)?;
    let proof = match check(app, headers, method, uri.path(), Some(&token)) {
        Ok(p) => p,
        Err(Refusal::Proof(why)) => return Err(Denied::Dpop("invalid_dpop_proof", why)),
        Err(Refusal::Nonce) => return Err(Denied::Nonce),
    };
    let info = app.access(&token).ok_or(Denied::Dead)?;
    let refuse = |error, why: &str| Err(Denied::Dpop(error, why.to_owned()));
    match (scheme, info.jkt.as_deref(), proof) {
        (Scheme::Bearer, None, _) => Ok(info),
        (Scheme::Bearer, Some(_), _) => refuse("invalid_token", "DPoP-bound token sent as Bearer"),
        (Scheme::Dpop, None, _) => refuse("invalid_token", "token is not DPoP-bound"),
        (Scheme::Dpop, Some(_), None) => refuse("invalid_dpop_proof", "DPoP proof missing"),
        (Scheme::Dpop, Some(jkt), Some(p)) if p.jkt != jkt => refuse(
            "invalid_dpop_proof",
            "DPoP proof key does not match the token's binding",
        ),
        (Scheme::Dpop, Some(_), Some(_)) => Ok(info),
    }
}

/// A resource's answer to a refused request: `Dead` → `dead()`, the endpoint's usual answer;
/// a DPoP refusal → `body(error, description)` with status 401,
/// `WWW-Authenticate: DPoP error="…", error_description="…", algs="ES256"` (RFC 9449 §7.1) and,
/// for `use_dpop_nonce`, a `DPoP-Nonce` header (§9).
pub fn resource_refusal(
    app: &Shared,
    denied: Denied,
    dead: impl FnOnce() -> Response,
    body: impl FnOnce(&str, &str) -> Response,
) -> Response {
    let (error, why) = match denied {
        Denied::Dead => return dead(),
        Denied::Dpop(error, why) => (error, why),
        Denied::Nonce => (
            "use_dpop_nonce",
            "Resource server requires nonce in DPoP proof".to_owned(),
        ),
    };
    let mut r = body(error, &why);
    *r.status_mut() = StatusCode::UNAUTHORIZED;
    let challenge = format!(
        r#"DPoP error="{error}", error_description="{}", algs="ES256""#,
        why.replace('"', "'")
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    if error == "use_dpop_nonce" {
        return with_nonce(app, r);
    }
    r
}

/// The nonce to announce on a successful response to a request whose proof carried an older
/// nonce (accepted after a rotation with grace): `Some(current)`, else `None` (RFC 9449 §8.2).
pub fn nonce_to_announce(app: &Shared, headers: &HeaderMap) -> Option<String> {
    if app.config.dpop == Dpop::Off || !app.config.dpop_nonce {
        return None;
    }
    let proof = headers.get(DPOP)?.to_str().ok()?;
    let current = app.lock().dpop.nonce.clone();
    (dpop::nonce_claim(proof).as_deref() != Some(current.as_str())).then_some(current)
}

/// The scheme of a request's `Authorization` header, for the request log (never its value).
pub fn auth_scheme(headers: &HeaderMap) -> Option<&'static str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let scheme = v.split(' ').next().unwrap_or("");
    Some(
        ["Bearer", "DPoP", "OAuth", "Basic"]
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(scheme))
            .unwrap_or("other"),
    )
}

/// `POST /__emulator/dpop-nonce/rotate` (body optional: `{"grace":true}` keeps the old nonce
/// valid, so the next success announces the new one instead of a `use_dpop_nonce` refusal).
pub async fn rotate(
    axum::extract::State(app): axum::extract::State<Shared>,
    body: axum::body::Bytes,
) -> Response {
    let grace = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["grace"].as_bool())
        .unwrap_or(false);
    app.lock().dpop.rotate(grace);
    axum::Json(serde_json::json!({ "rotated": true, "grace": grace })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replay_cache_never_forgets_a_live_jti() {
        let mut d = DpopState::default();
        assert!(d.remember("a", 1000, 1000).is_ok());
        assert!(d.remember("a", 1000, 5000).is_err(), "a replay, even later");
        for i in 1..REPLAY_CAP {
            d.seen.insert(i.to_string(), 1000);
        }
        assert!(d.remember("new", 1000, 1000).is_err(), "full of live jtis");
        let later = 1000 + IAT_WINDOW + 1;
        assert!(d.remember("new", later, later).is_ok(), "expired ones go");
        assert_eq!(d.seen.len(), 1);
    }

    #[test]
    fn rotation_with_and_without_grace() {
        let mut d = DpopState::default();
        let first = d.nonce.clone();
        d.rotate(true);
        assert_eq!(d.previous.as_deref(), Some(first.as_str()));
        assert_ne!(d.nonce, first);
        d.rotate(false);
        assert_eq!(d.previous, None);
    }
}
