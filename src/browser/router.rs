//! The client's one dispatch function: each result the executor hands back goes to the part
//! of the runtime that asked for it, and what that part answers goes back to the executor.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use crate::browser::driver::{self, Inner};
use crate::browser::exec::Dispatch;
use crate::browser::fetch;

/// The dispatch function of the client `inner` (held weakly: a dropped client answers nothing).
/// `popup`: what a login popup's outcome goes to (event 18: `AuthClient::popup_back`, given by
/// the client, whose modules this one may not import).
pub(crate) fn dispatch(
    inner: Weak<Inner>,
    popup: impl Fn(&Rc<Inner>, f64, bool, &str) + 'static,
) -> Dispatch {
    Dispatch::new(move |kind, n, m, a, b| match inner.upgrade() {
        Some(inner) => route(&inner, kind, n, m, a, b, &popup),
        None => JsValue::UNDEFINED,
    })
}

/// One result from the executor (`kind`; `n` a key, an id or a generation; `m` a number; `a`,
/// `b` values: the numbering in js/executor.js), read here where it is handled (`popup`: event
/// 18's, see [`dispatch`]).
fn route(
    inner: &Rc<Inner>,
    kind: u32,
    n: f64,
    m: f64,
    a: JsValue,
    b: JsValue,
    popup: &impl Fn(&Rc<Inner>, f64, bool, &str),
) -> JsValue {
    // The text of `a` ("" when it is none) and of `b`, read here once for the arms that read
    // them.
    let (text, more) = (a.as_string().unwrap_or_default(), b.as_string());
    match kind {
        // The client's timer fired.
        0 => driver::handle_timer(inner),
        // A login popup's outcome (`n`: its call's number; `m` 1: it sent its callback, the
        // text `a`).
        18 => popup(inner, n, m == 1.0, &text),
        // A promise handed over with `Dispatch::then` (key `n`) settled (`m` 1: fulfilled).
        #[cfg(any(feature = "dpop", feature = "sharing"))]
        1 => driver::handle_then(inner, n as u32, if m == 1.0 { Ok(a) } else { Err(a) }),
        // An app request's `init.method` as fetch reads it (`a`, `String(init.method)`):
        // undefined when fetch may send it, else the AuthError to reject with, before any send
        // or proof.
        20 => return fetch::method_refused(inner, &text),
        // An app request to `a` got no answer (`b`: a description) or could not be built (`b`
        // undefined); `m` 1: it carried a DPoP proof.
        2 => return fetch::api_failed(inner, &text, more, m == 1.0),
        // An app request sent with generation `n`'s token got a 401 or 403 (`m`; `a`
        // "URL\nmethod\n…"; `b` the start of a 403's body); 4: the answer to its retry. (The
        // DPoP builds: below, with 8.)
        #[cfg(not(feature = "dpop"))]
        3 | 4 => {
            return fetch::bearer_answer(
                inner,
                n as u64,
                m as u16,
                &text,
                more.as_deref(),
                kind == 4,
            );
        }
        // The answer to the session machine's request `n` (its number: `plain::send`), as
        // `request` in js/executor.js resolves. (With DPoP, `dpop_send.rs` sends them all.)
        #[cfg(not(feature = "dpop"))]
        5 => driver::plain::answered(inner, n as u64, &text),
        // The UserInfo answer: status `m` and text `a`, or (`m` negative) why it could not be
        // read.
        6 => return fetch::claims(inner, m, &text),
        // The headers of a DPoP-bound app request's first send, to `a` with method `b`.
        #[cfg(feature = "dpop")]
        7 => {
            let first = crate::core::dpop::Attempt::first(0);
            let method = more.unwrap_or_default();
            return crate::browser::dpop_fetch::for_send(inner, &text, &method, first);
        }
        // A DPoP-bound send's 401, 403 or answer with a `DPoP-Nonce`: the state its headers
        // gave (`n`), the status (`m`), "URL\nmethod\nDPoP-Nonce\nWWW-Authenticate" (`a`), and
        // a 403's body start (`b`); 3 and 4 as above, in the same form.
        #[cfg(feature = "dpop")]
        3 | 4 | 8 => {
            return fetch::dpop_answer(inner, kind, n, m as u16, &text, more.as_deref());
        }
        // A proof of a DPoP-bound app request's headers could not be signed (`a`: why): the
        // AuthError its promise rejects with.
        #[cfg(feature = "dpop")]
        19 => return inner.failed(crate::browser::dpop::sign_failed(&a)),
        // An event of the sharing links (`js/tabs.js`: a port's or the channel's message, the
        // leader lock, a timer): a message's text (`a`) and the value posted beside it (`b`).
        #[cfg(feature = "sharing")]
        9..=16 => return crate::browser::sharing::handle(inner, kind, n as u32, m, &a, b),
        _ => {}
    }
    JsValue::UNDEFINED
}
