//! Stands in for `dpop.rs` in a build without the cargo feature `dpop` (the npm package's
//! default entry): no key, no proofs, no signature checks. The configuration refuses the
//! `dpop` and `verifyIdTokenSignature` options there, so none of this is ever asked for.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use crate::browser::driver::Inner;

/// Nothing to keep.
pub(crate) struct State;

impl State {
    pub(crate) fn new() -> Self {
        State
    }
}

pub(crate) fn start(_: &Rc<Inner>) {}

pub(crate) fn thumbprint(_: &Inner) -> Option<String> {
    None
}

pub(crate) fn forget(_: &Rc<Inner>) {}

#[cfg(feature = "sharing")]
pub(crate) fn shared_key(_: &Inner) -> wasm_bindgen::JsValue {
    wasm_bindgen::JsValue::UNDEFINED
}

#[cfg(feature = "sharing")]
pub(crate) fn adopt(_: &Inner, _: &wasm_bindgen::JsValue) {}
