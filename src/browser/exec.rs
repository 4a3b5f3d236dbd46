//! The executor's imports (`js/executor.js`): a few coarse browser steps, each a whole one —
//! send a core request, arm the client's timer, make or settle an operation's promise. Results
//! come back through the client's one dispatch function ([`Dispatch`]), never through a
//! closure made per call.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::core::http::HttpRequest;

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    #[wasm_bindgen(js_name = send)]
    #[allow(clippy::too_many_arguments)]
    fn send_js(
        dispatch: &JsValue,
        id: u32,
        method: &str,
        url: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
        cap: u32,
    );
    #[wasm_bindgen(js_name = request)]
    fn request_js(
        method: &str,
        url: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
        cap: u32,
    ) -> js_sys::Promise;
    /// An `AbortSignal` that aborts after `ms`.
    pub(crate) fn deadline(ms: u32) -> web_sys::AbortSignal;
    #[wasm_bindgen(js_name = arm)]
    fn arm_js(dispatch: &JsValue, delay: f64);
    #[wasm_bindgen(js_name = promise)]
    fn promise_js(dispatch: &JsValue, op: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = settle)]
    fn settle_js(dispatch: &JsValue, op: u32, ok: bool, value: &JsValue);
}

/// What the executor hands back to the client.
pub(crate) enum Event {
    /// An answer to request `id`.
    Answer { id: u32, status: u16, body: String },
    /// No answer to request `id`: a short description, and whether its timeout fired.
    Failed {
        id: u32,
        detail: String,
        timed_out: bool,
    },
    /// The client's timer fired.
    Timer,
}

impl Event {
    fn read(kind: u32, id: u32, a: JsValue, b: JsValue) -> Option<Event> {
        Some(match kind {
            0 => Event::Answer {
                id,
                status: a.as_f64()? as u16,
                body: b.as_string().unwrap_or_default(),
            },
            1 => Event::Failed {
                id,
                detail: a.as_string().unwrap_or_default(),
                timed_out: b.is_truthy(),
            },
            2 => Event::Timer,
            _ => return None,
        })
    }
}

/// The client's one dispatch function, made once (at construction): the executor calls it with
/// each result.
pub(crate) struct Dispatch {
    closure: Closure<dyn Fn(u32, u32, JsValue, JsValue)>,
}

impl Dispatch {
    pub(crate) fn new(handle: impl Fn(Event) + 'static) -> Self {
        let closure = Closure::<dyn Fn(u32, u32, JsValue, JsValue)>::new(
            move |kind: u32, id: u32, a: JsValue, b: JsValue| {
                if let Some(e) = Event::read(kind, id, a, b) {
                    handle(e);
                }
            },
        );
        Dispatch { closure }
    }

    fn js(&self) -> &JsValue {
        self.closure.as_ref()
    }

    /// Sends a core request as [`request`] does; its answer comes back as [`Event::Answer`]
    /// or [`Event::Failed`] with `id`.
    pub(crate) fn send(&self, id: u32, request: &HttpRequest, timeout_ms: u32, cap: u32) {
        send_js(
            self.js(),
            id,
            request.method.as_str(),
            &request.url,
            &header_lines(request),
            request.body.clone(),
            timeout_ms,
            cap,
        );
    }

    /// Arms the client's one timer to fire after `delay` ms (replacing the one armed), or
    /// cancels it (`None`).
    pub(crate) fn arm(&self, delay: Option<f64>) {
        arm_js(self.js(), delay.unwrap_or(-1.0));
    }

    /// The promise of operation `op` (the same one each time until it is settled).
    pub(crate) fn promise(&self, op: u32) -> js_sys::Promise {
        promise_js(self.js(), op)
    }

    /// Settles operation `op`'s promise with `value` (`ok`) or rejects it with `value`.
    pub(crate) fn settle(&self, op: u32, ok: bool, value: &JsValue) {
        settle_js(self.js(), op, ok, value);
    }
}

/// A core request's headers for the executor: name and value on lines of their own (neither can
/// hold a line break: the browser refuses one in a header, and the core builds them of visible
/// ASCII).
fn header_lines(request: &HttpRequest) -> String {
    let mut lines = String::new();
    for (k, v) in &request.headers {
        lines.extend([*k, "\n", v, "\n"]);
    }
    lines
}

/// What [`request`] resolved to.
pub(crate) enum Answer {
    /// Status, body text (read to at most the cap and one byte), and the `DPoP-Nonce` header.
    Got(u16, String, Option<String>),
    /// No answer: a short description, and whether the request's own timeout fired.
    None(String, bool),
}

/// Sends a core request (no referrer, no cookies, no cache, no redirect followed, cancelled
/// after `timeout_ms`; with `cap`, the body read to at most `cap` bytes and one more), for the
/// callers that still await it.
pub(crate) async fn request(request: &HttpRequest, timeout_ms: u32, cap: u32) -> Answer {
    let promise = request_js(
        request.method.as_str(),
        &request.url,
        &header_lines(request),
        request.body.clone(),
        timeout_ms,
        cap,
    );
    let got = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .unwrap_or(JsValue::UNDEFINED);
    let field = |i: u32| js_sys::Reflect::get_u32(&got, i).unwrap_or(JsValue::UNDEFINED);
    match field(0).as_f64() {
        Some(status) if status >= 0.0 => Answer::Got(
            status as u16,
            field(1).as_string().unwrap_or_default(),
            field(2).as_string(),
        ),
        _ => Answer::None(
            field(1).as_string().unwrap_or_default(),
            field(2).is_truthy(),
        ),
    }
}
