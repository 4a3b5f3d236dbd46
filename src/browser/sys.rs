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
    /// `Date.now()` (the page's: read it before a `RefCell` is borrowed, never inside one).
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub(crate) fn date_now() -> f64;
}

/// A sys promise as js-sys's, for the paths that await it (the Rust API, the add-ons).
#[cfg(not(feature = "npm"))]
pub(crate) fn awaitable(p: Promise) -> js_sys::Promise {
    wasm_bindgen::JsCast::unchecked_into(p)
}
