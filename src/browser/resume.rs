//! What a waiter for an operation of the session machine goes on with (`driver::Wait`): the
//! body each kind of wait runs, where it lives. Handed to the client at construction, as the
//! driver may not import the modules these bodies are in (they import it).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use crate::browser::client::AuthClient;
use crate::browser::driver::{Inner, Wait};
#[cfg(feature = "sharing")]
use crate::browser::driver::{Relayed, Then};
use crate::browser::{end_session, fetch, redirect};
#[cfg(feature = "sharing")]
use crate::browser::{host, remote};
use crate::core::error::AuthError;

/// The client of `inner`.
#[cfg(feature = "sharing")]
fn client(inner: &Rc<Inner>) -> AuthClient {
    AuthClient {
        inner: inner.clone(),
    }
}

impl AuthClient {
    /// `wait` goes on with the outcome `r` of the operation it waited for.
    pub(crate) fn resume(inner: &Rc<Inner>, wait: Wait, r: Result<(), AuthError>) {
        match wait {
            Wait::Refreshed {
                call,
                generation,
                origin,
                again,
            } => fetch::refreshed(inner, call, generation, origin, again, r),
            Wait::SignedOut { then, id_token } => {
                end_session::signed_out(inner, then, r.map(|()| id_token));
            }
            Wait::Exchanged {
                then,
                return_to,
                silent,
            } => redirect::callback_done(inner, r, return_to, silent, then),
            #[cfg(feature = "sharing")]
            Wait::Relayed(reply) => reply.done(inner, r),
            #[cfg(feature = "sharing")]
            Wait::Refetch(reply, value) => host::relay_fetch(&client(inner), value, reply),
            #[cfg(feature = "sharing")]
            Wait::Callback { params, then } => client(inner).complete_callback(params, then),
            #[cfg(feature = "sharing")]
            Wait::Restore(call) => client(inner).restore_if_wanted(call),
        }
    }
}

/// The session worker's answer to this tab's call goes on (`remote::Waiter`): the value posted
/// beside the reply, or the worker's error.
#[cfg(feature = "sharing")]
impl remote::Waiter for Relayed {
    fn answered(self, r: Result<wasm_bindgen::JsValue, AuthError>) {
        let inner = &self.inner;
        match self.then {
            Then::Fetch(call) => inner.finish(call, r.and_then(remote::rebuilt)),
            Then::Userinfo(call) => inner.finish(call, r),
            Then::SignedOut(then) => {
                end_session::signed_out(inner, then, r.map(|hint| hint.as_string()));
            }
            Then::Done(wait) => inner.resume(wait, r.map(|_| ())),
        }
    }
}
