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
use crate::browser::share::{self, get, get_str, message};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::error::AuthError;
use crate::core::liveness::{Tick, WorkerLiveness};
use crate::core::relay;
use crate::core::relay::CountersView;
use crate::core::wire::{self, SessionView};

/// What the client is told by its worker link (given at start: this module knows no client).
pub(crate) struct Hooks {
    /// The worker failed (does not start, does not join within `timeoutMs`, stops answering
    /// its pings, or refused this tab): the client falls back to another sharing mode. Called
    /// once.
    pub(crate) on_fail: Box<dyn Fn(AuthError)>,
    /// An event the worker's client emitted, for this tab's listeners.
    pub(crate) emit: Box<dyn Fn(&crate::browser::events::AuthEvent)>,
    /// A message that could not be read (counted as `invalid_tab_message`).
    pub(crate) note_bad: Box<dyn Fn()>,
    /// The worker told this tab whether a session exists (its hello was answered).
    pub(crate) joined: Box<dyn Fn()>,
}

/// What runs with the worker's answer to a call: its reply, or the worker's error.
pub(crate) type Reply = Box<dyn FnOnce(Result<JsValue, AuthError>)>;

/// The ping's timer (`later` in `js/tabs.js`, event 15).
pub(crate) const PING_TIMER: u32 = 1;

pub(crate) struct Remote {
    port: JsValue,
    /// The client's dispatch function (the worker's messages and the ping's timer come back
    /// through it).
    dispatch: JsValue,
    next_id: Cell<u32>,
    waiting: RefCell<Vec<(u32, Reply)>>,
    pub(crate) session: RefCell<Option<Session>>,
    pub(crate) counters: RefCell<CountersView>,
    /// Set when the worker failed to start or refused this tab's hello: every call fails so.
    broken: RefCell<Option<AuthError>>,
    /// The client's configuration: a session view from the worker passes its trust rule.
    config: ClientConfig,
    /// When the worker was last heard from, and the ping's bound.
    liveness: RefCell<WorkerLiveness>,
    /// Whether the ping loop runs (it does while calls are in flight).
    pinging: Cell<bool>,
    hooks: Hooks,
}

/// The worker failed, and why (`why` completes "the session worker … ").
pub(crate) fn worker_failed(why: &str) -> AuthError {
    AuthError::Network {
        reason: [
            "the session worker (sessionSharing: \"tabs\") ",
            why,
            "; check workerUrl and the console",
        ]
        .concat(),
    }
}

fn unreachable_worker() -> AuthError {
    worker_failed("could not be started or stopped answering")
}

