//! `sessionSharing: "tabs"`, the page side: the session lives in a SharedWorker (see
//! `host.rs`); this tab sends it `auth.fetch`, the code exchange, userinfo and logout, and keeps
//! only the public session view and the counters it reports. The page never holds a token.
//! A relayed call takes as long as it takes; while calls are in flight the tab pings the
//! worker, and a worker that stops answering its pings is given up (`core::liveness`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::browser::env;
use crate::browser::events::Session;
use crate::browser::share;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::Counts;
use crate::core::liveness::{self, Tick, WorkerLiveness};
use crate::core::relay;
use crate::core::text::decimal;
use crate::core::wire::{Fields, SessionView, Writer};

/// Who waits for the worker's answer to a call, as data (the client's `driver::Relayed`; its
/// body is in `resume.rs`, as this link may not import the modules it goes on in): it goes on
/// with the value posted beside the reply, or the worker's error.
pub(crate) trait Waiter {
    fn answered(self, r: Result<JsValue, AuthError>);
}

/// The ping's timer (`later` in `js/tabs.js`, event 15).
pub(crate) const PING_TIMER: u32 = 1;

/// The timer a failure arms when it happens outside `sharing::handle` (a message that could
/// not be posted): the client falls back when it fires.
pub(crate) const FAIL_TIMER: u32 = 3;

pub(crate) struct Remote<W> {
    port: JsValue,
    /// The client's dispatch function (the worker's messages and the ping's timer come back
    /// through it).
    dispatch: JsValue,
    next_id: Cell<u32>,
    pub(crate) waiting: RefCell<Vec<(u32, W)>>,
    pub(crate) session: RefCell<Option<Session>>,
    pub(crate) counters: Cell<Counts>,
    /// Set when the worker failed to start or refused this tab's hello (the `network_error`'s
    /// reason, `worker_failed`): every call fails so.
    pub(crate) broken: RefCell<Option<String>>,
    /// Whether the client has yet to fall back from the failure (`broken`: the worker does not
    /// start, does not join within `timeoutMs`, stops answering its pings, or refused this tab).
    unhandled: Cell<bool>,
    /// When the worker was last heard from, and the ping's bound.
    pub(crate) liveness: RefCell<WorkerLiveness>,
    /// Whether the ping loop runs (it does while calls are in flight).
    pinging: Cell<bool>,
}

/// The reason of the worker's failure (`why` completes "the session worker … ").
fn worker_failed(why: &str) -> String {
    [
        "the session worker ",
        why,
        aside!(
            "; check workerUrl and the console",
            " (sessionSharing: \"tabs\")"
        ),
    ]
    .cat()
}

/// The `network_error` a call fails with once the worker failed (`reason`: `worker_failed`'s).
/// (A `&String`: its `clone` is the smaller copy here, 20 B on the `./tabs` page.)
#[allow(clippy::ptr_arg)]
fn failed_call(reason: &String) -> AuthError {
    AuthError::Network {
        reason: reason.clone(),
    }
}

