//! The executor's imports (`js/executor.js`): a few coarse browser steps, each a whole one —
//! send a core request, send an app request with a token, arm the client's timer, make or
//! settle an operation's promise, hand a promise over. Results come back through the client's
//! one dispatch function ([`Dispatch`]), never through a closure made per call.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::core::error::AuthError;
use crate::core::http::HttpRequest;

#[wasm_bindgen(module = "/js/auth_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeAuthError)]
    fn make_auth_error(
        code: &str,
        message: &str,
        error: Option<String>,
        description: Option<String>,
        status: Option<u16>,
    ) -> JsValue;
}

/// An error as a JS `AuthError` (a real `Error` subclass with a stable `code`).
pub(crate) fn to_js(e: &AuthError) -> JsValue {
    make_auth_error(
        e.code(),
        &e.message(),
        e.server_error().map(str::to_owned),
        e.error_description().map(str::to_owned),
        e.status(),
    )
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    #[wasm_bindgen(js_name = request)]
    fn request_js(
        method: &str,
        url: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
        cap: u32,
    ) -> js_sys::Promise;
    /// The UserInfo request's `RequestInit` (GET for JSON, no cookies, no referrer, no
    /// redirect followed, aborted after `ms`).
    #[wasm_bindgen(js_name = userinfoInit)]
    pub(crate) fn userinfo_init(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = discovered)]
    fn discovered_js(answer: &js_sys::Promise, build: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = then)]
    fn then_js(dispatch: &JsValue, key: u32, promise: &JsValue);
    #[wasm_bindgen(js_name = unsubscriber)]
    fn unsubscriber_js(dispatch: &JsValue, id: u32) -> JsValue;
    #[wasm_bindgen(js_name = authorized)]
    fn authorized_js(
        dispatch: &JsValue,
        input: &JsValue,
        init: &JsValue,
        base: &JsValue,
        bearer: &JsValue,
        generation: f64,
    ) -> JsValue;
    #[wasm_bindgen(js_name = claims)]
    fn claims_js(dispatch: &JsValue, answer: &JsValue, cap: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = arm)]
    fn arm_js(dispatch: &JsValue, delay: f64);
    #[wasm_bindgen(js_name = promise)]
    fn promise_js(dispatch: &JsValue, op: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = settle)]
    fn settle_js(dispatch: &JsValue, op: u32, ok: bool, value: &JsValue);
}

/// What the executor hands back to the client (see `js/executor.js` for the numbering).
pub(crate) enum Event {
    /// The client's timer fired.
    Timer,
    /// A promise handed over with [`Dispatch::then`] settled.
    Then {
        key: u32,
        result: Result<JsValue, JsValue>,
    },
    /// An app request got no answer (`Some(description)`) or could not be built (`None`).
    ApiFailed { url: String, detail: Option<String> },
    /// An app request sent with `generation`'s token got a 401 or 403; `retried`: the answer
    /// to the retry.
    ApiDead {
        generation: u64,
        url: String,
        status: u16,
        body_start: Option<String>,
        retried: bool,
    },
    /// The listener `id` is removed.
    Unsubscribe { id: u32 },
    /// The UserInfo answer: status and text, or why it could not be read.
    Claims(Result<(u16, String), String>),
}

impl Event {
    fn read(kind: u32, n: f64, a: JsValue, b: JsValue, c: JsValue) -> Option<Event> {
        let id = n as u32;
        let text = |v: &JsValue| v.as_string().unwrap_or_default();
        Some(match kind {
            0 => Event::Timer,
            1 => Event::Then {
                key: id,
                result: if a.is_truthy() { Ok(b) } else { Err(b) },
            },
            2 => Event::ApiFailed {
                url: text(&a),
                detail: b.as_string(),
            },
            3 | 4 => Event::ApiDead {
                generation: n as u64,
                url: text(&a),
                status: b.as_f64()? as u16,
                body_start: c.as_string(),
                retried: kind == 4,
            },
            5 => Event::Unsubscribe { id },
            6 => Event::Claims(match a.as_f64() {
                Some(s) if s >= 0.0 => Ok((s as u16, text(&b))),
                _ => Err(text(&b)),
            }),
            _ => return None,
        })
    }
}

