//! Awaiting an operation: for the paths that still do (the Rust API's facade, the session
//! worker, DPoP), over the same operations the event loop runs.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::browser::driver::{Call, Inner, after, pump};
use crate::core::error::AuthError;
use crate::core::session::OpId;

/// Runs a continuation-passing step and awaits the value it hands its continuation (`None`:
/// it never did).
pub(crate) async fn oneshot<T: 'static>(
    inner: &Rc<Inner>,
    start: impl FnOnce(Box<dyn FnOnce(&Rc<Inner>, T)>),
) -> Option<T> {
    let slot = Rc::new(RefCell::new(None));
    let (call, p) = inner.call();
    let s = slot.clone();
    start(Box::new(move |inner, v| {
        *s.borrow_mut() = Some(v);
        inner.finish(call, Ok(JsValue::UNDEFINED));
    }));
    let _ = wasm_bindgen_futures::JsFuture::from(crate::browser::sys::awaitable(p)).await;
    slot.take()
}

/// Waits for the session machine to settle `op` (pumping its actions first): for the paths
/// that still await (the Rust API's facade, the session worker, DPoP).
pub(crate) async fn settled(inner: &Rc<Inner>, op: OpId) -> Result<(), AuthError> {
    let r = oneshot(inner, |then| {
        after(inner, op, then);
        pump(inner);
    });
    r.await.unwrap_or(Err(AuthError::NotAuthenticated))
}

/// Runs a future to its end and settles `call` with its outcome: the add-ons' paths (the
/// session worker, DPoP proofs) that still await.
#[cfg(any(feature = "sharing", feature = "dpop"))]
pub(crate) fn spawn(
    inner: &Rc<Inner>,
    call: Call,
    f: impl Future<Output = Result<JsValue, AuthError>> + 'static,
) {
    let inner = inner.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let r = f.await;
        inner.finish(call, r);
    });
}
