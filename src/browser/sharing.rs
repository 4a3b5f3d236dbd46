//! Session sharing (cargo feature `sharing`, the `salesforce-pkce/tabs` entry): how a client
//! joins its session group, and the fallbacks — the session worker (`"tabs"`), else a Web
//! Locks leader (`"tabs-locks"`), else not shared. A page built without the feature never
//! loads any of it (`no_sharing.rs` stands in).

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefMut;

use wasm_bindgen::prelude::*;

use crate::browser::dpop::{Received, State};
use crate::browser::driver::{self, Inner, Relayed, Share, Then};
use crate::browser::remote::{Remote, Waiter};
use crate::browser::sys::Promise;
use crate::browser::{env, remote, share, tabs};
use crate::core::channel::{self, Hear};
use crate::core::config::Sharing;
use crate::core::error::AuthError;
use crate::core::session::{Role, Session};
use crate::core::text::parse_u64;
use crate::core::time::Millis;
use crate::core::token::TokenSet;
use crate::core::wire::Fields;
use crate::core::{liveness, relay};

/// Starts sharing as the configuration asks (the session worker where SharedWorker exists).
/// Left to the compiler: out of line it was 13 B smaller in share8 and 22 B in share9, and 10 B
/// larger in share23.
pub(crate) fn start(inner: &Rc<Inner>, sharing: Sharing) {
    let worker = (sharing == Sharing::Tabs)
        .then(|| remote::start(&inner.config, &inner.options, inner.exec.js()))
        .flatten();
    if let Some(r) = worker {
        *inner.share.borrow_mut() = Share::Worker(r);
        begin_join(inner);
    } else if sharing != Sharing::Off {
        share_through_tabs(inner);
    }
}

/// The join's timer (event 15 with this plus the join's number): a join not done by then is
/// given up.
const JOIN_TIMER: u32 = 16;

/// Runs `then` once this tab knows the shared session (at once when it does, or is not shared).
/// The wait is bounded by `timeoutMs`: a session worker that does not answer in time is given
/// up (the client falls back to `"tabs-locks"`, then `"off"`), and the new mode's join is
/// waited for; a leader tab's join not done in time is given up as done.
pub(crate) fn joined_then(inner: &Rc<Inner>, then: driver::Wait) {
    let first = match &mut *inner.joining.borrow_mut() {
        Some(waiting) => {
            waiting.push(then);
            waiting.len() == 1
        }
        None => return inner.resume(then, Ok(())),
    };
    if first {
        arm_join(inner);
    }
}

fn arm_join(inner: &Inner) {
    share::later(
        inner.exec.js(),
        JOIN_TIMER + inner.join_number.get(),
        f64::from(inner.config.timeout_ms),
    );
}

/// Whether timer `n` is the current join's, and it is not done: the join is given up.
fn join_due(inner: &Inner, n: u32) -> bool {
    n == JOIN_TIMER + inner.join_number.get() && inner.joining.borrow().is_some()
}

/// A new join starts (a mode's link was made); who waits for the last one waits for this one.
fn begin_join(inner: &Rc<Inner>) {
    inner.join_number.set(inner.join_number.get() + 1);
    let any = !inner
        .joining
        .borrow_mut()
        .get_or_insert_default()
        .is_empty();
    if any {
        arm_join(inner);
    }
}

/// This tab knows the shared session: who waits for it goes on.
fn finish_join(inner: &Rc<Inner>) {
    let waiting = inner.joining.borrow_mut().take();
    if let Some(waiting) = waiting {
        for then in waiting {
            inner.resume(then, Ok(()));
        }
    }
}

/// An event of the sharing links (`js/tabs.js`, events 9 to 15): a message's text is `data`,
/// the value posted beside it `value`. Left to the compiler: kept out of the client's dispatch
/// closure it saved 168 B gzip in share6, and cost 80 B after session 19's merges (share8).
pub(crate) fn handle(
    inner: &Rc<Inner>,
    kind: u32,
    n: u32,
    m: f64,
    data: &JsValue,
    value: JsValue,
) -> JsValue {
    let (remote, tabs) = (inner.remote(), inner.tabs());
    if let Some(r) = &remote {
        match (kind, n) {
            (9, _) => worker_message(inner, r, m, data, value),
            (15, remote::PING_TIMER) => r.tick(),
            (15, n) if join_due(inner, n) => {
                r.fail("did not answer within timeoutMs");
            }
            _ => {}
        }
        // The worker failed (here, or where a message could not be posted): this tab falls
        // back, and the next mode's join begins (the reason read where the link keeps it).
        if r.take_failure()
            && let Some(why) = &*r.broken.borrow()
        {
            fall_back(inner, why);
        }
        return JsValue::UNDEFINED;
    }
    match (kind, n) {
        (15, n) if join_due(inner, n) => finish_join(inner),
        (_, _) => {
            let Some(t) = tabs else {
                return JsValue::UNDEFINED;
            };
            match kind {
                10 => tab_message(inner, data, &value),
                11 => {
                    let now = env::now_ms();
                    inner.session.borrow_mut().handle_became_leader(now);
                    driver::pump(inner);
                }
                12 => {
                    inner.session.borrow_mut().handle_lost_lead();
                    driver::pump(inner);
                }
                // Whether this tab still wants to take the lock over (asked when it is about to).
                13 => return JsValue::from_bool(inner.session.borrow().wants_lead()),
                // The first lock request answered (a tab in line asks the others first).
                14 if t.first_lock(m == 1.0, inner.exec.js()) => finish_join(inner),
                15 if n == tabs::HELLO_TIMER => finish_join(inner),
                _ => {}
            }
        }
    }
    JsValue::UNDEFINED
}

