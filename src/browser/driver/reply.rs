//! Where the session worker's reply to a tab's call goes (`sessionSharing: "tabs"`). The tab
//! side: `Relayed`, the call a tab waits on the worker for, as data (settled by `resume.rs`'s
//! `remote::Waiter`). The worker side (`host.rs`): the tab's port and the call's id, as data, so that a call waiting for the
//! worker client's session machine (`Wait::Relayed`, `Wait::Refetch`, `SignedOut::Relay`) is
//! answered without a closure kept for it.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use alloc::rc::Rc;

use super::{Call, Inner, SignedOut, Wait};
use crate::browser::share;
use crate::core::error::AuthError;
use crate::core::relay;
use crate::core::wire::{SessionView, Writer};

/// A reply: the value posted beside it (a packed response, the claims, a logout's
/// `id_token_hint`), or an error's fields (`relay::error_fields`, or `relay` in js/tabs.js).
pub(crate) type Answer = Result<JsValue, String>;

/// Who waits for the session worker's answer to this tab's call (the tab side), as data: the
/// client, and what goes on (`remote::Waiter`, in `resume.rs`).
pub(crate) struct Relayed {
    pub(crate) inner: Rc<Inner>,
    pub(crate) then: Then,
}

/// What goes on with the worker's answer to this tab's call.
pub(crate) enum Then {
    /// `auth.fetch`'s promise settles with the response rebuilt here.
    Fetch(Call),
    /// `auth.userinfo()`'s with the claims posted beside the reply.
    Userinfo(Call),
    /// The logout: signed out, with the `id_token_hint` posted beside the reply (if any).
    SignedOut(SignedOut),
    /// The code exchange: done.
    Done(Wait),
}

/// A tab's call: its port and its id.
pub(crate) struct TabReply {
    pub(crate) port: JsValue,
    pub(crate) id: String,
}

impl TabReply {
    /// Posts `answer` to the tab, beside the state every message carries (`inner`: the worker's
    /// client, if it has one yet).
    pub(crate) fn send(&self, inner: Option<&Inner>, answer: Answer) {
        let mut w = Writer::new();
        w.put("id", &self.id);
        let value = match answer {
            Ok(value) => value,
            Err(e) => {
                w.fields(&e);
                JsValue::UNDEFINED
            }
        };
        let _ = share::post(&self.port, &state(inner, &mut w), &value);
    }

    /// Done, or why not.
    pub(crate) fn done(&self, inner: &Inner, r: Result<(), AuthError>) {
        self.send(Some(inner), done(r));
    }

    /// Signed out (a counted failure, or with a hint asked for, the session's latest id_token).
    pub(crate) fn signed_out(&self, inner: &Inner, r: Result<Option<String>, AuthError>) {
        let answer = match inner.reported(r) {
            Ok(t) => Ok(t.map_or(JsValue::UNDEFINED, |t| JsValue::from_str(&t))),
            Err(e) => Err(relay::error_fields(&e)),
        };
        self.send(Some(inner), answer);
    }
}

/// A call's outcome with nothing to carry.
pub(crate) fn done(r: Result<(), AuthError>) -> Answer {
    r.map(|()| JsValue::UNDEFINED)
        .map_err(|e| relay::error_fields(&e))
}

/// The public state every message carries, as its own fields: the session view (none: signed
/// out) and the counters of the worker's own session machine (its client is never shared
/// further).
pub(crate) fn state(inner: Option<&Inner>, w: &mut Writer) -> String {
    let mut counts = [0; 5];
    if let Some(inner) = inner {
        let s = inner.session.borrow();
        if let Some(t) = s.tokens() {
            SessionView::of(t).write(w);
        }
        counts = s.stats().counts();
    }
    relay::write_counts(counts, w);
    w.finish()
}