impl Remote {
    /// The session view the worker last reported.
    pub(crate) fn view(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    /// The counters the worker last reported.
    pub(crate) fn counters(&self) -> CountersView {
        self.counters.borrow().clone()
    }

    /// Sends `op` with its fields; `then` gets the worker's answer: `Ok(reply)` or the worker's
    /// error. No time limit: the worker bounds its own requests by `timeoutMs`, and the ping
    /// gives up a worker that stops answering (every call then fails).
    pub(crate) fn call(
        &self,
        op: &str,
        fields: &[(&str, JsValue)],
        transfer: &JsValue,
        then: Reply,
    ) {
        if let Some(e) = self.broken.borrow().clone() {
            return then(Err(e));
        }
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let mut pairs = vec![("op", JsValue::from_str(op)), ("id", id.into())];
        pairs.extend_from_slice(fields);
        if share::post(&self.port, &message(&pairs), transfer).is_err() {
            self.fail(worker_failed("could not be reached"));
            return then(Err(self
                .broken
                .borrow()
                .clone()
                .unwrap_or_else(unreachable_worker)));
        }
        self.waiting.borrow_mut().push((id, then));
        self.watch();
    }

    /// Runs the ping while calls are in flight (started by a call when it is not running).
    fn watch(&self) {
        if self.pinging.replace(true) {
            return;
        }
        self.liveness.borrow_mut().start(env::now_ms());
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
        let tick = self.liveness.borrow_mut().tick(env::now_ms());
        let ping = message(&[("op", "ping".into())]);
        let failed = match tick {
            Tick::Ping if share::post(&self.port, &ping, &JsValue::UNDEFINED).is_ok() => {
                return self.arm_ping();
            }
            Tick::Ping => worker_failed("could not be reached"),
            Tick::Dead => {
                let ms = crate::core::text::decimal(self.liveness.borrow().bound().as_u64());
                worker_failed(&["did not answer its ping within ", &ms, " ms"].concat())
            }
        };
        self.pinging.set(false);
        self.fail(failed);
    }

    fn resolve(&self, id: u32, reply: &JsValue) {
        let then = {
            let mut w = self.waiting.borrow_mut();
            w.iter()
                .position(|(i, _)| *i == id)
                .map(|p| w.swap_remove(p).1)
        };
        if let Some(then) = then {
            then(match get_str(reply, "error") {
                Some(e) => Err(wire::decode_error(&e)),
                None => Ok(reply.clone()),
            });
        }
    }

    /// The worker failed: every call fails so from now on, the waiting ones at once, and the
    /// client is told (once) to fall back.
    pub(crate) fn fail(&self, why: AuthError) {
        if self.broken.borrow().is_some() {
            return;
        }
        *self.broken.borrow_mut() = Some(why.clone());
        let all: Vec<_> = self.waiting.borrow_mut().drain(..).collect();
        for (_, then) in all {
            then(Err(why.clone()));
        }
        (self.hooks.on_fail)(why);
    }

    /// `auth.fetch` through the worker: the request copied (`packed`, from `pack_request`: its
    /// body read into a buffer), sent, and the worker's response rebuilt here.
    pub(crate) fn fetch(
        &self,
        packed: &JsValue,
        then: Box<dyn FnOnce(Result<JsValue, AuthError>)>,
    ) {
        if let Some(why) = packed.as_string() {
            return then(Err(AuthError::config(
                "input",
                ["the request could not be built: ", &why].concat(),
            )));
        }
        let init = get(packed, "init");
        let fields = [("url", get(packed, "url")), ("init", init.clone())];
        self.call(
            "fetch",
            &fields,
            &get(&init, "body"),
            Box::new(move |reply| {
                then(reply.and_then(|reply| {
                    let response = share::unpack_response(&get(&reply, "response"));
                    match response.as_string() {
                        Some(why) => Err(AuthError::Network {
                            reason: ["the session worker's response could not be rebuilt: ", &why]
                                .concat(),
                        }),
                        None => Ok(response),
                    }
                }))
            }),
        );
    }

    fn apply_state(&self, m: &JsValue) {
        if let Some(c) = get_str(m, "counters").and_then(|c| CountersView::decode(&c).ok()) {
            *self.counters.borrow_mut() = c;
        }
        let s = get(m, "session");
        if s.is_null() {
            self.session.borrow_mut().take();
        } else if let Some(v) = s
            .as_string()
            .and_then(|t| SessionView::decode_trusted(&self.config, &t).ok())
        {
            *self.session.borrow_mut() = Some(v);
        }
    }
}

/// Connects to the session worker; its messages come back through `dispatch` (event 9, given
/// to [`on_message`]). `hooks.joined` runs once the worker has told this tab whether a session
/// exists.
pub(crate) fn start(
    config: &ClientConfig,
    options: &ClientOptions,
    dispatch: &JsValue,
    hooks: Hooks,
) -> Option<Rc<Remote>> {
    let name = share::scope_name(config, options);
    let port = share::connect_worker(config.worker_url.as_deref(), &name, dispatch).ok()?;
    let remote = Rc::new(Remote {
        port,
        dispatch: dispatch.clone(),
        next_id: Cell::new(0),
        waiting: RefCell::new(Vec::new()),
        session: RefCell::new(None),
        counters: RefCell::new(CountersView::default()),
        broken: RefCell::new(None),
        config: config.clone(),
        liveness: RefCell::new(WorkerLiveness::new(config.timeout_ms)),
        pinging: Cell::new(false),
        hooks,
    });
    let hello = message(&[
        ("op", "hello".into()),
        ("id", 0.into()),
        (
            "options",
            wire::encode_options(options, config.profile()).into(),
        ),
    ]);
    if share::post(&remote.port, &hello, &JsValue::UNDEFINED).is_err() {
        return None;
    }
    Some(remote)
}

/// A message from the session worker.
pub(crate) fn on_message(remote: &Rc<Remote>, m: &JsValue) {
    remote.liveness.borrow_mut().heard(env::now_ms());
    if get_str(m, "op").as_deref() == Some("pong") {
        return;
    }
    if get_str(m, "op").as_deref() == Some("worker_failed") {
        remote.fail(worker_failed("could not be started"));
        return;
    }
    let id = get(m, "id").as_f64();
    if id == Some(0.0)
        && let Some(e) = get_str(m, "error")
    {
        // The worker refused this tab (another build's options, say): fall back.
        let refused = wire::decode_error(&e);
        remote.fail(worker_failed(
            &["refused this tab: ", &refused.message()].concat(),
        ));
        return;
    }
    if remote.broken.borrow().is_some() {
        return;
    }
    remote.apply_state(m);
    if let Some(id) = id {
        if id == 0.0 {
            (remote.hooks.joined)();
        } else {
            remote.resolve(id as u32, m);
        }
        return;
    }
    if let Some(text) = get_str(m, "event") {
        match relay::decode_event(&text, remote.view()) {
            Ok(e) => (remote.hooks.emit)(&e),
            // Malformed: dropped and counted (invalid_tab_message), no event.
            Err(_) => (remote.hooks.note_bad)(),
        }
    }
}

/// The id_token the session worker sent back with a `logout` reply that asked for it.
pub(crate) fn id_token_hint(reply: &JsValue) -> Option<String> {
    share::get_str(reply, "id_token_hint")
}
