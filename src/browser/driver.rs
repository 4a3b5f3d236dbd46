//! The thin driver: executes the session machine's actions (`core::session`) in the browser —
//! sends its requests, delivers its events, posts its tab messages, arms its one timer — and
//! feeds the results back. It makes no generation, version or expiry decision of its own.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::events::{self, AuthEvent, Listeners};
use crate::browser::json::BrowserJson;
use crate::browser::net::Purpose;
use crate::browser::remote::Remote;
#[cfg(feature = "sharing")]
use crate::browser::tabs::Tabs;
use crate::browser::{dpop, env};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::error::AuthError;
use crate::core::session::{Action, HttpAnswer, OpId, RequestKind, Session};
use crate::core::token::TokenSet;
use crate::core::url::Origin;

/// How this client shares its session with the other tabs of the origin.
#[cfg(feature = "sharing")]
pub(crate) enum Share {
    /// Not shared (`sessionSharing: "off"`), or this is the session worker's own client.
    Off,
    /// The session lives in the session worker.
    Worker(Rc<Remote>),
    /// Every tab holds it; a Web Locks leader refreshes.
    Locks(Rc<Tabs>),
}

/// A pending `setTimeout`: when it fires, its id and the closure it will call.
type Timer = (f64, JsValue, Closure<dyn FnMut()>);

/// An operation someone awaits: the promise they wait on, its resolver, how many wait, and
/// the result once settled.
pub(crate) struct Waiter {
    op: OpId,
    promise: js_sys::Promise,
    resolve: Option<js_sys::Function>,
    count: Cell<u32>,
    result: RefCell<Option<Result<(), AuthError>>>,
}

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    /// The options as given (the session worker builds its client from them).
    #[cfg(feature = "sharing")]
    pub(crate) options: ClientOptions,
    #[cfg(feature = "sharing")]
    pub(crate) share: RefCell<Share>,
    /// Resolves once this tab knows the shared session (immediately when not shared).
    #[cfg(feature = "sharing")]
    pub(crate) joined: RefCell<Option<js_sys::Promise>>,
    pub(crate) session: RefCell<Session>,
    /// The DPoP key and nonces, and the provider's JWKS (cargo feature `dpop`).
    #[cfg_attr(not(feature = "dpop"), allow(dead_code))]
    pub(crate) dpop: dpop::State,
    /// What `auth.fetch`'s fast path needs of the held token set, worked out once per set.
    hot: RefCell<Option<Rc<Hot>>>,
    waiters: RefCell<Vec<Rc<Waiter>>>,
    pub(crate) listeners: RefCell<Listeners>,
    timer: RefCell<Option<Timer>>,
    /// When `store` last swept expired pending records.
    pub(crate) last_purge_ms: Cell<f64>,
}

impl Inner {
    pub(crate) fn new(config: ClientConfig, options: &ClientOptions, session: Session) -> Self {
        #[cfg(not(feature = "sharing"))]
        let _ = options;
        Inner {
            config,
            #[cfg(feature = "sharing")]
            options: options.clone(),
            #[cfg(feature = "sharing")]
            share: RefCell::new(Share::Off),
            #[cfg(feature = "sharing")]
            joined: RefCell::new(None),
            session: RefCell::new(session),
            dpop: dpop::State::new(),
            hot: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
            listeners: RefCell::new(Listeners::default()),
            timer: RefCell::new(None),
            last_purge_ms: Cell::new(f64::NEG_INFINITY),
        }
    }

    /// The session worker link, in `"tabs"` mode.
    #[cfg(feature = "sharing")]
    pub(crate) fn remote(&self) -> Option<Rc<Remote>> {
        match &*self.share.borrow() {
            Share::Worker(r) => Some(r.clone()),
            _ => None,
        }
    }

    /// Never: this build has no session sharing.
    #[cfg(not(feature = "sharing"))]
    pub(crate) fn remote(&self) -> Option<Rc<Remote>> {
        None
    }

