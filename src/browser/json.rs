//! JSON decoding with the browser's `JSON.parse` and serde-wasm-bindgen: no JSON parser is
//! compiled into the wasm.

use crate::core::http::{JsonBody, JsonDecoder};

/// The browser's JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn decode<T: serde::de::DeserializeOwned>(&self, text: &str) -> JsonBody<T> {
        match js_sys::JSON::parse(text) {
            Err(_) => JsonBody::NotJson,
            Ok(v) => match serde_wasm_bindgen::from_value(v) {
                Ok(t) => JsonBody::Value(t),
                Err(_) => JsonBody::WrongShape,
            },
        }
    }
}
