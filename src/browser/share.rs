//! Bindings to `js/tabs.js`: SharedWorker ports, Web Locks, BroadcastChannel, and copying a
//! request or response across a port.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::sys::Promise;
use crate::core::error::AuthError;

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    #[wasm_bindgen(js_name = canUseWorker)]
    pub(crate) fn can_use_worker() -> bool;
    #[wasm_bindgen(js_name = canUseLocks)]
    pub(crate) fn can_use_locks() -> bool;
    /// Opens (or joins) the named SharedWorker at `url` (`None`: the package's own
    /// `session-worker.js`, named so bundlers find it); its messages go to `dispatch` (event 9).
    /// Returns its port.
    #[wasm_bindgen(js_name = connectWorker, catch)]
    pub(crate) fn connect_worker(
        url: Option<&str>,
        name: &str,
        dispatch: &JsValue,
    ) -> Result<JsValue, JsValue>;
    /// `port`'s messages go to `dispatch` as event 9 with `n`.
    pub(crate) fn listen(port: &JsValue, dispatch: &JsValue, n: u32);
    /// `target.postMessage(message, [transfer])`.
    #[wasm_bindgen(catch)]
    pub(crate) fn post(
        target: &JsValue,
        message: &JsValue,
        transfer: &JsValue,
    ) -> Result<(), JsValue>;
    /// Opens the BroadcastChannel `name`; its messages go to `dispatch` (event 10).
    #[wasm_bindgen(js_name = openChannel, catch)]
    pub(crate) fn open_channel(name: &str, dispatch: &JsValue) -> Result<JsValue, JsValue>;
    /// Joins the line for the leader lock (events 11 to 14, see `js/tabs.js`); returns what
    /// [`take_over`] takes the lock over with.
    pub(crate) fn lead(name: &str, dispatch: &JsValue, hold_ms: f64) -> JsValue;
    /// Takes the leader lock over (one tab at a time, and only if event 13 still says so).
    #[wasm_bindgen(js_name = takeOver)]
    pub(crate) fn take_over(steal: &JsValue);
    /// Timer `n` of `dispatch` fires after `ms` (event 15).
    pub(crate) fn later(dispatch: &JsValue, n: u32, ms: f64);
    /// The request as plain data, or (a string) why it could not be read.
    #[wasm_bindgen(js_name = packRequest)]
    pub(crate) fn pack_request(input: &JsValue, init: &JsValue) -> Promise;
    /// The promise of a response as plain data, or (a string) why its body could not be read.
    #[wasm_bindgen(js_name = packResponse)]
    pub(crate) fn pack_response(response: &Promise) -> Promise;
    /// The promise of claims as JSON text.
    #[wasm_bindgen(js_name = claimsText)]
    pub(crate) fn claims_text(claims: &Promise) -> Promise;
    /// The Response rebuilt, or (a string) why it could not be.
    #[wasm_bindgen(js_name = unpackResponse)]
    pub(crate) fn unpack_response(packed: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(o: &JsValue, key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(o: &JsValue, key: &str, value: &JsValue) -> bool;
    /// `Object()`: a new plain object.
    #[wasm_bindgen(js_name = Object)]
    fn object() -> JsValue;
}

/// `o[key]` (undefined when `o` is no object).
pub(crate) fn get(o: &JsValue, key: &str) -> JsValue {
    reflect_get(o, key).unwrap_or(JsValue::UNDEFINED)
}

/// `o[key]` as a string.
pub(crate) fn get_str(o: &JsValue, key: &str) -> Option<String> {
    get(o, key).as_string()
}

/// A message object from (key, value) pairs.
pub(crate) fn message(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = object();
    for (k, v) in pairs {
        if !v.is_undefined() {
            reflect_set(&o, k, v);
        }
    }
    o
}

/// A JS `AuthError` another context made (the session worker's client): its code, message and
/// server fields.
pub(crate) fn error_of(js: &JsValue) -> AuthError {
    crate::core::wire::relayed_error(
        get_str(js, "code").as_deref(),
        get_str(js, "message").unwrap_or_default(),
        get_str(js, "error"),
        get_str(js, "errorDescription"),
        get(js, "status").as_f64().map(|s| s as u16),
    )
}

/// The name shared by the worker, the lock and the channel of one client configuration: the
/// message-protocol version and a hash of the options (`core::group`), so another deploy
/// forms its own group.
pub(crate) fn scope_name(
    config: &crate::core::config::ClientConfig,
    options: &crate::core::config::ClientOptions,
) -> String {
    crate::core::group::group_name(
        &config.client_id,
        &crate::core::wire::encode_options(options, config.profile()),
    )
}
