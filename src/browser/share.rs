//! Bindings to `js/tabs.js`: SharedWorker ports, Web Locks, BroadcastChannel, and copying a
//! request or response across a port. A message is a form of `core::wire` (its text) and a
//! value beside it (a DPoP key pair, a packed request or response).

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::sys::Promise;

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    /// Opens (or joins) the named SharedWorker at `url` (undefined: the package's own
    /// `session-worker.js`, named so bundlers find it); its messages go to `dispatch` (event 9).
    /// Returns its port, or undefined where the browser has no SharedWorker (or refused it).
    #[wasm_bindgen(js_name = connectWorker)]
    pub(crate) fn connect_worker(url: &JsValue, name: &JsValue, dispatch: &JsValue) -> JsValue;
    /// The session worker serves `port`: its messages go to the host's dispatch function
    /// `host` as event 9 (the text, and `[port, the value posted beside it]`); its pings are
    /// answered there, and its goodbye ends its service.
    pub(crate) fn serve(port: &JsValue, host: &JsValue);
    /// Posts the message `text` with `value` beside it (a body in it transferred); `false`
    /// when it could not be posted. Posted to the session worker's host (its dispatch
    /// function), it goes to every port the host serves (`serve`).
    pub(crate) fn post(target: &JsValue, text: &str, value: &JsValue) -> bool;
    /// `o[k]` of a plain object or array (undefined for anything else); `k` a whole number
    /// (passed as it is: no string crosses, no shim in the glue).
    pub(crate) fn field(o: &JsValue, k: f64) -> JsValue;
    /// Opens the BroadcastChannel `name` (its messages: event 10) and joins the line for the
    /// leader lock (events 11 to 14, see `js/tabs.js`); returns the channel, or `""` where the
    /// browser has no Web Locks or BroadcastChannel (read with `as_string`, an import every
    /// build has: no `is_undefined` import for it).
    #[wasm_bindgen(js_name = joinTabs)]
    pub(crate) fn join_tabs(name: &JsValue, dispatch: &JsValue, hold_ms: f64) -> JsValue;
    /// Takes the leader lock over (one tab at a time, and only if event 13 still says so).
    #[wasm_bindgen(js_name = takeOver)]
    pub(crate) fn take_over(channel: &JsValue);
    /// Timer `n` (a whole number: the glue passes a number through as it is, where a `u32` would
    /// take a conversion of its own) of `dispatch` fires after `ms` (event 15).
    #[wasm_bindgen(js_name = later)]
    fn later_as(dispatch: &JsValue, n: f64, ms: f64);
    /// The tabs' logout lock (`"tabs-locks"`, `channel` the one `join_tabs` returned): with a
    /// promise `done`, this tab's logout that revokes holds it until `done` settles or `ms`
    /// passes (the returned promise is not read); with `undefined`, the promise of a wait until no tab's
    /// logout holds it, at most `ms`.
    #[wasm_bindgen(js_name = logoutLock)]
    pub(crate) fn logout_lock(channel: &JsValue, done: &JsValue, ms: f64) -> Promise;
    /// The request as plain data (`[url, init]`), or (a string) why it could not be read;
    /// rejected with the error of a method fetch cannot send (`dispatch` 20 refused it).
    #[wasm_bindgen(js_name = packRequest)]
    pub(crate) fn pack_request(input: &JsValue, init: &JsValue, dispatch: &JsValue) -> Promise;
    /// The promise of a response as plain data (or of the claims object, as it is); rejected
    /// with an error's fields as a form (`relay::error_fields`' names), which the host appends
    /// to its reply.
    pub(crate) fn relay(promise: &Promise) -> Promise;
    /// The session worker's relay: each event `name` of the client of `client` (its dispatch
    /// function) goes to the host's dispatch function `host` as event 17 with its form
    /// (`relay::read_event`'s fields).
    #[wasm_bindgen(js_name = relayEvent)]
    pub(crate) fn relay_event(client: &JsValue, name: &str, host: &JsValue);
    /// The Response rebuilt, or (a string) why it could not be.
    #[wasm_bindgen(js_name = unpackResponse)]
    pub(crate) fn unpack_response(packed: &JsValue) -> JsValue;
}

/// Timer `n` of `dispatch` fires after `ms` (event 15).
pub(crate) fn later(dispatch: &JsValue, n: u32, ms: f64) {
    later_as(dispatch, n.into(), ms);
}

/// The name shared by the worker, the lock and the channel of one client configuration: the
/// message-protocol version and a hash of the options (`core::group`), so another deploy
/// forms its own group. (A JS string: the glue passes it to `connectWorker` and `joinTabs` as it
/// is.)
pub(crate) fn scope_name(config: &crate::core::config::ClientConfig, options: &str) -> JsValue {
    crate::core::group::group_name(&config.client_id, options).into()
}
