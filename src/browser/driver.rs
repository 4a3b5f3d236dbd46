//! The thin driver: executes the session machine's actions (`core::session`) in the browser —
//! sends its requests, delivers its events, posts its tab messages, arms its one timer — and
//! feeds the results back. It makes no generation, version or expiry decision of its own.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::browser::events::{self, AuthEvent, Listeners};
use crate::browser::exec::{Dispatch, to_js};
use crate::browser::json::Parsed;
use crate::browser::net::Purpose;
use crate::browser::remote::Remote;
#[cfg(feature = "sharing")]
use crate::browser::tabs::Tabs;
use crate::browser::{dpop, env};
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::session::{Action, HttpAnswer, OpId, RequestId, RequestKind, Session};
use crate::core::time::Millis;
use crate::core::token::TokenSet;
use crate::core::url::Origin;

#[cfg(feature = "dpop")]
pub(crate) mod dpop_send;

/// How this client shares its session with the other tabs of the origin.
#[cfg(feature = "sharing")]
pub(crate) enum Share {
    /// Not shared (`sessionSharing: "off"`), or this is the session worker's own client.
    Off,
    /// The session lives in the session worker.
    Worker(Rc<Remote<Relayed>>),
    /// Every tab holds it; a Web Locks leader refreshes.
    Locks(Rc<Tabs>),
}

/// Where the session worker's reply to a tab's call goes.
#[cfg(feature = "sharing")]
pub(crate) mod reply;
#[cfg(feature = "sharing")]
pub(crate) use reply::{Relayed, TabReply, Then};
/// Who waits for an operation of the session machine, as data.
mod wait;
pub(crate) use wait::{
    Again, CallbackThen, EndSession, Resume, SignedOut, Wait, after, start_login,
};
/// The add-ons' continuations of promises handed to the executor (the default build's come
/// back as events of their own: `Dispatch::hand`).
#[cfg(any(feature = "dpop", feature = "sharing"))]
mod js_then;
#[cfg(any(feature = "dpop", feature = "sharing"))]
pub(crate) use js_then::{JsThen, after_js, handle_then};

/// An API call in flight: its key at the executor, whose promise the caller holds.
#[derive(Clone, Copy)]
pub(crate) struct Call(u32);

impl Call {
    /// Its number (its key at the executor), to be handed back; and the call of a number.
    pub(crate) const fn number(self) -> u32 {
        self.0
    }
    pub(crate) const fn of_number(n: u32) -> Self {
        Call(n)
    }
}

/// The options in the session worker's form (`group::encode_options`): the tabs entry keeps
/// them; the other entries have nothing to keep.
#[cfg(feature = "sharing")]
pub(crate) type WireOptions = String;
/// The options in the session worker's form: nothing without session sharing.
#[cfg(not(feature = "sharing"))]
pub(crate) type WireOptions = ();

