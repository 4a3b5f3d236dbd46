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

/// Waits for the session machine to settle `op` (pumping its actions first): for the paths
/// that still await (the Rust API's facade, the session worker, DPoP).
pub(crate) async fn settled(inner: &Rc<Inner>, op: OpId) -> Result<(), AuthError> {
    let slot = Rc::new(RefCell::new(None));
    let (call, p) = inner.call();
    let s = slot.clone();
    after(
        inner,
        op,
        Box::new(move |inner, r| {
            *s.borrow_mut() = Some(r);
            inner.finish(call, Ok(JsValue::UNDEFINED));
        }),
    );
    pump(inner);
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    slot.take().unwrap_or(Err(AuthError::NotAuthenticated))
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