    /// The tabs link, in `"tabs-locks"` mode.
    #[cfg(feature = "sharing")]
    pub(crate) fn tabs(&self) -> Option<Rc<Tabs>> {
        match &*self.share.borrow() {
            Share::Locks(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// Whether the held token set is DPoP-bound (its requests need a signed proof each, so
    /// they take no synchronous fast path).
    pub(crate) fn dpop_bound(&self) -> bool {
        self.session.borrow().tokens().is_some_and(|t| t.dpop)
    }

    /// The fast path's strings of the held token set, if any.
    pub(crate) fn hot(&self) -> Option<Rc<Hot>> {
        self.hot.borrow().clone()
    }

    /// The held token set and its generation, or `not_authenticated`.
    pub(crate) fn current(&self) -> Result<(TokenSet, u64), AuthError> {
        let s = self.session.borrow();
        let t = s.tokens().cloned().ok_or(AuthError::NotAuthenticated)?;
        Ok((t, s.generation()))
    }

    pub(crate) fn emit(&self, event: &AuthEvent) {
        // A session established here or taken over from another tab: `restore: "auto"` may
        // sign in again after a reload or a browser restart.
        if let AuthEvent::Login(_) = event {
            crate::browser::restore::note_signed_in(&self.config.client_id);
        }
        events::emit(&self.listeners, event);
    }

    /// An API method's outcome: a failure is counted in `stats.errorsByCode` and reported by the
    /// method's own promise (or `Result`) alone, never also as an `error` event
    /// (docs/guides/errors-and-events.md). Passes the result through.
    pub(crate) fn reported<T>(&self, r: Result<T, AuthError>) -> Result<T, AuthError> {
        if let Err(e) = &r {
            self.session.borrow_mut().count(e);
        }
        r
    }

    /// A failure no promise reports (the address bar left uncleaned, a DPoP key made ahead of
    /// need, a silent restore's unexpected failure): counted, and emitted as an `error` event.
    pub(crate) fn report(self: &Rc<Self>, e: &AuthError) {
        self.session.borrow_mut().report(e);
        pump(self);
    }

    /// Registers interest in `op` (before the actions that may settle it are pumped).
    pub(crate) fn watch(&self, op: OpId) -> Rc<Waiter> {
        let mut list = self.waiters.borrow_mut();
        if let Some(w) = list.iter().find(|w| w.op == op) {
            w.count.set(w.count.get() + 1);
            return w.clone();
        }
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        let w = Rc::new(Waiter {
            op,
            promise,
            resolve,
            count: Cell::new(1),
            result: RefCell::new(None),
        });
        list.push(w.clone());
        w
    }
}

/// Waits for a watched operation's result.
pub(crate) async fn settled(inner: &Inner, w: Rc<Waiter>) -> Result<(), AuthError> {
    if w.result.borrow().is_none() {
        let _ = wasm_bindgen_futures::JsFuture::from(w.promise.clone()).await;
    }
    let result = w
        .result
        .borrow()
        .clone()
        .unwrap_or(Err(AuthError::NotAuthenticated));
    w.count.set(w.count.get().saturating_sub(1));
    if w.count.get() == 0 {
        inner.waiters.borrow_mut().retain(|x| !Rc::ptr_eq(x, &w));
    }
    result
}

/// Runs the session's actions until it has none, then re-arms its timer.
pub(crate) fn pump(inner: &Rc<Inner>) {
    loop {
        let action = inner.session.borrow_mut().poll_action();
        let Some(action) = action else { break };
        match action {
            Action::Send { id, kind, request } => {
                let inner = inner.clone();
                let purpose = match kind {
                    RequestKind::Token => Purpose::Token,
                    RequestKind::Revocation => Purpose::Revocation,
                };
                // The DPoP key now: a logout drops it before its revocations are on the wire.
                #[cfg(feature = "dpop")]
                let key = inner.dpop.key();
                wasm_bindgen_futures::spawn_local(async move {
                    let hint = inner.config.profile().token_network_hint();
                    #[cfg(feature = "dpop")]
                    let answer = dpop::send_checked(
                        &inner.dpop,
                        &inner.config,
                        key,
                        &request,
                        purpose,
                        hint,
                    )
                    .await;
                    #[cfg(not(feature = "dpop"))]
                    let answer =
                        crate::browser::net::send(&request, inner.config.timeout_ms, purpose, hint)
                            .await
                            .map(|(status, body, ())| (status, body));
                    let answer = answer.map(|(status, body)| HttpAnswer { status, body });
                    inner.session.borrow_mut().handle_response(
                        env::now_ms(),
                        id,
                        answer,
                        &BrowserJson,
                    );
                    pump(&inner);
                });
            }
            Action::Emit(event) => {
                sync_hot(inner);
                if matches!(
                    event,
                    AuthEvent::Logout { .. } | AuthEvent::SessionExpired(_)
                ) && inner.dpop.forget()
                {
                    make_dpop_key(inner);
                }
                inner.emit(&event);
            }
            // Only a shared session (a role other than Alone) broadcasts.
            #[cfg(feature = "sharing")]
            Action::Broadcast(m) => {
                if let Some(t) = inner.tabs() {
                    t.post_message(&m, &inner.dpop.shared_key());
                }
            }
            #[cfg(not(feature = "sharing"))]
            Action::Broadcast(_) => {}
            #[cfg(feature = "sharing")]
            Action::TakeLead => {
                if let Some(t) = inner.tabs() {
                    t.take_over();
                }
            }
            #[cfg(not(feature = "sharing"))]
            Action::TakeLead => {}
            Action::Settle { op, result } => {
                let waiter = inner.waiters.borrow().iter().find(|w| w.op == op).cloned();
                match waiter {
                    Some(w) => {
                        *w.result.borrow_mut() = Some(result);
                        if let Some(resolve) = &w.resolve {
                            let _ = resolve.call0(&JsValue::UNDEFINED);
                        }
                    }
                    // Nobody awaits it (a proactive refresh, one for another tab): report.
                    None => {
                        if let Err(e) = result {
                            inner.session.borrow_mut().report(&e);
                        }
                    }
                }
            }
        }
    }
    sync_hot(inner);
    arm_timer(inner);
}

/// Makes the session's DPoP key ahead of need (so that a popup login can send `dpop_jkt`),
/// when DPoP is on; a failure is an `error` event. With the session worker, the worker holds
/// the key (this tab makes one only if it falls back to holding the session itself, before its
/// code exchange).
pub(crate) fn make_dpop_key(inner: &Rc<Inner>) {
    #[cfg(feature = "dpop")]
    if inner.config.uses_dpop() && inner.remote().is_none() {
        let inner = inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = dpop::ensure_key(&inner.dpop, &inner.config).await {
                inner.report(&e);
            }
        });
    }
    #[cfg(not(feature = "dpop"))]
    let _ = inner;
}

/// Rebuilds the fast path's strings when the session's set changed.
fn sync_hot(inner: &Inner) {
    let generation = inner.session.borrow().generation();
    if inner
        .hot
        .borrow()
        .as_ref()
        .is_some_and(|h| h.generation == generation)
    {
        return;
    }
    // A DPoP-bound token has no fast path: each request needs its own signed proof.
    let hot = inner
        .session
        .borrow()
        .tokens()
        .filter(|t| !t.dpop)
        .map(|t| Rc::new(Hot::of(&inner.config, t, generation)));
    *inner.hot.borrow_mut() = hot;
}

/// Keeps one `setTimeout` armed at the session's `poll_timeout`.
fn arm_timer(inner: &Rc<Inner>) {
    let at = inner.session.borrow().poll_timeout();
    if inner.timer.borrow().as_ref().map(|t| t.0) == at {
        return;
    }
    if let Some((_, id, _closure)) = inner.timer.borrow_mut().take() {
        env::clear_timeout(&id);
    }
    let Some(at) = at else { return };
    let delay = (at - env::now_ms()).clamp(0.0, 2_147_483_647.0);
    let weak = Rc::downgrade(inner);
    let closure = Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            inner.timer.borrow_mut().take();
            inner.session.borrow_mut().handle_timeout(env::now_ms());
            pump(&inner);
        }
    });
    if let Some(id) = env::set_timeout(closure.as_ref().unchecked_ref(), delay) {
        *inner.timer.borrow_mut() = Some((at, id, closure));
    }
}

