//! Rust values as the plain JS objects the API hands out (sessions, counters, findings,
//! events): each written as JSON text ([`JsonObject`]) and made a JS value in one crossing.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::{self, AuthEvent, json_value, json_with_error};
use crate::core::doctor;
use crate::core::error::AuthError;
use crate::core::event::Part;
use crate::core::json::JsonObject;
use crate::js::to_js;

fn session_json(s: &browser::Session) -> String {
    JsonObject::new()
        .opt("instanceUrl", s.instance_url.as_deref())
        .opt("apiInstanceUrl", s.api_instance_url.as_deref())
        .opt("userId", s.user_id.as_deref())
        .opt("orgId", s.org_id.as_deref())
        .strings("scopes", &s.scopes)
        .num("issuedAt", s.issued_at.0)
        .opt_num("expiresAt", s.expires_at.map(|t| t.0))
        .str("tokenType", if s.dpop { "DPoP" } else { "Bearer" })
        .end()
}

pub(crate) fn session_js(s: &browser::Session) -> JsValue {
    json_value(&session_json(s))
}

pub(crate) fn stats_js(s: &browser::Stats) -> JsValue {
    let mut by_code = JsonObject::new();
    // In the order of each code's first failure (as the Rust API's `Serialize` writes them).
    for (code, n) in s.errors_by_code.entries() {
        by_code = by_code.num(code, f64::from(*n));
    }
    // The counters from the one table (core::event::COUNTER_NAMES), then the errors by code.
    let (mut o, counts) = (JsonObject::new(), s.counts());
    for (i, name) in crate::core::event::COUNTER_NAMES.iter().enumerate() {
        o = o.num(name, f64::from(counts[i]));
    }
    json_value(&o.raw("errorsByCode", &by_code.end()).end())
}

pub(crate) fn findings_js(findings: &[doctor::Finding]) -> JsValue {
    let mut list = String::from("[");
    for f in findings {
        let severity = match f.severity {
            doctor::Severity::Error => "error",
            doctor::Severity::Warning => "warning",
            doctor::Severity::Info => "info",
        };
        if list.len() > 1 {
            list.push(',');
        }
        list.push_str(
            &JsonObject::new()
                .str("code", f.code)
                .str("severity", severity)
                .str("message", &f.message)
                .str("field", f.field)
                .end(),
        );
    }
    list.push(']');
    json_value(&list)
}

/// An event as the JS object listeners get: `type`, and its [`AuthEvent::parts`] under their
/// keys (an error as a JS `AuthError`).
pub(crate) fn event_to_js(e: &AuthEvent) -> JsValue {
    let [first, second] = e.parts();
    let mut error = None;
    let o = put(JsonObject::new().str("type", e.name()), first, &mut error);
    let o = put(o, second, &mut error).end();
    match error {
        Some(err) => json_with_error(&o, &to_js(err)),
        None => json_value(&o),
    }
}

/// One part of an event written into its object (an error set aside: it does not cross as JSON).
fn put<'a>(o: JsonObject, part: Option<Part<'a>>, error: &mut Option<&'a AuthError>) -> JsonObject {
    match part {
        None => o,
        Some(Part::Session(s)) => o.raw("session", &session_json(s)),
        Some(Part::Error(e)) => {
            *error = Some(e);
            o
        }
        Some(Part::Flag(key, on)) => o.bool(key, on),
        Some(Part::Words(key, words)) => o.strings(key, words),
    }
}
