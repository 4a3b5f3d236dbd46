//! The add-ons' continuations of promises handed to the executor (DPoP's steps, the session
//! worker's replies): each waits under a key and runs when the executor hands its outcome back
//! (dispatch 1). The default build has none: its two (a core request's answer, a login popup's
//! outcome) come back as events of their own (`Dispatch::hand`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use super::Inner;

/// What runs when a promise handed to the executor settles.
pub(crate) type JsThen = Box<dyn FnOnce(&Rc<Inner>, Result<JsValue, JsValue>)>;

/// Hands `promise` to the executor; `then` runs with its outcome.
pub(crate) fn after_js(inner: &Inner, promise: &JsValue, then: JsThen) {
    let key = inner.key();
    inner.thens.borrow_mut().push((key, then));
    inner.exec.then(key, promise);
}

/// A promise handed to the executor settled.
pub(crate) fn handle_then(inner: &Rc<Inner>, key: u32, result: Result<JsValue, JsValue>) {
    let then = {
        let mut list = inner.thens.borrow_mut();
        let Some(i) = list.iter().position(|(k, _)| *k == key) else {
            return;
        };
        list.swap_remove(i).1
    };
    then(inner, result);
}
