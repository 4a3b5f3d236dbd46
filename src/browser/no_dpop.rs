//! Stands in for `dpop.rs` in a build without the cargo feature `dpop` (the npm package's
//! default entry): no key, no proofs, no signature checks. The configuration refuses the
//! `dpop` and `verifyIdTokenSignature` options there, so none of this is ever asked for.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// Nothing to keep.
pub(crate) struct State;

impl State {
    pub(crate) fn new() -> Self {
        State
    }

    pub(crate) fn thumbprint(&self) -> Option<String> {
        None
    }

    #[cfg(feature = "sharing")]
    pub(crate) fn shared_key(&self) -> wasm_bindgen::JsValue {
        wasm_bindgen::JsValue::UNDEFINED
    }

    /// No key is taken: a DPoP-bound set cannot be used here.
    #[cfg(feature = "sharing")]
    pub(crate) fn received(_: &wasm_bindgen::JsValue) -> Option<Received> {
        None
    }

    #[cfg(feature = "sharing")]
    pub(crate) fn adopt(&self, key: Received) {
        match key {}
    }
}

/// No key is ever received.
#[cfg(feature = "sharing")]
pub(crate) type Received = core::convert::Infallible;
