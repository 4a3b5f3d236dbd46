//! The client's one dispatch function: each result the executor hands back goes to the part
//! of the runtime that asked for it, and what that part answers goes back to the executor.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use crate::browser::driver::{self, Inner};
use crate::browser::exec::{Dispatch, Event};
use crate::browser::fetch;

/// The dispatch function of the client `inner` (held weakly: a dropped client answers nothing).
pub(crate) fn dispatch(inner: Weak<Inner>) -> Dispatch {
    Dispatch::new(move |event| match inner.upgrade() {
        Some(inner) => route(&inner, event),
        None => JsValue::UNDEFINED,
    })
}

fn route(inner: &Rc<Inner>, event: Event) -> JsValue {
    match event {
        Event::Timer => {
            driver::handle_timer(inner);
            JsValue::UNDEFINED
        }
        Event::Then { key, result } => {
            driver::handle_then(inner, key, result);
            JsValue::UNDEFINED
        }
        Event::ApiFailed { url, detail, proof } => fetch::api_failed(inner, &url, detail, proof),
        Event::ApiDead {
            generation,
            url,
            status,
            body_start,
            retried,
        } => fetch::dead_answer(
            inner,
            generation,
            &url,
            status,
            body_start.as_deref(),
            retried,
            fetch::Again::Bearer,
        ),
        Event::Unsubscribe { id } => {
            inner.listeners.borrow_mut().remove(id);
            JsValue::UNDEFINED
        }
        Event::Claims(answer) => fetch::claims(inner, answer),
        #[cfg(feature = "dpop")]
        Event::DpopFirst { url, method } => crate::browser::dpop_fetch::first(inner, &url, &method),
        #[cfg(feature = "dpop")]
        Event::DpopAnswer {
            state,
            status,
            parts,
            body_start,
        } => fetch::dpop_answer(inner, state, status, &parts, body_start.as_deref()),
        #[cfg(feature = "sharing")]
        Event::Shared {
            kind,
            n,
            m,
            data,
            value,
        } => crate::browser::sharing::handle(inner, kind, n, m, &data, value),
    }
}
