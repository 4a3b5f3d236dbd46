//! The core's requests in a build without the DPoP add-on (with it, `dpop_send.rs` sends them
//! all).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{Inner, after_js, respond};
use crate::browser::exec::{self, Answer};
use crate::browser::net::{self, Purpose};
use crate::core::http::HttpRequest;
use crate::core::session::{HttpAnswer, RequestId};

/// Sends one of the session machine's requests through the executor and feeds its answer (or a
/// `network_error` once its own timeout passes) back with `id`.
pub(super) fn send(inner: &Rc<Inner>, id: RequestId, purpose: Purpose, request: HttpRequest) {
    let sent = exec::request_promise(&request, inner.config.timeout_ms, purpose.body_cap());
    let url = request.url;
    after_js(
        inner,
        &sent,
        Box::new(move |inner, got| {
            let answer = match exec::answer_of(&got.unwrap_or(JsValue::UNDEFINED)) {
                Answer::Got(status, body, _) => Ok(HttpAnswer { status, body }),
                Answer::None(detail, timed_out) => Err(net::network(
                    purpose,
                    &url,
                    &detail,
                    timed_out,
                    inner.config.profile().token_network_hint(),
                )),
            };
            respond(inner, id, answer);
        }),
    );
}
