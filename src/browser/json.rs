//! JSON with the browser's `JSON.parse`, and JS values (options objects) read as the core's
//! small [`Json`] tree: the executor writes either as one tree text (`tree` in
//! js/executor.js), read by [`crate::core::tree`]. No JSON parser and no serde deserializers
//! for responses are compiled into the wasm, and no binding per JS type or method.

#[allow(unused_imports)]
use crate::core::prelude::*;

use core::cell::Cell;

use wasm_bindgen::prelude::*;

use crate::core::http::JsonDecoder;
use crate::core::json::{Json, MAX_DEPTH};
use crate::core::tree::from_tree;

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    #[wasm_bindgen(js_name = tree)]
    fn tree_raw(value: &JsValue, parse: bool, depth: u32) -> JsValue;
}

/// `tree` in js/executor.js (its string read by `as_string`, as env.rs's imports are).
fn tree_js(value: &JsValue, parse: bool, depth: u32) -> Option<String> {
    tree_raw(value, parse, depth).as_string()
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    /// A function (`made` itself) when `text` is no JSON: no JSON value is a function, and the
    /// wasm already asks whether a value is one (an `undefined` test would be an import more).
    #[wasm_bindgen(js_name = made)]
    fn made_js(kind: u32, text: &str, value: &JsValue) -> JsValue;
}

/// The browser's JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserJson;

impl JsonDecoder for BrowserJson {
    fn parse(&self, text: &str) -> Option<Json> {
        from_tree(&tree_js(&JsValue::from_str(text), true, MAX_DEPTH as u32)?)
    }
}

/// A JS value as the core's tree (`None`: it could not be read — a getter threw, or it holds
/// over 100,000 values).
pub(crate) fn from_js(v: &JsValue) -> Option<Json> {
    from_tree(&tree_js(v, false, MAX_DEPTH as u32)?)
}

/// The JS value of JSON text (`None`: it is no JSON).
pub(crate) fn parsed(json: &str) -> Option<JsValue> {
    let v = made_js(0, json, &JsValue::UNDEFINED);
    (!v.is_function()).then_some(v)
}

/// The JS value of JSON text the wasm wrote.
pub(crate) fn value_of(json: &str) -> JsValue {
    parsed(json).unwrap_or(JsValue::UNDEFINED)
}

/// The JS value of an event's JSON text, with its `error` (a JS `AuthError`, which does not
/// cross as JSON).
pub(crate) fn with_error(json: &str, error: &JsValue) -> JsValue {
    let v = made_js(1, json, error);
    if v.is_function() {
        JsValue::UNDEFINED
    } else {
        v
    }
}

/// JSON text parsed before the session is borrowed: the page's `JSON.parse` (which a page may
/// wrap, and whose wrapper may call the client) never runs inside a borrow — a call back would
/// trap and leave the session borrowed for good. It holds an answer's body's value and, when
/// the body has an `id_token`, that JWT's payload's; each is handed out once; a text it does
/// not hold is parsed as `BrowserJson`'s.
pub(crate) struct Parsed {
    /// The body, known by its address and length (`ptr::eq`; never read through): the session
    /// machine is handed the same `String`, moved with its answer but not its text, and parses
    /// that. (Not a copy of it: measured −81 B on the page against main's `to_owned`. Were the
    /// core ever to parse a copy, that parse would miss and run inside the borrow — E2E
    /// reentry.test.mjs's first test traps then.)
    body: *const str,
    payload: Option<String>,
    /// The body's value and the payload's, until handed out.
    values: [Cell<Option<Option<Json>>>; 2],
}

impl Parsed {
    /// `body` parsed (a UserInfo answer's: no id_token is looked for).
    pub(crate) fn of(body: &str) -> Self {
        Parsed {
            body,
            payload: None,
            values: [Cell::new(Some(BrowserJson.parse(body))), Cell::new(None)],
        }
    }

    /// A token or revocation endpoint's answer: `body` parsed, and its id_token's payload when
    /// it has one.
    pub(crate) fn answer(body: &str) -> Self {
        let mut p = Parsed::of(body);
        let payload = p.values[0]
            .get_mut()
            .as_ref()
            .and_then(Option::as_ref)
            .and_then(|v| v.str_ref("id_token").ok().flatten())
            .and_then(|jwt| crate::core::id_token::id_token_payload(jwt).ok());
        if let Some(text) = payload {
            p.values[1] = Cell::new(Some(BrowserJson.parse(&text)));
            p.payload = Some(text);
        }
        p
    }
}

impl JsonDecoder for Parsed {
    fn parse(&self, text: &str) -> Option<Json> {
        let i = match text {
            t if core::ptr::eq(t, self.body) => 0,
            t if Some(t) == self.payload.as_deref() => 1,
            _ => 2,
        };
        match self.values.get(i).and_then(Cell::take) {
            Some(v) => v,
            None => BrowserJson.parse(text),
        }
    }
}
