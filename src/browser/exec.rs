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

/// An error as a JS `AuthError` (a real `Error` subclass with a stable `code`), made of its
/// fields by the executor (`makeAuthError`).
pub(crate) fn to_js(e: &AuthError) -> JsValue {
    make_auth_error(
        e.code(),
        &e.message(),
        e.server_error(),
        e.error_description(),
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
        body: Option<&str>,
        timeout_ms: u32,
        cap: u32,
    ) -> Promise;
    #[wasm_bindgen(js_name = then)]
    fn then_js(dispatch: &JsValue, key: f64, promise: &JsValue, kind: u32);
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
        bearer: &JsValue,
        generation: f64,
        ms: u32,
        cap: u32,
    ) -> Promise;
    #[wasm_bindgen(js_name = arm)]
    fn arm_js(dispatch: &JsValue, delay: f64);
    #[wasm_bindgen(js_name = hot)]
    fn hot_js(dispatch: &JsValue, bearer: &JsValue, base: &JsValue, generation: f64, gate: f64);
    #[wasm_bindgen(js_name = promise)]
    fn promise_js(dispatch: &JsValue, op: u32) -> Promise;
    #[wasm_bindgen(js_name = settle)]
    fn settle_js(dispatch: &JsValue, op: u32, ok: bool, value: &JsValue);
    #[wasm_bindgen(js_name = makeAuthError)]
    fn make_auth_error(
        code: &str,
        message: &str,
        error: Option<&str>,
        error_description: Option<&str>,
        status: Option<u16>,
    ) -> JsValue;
    /// A promise settled now: fulfilled with `value`, or rejected with it when it is an
    /// `AuthError` (made by [`to_js`]).
    pub(crate) fn settled(value: &JsValue) -> Promise;
}

pub(crate) type DispatchFn = dyn Fn(u32, f64, f64, JsValue, JsValue) -> JsValue;

/// The client's one dispatch function, made once (at construction): the executor calls it with
/// each result; what it returns goes back to the executor.
/// (The JS API's `fetch` finds this client's fast path by it too: `gate` in js/executor.js.)
pub(crate) struct Dispatch {
    closure: Closure<DispatchFn>,
}

impl Dispatch {
    /// `handle` gets each result as the executor gives it, `(kind, n, m, a, b)` (the numbering
    /// in js/executor.js; the client's are read in `router.rs`, the session worker host's in
    /// `host.rs`), with no form in between.
    pub(crate) fn new(
        handle: impl Fn(u32, f64, f64, JsValue, JsValue) -> JsValue + 'static,
    ) -> Self {
        let closure = Closure::<DispatchFn>::new(handle);
        Dispatch { closure }
    }