/// What the JS fast path of `auth.fetch` needs of one token set, as JS strings made once per
/// set: a call with a root-relative URL then crosses no string between JS and wasm (each
/// crossing costs tens of µs on a cold path, measured in `make bench`). Only this module holds
/// them (page JS has no reference); they are dropped with the token set. No `Debug`.
pub(crate) struct Hot {
    /// `Bearer <access token>`.
    pub(crate) bearer: JsValue,
    /// The serialized origin of `instance_url` (or `apiBase`), where the token may go.
    pub(crate) base: Option<JsValue>,
    /// The token set's generation (what an API answer is reported with).
    pub(crate) generation: u64,
}

impl Hot {
    fn of(config: &ClientConfig, tokens: &TokenSet, generation: u64) -> Hot {
        // The origin `resolve` gives a root-relative URL, when the token may go there.
        let base = relative_base(config, tokens)
            .and_then(|b| Origin::parse(&b, "base").ok())
            .filter(|o| tokens.may_receive_bearer(config, o))
            .map(|o| JsValue::from_str(&o.serialize()));
        Hot {
            bearer: JsValue::from_str(&["Bearer ", tokens.access_token.secret()].concat()),
            base,
            generation,
        }
    }
}

/// What a relative `auth.fetch` URL resolves against: `instance_url`, else `apiBase`.
pub(crate) fn relative_base(config: &ClientConfig, tokens: &TokenSet) -> Option<String> {
    tokens.instance_url().map(str::to_owned).or_else(|| {
        config
            .api_base
            .as_ref()
            .map(|b| b.base_without_trailing_slash() + "/")
    })
}