pub(crate) struct Inner {
    /// The session machine's configuration, shared with it.
    pub(crate) config: Rc<ClientConfig>,
    /// The options in the session worker's form (`group::encode_options`): the session group's
    /// name hashes them, and the worker builds its client from them.
    #[cfg(feature = "sharing")]
    pub(crate) options: String,
    #[cfg(feature = "sharing")]
    pub(crate) share: RefCell<Share>,
    /// Who waits until this tab knows the shared session (`None`: it does, or it is not
    /// shared); see `sharing::joined_then`.
    #[cfg(feature = "sharing")]
    pub(crate) joining: RefCell<Option<Vec<Wait>>>,
    /// The number of the last join begun (a fallback begins another).
    #[cfg(feature = "sharing")]
    pub(crate) join_number: Cell<u32>,
    pub(crate) session: RefCell<Session>,
    /// The DPoP key and nonces, and the provider's JWKS (cargo feature `dpop`).
    #[cfg_attr(not(feature = "dpop"), allow(dead_code))]
    pub(crate) dpop: dpop::State,
    /// What `auth.fetch`'s fast path needs of the held token set, worked out once per set.
    hot: RefCell<Option<Hot>>,
    pub(crate) listeners: RefCell<Listeners>,
    /// The executor's way back to this client.
    pub(crate) exec: Dispatch,
    /// Who waits for which operation of the session machine.
    ops: RefCell<Vec<(OpId, Wait)>>,
    /// What a waiter goes on with (`AuthClient::resume`).
    resume: Resume,
    /// Who waits for which promise handed to the executor.
    #[cfg(any(feature = "dpop", feature = "sharing"))]
    thens: RefCell<Vec<(u32, JsThen)>>,
    /// While Rust callers await (`keeping` > 0): the errors given to the executor, so that
    /// they get the error itself back, not its JS form.
    /// (Not in the npm build: no Rust caller awaits there.)
    #[cfg(not(feature = "npm"))]
    kept: RefCell<Vec<(JsValue, AuthError)>>,
    #[cfg(not(feature = "npm"))]
    pub(crate) keeping: Cell<u32>,
    /// The last key given to the executor (requests and operations).
    keys: Cell<u32>,
    /// When the executor's timer is armed to fire.
    timer_at: Cell<Option<Millis>>,
    /// When `store` last swept expired pending records.
    pub(crate) last_purge_ms: Cell<Millis>,
}

impl Inner {
    pub(crate) fn new(
        config: Rc<ClientConfig>,
        options: WireOptions,
        session: Session,
        exec: Dispatch,
        resume: Resume,
    ) -> Self {
        #[cfg(not(feature = "sharing"))]
        let () = options;
        // The gate's limit from the start (a call before any set rejects as it would).
        exec.hot(None, crate::browser::exec::gate(&config));
        Inner {
            config,
            #[cfg(feature = "sharing")]
            options,
            #[cfg(feature = "sharing")]
            share: RefCell::new(Share::Off),
            #[cfg(feature = "sharing")]
            joining: RefCell::new(None),
            #[cfg(feature = "sharing")]
            join_number: Cell::new(0),
            session: RefCell::new(session),
            dpop: dpop::State::new(),
            hot: RefCell::new(None),
            listeners: RefCell::new(Listeners::default()),
            exec,
            ops: RefCell::new(Vec::new()),
            resume,
            #[cfg(any(feature = "dpop", feature = "sharing"))]
            thens: RefCell::new(Vec::new()),
            #[cfg(not(feature = "npm"))]
            kept: RefCell::new(Vec::new()),
            #[cfg(not(feature = "npm"))]
            keeping: Cell::new(0),
            keys: Cell::new(0),
            timer_at: Cell::new(None),
            last_purge_ms: Cell::new(Millis(f64::NEG_INFINITY)),
        }
    }

