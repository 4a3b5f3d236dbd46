//! Who waits for an operation of the session machine (a login's code exchange, a refresh, a
//! logout), as data: what each waiter needs once the operation settles, kept in the client's
//! list until then and handed, with the outcome, to the one function given at construction
//! (`AuthClient::resume`, above the modules whose bodies it calls). No boxed closure is kept
//! for them.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

#[cfg(feature = "sharing")]
use wasm_bindgen::JsValue;

#[cfg(feature = "sharing")]
use super::TabReply;
use super::{Call, Inner, pump};
use crate::browser::env;
#[cfg(feature = "sharing")]
use crate::core::callback::CallbackParams;
use crate::core::callback::ValidatedCallback;
use crate::core::end_session::LogoutOptions;
use crate::core::error::AuthError;
use crate::core::session::OpId;
use crate::core::url::Origin;

/// What waits for an operation of the session machine.
pub(crate) enum Wait {
    /// `auth.fetch`'s dead-token answer waits for its refresh: call `call` settles with what
    /// `again` gives to retry with, once the session machine allows the retry (the answer came
    /// with `generation`'s token, from `origin`).
    Refreshed {
        call: Call,
        generation: u64,
        origin: Origin,
        again: Again,
    },
    /// A logout: `then` once signed out (`id_token`: with a hint asked for, the session's
    /// latest id_token).
    SignedOut {
        then: SignedOut,
        id_token: Option<String>,
    },
    /// A callback's code exchange: `then` settles with `return_to` (`silent`: a silent
    /// restore's, which ends signed out, not rejected).
    Exchanged {
        then: CallbackThen,
        return_to: String,
        silent: bool,
    },
    /// The session worker's code exchange for a tab: the tab's reply says done, or why not.
    #[cfg(feature = "sharing")]
    Relayed(TabReply),
    /// A tab's `auth.fetch` the session worker holds while its set is known dead: made (`value`,
    /// the request as `packRequest` in js/tabs.js made it) once that refresh settled.
    #[cfg(feature = "sharing")]
    Refetch(TabReply, JsValue),
    /// Once this tab knows the shared session (`sharing::joined_then`; the outcome is `Ok`): a
    /// callback completed, `then` settling with it.
    #[cfg(feature = "sharing")]
    Callback {
        params: CallbackParams,
        then: CallbackThen,
    },
    /// Once this tab knows the shared session: `handleRedirect()` off a callback (`call`), a
    /// silent restore begun if `restore: "auto"` wants one.
    #[cfg(feature = "sharing")]
    Restore(Call),
}

/// What runs when an operation of the session machine settles, given each waiter and the
/// outcome (`AuthClient::resume`).
pub(crate) type Resume = fn(&Rc<Inner>, Wait, Result<(), AuthError>);

/// What a retry after a dead-token answer is sent with, once the session machine says so.
pub(crate) enum Again {
    /// The current Authorization value (the build without DPoP holds only Bearer sets).
    #[cfg(not(feature = "dpop"))]
    Bearer,
    /// The headers of the set the session machine judged, for the request's URL and method
    /// (the executor's "URL\nmethod\n…" text, kept whole: one copy): `Authorization: DPoP` and
    /// a new proof for a DPoP-bound set (a Bearer send's too, when its refresh answered one),
    /// the Authorization value alone for a Bearer set.
    #[cfg(feature = "dpop")]
    Dpop(String),
}

/// What runs once signed out (given, with `hint`, the session's latest id_token).
pub(crate) enum SignedOut {
    /// `logout()`: its promise settles.
    Settle(Call),
    /// `logout({ endSession: true })`: the navigation to the end-session endpoint.
    EndSession(EndSession),
    /// The session worker's logout for a tab: the tab's reply (with `hint`, the session's
    /// latest id_token).
    #[cfg(feature = "sharing")]
    Relay(TabReply),
}

/// What the end-session navigation needs once signed out (checked before). Runtime state, no
/// part of the Rust API (a Rust app gives `LogoutOptions` to `logout_with` and reads them back
/// as it built them); its fields are for `browser::end_session`, which builds and runs it (the
/// type sits here, below the driver, so the driver need not import that module).
pub(crate) struct EndSession {
    pub(in crate::browser) options: LogoutOptions,
    pub(in crate::browser) state: [u8; 32],
    pub(in crate::browser) storage: env::Store,
    pub(in crate::browser) page: Option<String>,
    pub(in crate::browser) call: Call,
}

/// Whose promise settles once a callback is completed (or failed).
pub(crate) enum CallbackThen {
    /// `handleRedirect()`'s, with the `RedirectResult`.
    Redirect(Call),
    /// `loginPopup()`'s, with `returnTo` (`true`: the Rust API's) or undefined (the JS API's).
    Popup(Call, bool),
}

impl Inner {
    /// `then` goes on with the outcome `r` of the operation it waited for.
    pub(crate) fn resume(self: &Rc<Self>, then: Wait, r: Result<(), AuthError>) {
        (self.resume)(self, then, r);
    }
}

/// The code exchange with the token endpoint, here: installs the session and emits `login`;
/// `then` goes on when the session machine settles it.
pub(crate) fn start_login(inner: &Rc<Inner>, validated: &ValidatedCallback, then: Wait) {
    let op = inner.session.borrow_mut().start_login(validated);
    after(inner, op, then);
    pump(inner);
}

/// `then` goes on when the session machine settles `op` (register it before pumping the
/// actions that may settle it).
pub(crate) fn after(inner: &Inner, op: OpId, then: Wait) {
    inner.ops.borrow_mut().push((op, then));
}

/// The session machine settled `op`: its waiters go on in the order they registered, each with
/// a copy of the result (`AuthError::copy`: what JS sees of it is the same; a waiter that pumps
/// again runs before the waiters after it). Nobody waiting (a proactive refresh, one for another
/// tab): a failure is reported.
pub(super) fn settle(inner: &Rc<Inner>, op: OpId, result: Result<(), AuthError>) {
    let mut waited = false;
    loop {
        let then = {
            let mut ops = inner.ops.borrow_mut();
            let Some(i) = ops.iter().position(|(o, _)| *o == op) else {
                break;
            };
            ops.remove(i).1
        };
        waited = true;
        inner.resume(then, result.as_ref().map(|_| ()).map_err(AuthError::copy));
    }
    if !waited && let Err(e) = &result {
        inner.session.borrow_mut().report(e);
    }
}