impl<W: Waiter> Remote<W> {
    /// The session view the worker last reported.
    pub(crate) fn view(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    /// The counters the worker last reported.
    pub(crate) fn counters(&self) -> Counts {
        self.counters.get()
    }

    /// Sends `op` (with the fields of `w`, and `value` beside it); `then` goes on with the
    /// worker's answer: the value posted beside the reply, or the worker's error. No time limit:
    /// the worker bounds its own requests by `timeoutMs`, and the ping gives up a worker that
    /// stops answering (every call then fails).
    pub(crate) fn call(&self, op: &str, mut w: Writer, value: &JsValue, then: W) {
        if let Some(e) = self.broken.borrow().as_ref().map(failed_call) {
            return then.answered(Err(e));
        }
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        w.put("op", op).put("id", &decimal(id.into()));
        // Waiting before it is posted: a call that cannot be posted fails with the others.
        self.waiting.borrow_mut().push((id, then));
        if !share::post(&self.port, &w.finish(), value) {
            return self.fail("could not be reached");
        }
        self.watch();
    }

    /// Runs the ping while calls are in flight (started by a call when it is not running).
    fn watch(&self) {
        if self.pinging.replace(true) {
            return;
        }
        let now = env::now_ms();
        self.liveness.borrow_mut().start(now);
        self.arm_ping();
    }

    fn arm_ping(&self) {
        let interval = self.liveness.borrow().interval();
        share::later(&self.dispatch, PING_TIMER, interval.0);
    }

    /// The ping's timer fired: pings the worker (while calls are in flight), or gives it up
    /// when it has not been heard from within the bound.
    pub(crate) fn tick(&self) {
        if self.broken.borrow().is_some() || self.waiting.borrow().is_empty() {
            self.pinging.set(false);
            return;
        }
        let now = env::now_ms();
        let tick = self.liveness.borrow_mut().tick(now);
        let failed = match tick {
            Tick::Ping if share::post(&self.port, liveness::PING, &JsValue::UNDEFINED) => {
                return self.arm_ping();
            }
            Tick::Ping => "could not be reached".to_owned(),
            Tick::Dead => {
                let ms = decimal(self.liveness.borrow().bound().as_u64());
                ["did not answer its ping within ", &ms, " ms"].cat()
            }
        };
        self.pinging.set(false);
        self.fail(&failed);
    }

    /// The worker failed (`why` completes "the session worker … "): every call fails so
    /// (`network_error`) from now on, the waiting ones at once, and the client falls back
    /// (once: `sharing::handle` takes the failure, at once or when [`FAIL_TIMER`] fires).
    pub(crate) fn fail(&self, why: &str) {
        if self.broken.borrow().is_some() {
            return;
        }
        let reason = worker_failed(why);
        *self.broken.borrow_mut() = Some(reason.clone());
        let all = core::mem::take(&mut *self.waiting.borrow_mut());
        for (_, then) in all {
            then.answered(Err(failed_call(&reason)));
        }
        self.unhandled.set(true);
        share::later(&self.dispatch, FAIL_TIMER, 0.0);
    }

    /// Whether the client has yet to fall back from the failure (once: `true` only the first
    /// time it is asked after [`fail`](Self::fail)).
    pub(crate) fn take_failure(&self) -> bool {
        self.unhandled.replace(false)
    }

    /// The session view and counters every message of the worker carries as its own fields
    /// (no view, no `sc`: signed out); a session view passes the client's trust rule
    /// (`config`), else the last one stays.
    pub(crate) fn apply_state(&self, config: &ClientConfig, m: &Fields) {
        self.counters.set(relay::read_counts(m));
        if m.get("sc").is_none() {
            *self.session.borrow_mut() = None;
        } else if let Some(v) = SessionView::trusted(config, m) {
            *self.session.borrow_mut() = Some(v);
        }
    }
}

/// `auth.fetch` through the worker, the request as `pack_request` copied it (its body read
/// into a buffer; a string: why it could not be read): `Err` when it could not be.
pub(crate) fn packed_request(packed: JsValue) -> Result<JsValue, AuthError> {
    match packed.as_string() {
        Some(why) => Err(AuthError::config(
            "input",
            ["the request could not be built: ", &why].cat(),
        )),
        None => Ok(packed),
    }
}

/// The worker's answer to a relayed `auth.fetch` (the packed response posted beside the
/// reply): its response rebuilt here.
pub(crate) fn rebuilt(packed: JsValue) -> Result<JsValue, AuthError> {
    let response = share::unpack_response(&packed);
    match response.as_string() {
        Some(why) => Err(AuthError::Network {
            reason: [
                brief!(
                    "the response could not be rebuilt: ",
                    "the session worker's response could not be rebuilt: "
                ),
                &why,
            ]
            .cat(),
        }),
        None => Ok(response),
    }
}

/// Connects to the session worker; its messages come back through `dispatch` (event 9, given
/// to `sharing::handle`, which says when the worker has told this tab whether a session exists).
/// `None` where the browser has no SharedWorker, or the worker cannot be reached.
pub(crate) fn start<W>(
    config: &Rc<ClientConfig>,
    options: &str,
    dispatch: &JsValue,
) -> Option<Rc<Remote<W>>> {
    let name = share::scope_name(config, options);
    let url = config.worker_url.as_deref().map(JsValue::from_str);
    // Undefined where it could not connect: the hello cannot be posted to it then.
    let port = share::connect_worker(&url.unwrap_or_default(), &name, dispatch);
    let hello = Writer::new()
        .put("op", "hello")
        .put("id", "0")
        .put("options", options)
        .finish();
    share::post(&port, &hello, &JsValue::UNDEFINED).then_some(())?;
    Some(Rc::new(Remote {
        port,
        dispatch: dispatch.clone(),
        next_id: Cell::new(0),
        waiting: RefCell::new(Vec::new()),
        session: RefCell::new(None),
        counters: Cell::new([0; 5]),
        broken: RefCell::new(None),
        unhandled: Cell::new(false),
        liveness: RefCell::new(WorkerLiveness::new(config.timeout_ms)),
        pinging: Cell::new(false),
    }))
}
