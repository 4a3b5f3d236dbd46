//! The core's requests in a build without the DPoP add-on (with it, `dpop_send.rs` sends them
//! all).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use super::{Inner, respond};
use crate::browser::exec::{self, Answer};
use crate::browser::net::{self, Purpose};
use crate::core::http::HttpRequest;
use crate::core::session::{HttpAnswer, RequestId};

/// Sends one of the session machine's requests through the executor, which hands its answer
/// (or a `network_error` once its own timeout passes) to the dispatch function as event 5 with
/// the request's number ([`answered`]): no continuation of ours waits for it. The number is the
/// id, doubled, and 1 more for a revocation (what a failure is worded by).
pub(super) fn send(inner: &Inner, id: RequestId, purpose: Purpose, request: HttpRequest) {
    let sent = exec::request_promise(&request, inner.config.timeout_ms, purpose.body_cap());
    let revocation = purpose == Purpose::Revocation;
    let n = id.number() * 2 + u64::from(revocation);
    inner.exec.hand(5, n as f64, &sent);
}

/// The answer to request `n` (see [`send`]), fed back to the session machine. A request that got
/// no answer is worded with its endpoint's origin: the request was sent to the endpoint itself
/// (`HttpRequest::form_post` of `config.endpoints`).
pub(crate) fn answered(inner: &Rc<Inner>, n: u64, got: &str) {
    let answer = match exec::answer_text(got) {
        Answer::Got(status, body, _) => Ok(HttpAnswer { status, body }),
        Answer::None(detail, timed_out) => {
            let endpoints = &inner.config.endpoints;
            let (purpose, url) = match n & 1 {
                0 => (Purpose::Token, endpoints.token.as_str()),
                _ => (
                    Purpose::Revocation,
                    endpoints.revocation.as_deref().unwrap_or_default(),
                ),
            };
            let hint = inner.config.profile().token_network_hint();
            Err(net::network(purpose, url, &detail, timed_out, hint))
        }
    };
    respond(inner, RequestId::of_number(n >> 1), answer);
}
