//! Sending requests: the core's [`HttpRequest`]s (built with web-sys, with a timeout, no
//! cookies and no Referer) and the app's own requests for `auth.fetch`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::Cell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::env;
use crate::core::bounds::MAX_TOKEN_BODY_BYTES;
use crate::core::error::AuthError;
use crate::core::http::HttpRequest;

/// A short, safe description of any thrown JS value (never its full text: it might echo data).
pub(crate) fn describe_js_error(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        let name: String = e.name().into();
        let msg: String = e.message().into();
        [&name, ": ", &msg.chars().take(200).collect::<String>()].concat()
    } else if let Some(s) = value.as_string() {
        s.chars().take(200).collect()
    } else {
        "a non-Error value was thrown".to_owned()
    }
}

/// The request could not be built (`Headers.set`, `new Request` or `fetch` threw before
/// sending): a fixed message, never the browser's, which may quote a header value (Firefox
/// quotes the whole value, token included).
pub(crate) fn unbuildable() -> AuthError {
    AuthError::config(
        "input",
        "the request could not be built: the browser refused its method, a header name or value, or its body (its own message is not shown: it may quote a header value)",
    )
}

/// `fetch(request)` with the current global fetch.
pub(crate) async fn fetch(request: &web_sys::Request) -> Result<web_sys::Response, JsValue> {
    let f = env::fetch_function().ok_or_else(|| JsValue::from_str("fetch is not available"))?;
    let promise: js_sys::Promise = f.call1(&JsValue::UNDEFINED, request)?.dyn_into()?;
    JsFuture::from(promise)
        .await?
        .dyn_into::<web_sys::Response>()
}

/// Calls the current global `fetch(input[, init])` now; the request is on the wire on return.
pub(crate) fn start_fetch(
    input: &JsValue,
    init: Option<&js_sys::Object>,
) -> Result<js_sys::Promise, JsValue> {
    let f = env::fetch_function().ok_or_else(|| JsValue::from_str("fetch is not available"))?;
    let p = match init {
        Some(i) => f.call2(&JsValue::UNDEFINED, input, i)?,
        None => f.call1(&JsValue::UNDEFINED, input)?,
    };
    p.dyn_into()
}

/// Waits for a started fetch.
pub(crate) async fn finish_fetch(started: js_sys::Promise) -> Result<web_sys::Response, JsValue> {
    JsFuture::from(started)
        .await?
        .dyn_into::<web_sys::Response>()
}

/// Reads a response body as text.
pub(crate) async fn text(response: &web_sys::Response) -> Result<String, JsValue> {
    let v = JsFuture::from(response.text()?).await?;
    Ok(v.as_string().unwrap_or_default())
}

#[wasm_bindgen(module = "/js/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = readCapped)]
    fn read_capped(response: &web_sys::Response, cap: u32) -> js_sys::Promise;
}

/// Reads a body as text, no further than `cap` bytes and one (a longer body is cut there, and
/// the core refuses it by its size).
pub(crate) async fn capped_text(
    response: &web_sys::Response,
    cap: usize,
) -> Result<String, JsValue> {
    let v = JsFuture::from(read_capped(response, cap as u32)).await?;
    Ok(v.as_string().unwrap_or_default())
}

/// What a core request is for (to word a network failure).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Token endpoint (code exchange or refresh).
    Token,
    /// Revocation endpoint.
    Revocation,
    /// Discovery document.
    Discovery,
    /// The provider's signing keys (`jwks_uri`).
    #[cfg(feature = "dpop")]
    Jwks,
}

impl Purpose {
    fn what(self) -> &'static str {
        match self {
            Purpose::Token => "the token endpoint",
            Purpose::Revocation => "the revocation endpoint",
            Purpose::Discovery => "the discovery document",
            #[cfg(feature = "dpop")]
            Purpose::Jwks => "the provider's keys (jwks_uri)",
        }
    }
}

/// An AbortController that fires after `ms`; cleared on drop.
pub(crate) struct Deadline {
    controller: web_sys::AbortController,
    timer: Option<JsValue>,
    fired: Rc<Cell<bool>>,
    _callback: Closure<dyn FnMut()>,
}