    /// Gives the executor `auth.fetch`'s fast path for the held Bearer set (its Authorization
    /// value, the origin root-relative URLs join, its generation), or takes it away (`None`):
    /// called whenever the set changes, so that the executor never holds a set the session
    /// machine does not. `gate`: how many of the client's `auth.fetch` calls may be in flight
    /// (0: none start, they wait; infinite: no limit; negative: the client is gone).
    pub(crate) fn hot(&self, hot: Option<(&JsValue, &JsValue, u64)>, gate: f64) {
        let none = JsValue::UNDEFINED;
        let (bearer, base, generation) = hot.unwrap_or((&none, &none, 0));
        hot_js(self.js(), bearer, base, generation as f64, gate);
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

    /// Hands `promise` over: its outcome comes back as dispatch 1 with `key`.
    #[cfg(any(feature = "dpop", feature = "sharing"))]
    pub(crate) fn then(&self, key: u32, promise: &JsValue) {
        then_js(self.js(), key.into(), promise, 1);
    }

    /// Hands `promise` over to come back as dispatch `kind` with `n` (read there; no
    /// continuation waits for it): 5, a core request's answer (`plain::send`); 18, a login
    /// popup's callback (`AuthClient::login_popup_promise`).
    pub(crate) fn hand(&self, kind: u32, n: f64, promise: &JsValue) {
        then_js(self.js(), n, promise, kind);
    }

    /// An app request with an Authorization value (`bearer`; null for a DPoP-bound set, whose
    /// headers come from dispatch 7; see `authorized` in `js/executor.js`): the
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

    /// UserInfo with `generation`'s set (`bearer`: its Authorization value; null for a
    /// DPoP-bound one, whose headers come from dispatch 7): `url` sent as an app
    /// request (a 401 or 403 goes to the session machine), aborted after `ms`; its body read to
    /// at most `cap` bytes and one more, and judged by the wasm (dispatch 6).
    pub(crate) fn userinfo(
        &self,
        url: &str,
        bearer: &JsValue,
        generation: u64,
        ms: u32,
        cap: u32,
    ) -> Promise {
        userinfo_js(self.js(), url, bearer, generation as f64, ms, cap)
    }
}

impl Drop for Dispatch {
    /// A client dropped (`free()`): the executor forgets its fast path and its gate (the calls
    /// waiting there start, and reject as calls of a freed client).
    fn drop(&mut self) {
        self.hot(None, -1.0);
    }
}

/// How many `auth.fetch` calls the executor's gate lets be in flight (`maxInFlight`; 0: no
/// limit).
pub(crate) fn gate(config: &crate::core::config::ClientConfig) -> f64 {
    match config.max_in_flight {
        0 => f64::INFINITY,
        n => f64::from(n),
    }
}

/// A core request's headers for the executor: name and value on lines of their own (neither can
/// hold a line break: the browser refuses one in a header, and the core builds them of visible
/// ASCII).
fn header_lines(request: &HttpRequest) -> String {
    let mut lines = String::new();
    for (k, v) in request.headers {
        lines.push_str(k);
        lines.push('\n');
        lines.push_str(v);
        lines.push('\n');
    }
    lines
}

/// What [`request`] resolved to.
pub(crate) enum Answer {
    /// Status, body text (read to at most the cap and one byte), and the `DPoP-Nonce` header.
    Got(
        u16,
        String,
        #[cfg_attr(
            not(feature = "dpop"),
            expect(dead_code, reason = "read only by the DPoP token path")
        )]
        Option<String>,
    ),
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

/// [`request_promise`] with a `DPoP` header after the request's own, if `proof` is one (the
/// request itself is not copied).
#[cfg(feature = "dpop")]
pub(crate) fn request_with_proof(
    request: &HttpRequest,
    proof: Option<&str>,
    timeout_ms: u32,
    cap: u32,
) -> Promise {
    let mut lines = header_lines(request);
    if let Some(p) = proof {
        lines.push_str("DPoP\n");
        lines.push_str(p);
        lines.push('\n');
    }
    request_js(
        request.method.as_str(),
        &request.url,
        &lines,
        request.body.as_deref(),
        timeout_ms,
        cap,
    )
}

/// What a [`request_promise`] resolved to (see `request` in js/executor.js).
pub(crate) fn answer_of(got: &JsValue) -> Answer {
    answer_text(&got.as_string().unwrap_or_default())
}

/// [`answer_of`] of its text (`""`: no answer).
pub(crate) fn answer_text(text: &str) -> Answer {
    let (status, rest) = text.cut(b'\n').unwrap_or((text, ""));
    let (more, rest) = rest.cut(b'\n').unwrap_or((rest, ""));
    let rest = rest.to_owned();
    // The status is a Response's (an unsigned short in the Fetch standard), or -1: no answer.
    // (Read without core's integer parser.)
    match crate::core::text::parse_u64(status) {
        Some(status) => Answer::Got(
            status as u16,
            rest,
            (!more.is_empty()).then(|| more.to_owned()),
        ),
        None => Answer::None(rest, more == "1"),
    }
}
