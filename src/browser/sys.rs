//! The few JS built-ins the runtime names itself, declared here rather than taken from js-sys:
//! linking js-sys at all keeps ~3.5 KB of its closure shims in the wasm's function table
//! (docs/DECISIONS.md, "js-sys out of the default entry"), so the default and `./dpop` entries
//! link neither js-sys nor web-sys; `./tabs` and the Rust API (which await) still do.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS `Promise`.
    #[wasm_bindgen(typescript_type = "Promise<any>")]
    #[derive(Clone)]
    pub(crate) type Promise;
    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub(crate) fn date_now() -> f64;
    /// A listener (checked to be a function when added).
    pub(crate) type Listener;
    /// Calls a listener with one argument; what it throws is caught.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub(crate) fn call1(
        this: &Listener,
        this_arg: &JsValue,
        arg: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

/// A sys promise as js-sys's, for the paths that await it (the Rust API, the add-ons).
#[cfg(not(feature = "npm"))]
pub(crate) fn awaitable(p: Promise) -> js_sys::Promise {
    wasm_bindgen::JsCast::unchecked_into(p)
}