type DispatchFn = dyn Fn(u32, f64, JsValue, JsValue, JsValue) -> JsValue;

/// The client's one dispatch function, made once (at construction): the executor calls it with
/// each result; what it returns goes back to the executor.
pub(crate) struct Dispatch {
    closure: Closure<DispatchFn>,
}

impl Dispatch {
    pub(crate) fn new(handle: impl Fn(Event) -> JsValue + 'static) -> Self {
        let closure = Closure::<DispatchFn>::new(
            move |kind: u32, n: f64, a: JsValue, b: JsValue, c: JsValue| match Event::read(
                kind, n, a, b, c,
            ) {
                Some(e) => handle(e),
                None => JsValue::UNDEFINED,
            },
        );
        Dispatch { closure }
    }

    fn js(&self) -> &JsValue {
        self.closure.as_ref()
    }

    /// Arms the client's one timer to fire after `delay` ms (replacing the one armed), or
    /// cancels it (`None`).
    pub(crate) fn arm(&self, delay: Option<f64>) {
        arm_js(self.js(), delay.unwrap_or(-1.0));
    }

    /// The promise of operation `key` (the same one each time until it is settled).
    pub(crate) fn promise(&self, key: u32) -> js_sys::Promise {
        promise_js(self.js(), key)
    }

    /// Settles operation `key`'s promise with `value` (`ok`) or rejects it with `value`.
    pub(crate) fn settle(&self, key: u32, ok: bool, value: &JsValue) {
        settle_js(self.js(), key, ok, value);
    }

    /// Hands `promise` over: its outcome comes back as [`Event::Then`] with `key`.
    pub(crate) fn then(&self, key: u32, promise: &JsValue) {
        then_js(self.js(), key, promise);
    }

    /// The function that removes listener `id` (dispatching [`Event::Unsubscribe`]).
    pub(crate) fn unsubscriber(&self, id: u32) -> JsValue {
        unsubscriber_js(self.js(), id)
    }

    /// An app request with an Authorization value (see `authorized` in `js/executor.js`):
    /// the promise of its Response, or undefined when `base` is given and `input` is no
    /// root-relative path.
    pub(crate) fn authorized(
        &self,
        input: &JsValue,
        init: &JsValue,
        base: &JsValue,
        bearer: &JsValue,
        generation: u64,
    ) -> JsValue {
        authorized_js(self.js(), input, init, base, bearer, generation as f64)
    }

    /// The UserInfo claims of an answer's promise (its body read to at most `cap` bytes and one
    /// more, judged by the wasm: [`Event::Claims`]).
    pub(crate) fn claims(&self, answer: &JsValue, cap: u32) -> js_sys::Promise {
        claims_js(self.js(), answer, cap)
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
/// after `timeout_ms`; with `cap`, the body read to at most `cap` bytes and one more): the
/// promise of `[status, body, DPoP-Nonce]`, or `[-1, why, timed out]` with no answer.
pub(crate) fn request_promise(request: &HttpRequest, timeout_ms: u32, cap: u32) -> js_sys::Promise {
    request_js(
        request.method.as_str(),
        &request.url,
        &header_lines(request),
        request.body.clone(),
        timeout_ms,
        cap,
    )
}

/// The promise of what `build` makes of `answer` (a [`request_promise`]): `build` gets its
/// three parts once, and returns the value or an error's JS form.
pub(crate) fn discovered(answer: &js_sys::Promise, build: JsValue) -> js_sys::Promise {
    discovered_js(answer, &build)
}

/// Sends a core request (no referrer, no cookies, no cache, no redirect followed, cancelled
/// after `timeout_ms`; with `cap`, the body read to at most `cap` bytes and one more), for the
/// callers that still await it.
pub(crate) async fn request(request: &HttpRequest, timeout_ms: u32, cap: u32) -> Answer {
    let promise = request_promise(request, timeout_ms, cap);
    let got = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .unwrap_or(JsValue::UNDEFINED);
    answer_of(&got)
}

/// What a [`request_promise`] resolved to.
pub(crate) fn answer_of(got: &JsValue) -> Answer {
    let field = |i: u32| js_sys::Reflect::get_u32(got, i).unwrap_or(JsValue::UNDEFINED);
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
