//! Awaiting an operation: for the paths that still do (the Rust API's facade, the session
//! worker), over the same operations the event loop runs.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;

#[cfg(feature = "sharing")]
use crate::browser::driver::Call;
use crate::browser::driver::Inner;
#[cfg(feature = "sharing")]
use crate::core::error::AuthError;

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

/// Runs a future to its end and settles `call` with its outcome: the session worker's paths,
/// which still await.
#[cfg(feature = "sharing")]
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
