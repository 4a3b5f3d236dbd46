//! `sessionSharing: "tabs"`, the worker side: `session-worker.js` (a module SharedWorker shipped
//! with the package) runs one [`AuthClient`] for every tab of the origin and answers their
//! messages (see `remote.rs`). Tokens live only in this worker's memory; tabs get the public
//! session view, counters, events, and rebuilt responses.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::driver::{self, Inner};
use crate::browser::end_session::SignedOut;
use crate::browser::exec::DispatchFn;
use crate::browser::share;
use crate::browser::sys::Promise;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{EVENTS, Relay};
use crate::core::liveness;
use crate::core::relay;
use crate::core::wire::{self, BadMessage, Fields, SessionView, Writer};

/// A reply: a field and the value posted beside it, or an error's text form
/// (`wire::encode_error`).
type Answer = Result<(Option<(&'static str, String)>, JsValue), String>;

/// The session worker's state: its client (made by the first tab's hello, keeping that hello's
/// options text, which every later hello must equal) and the tabs' ports.
pub struct SessionHost {
    client: RefCell<Option<AuthClient>>,
    /// The tabs' ports, each with its number (its messages come with it, event 9).
    ports: RefCell<Vec<(u32, JsValue)>>,
    /// The worker's one dispatch function (`js/tabs.js` calls it with the ports' messages,
    /// event 9, and the tabs' ports, event 16; the relayed calls' promises settle in the
    /// worker client's own executor).
    exec: Closure<DispatchFn>,
    /// The last port number given.
    last: Cell<u32>,
}

impl SessionHost {
    /// A host with no client yet.
    pub fn new() -> Rc<Self> {
        Rc::new_cyclic(|host: &Weak<SessionHost>| {
            let host = host.clone();
            SessionHost {
                client: RefCell::new(None),
                ports: RefCell::new(Vec::new()),
                exec: Closure::new(move |kind, n: f64, _, data, value| {
                    if let Some(host) = host.upgrade() {
                        host.route(kind, n as u32, data, value);
                    }
                    JsValue::UNDEFINED
                }),
                last: Cell::new(0),
            }
        })
    }

    fn next(&self) -> u32 {
        self.last.set(self.last.get() + 1);
        self.last.get()
    }

    /// Starts a host for the worker's life (it is never dropped) and returns its dispatch
    /// function: a tab's port handed to it as event 16 is served (`session-worker.js`).
    pub(crate) fn serve() -> JsValue {
        let host = Self::new();
        let dispatch = host.js().clone();
        core::mem::forget(host);
        dispatch
    }

    /// Serves a tab's port.
    pub fn connect(&self, port: JsValue) {
        let n = self.next();
        share::listen(&port, self.js(), n);
        self.ports.borrow_mut().push((n, port));
    }

    fn js(&self) -> &JsValue {
        self.exec.as_ref()
    }

    /// A port's message (`kind` 9: from the port `n`, its text and the value posted beside it),
    /// or a tab's port handed over (16); the numbering in js/tabs.js.
    fn route(self: &Rc<Self>, kind: u32, n: u32, data: JsValue, value: JsValue) {
        match kind {
            9 => {
                let text = data.as_string().unwrap_or_default();
                let port = {
                    let mut ports = self.ports.borrow_mut();
                    let Some(i) = ports.iter().position(|(p, _)| *p == n) else {
                        return;
                    };
                    // The tab went away: its port is served no more.
                    if text == liveness::BYE {
                        ports.swap_remove(i);
                        return;
                    }
                    ports[i].1.clone()
                };
                // Answered at once, whatever the calls in flight are doing: the tab's liveness
                // check (core::liveness; the ping and the pong are constant texts).
                if text == liveness::PING {
                    let _ = share::post(&port, liveness::PONG, &JsValue::UNDEFINED);
                } else if let Ok(m) = Fields::parse(&text) {
                    self.handle(&port, &m, &value);
                }
            }
            16 => self.connect(data),
            17 => self.broadcast(&data.as_string().unwrap_or_default()),
            _ => {}
        }
    }

    fn client(&self) -> Option<AuthClient> {
        self.client.borrow().clone()
    }

    /// The public state every message carries, as its own fields: the session view (none:
    /// signed out) and the counters.
    fn state(&self, w: &mut Writer) -> String {
        // The worker's own session machine (its client is never shared further).
        let mut counts = [0; 5];
        if let Some(c) = &*self.client.borrow() {
            let s = c.inner.session.borrow();
            if let Some(t) = s.tokens() {
                SessionView::of(t).write(w);
            }
            counts = s.stats().counts();
        }
        relay::write_counts(counts, w);
        w.finish()
    }

    fn reply(&self, port: &JsValue, id: &str, answer: Answer) {
        let mut w = Writer::new();
        w.put("id", id);
        let value = match answer {
            Ok((field, value)) => {
                if let Some((k, v)) = field {
                    w.put(k, &v);
                }
                value
            }
            Err(e) => {
                w.put("error", &e);
                JsValue::UNDEFINED
            }
        };
        let _ = share::post(port, &self.state(&mut w), &value);
    }

    /// An event of the worker's client, to every tab: its form (`relay::read_event`'s fields,
    /// made by `relayEvent` in js/tabs.js) beside the state every message carries.
    fn broadcast(&self, form: &str) {
        let mut m = self.state(&mut Writer::new());
        m.push('&');
        m.push_str(form);
        for (_, port) in self.ports.borrow().iter() {
            let _ = share::post(port, &m, &JsValue::UNDEFINED);
        }
    }

    fn hello(self: &Rc<Self>, options: &str) -> Result<(), AuthError> {
        if let Some(c) = &*self.client.borrow() {
            return if c.inner.options == options {
                Ok(())
            } else {
                Err(AuthError::config(
                    "sessionSharing",
                    brief!(
                        "tab options differ; use the same options in every tab",
                        "another tab started this session worker with different options; give every tab the same options"
                    ),
                ))
            };
        }
        let (o, profile) = crate::core::group::decode_options(options).map_err(|_| {
            AuthError::config(
                "sessionSharing",
                brief!(
                    "unreadable options: is session-worker.js from this build?",
                    "the session worker could not read the options (is session-worker.js from the same build as the page?)"
                ),
            )
        })?;
        // The client keeps the text it was made of (the options' worker form already): later
        // hellos are compared with it.
        let client = AuthClient::from_config(ClientConfig::new(profile, &o)?, options.to_owned())?;
        // The events of the worker's client its tabs get (the others are each tab's own): the
        // client's executor delivers each to a listener that hands this host its form (event
        // 17, `relayEvent` in js/tabs.js), as it delivers the JS API's events.
        for (name, r, _) in EVENTS {
            if r == Relay::Worker {
                share::relay_event(client.inner.exec.js(), name, self.js());
            }
        }
        *self.client.borrow_mut() = Some(client);
        Ok(())
    }

    /// A tab's message (its form, and the value posted beside it).
    fn handle(self: &Rc<Self>, port: &JsValue, m: &Fields, value: &JsValue) {
        let id = m.get("id").unwrap_or("-1").to_owned();
        let op = m.get("op").unwrap_or_default();
        let done = |r: Result<(), AuthError>| {
            r.map(|()| (None, JsValue::UNDEFINED))
                .map_err(|e| wire::encode_error(&e))
        };
        if op == "hello" {
            let r = self.hello(m.get("options").unwrap_or_default());
            return self.reply(port, &id, done(r));
        }
        let Some(client) = self.client() else {
            return self.reply(port, &id, done(Err(AuthError::NotAuthenticated)));
        };
        let (host, port) = (Rc::downgrade(self), port.clone());
        let reply = move |r: Answer| {
            if let Some(host) = host.upgrade() {
                host.reply(&port, &id, r);
            }
        };
        if op == "fetch" {
            return relay_fetch(&client, value.clone(), reply);
        }
        if op == "userinfo" {
            return relay(&client.inner, &client.userinfo_promise(), reply);
        }
        if op == "logout" {
            let hint = m.get("hint") == Some("1");
            return client.sign_out(
                hint,
                SignedOut::Relay(Box::new(move |inner, r| {
                    reply(match inner.reported(r) {
                        Ok(t) => Ok((t.map(|t| ("id_token_hint", t)), JsValue::UNDEFINED)),
                        Err(e) => Err(wire::encode_error(&e)),
                    });
                })),
            );
        }
        if op == "complete"
            && let Ok(c) = crate::core::group::read_callback(m)
        {
            let then = Box::new(move |_: &Rc<Inner>, r| reply(done(r)));
            return client.exchange(c, driver::Wait::Boxed(then));
        }
        // An unreadable callback, or an operation no tab of this build sends.
        reply(done(Err(BadMessage.into())));
    }
}

/// A tab's `auth.fetch` (`value`: the request as `packRequest` in js/tabs.js made it). While
/// the held set is known dead (a 401 joined its refresh), the call waits for that refresh and
/// is then made as a call made after it would be: the dead token is not sent again. (The tab's
/// own gate never closes: the tab holds no set.)
fn relay_fetch(client: &AuthClient, value: JsValue, reply: impl FnOnce(Answer) + 'static) {
    let inner = &client.inner;
    let dead = inner.session.borrow().dead_refresh();
    match dead {
        Some(op) => driver::after(
            inner,
            op,
            driver::Wait::Boxed(Box::new(move |inner, _| {
                relay_fetch(
                    &AuthClient {
                        inner: inner.clone(),
                    },
                    value,
                    reply,
                );
            })),
        ),
        None => relay(
            inner,
            &client.fetch_promise(&share::field(&value, "url"), &share::field(&value, "init")),
            reply,
        ),
    }
}

/// A relayed call's promise (`auth.fetch`'s response, or the claims of `auth.userinfo()`) goes
/// to the worker client's executor; `reply` goes when it settles: the packed response or the
/// claims, or the error as text (`relay` in `js/tabs.js`: the worker client's, or a body that
/// could not be read).
fn relay(inner: &Inner, promise: &Promise, reply: impl FnOnce(Answer) + 'static) {
    driver::after_js(
        inner,
        &share::relay(promise),
        Box::new(move |_, result| {
            reply(
                result
                    .map(|packed| (None, packed))
                    .map_err(|e| e.as_string().unwrap_or_default()),
            );
        }),
    );
}