    /// The session worker link, in `"tabs"` mode.
    #[cfg(feature = "sharing")]
    pub(crate) fn remote(&self) -> Option<Rc<Remote<Relayed>>> {
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

    /// The fast path's strings of the held token set, if any (copies of the JS references: no
    /// borrow is held while the caller calls into JS).
    #[cfg(not(feature = "npm"))]
    pub(crate) fn hot(&self) -> Option<Hot> {
        self.hot.borrow().clone()
    }

    /// The fast path's Authorization value, when it is `generation`'s set's.
    pub(crate) fn hot_bearer(&self, generation: u64) -> Option<JsValue> {
        let hot = self.hot.borrow();
        let hot = hot.as_ref().filter(|h| h.generation == generation)?;
        Some(hot.bearer.clone())
    }

    /// `f` of the held token set and its generation, or `not_authenticated`. The set is read
    /// borrowed, not cloned: `f` runs under a borrow of the session machine and must not touch it.
    pub(crate) fn with_tokens<R>(
        &self,
        f: impl FnOnce(&TokenSet, u64) -> R,
    ) -> Result<R, AuthError> {
        let s = self.session.borrow();
        match s.tokens() {
            Some(t) => Ok(f(t, s.generation())),
            None => Err(AuthError::NotAuthenticated),
        }
    }

    pub(crate) fn emit(&self, event: &AuthEvent) {
        // A session established here or taken over from another tab: `restore: "auto"` may
        // sign in again after a reload or a browser restart.
        if let AuthEvent::Login(_) = event {
            crate::browser::restore::note_signed_in(&self.config.client_id);
        }
        events::emit(&self.listeners, event);
        // The JS API's listeners, kept by the executor under this client's dispatch function.
        crate::js::deliver_event(self.exec.js(), event);
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

    /// A new key for the executor.
    pub(crate) fn key(&self) -> u32 {
        self.keys.set(self.keys.get().wrapping_add(1));
        self.keys.get()
    }

    /// A new API call, and the promise its caller gets.
    pub(crate) fn call(&self) -> (Call, crate::browser::sys::Promise) {
        let key = self.key();
        (Call(key), self.exec.promise(key))
    }

    /// An API call's outcome: its promise settled (a failure counted in
    /// `stats.errorsByCode`, reported by that promise alone).
    pub(crate) fn finish(&self, call: Call, r: Result<JsValue, AuthError>) {
        let (ok, v) = match r {
            Ok(v) => (true, v),
            Err(e) => (false, self.failed(e)),
        };
        self.exec.settle(call.0, ok, &v);
    }

    /// A failure an API call reports: counted, and its JS form. (The error is given up, and
    /// dropped here: not by each caller.)
    pub(crate) fn failed(&self, e: AuthError) -> JsValue {
        self.session.borrow_mut().count(&e);
        let js = to_js(&e);
        #[cfg(not(feature = "npm"))]
        if self.keeping.get() > 0 {
            self.kept.borrow_mut().push((js.clone(), e));
        }
        js
    }

    /// The error a Rust caller gets for a rejection (see `kept`).
    #[cfg(not(feature = "npm"))]
    pub(crate) fn take_kept(&self, js: &JsValue) -> Option<AuthError> {
        let mut kept = self.kept.borrow_mut();
        let i = kept.iter().position(|(k, _)| k == js)?;
        Some(kept.swap_remove(i).1)
    }

    /// One Rust caller fewer awaits: with none left, no error is kept.
    #[cfg(not(feature = "npm"))]
    pub(crate) fn unkeep(&self) {
        self.keeping.set(self.keeping.get().saturating_sub(1));
        if self.keeping.get() == 0 {
            self.kept.borrow_mut().clear();
        }
    }
}

/// The client's timer fired.
pub(crate) fn handle_timer(inner: &Rc<Inner>) {
    inner.timer_at.set(None);
    let now = env::now_ms();
    inner.session.borrow_mut().handle_timeout(now);
    pump(inner);
}

/// The core's requests in a build without the DPoP add-on.
#[cfg(not(feature = "dpop"))]
pub(crate) mod plain;

/// An answer to one of the session machine's requests (or why there is none), fed back to it.
fn respond(inner: &Rc<Inner>, id: RequestId, answer: Result<HttpAnswer, AuthError>) {
    let now = env::now_ms();
    // Parsed before the borrow: the page's JSON.parse may call the client (`Parsed`).
    let json = Parsed::answer(answer.as_ref().map_or("", |a| &a.body));
    inner
        .session
        .borrow_mut()
        .handle_response(now, id, answer, &json);
    pump(inner);
}

/// Runs the session's actions until it has none, then re-arms its timer.
pub(crate) fn pump(inner: &Rc<Inner>) {
    loop {
        // Before each action, and once none is left, the fast path follows the held set: the
        // gate closed before a send (a call it makes, an app's `fetch` wrapper, waits), the new
        // set there before an event or a settled operation (those who waited retry with it).
        sync_hot(inner);
        let action = inner.session.borrow_mut().poll_action();
        let Some(action) = action else { break };
        match action {
            Action::Send { id, kind, request } => {
                let purpose = match kind {
                    RequestKind::Token => Purpose::Token,
                    RequestKind::Revocation => Purpose::Revocation,
                };
                // With DPoP all go its way (without a key or id_token check, sent as `plain`'s).
                #[cfg(feature = "dpop")]
                dpop_send::send_for(inner, id, purpose, request);
                #[cfg(not(feature = "dpop"))]
                plain::send(inner, id, purpose, request);
            }
            Action::Emit(event) => {
                #[cfg(feature = "dpop")]
                if matches!(
                    event,
                    AuthEvent::Logout { .. } | AuthEvent::SessionExpired(_)
                ) {
                    dpop_send::session_ended(inner);
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
            Action::Settle { op, result } => wait::settle(inner, op, result),
        }
    }
    arm_timer(inner);
}

/// Makes the session's DPoP key ahead of need (so that a popup login can send `dpop_jkt`),
/// when DPoP is on; a failure is an `error` event. With the session worker, the worker holds
/// the key (a tab makes one only when it falls back to holding the session: before its code exchange).
pub(crate) fn make_dpop_key(inner: &Rc<Inner>) {
    // (Without sharing no `remote()` call, whose `None` the compiler keeps with its drop glue.)
    #[cfg(feature = "dpop")]
    if inner.config.uses_dpop() && (cfg!(not(feature = "sharing")) || inner.remote().is_none()) {
        dpop_send::ensure_key(inner, dpop_send::Keyed::Report);
    }
    #[cfg(not(feature = "dpop"))]
    let _ = inner;
}

/// Rebuilds the fast path (the JS API's `fetch` without a call into the wasm) when the set
/// changed, and tells the `auth.fetch` gate how many calls may be in flight: none while the held
/// set is known dead (a 401 joined its refresh; no fast path then). By `pump`: before each action
/// and once none is left.
fn sync_hot(inner: &Inner) {
    let s = inner.session.borrow();
    let (generation, dead) = (s.generation(), s.held_dead());
    if !dead
        && inner
            .hot
            .borrow()
            .as_ref()
            .is_some_and(|h| h.generation == generation)
    {
        return;
    }
    // A DPoP-bound token has no fast path: each request needs its own signed proof.
    let hot = s
        .tokens()
        .filter(|t| !t.dpop && !dead)
        .map(|t| Hot::of(&inner.config, t, generation));
    // (The session is not borrowed while JS runs.)
    drop(s);
    inner.exec.hot(
        hot.as_ref()
            .and_then(|h| Some((&h.bearer, h.base.as_ref()?, h.generation))),
        if dead {
            0.0
        } else {
            crate::browser::exec::gate(&inner.config)
        },
    );
    *inner.hot.borrow_mut() = hot;
}

/// Keeps the executor's one timer armed at the session's `poll_timeout`.
fn arm_timer(inner: &Rc<Inner>) {
    let at = inner.session.borrow().poll_timeout();
    if inner.timer_at.get() == at {
        return;
    }
    inner.timer_at.set(at);
    let delay = at.map(|at| (at - env::now_ms()).0.clamp(0.0, 2_147_483_647.0));
    inner.exec.arm(delay);
}

/// What the JS fast path of `auth.fetch` needs of one token set, as JS strings made once per
/// set: a call with a root-relative URL then crosses no string between JS and wasm (each
/// crossing costs tens of µs on a cold path, measured in `make bench`). Only this module holds
/// them (page JS has no reference); they are dropped with the token set. No `Debug`.
#[cfg_attr(not(feature = "npm"), derive(Clone))]
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
            .and_then(|b| Origin::of(&b))
            .filter(|o| tokens.may_receive_bearer(config, o))
            .map(|o| JsValue::from_str(&o.serialize()));
        Hot {
            bearer: JsValue::from_str(&authorization(tokens)),
            base,
            generation,
        }
    }
}

/// The `Authorization` value of a Bearer set's requests.
pub(crate) fn authorization(tokens: &TokenSet) -> String {
    ["Bearer ", tokens.access_token.secret()].cat()
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