/// A message from the session worker (`r`): its text, and the value posted beside it. It
/// answers this tab's hello (the join is done), a call, or tells of an event; or it is
/// `worker_failed`: the worker could not be started, or (`m` 1, `js/tabs.js`) it threw an
/// error nothing caught, which Firefox reports to its tabs.
fn worker_message(inner: &Rc<Inner>, r: &Remote<Relayed>, m: f64, text: &JsValue, value: JsValue) {
    let now = env::now_ms();
    r.liveness.borrow_mut().heard(now);
    let text = text.as_string().unwrap_or_default();
    if text == "worker_failed" {
        return r.fail(if m == 1.0 {
            "threw an uncaught error"
        } else {
            "could not be started"
        });
    }
    // A pong is the host's constant text (`liveness::PONG`).
    if text == liveness::PONG {
        return;
    }
    let Ok(m) = Fields::parse(&text) else {
        return;
    };
    let id = m.get("id").map(|i| parse_u64(i).unwrap_or(u64::MAX));
    let error = relay::read_error(&m);
    if id == Some(0)
        && let Some(refused) = &error
    {
        // The worker refused this tab (another build's options, say): fall back.
        return r.fail(&["refused this tab: ", &refused.message()].cat());
    }
    if r.broken.borrow().is_some() {
        return;
    }
    r.apply_state(&inner.config, &m);
    if let Some(id) = id {
        if id == 0 {
            return finish_join(inner);
        }
        let then = {
            let mut w = r.waiting.borrow_mut();
            w.iter()
                .position(|(i, _)| u64::from(*i) == id)
                .map(|p| w.swap_remove(p).1)
        };
        if let Some(then) = then {
            then.answered(error.map_or(Ok(value), Err));
        }
        return;
    }
    // An event: its parts are the message's own fields (`relayEvent` in js/tabs.js, as
    // `relay::write_event` writes them).
    if m.get("t").is_none() {
        return;
    }
    match relay::read_event(m, r.view()) {
        Ok(e) => inner.emit(&e),
        // Malformed: dropped and counted (invalid_tab_message), no event.
        Err(_) => inner.session.borrow_mut().note_bad_tab_message(),
    }
}

/// A message on the channel (its text, and the DPoP key posted beside a token set), read
/// straight into the session machine (`channel::read`); one that cannot be read is counted
/// (`invalid_tab_message`). The key is read first, before the session is borrowed: its
/// getters are the page's (one that calls the client then finds it free).
fn tab_message(inner: &Rc<Inner>, text: &JsValue, key: &JsValue) {
    let key = State::received(key);
    let mut heard = Heard {
        now: env::now_ms(),
        session: inner.session.borrow_mut(),
        key,
        adopted: None,
        answers_hello: false,
    };
    let read = channel::read(
        &inner.config,
        &text.as_string().unwrap_or_default(),
        &mut heard,
    );
    let Heard {
        mut session,
        adopted,
        answers_hello,
        ..
    } = heard;
    if read.is_none() {
        return session.note_bad_tab_message();
    }
    drop(session);
    // Adopted another tab's token set: its DPoP key comes with it.
    if let Some(k) = adopted {
        inner.dpop.adopt(k);
    }
    driver::pump(inner);
    // A set or "no session" answers this tab's hello: it knows the session.
    if answers_hello {
        finish_join(inner);
    }
}

/// This tab's session machine hearing a channel message (`channel::read`).
struct Heard<'a> {
    session: RefMut<'a, Session>,
    now: Millis,
    /// The DPoP key posted beside the message, if this tab can take it (read before the
    /// session was borrowed).
    key: Option<Received>,
    /// A token set was adopted, with the DPoP key posted beside it (read once).
    adopted: Option<Received>,
    /// A set or "no session" came.
    answers_hello: bool,
}

