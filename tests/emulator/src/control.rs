//! Test control under `/__emulator/` (only with `--test-control`): request log, fault
//! injection, access-token expiry, reset, and token counts (never token values).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::{Fault, Shared};

/// `GET /__emulator/log`
pub async fn log(State(app): State<Shared>) -> Response {
    axum::Json(app.lock().log.clone()).into_response()
}

/// `POST /__emulator/faults` with a JSON fault or a list of them.
/// `DELETE /__emulator/faults` — forgets the queued faults not used yet (a browser may retry a
/// dropped request or not, so a test cannot always tell how many were used).
pub async fn clear_faults(State(app): State<Shared>) -> Response {
    let mut s = app.lock();
    let n = s.faults.len();
    s.faults.clear();
    axum::Json(json!({ "cleared": n })).into_response()
}

pub async fn faults(State(app): State<Shared>, body: Bytes) -> Response {
    let parsed: Result<Vec<Fault>, _> = serde_json::from_slice::<Vec<Fault>>(&body)
        .or_else(|_| serde_json::from_slice::<Fault>(&body).map(|f| vec![f]));
    match parsed {
        Ok(list) => {
            const GROUPS: [&str; 9] = [
                "authorize",
                "token",
                "revoke",
                "introspect",
                "keys",
                "userinfo",
                "identity",
                "rest",
                "logout",
            ];
            if let Some(bad) = list.iter().find(|f| !GROUPS.contains(&f.endpoint.as_str())) {
                return (
                    StatusCode::BAD_REQUEST,
                    format!("unknown endpoint {:?}; use one of {GROUPS:?}", bad.endpoint),
                )
                    .into_response();
            }
            let n = list.len();
            app.lock().faults.extend(list);
            axum::Json(json!({ "queued": n })).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("bad fault JSON: {e}")).into_response(),
    }
}

/// `POST /__emulator/expire-access-tokens`
pub async fn expire(State(app): State<Shared>) -> Response {
    let mut s = app.lock();
    let now = Instant::now();
    let n = s
        .access
        .values_mut()
        .filter(|a| a.expires > now)
        .map(|a| a.expires = now)
        .count();
    axum::Json(json!({ "expired": n })).into_response()
}

/// `POST /__emulator/reset`
pub async fn reset(State(app): State<Shared>) -> Response {
    app.reset();
    axum::Json(json!({ "reset": true })).into_response()
}

/// `GET /__emulator/state` — counts only.
pub async fn state(State(app): State<Shared>) -> Response {
    let s = app.lock();
    let now = Instant::now();
    axum::Json(json!({
        "activeAccessTokens": s.access.values().filter(|a| !a.revoked && a.expires > now).count(),
        "activeRefreshTokens": s.refresh.values().filter(|r| r.active).count(),
        "sessions": s.sessions.len(),
        "pendingCodes": s.codes.values().filter(|c| !c.used).count(),
        "faults": s.faults.len(),
    }))
    .into_response()
}

/// `GET /__emulator/tokens` — the live token values, for leak audits and out-of-band actions in
/// tests (only with `--test-control`, and the emulator listens on loopback only).
pub async fn tokens(State(app): State<Shared>) -> Response {
    let s = app.lock();
    let now = Instant::now();
    let access: Vec<&String> = s
        .access
        .iter()
        .filter(|(_, a)| !a.revoked && a.expires > now)
        .map(|(t, _)| t)
        .collect();
    let refresh: Vec<&String> = s
        .refresh
        .iter()
        .filter(|(_, r)| r.active)
        .map(|(t, _)| t)
        .collect();
    let all_issued: Vec<&String> = s.access.keys().chain(s.refresh.keys()).collect();
    axum::Json(json!({ "access": access, "refresh": refresh, "everIssued": all_issued }))
        .into_response()
}
