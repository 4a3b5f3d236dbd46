//! The executor's imports (`js/executor.js`): a few coarse browser steps, each a whole one —
//! send a core request, send an app request with a token, arm the client's timer, make or
//! settle an operation's promise, hand a promise over. Results come back through the client's
//! one dispatch function ([`Dispatch`]), never through a closure made per call.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::sys::Promise;
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;
use crate::core::json::JsonObject;

/// An error as a JS `AuthError` (a real `Error` subclass with a stable `code`).
pub(crate) fn to_js(e: &AuthError) -> JsValue {
    crate::browser::json::auth_error(
        &JsonObject::new()
            .str("code", e.code())
            .str("message", &e.message())
            .opt("error", e.server_error())
            .opt("errorDescription", e.error_description())
            .opt_num("status", e.status().map(f64::from))
            .end(),
    )
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    #[wasm_bindgen(js_name = request)]
    fn request_js(
        method: &str,
        url: &str,
        headers: &str,
        body: Option<&str>,
        timeout_ms: u32,
        cap: u32,
    ) -> Promise;
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
    #[wasm_bindgen(js_name = userinfo)]
    fn userinfo_js(
        dispatch: &JsValue,
        url: &str,
        bearer: Option<&str>,
        generation: f64,
        ms: u32,
        cap: u32,
    ) -> Promise;
    #[wasm_bindgen(js_name = arm)]
    fn arm_js(dispatch: &JsValue, delay: f64);
    #[wasm_bindgen(js_name = hot)]
    fn hot_js(id: u32, dispatch: &JsValue, bearer: &JsValue, base: &JsValue, generation: f64);
    #[wasm_bindgen(js_name = promise)]
    fn promise_js(dispatch: &JsValue, op: u32) -> Promise;
    #[wasm_bindgen(js_name = settle)]
    fn settle_js(dispatch: &JsValue, op: u32, ok: bool, value: &JsValue);
    /// A promise settled now: fulfilled with `value`, or rejected with it when it is an
    /// `AuthError` (made by [`to_js`]).
    pub(crate) fn settled(value: &JsValue) -> Promise;
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
    /// An app request got no answer (`Some(description)`) or could not be built (`None`);
    /// `proof`: it carried a DPoP proof.
    ApiFailed {
        url: String,
        detail: Option<String>,
        proof: bool,
    },
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
    /// The headers of a DPoP-bound app request's first send, to `url` with `method`.
    #[cfg(feature = "dpop")]
    DpopFirst { url: String, method: String },
    /// A DPoP-bound send's 401, 403 or answer with a `DPoP-Nonce`: the state its headers gave,
    /// the status, "URL\nmethod\nDPoP-Nonce\nWWW-Authenticate", and a 403's body start.
    #[cfg(feature = "dpop")]
    DpopAnswer {
        state: f64,
        status: u16,
        parts: String,
        body_start: Option<String>,
    },
    /// An event of the sharing links (`js/tabs.js`: a port's or the channel's message, the
    /// leader lock, a timer).
    #[cfg(feature = "sharing")]
    Shared {
        kind: u32,
        n: u32,
        m: f64,
        /// A message's text.
        data: JsValue,
        /// The value posted beside it.
        value: JsValue,
    },
}

impl Event {
    fn read(kind: u32, n: f64, m: f64, a: JsValue, b: JsValue) -> Option<Event> {
        let id = n as u32;
        let text = |v: &JsValue| v.as_string().unwrap_or_default();
        Some(match kind {
            0 => Event::Timer,
            1 => Event::Then {
                key: id,
                result: if m == 1.0 { Ok(a) } else { Err(a) },
            },
            2 => Event::ApiFailed {
                url: text(&a),
                detail: b.as_string(),
                proof: m == 1.0,
            },
            3 | 4 => Event::ApiDead {
                generation: n as u64,
                url: text(&a),
                status: m as u16,
                body_start: b.as_string(),
                retried: kind == 4,
            },
            5 => Event::Unsubscribe { id },
            6 => Event::Claims(match m {
                s if s >= 0.0 => Ok((s as u16, text(&a))),
                _ => Err(text(&a)),
            }),
            #[cfg(feature = "dpop")]
            7 => Event::DpopFirst {
                url: text(&a),
                method: text(&b),
            },
            #[cfg(feature = "dpop")]
            8 => Event::DpopAnswer {
                state: n,
                status: m as u16,
                parts: text(&a),
                body_start: b.as_string(),
            },
            #[cfg(feature = "sharing")]
            9..=16 => Event::Shared {
                kind,
                n: id,
                m,
                data: a,
                value: b,
            },
            _ => return None,
        })
    }
}