impl Hear for Heard<'_> {
    fn hello(&mut self) {
        self.session.tab_hello();
    }
    fn no_session(&mut self) {
        self.answers_hello = true;
        self.session.tab_no_session();
    }
    fn tokens(&mut self, login: u64, version: u64, tokens: TokenSet) {
        self.answers_hello = true;
        // A DPoP-bound set comes with the key it is bound to, or not at all.
        if tokens.dpop && self.key.is_none() {
            return self.session.note_bad_tab_message();
        }
        if self.session.tab_tokens(self.now, login, version, tokens) {
            self.adopted = self.key.take();
        }
    }
    fn refresh(&mut self, version: u64, at: Option<u64>) {
        self.session.tab_refresh(self.now, version, at);
    }
    fn refresh_failed(&mut self, version: u64, error: AuthError) {
        self.session.tab_refresh_failed(version, error);
    }
    fn ended(&mut self, login: u64, error: Option<AuthError>) {
        self.session.tab_ended(login, error);
    }
}

/// `"off"`, `"tabs"` (session worker) or `"tabs-locks"` (leader tab), after the fallbacks.
pub(crate) fn mode(inner: &Inner) -> &'static str {
    match &*inner.share.borrow() {
        Share::Off => "off",
        Share::Worker(_) => "tabs",
        Share::Locks(_) => "tabs-locks",
    }
}

/// Shares through the other tabs (a Web Locks leader), or not at all where the browser lacks
/// Web Locks or BroadcastChannel; the session machine's role follows.
fn share_through_tabs(inner: &Rc<Inner>) {
    let tabs = tabs::start(&inner.config, &inner.options, inner.exec.js());
    let role = match tabs {
        Some(t) => {
            *inner.share.borrow_mut() = Share::Locks(t);
            Role::Follower
        }
        None => {
            *inner.share.borrow_mut() = Share::Off;
            Role::Alone
        }
    };
    let shared = matches!(role, Role::Follower);
    inner.session.borrow_mut().set_role(role);
    if shared {
        begin_join(inner);
    } else {
        finish_join(inner);
    }
}

/// The session worker failed (it did not start, or did not answer in time): this tab shares through the tabs instead
/// (or not at all), and one `error` event (`network_error`) says why and what it fell back to.
fn fall_back(inner: &Rc<Inner>, why: &str) {
    share_through_tabs(inner);
    // "tabs-locks", or "off" where the browser lacks Web Locks or BroadcastChannel.
    let mode = mode(inner);
    let e = AuthError::Network {
        reason: [
            why,
            brief!("; sharing as \"", "; this tab shares its session as \""),
            mode,
            "\" instead",
        ]
        .cat(),
    };
    inner.report(&e);
}

/// `auth.fetch` (`request`: its input and init) or `auth.userinfo()` through the session
/// worker: the promise the caller gets, settled with the worker's answer (a response rebuilt
/// here, or the claims posted beside the reply). Signed out: `not_authenticated`, and the
/// request is not read.
pub(crate) fn relayed(
    inner: &Rc<Inner>,
    remote: Rc<Remote<Relayed>>,
    request: Option<(&JsValue, &JsValue)>,
) -> Promise {
    let (call, p) = inner.call();
    if remote.session.borrow().is_none() {
        inner.finish(call, Err(AuthError::NotAuthenticated));
        return p;
    }
    let fetch = request.is_some();
    // The request as plain data (`fetch`; `userinfo`: nothing, settled at once), then the call.
    let packed = request.map_or(JsValue::UNDEFINED, |(input, init)| {
        share::pack_request(input, init, inner.exec.js()).into()
    });
    driver::after_js(
        inner,
        &packed,
        Box::new(move |inner, packed| {
            let packed = match packed {
                Ok(packed) => packed,
                // A method fetch cannot send: the error this client made of it (dispatch 20,
                // counted there), as in the other modes.
                Err(refused) => return inner.exec.settle(call.number(), false, &refused),
            };
            // (`userinfo`'s `undefined` is never a reason the request could not be read.)
            match remote::packed_request(packed) {
                Ok(value) => remote.call(
                    if fetch { "fetch" } else { "userinfo" },
                    crate::core::wire::Writer::new(),
                    &value,
                    Relayed {
                        inner: inner.clone(),
                        then: if fetch {
                            Then::Fetch(call)
                        } else {
                            Then::Userinfo(call)
                        },
                    },
                ),
                Err(e) => inner.finish(call, Err(e)),
            }
        }),
    );
    p
}
