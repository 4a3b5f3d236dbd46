//! Bindings to `js/tabs.js`: SharedWorker ports, Web Locks, BroadcastChannel, and copying a
//! request or response across a port.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    #[wasm_bindgen(js_name = canUseWorker)]
    pub(crate) fn can_use_worker() -> bool;
    #[wasm_bindgen(js_name = canUseLocks)]
    pub(crate) fn can_use_locks() -> bool;
    /// Opens (or joins) the named SharedWorker at `url` (`None`: the package's own
    /// `session-worker.js`, named so bundlers find it); messages go to `on_message`. Returns
    /// its port.
    #[wasm_bindgen(js_name = connectWorker, catch)]
    pub(crate) fn connect_worker(
        url: Option<&str>,
        name: &str,
        on_message: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
    /// `port.onmessage = e => on_message(e.data)`.
    pub(crate) fn listen(port: &JsValue, on_message: &js_sys::Function);
    /// `target.postMessage(message, [transfer])`.
    #[wasm_bindgen(catch)]
    pub(crate) fn post(
        target: &JsValue,
        message: &JsValue,
        transfer: &JsValue,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = openChannel, catch)]
    pub(crate) fn open_channel(
        name: &str,
        on_message: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
    /// Joins the line for the leader lock: `{ alone, steal }`. `alone` resolves `true` when
    /// the lock was free (this tab leads at once), `false` when queued; `on_leader` runs when
    /// this tab holds it, `on_lost` when another tab took it over; `steal()` takes it over,
    /// one tab at a time (each takeover keeps the next `hold_ms` apart) and only if
    /// `wants_lead()` still says so.
    pub(crate) fn lead(
        name: &str,
        on_leader: &js_sys::Function,
        on_lost: &js_sys::Function,
        wants_lead: &js_sys::Function,
        hold_ms: f64,
    ) -> JsValue;
    #[wasm_bindgen(js_name = packRequest)]
    pub(crate) fn pack_request(input: &JsValue, init: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = packResponse)]
    pub(crate) fn pack_response(response: &JsValue) -> js_sys::Promise;
    /// Resolves `true` once `promise` settles, `false` if `ms` pass first.
    pub(crate) fn within(promise: &js_sys::Promise, ms: f64) -> js_sys::Promise;
    #[wasm_bindgen(js_name = unpackResponse, catch)]
    pub(crate) fn unpack_response(packed: &JsValue) -> Result<web_sys::Response, JsValue>;
}

/// `o[key]`.
pub(crate) fn get(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `o[key]` as a string.
pub(crate) fn get_str(o: &JsValue, key: &str) -> Option<String> {
    get(o, key).as_string()
}

/// A message object from (key, value) pairs.
pub(crate) fn message(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        if !v.is_undefined() {
            let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
        }
    }
    o.into()
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
