//! Rust values as the plain JS objects the API hands out (sessions, counters, findings, events).

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::{self, AuthEvent};
use crate::core::doctor;
use crate::core::error::AuthError;
use crate::js::to_js;

/// A plain JS object from (key, value) pairs (smaller than a serde serializer in the wasm).
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

pub(crate) fn strings(items: &[String]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect::<js_sys::Array>()
        .into()
}

pub(crate) fn opt_str(v: &Option<String>) -> JsValue {
    v.as_deref().map_or(JsValue::NULL, JsValue::from_str)
}

pub(crate) fn session_js(s: &browser::Session) -> JsValue {
    object(&[
        ("instanceUrl", opt_str(&s.instance_url)),
        ("apiInstanceUrl", opt_str(&s.api_instance_url)),
        ("userId", opt_str(&s.user_id)),
        ("orgId", opt_str(&s.org_id)),
        ("scopes", strings(&s.scopes)),
        ("issuedAt", JsValue::from_f64(s.issued_at.0)),
        (
            "expiresAt",
            s.expires_at
                .map_or(JsValue::NULL, |t| JsValue::from_f64(t.0)),
        ),
        (
            "tokenType",
            JsValue::from_str(if s.dpop { "DPoP" } else { "Bearer" }),
        ),
    ])
}

pub(crate) fn stats_js(s: &browser::Stats) -> JsValue {
    let by_code = js_sys::Object::new();
    for code in AuthError::ALL_CODES {
        if let Some(n) = s.errors_by_code.get(code) {
            let _ = js_sys::Reflect::set(&by_code, &JsValue::from_str(code), &JsValue::from(*n));
        }
    }
    // The counters from the one table (core::event::COUNTERS), then the errors by code.
    let o = js_sys::Object::new();
    for (name, _) in crate::core::event::COUNTERS {
        let n = s.counter(name).unwrap_or(0);
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(name), &JsValue::from(n));
    }
    let _ = js_sys::Reflect::set(&o, &JsValue::from_str("errorsByCode"), &by_code);
    o.into()
}

pub(crate) fn findings_js(findings: &[doctor::Finding]) -> JsValue {
    findings
        .iter()
        .map(|f| {
            let severity = match f.severity {
                doctor::Severity::Error => "error",
                doctor::Severity::Warning => "warning",
                doctor::Severity::Info => "info",
            };
            object(&[
                ("code", JsValue::from_str(f.code)),
                ("severity", JsValue::from_str(severity)),
                ("message", JsValue::from_str(&f.message)),
                ("field", JsValue::from_str(f.field)),
            ])
        })
        .collect::<js_sys::Array>()
        .into()
}

pub(crate) fn event_to_js(e: &AuthEvent) -> JsValue {
    let o = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&o, &k.into(), v);
    };
    set("type", &e.name().into());
    match e {
        AuthEvent::Login(s) | AuthEvent::TokenRefreshed(s) => set("session", &session_js(s)),
        AuthEvent::SessionExpired(err) | AuthEvent::Error(err) | AuthEvent::RestoreFailed(err) => {
            set("error", &to_js(err))
        }
        AuthEvent::Logout {
            revoked,
            end_session,
        } => {
            set("revoked", &(*revoked).into());
            set("endSession", &(*end_session).into());
        }
        AuthEvent::ScopeReduced { missing, granted } => {
            set("missing", &strings(missing));
            set("granted", &strings(granted));
        }
    }
    o.into()
}
