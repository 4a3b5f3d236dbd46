//! JSON with the browser's `JSON.parse`, converted into the core's small [`Json`] tree: no JSON
//! parser and no serde deserializers for responses are compiled into the wasm.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::{JsCast, JsValue};

use crate::core::http::JsonDecoder;
use crate::core::json::{Json, MAX_DEPTH};

/// The browser's JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse(&self, text: &str) -> Option<Json> {
        js_sys::JSON::parse(text).ok().map(|v| from_js(&v))
    }
}

/// A JS value as the core's tree (what `JSON.parse` gave, or an options object).
pub(crate) fn from_js(v: &JsValue) -> Json {
    from_js_at(v, 0)
}

fn from_js_at(v: &JsValue, depth: usize) -> Json {
    if depth > MAX_DEPTH {
        Json::Null
    } else if let Some(s) = v.as_string() {
        Json::String(s)
    } else if let Some(n) = v.as_f64() {
        Json::Number(n)
    } else if let Some(b) = v.as_bool() {
        Json::Bool(b)
    } else if js_sys::Array::is_array(v) {
        Json::Array(
            js_sys::Array::from(v)
                .iter()
                .map(|x| from_js_at(&x, depth + 1))
                .collect(),
        )
    } else if let Some(o) = v.dyn_ref::<js_sys::Object>() {
        let entries = js_sys::Object::entries(o);
        Json::Object(
            entries
                .iter()
                .map(|e| {
                    let pair: js_sys::Array = e.unchecked_into();
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        from_js_at(&pair.get(1), depth + 1),
                    )
                })
                .collect(),
        )
    } else {
        Json::Null
    }
}
