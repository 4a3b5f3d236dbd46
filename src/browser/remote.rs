//! `sessionSharing: "tabs"`, the page side: the session lives in a SharedWorker (see
//! `host.rs`); this tab sends it `auth.fetch`, the code exchange, userinfo and logout, and keeps
//! only the public session view and the counters it reports. The page never holds a token.
//! A relayed call takes as long as it takes; while calls are in flight the tab pings the
//! worker, and a worker that stops answering its pings is given up (`core::liveness`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

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
}

pub(crate) struct Remote {
    port: JsValue,
    next_id: Cell<u32>,
    waiting: RefCell<Vec<(u32, js_sys::Function)>>,
    pub(crate) session: RefCell<Option<Session>>,
    pub(crate) counters: RefCell<CountersView>,
    joined: RefCell<Option<js_sys::Function>>,
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

    /// Sends `op` with its fields and waits for the worker's answer: `Ok(reply)` or the
    /// worker's error. No time limit: the worker bounds its own requests by `timeoutMs`, and
    /// the ping loop gives up a worker that stops answering (every call then fails).
    pub(crate) async fn call(
        self: &Rc<Self>,
        op: &str,
        fields: &[(&str, JsValue)],
        transfer: &JsValue,
    ) -> Result<JsValue, AuthError> {
        if let Some(e) = self.broken.borrow().clone() {
            return Err(e);
        }
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        if let Some(r) = resolve {
            self.waiting.borrow_mut().push((id, r));
        }
        let mut pairs = vec![("op", JsValue::from_str(op)), ("id", id.into())];
        pairs.extend_from_slice(fields);
        if share::post(&self.port, &message(&pairs), transfer).is_err() {
            self.waiting.borrow_mut().retain(|(i, _)| *i != id);
            self.fail(worker_failed("could not be reached"));
            return Err(self
                .broken
                .borrow()
                .clone()
                .unwrap_or_else(unreachable_worker));
        }
        self.watch();
        let reply = JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED);
        if reply.is_undefined() {
            return Err(self
                .broken
                .borrow()
                .clone()
                .unwrap_or_else(unreachable_worker));
        }
        match get_str(&reply, "error") {
            Some(e) => Err(wire::decode_error(&e)),
            None => Ok(reply),
        }
    }

    /// Runs the ping loop while calls are in flight (started by a call when it is not running).
    fn watch(self: &Rc<Self>) {
        if self.pinging.replace(true) {
            return;
        }
        self.liveness.borrow_mut().start(env::now_ms());
        let interval = self.liveness.borrow().interval();
        let remote = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                sleep(interval.0).await;
                let Some(r) = remote.upgrade() else { return };
                if r.broken.borrow().is_some() || r.waiting.borrow().is_empty() {
                    r.pinging.set(false);
                    return;
                }
                let tick = r.liveness.borrow_mut().tick(env::now_ms());
                let ping = message(&[("op", "ping".into())]);
                let failed = match tick {
                    Tick::Ping if share::post(&r.port, &ping, &JsValue::UNDEFINED).is_ok() => {
                        continue;
                    }
                    Tick::Ping => worker_failed("could not be reached"),
                    Tick::Dead => {
                        let ms = crate::core::text::decimal(r.liveness.borrow().bound().as_u64());
                        worker_failed(&["did not answer its ping within ", &ms, " ms"].concat())
                    }
                };
                r.pinging.set(false);
                r.fail(failed);
                return;
            }
        });
    }

    fn resolve(&self, id: u32, reply: &JsValue) {
        let f = {
            let mut w = self.waiting.borrow_mut();
            w.iter()
                .position(|(i, _)| *i == id)
                .map(|p| w.swap_remove(p).1)
        };
        if let Some(f) = f {
            let _ = f.call1(&JsValue::UNDEFINED, reply);
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
        for (_, f) in all {
            let _ = f.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
        }
        self.finish_join();
        (self.hooks.on_fail)(why);
    }

    fn finish_join(&self) {
        if let Some(f) = self.joined.borrow_mut().take() {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }

    /// `auth.fetch` through the worker: the request is copied (body read into a buffer), sent,
    /// and the worker's response rebuilt here.
    pub(crate) async fn fetch(
        self: &Rc<Self>,
        input: &JsValue,
        init: &JsValue,
    ) -> Result<web_sys::Response, AuthError> {
        let packed = JsFuture::from(share::pack_request(input, init))
            .await
            .map_err(|e| {
                AuthError::config(
                    "input",
                    [
                        "the request could not be built: ",
                        &crate::browser::net::describe_js_error(&e),
                    ]
                    .concat(),
                )
            })?;
        let body = get(&get(&packed, "init"), "body");
        let reply = self
            .call(
                "fetch",
                &[("url", get(&packed, "url")), ("init", get(&packed, "init"))],
                &body,
            )
            .await?;
        share::unpack_response(&get(&reply, "response")).map_err(|e| AuthError::Network {
            reason: [
                "the session worker's response could not be rebuilt: ",
                &crate::browser::net::describe_js_error(&e),
            ]
            .concat(),
        })
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

/// Connects to the session worker. The promise resolves once the worker has told this tab
/// whether a session exists (or the worker failed).
pub(crate) fn start(
    config: &ClientConfig,
    options: &ClientOptions,
    hooks: Hooks,
) -> Option<(Rc<Remote>, js_sys::Promise)> {
    let name = share::scope_name(config, options);
    // Messages arrive only after this returns, once the Remote exists.
    let slot: Rc<RefCell<Weak<Remote>>> = Rc::new(RefCell::new(Weak::new()));
    let target = slot.clone();
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| {
        let remote = target.borrow().upgrade();
        if let Some(remote) = remote {
            on_message(&remote, &m);
        }
    });
    let port = share::connect_worker(
        config.worker_url.as_deref(),
        &name,
        on_message.as_ref().unchecked_ref(),
    )
    .ok()?;
    on_message.forget();
    let mut resolve = None;
    let joined = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    let remote = Rc::new(Remote {
        port,
        next_id: Cell::new(0),
        waiting: RefCell::new(Vec::new()),
        session: RefCell::new(None),
        counters: RefCell::new(CountersView::default()),
        joined: RefCell::new(resolve),
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
    *slot.borrow_mut() = Rc::downgrade(&remote);
    Some((remote, joined))
}

/// Resolves after `ms`.
async fn sleep(ms: f64) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = env::set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

fn on_message(remote: &Rc<Remote>, m: &JsValue) {
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
            remote.finish_join();
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