impl Deadline {
    pub(crate) fn new(ms: u32) -> Option<Self> {
        let controller = web_sys::AbortController::new().ok()?;
        let fired = Rc::new(Cell::new(false));
        let (c, f) = (controller.clone(), fired.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            f.set(true);
            c.abort();
        });
        let timer = env::set_timeout(callback.as_ref().unchecked_ref(), f64::from(ms));
        Some(Deadline {
            controller,
            timer,
            fired,
            _callback: callback,
        })
    }
    pub(crate) fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }
    pub(crate) fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(t) = &self.timer {
            env::clear_timeout(t);
        }
    }
}

/// The headers [`send`] gives back: the response's, with DPoP (which reads `DPoP-Nonce`
/// there); none otherwise.
#[cfg(feature = "dpop")]
pub(crate) type AnswerHeaders = web_sys::Headers;
#[cfg(not(feature = "dpop"))]
pub(crate) type AnswerHeaders = ();

/// Sends a core request; returns status, body text and (with DPoP) the response's headers.
/// No answer (offline, CORS block, timeout) is `network_error`, worded with its likely cause
/// (`hint`: the provider profile's, for the token and revocation endpoints).
pub(crate) async fn send(
    req: &HttpRequest,
    timeout_ms: u32,
    purpose: Purpose,
    hint: Option<&'static str>,
) -> Result<(u16, String, AnswerHeaders), AuthError> {
    let network = |purpose, url: &str, detail: &str, timed_out| {
        network(purpose, url, detail, timed_out, hint)
    };
    let deadline = Deadline::new(timeout_ms);
    let request = build(req, deadline.as_ref())
        .map_err(|_| network(purpose, &req.url, "the request could not be built", false))?;
    let timed_out = || deadline.as_ref().is_some_and(Deadline::fired);
    let response = fetch(&request)
        .await
        .map_err(|e| network(purpose, &req.url, &describe_js_error(&e), timed_out()))?;
    let status = response.status();
    let body = match purpose {
        Purpose::Token => capped_text(&response, MAX_TOKEN_BODY_BYTES).await,
        _ => text(&response).await,
    }
    .map_err(|e| network(purpose, &req.url, &describe_js_error(&e), timed_out()))?;
    if timed_out() {
        return Err(network(purpose, &req.url, "", true));
    }
    #[cfg(feature = "dpop")]
    let headers = response.headers();
    #[cfg(not(feature = "dpop"))]
    let headers = ();
    Ok((status, body, headers))
}

/// The `Request` for a core request: no referrer, no credentials, no cache, no redirect
/// followed, the deadline's signal, the core's headers and form body.
fn build(req: &HttpRequest, deadline: Option<&Deadline>) -> Result<web_sys::Request, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_str());
    // A 307/308 would carry the form body (a refresh token, a code) to wherever it points:
    // fetch fails instead (a `network_error`).
    init.set_redirect(web_sys::RequestRedirect::Error);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(d) = deadline {
        init.set_signal(Some(&d.signal()));
    }
    let headers = web_sys::Headers::new()?;
    for (k, v) in &req.headers {
        headers.set(k, v)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    web_sys::Request::new_with_str_and_init(&req.url, &init)
}

fn network(
    purpose: Purpose,
    url: &str,
    detail: &str,
    timed_out: bool,
    hint: Option<&'static str>,
) -> AuthError {
    let origin = web_sys::Url::new(url)
        .map(|u| u.origin())
        .unwrap_or_default();
    let reason = if timed_out {
        [
            purpose.what(),
            " (",
            &origin,
            ") did not answer in time (timeoutMs)",
        ]
        .concat()
    } else {
        let mut r = [
            "could not reach ",
            purpose.what(),
            " (",
            &origin,
            "): ",
            detail,
        ]
        .concat();
        if let Some(hint) = hint.filter(|_| matches!(purpose, Purpose::Token | Purpose::Revocation))
        {
            r.push_str(hint);
        }
        r
    };
    AuthError::Network { reason }
}