pub(crate) type DispatchFn = dyn Fn(u32, f64, f64, JsValue, JsValue) -> JsValue;

/// The client's one dispatch function, made once (at construction): the executor calls it with
/// each result; what it returns goes back to the executor.
pub(crate) struct Dispatch {
    closure: Closure<DispatchFn>,
    /// What the JS API's `fetch` knows this client by (`fastFetch` in js/executor.js).
    id: u32,
}

/// The last [`Dispatch::id`] given.
static IDS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

impl Dispatch {
    pub(crate) fn new(handle: impl Fn(Event) -> JsValue + 'static) -> Self {
        let closure =
            Closure::<DispatchFn>::new(move |kind: u32, n: f64, m: f64, a: JsValue, b: JsValue| {
                match Event::read(kind, n, m, a, b) {
                    Some(e) => handle(e),
                    None => JsValue::UNDEFINED,
                }
            });
        let id = IDS.fetch_add(1, core::sync::atomic::Ordering::Relaxed) + 1;
        Dispatch { closure, id }
    }

    /// The number the JS API's `fetch` finds this client's fast path by.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// Gives the executor `auth.fetch`'s fast path for the held Bearer set (its Authorization
    /// value, the origin root-relative URLs join, its generation), or takes it away (`None`):
    /// called whenever the set changes, so that the executor never holds a set the session
    /// machine does not.
    pub(crate) fn hot(&self, hot: Option<(&JsValue, &JsValue, u64)>) {
        let none = JsValue::UNDEFINED;
        let (bearer, base, generation) = hot.unwrap_or((&none, &none, 0));
        hot_js(self.id, self.js(), bearer, base, generation as f64);
    }

    pub(crate) fn js(&self) -> &JsValue {
        self.closure.as_ref()
    }

    /// Arms the client's one timer to fire after `delay` ms (replacing the one armed), or
    /// cancels it (`None`).
    pub(crate) fn arm(&self, delay: Option<f64>) {
        arm_js(self.js(), delay.unwrap_or(-1.0));
    }

    /// The promise of operation `key` (the same one each time until it is settled).
    pub(crate) fn promise(&self, key: u32) -> Promise {
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

    /// An app request with an Authorization value (`bearer`; null for a DPoP-bound set, whose
    /// headers come from [`Event::DpopFirst`]; see `authorized` in `js/executor.js`): the
    /// promise of its Response, or undefined when `base` is given and `input` is no
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

    /// UserInfo with `generation`'s set (`bearer`: its Authorization value; `None` for a
    /// DPoP-bound one, whose headers come from [`Event::DpopFirst`]): `url` sent as an app
    /// request (a 401 or 403 goes to the session machine), aborted after `ms`; its body read to
    /// at most `cap` bytes and one more, and judged by the wasm ([`Event::Claims`]).
    pub(crate) fn userinfo(
        &self,
        url: &str,
        bearer: Option<&str>,
        generation: u64,
        ms: u32,
        cap: u32,
    ) -> Promise {
        userinfo_js(self.js(), url, bearer, generation as f64, ms, cap)
    }
}

impl Drop for Dispatch {
    /// A client dropped (`free()`): the executor forgets its fast path.
    fn drop(&mut self) {
        self.hot(None);
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
/// promise of the answer [`answer_of`] reads.
pub(crate) fn request_promise(request: &HttpRequest, timeout_ms: u32, cap: u32) -> Promise {
    request_js(
        request.method.as_str(),
        &request.url,
        &header_lines(request),
        request.body.as_deref(),
        timeout_ms,
        cap,
    )
}

/// What a [`request_promise`] resolved to (see `request` in js/executor.js).
pub(crate) fn answer_of(got: &JsValue) -> Answer {
    let text = got.as_string().unwrap_or_default();
    let (status, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let (more, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    let rest = rest.to_owned();
    match status.parse::<u16>() {
        Ok(status) => Answer::Got(status, rest, (!more.is_empty()).then(|| more.to_owned())),
        Err(_) => Answer::None(rest, more == "1"),
    }
}
