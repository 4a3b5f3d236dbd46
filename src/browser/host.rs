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
use crate::browser::events::AuthEvent;
use crate::browser::exec::{Dispatch, Event};
use crate::browser::share::{self, get, get_str, message};
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{EVENTS, Relay};
use crate::core::relay;
use crate::core::relay::CountersView;
use crate::core::wire;

/// What a relayed call whose promise the executor holds answers with.
enum Relayed {
    /// `auth.fetch`: the response as plain data (`packResponse` in `js/tabs.js`).
    Fetch,
    /// `auth.userinfo()`: the claims as JSON text.
    Userinfo,
}

/// The session worker's state: its client (made by the first tab's hello) and the tabs' ports.
pub struct SessionHost {
    client: RefCell<Option<(AuthClient, String)>>,
    /// The tabs' ports, each with its number (its messages come with it, event 9).
    ports: RefCell<Vec<(u32, JsValue)>>,
    /// The worker's one dispatch function: the ports' messages and the relayed calls' promises
    /// come back through it.
    exec: Dispatch,
    /// The relayed calls whose promises the executor holds: key, port, call id, what.
    waiting: RefCell<Vec<(u32, JsValue, f64, Relayed)>>,
    /// The last port number and key given.
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
                exec: Dispatch::new(move |event| {
                    if let Some(host) = host.upgrade() {
                        host.route(event);
                    }
                    JsValue::UNDEFINED
                }),
                waiting: RefCell::new(Vec::new()),
                last: Cell::new(0),
            }
        })
    }

    fn next(&self) -> u32 {
        self.last.set(self.last.get() + 1);
        self.last.get()
    }

    /// Serves a tab's port.
    pub fn connect(&self, port: JsValue) {
        let n = self.next();
        share::listen(&port, self.exec.js(), n);
        self.ports.borrow_mut().push((n, port));
    }

    fn route(self: &Rc<Self>, event: Event) {
        match event {
            Event::Shared {
                kind: 9, n, data, ..
            } => {
                let port = self
                    .ports
                    .borrow()
                    .iter()
                    .find(|(p, _)| *p == n)
                    .map(|(_, port)| port.clone());
                if let Some(port) = port {
                    self.handle(n, &port, &data);
                }
            }
            Event::Then { key, result } => {
                let found = {
                    let mut w = self.waiting.borrow_mut();
                    w.iter()
                        .position(|(k, ..)| *k == key)
                        .map(|i| w.swap_remove(i))
                };
                let Some((_, port, id, what)) = found else {
                    return;
                };
                let r = match (what, result) {
                    (_, Err(e)) => Err(share::error_of(&e)),
                    (Relayed::Fetch, Ok(packed)) => match packed.as_string() {
                        Some(why) => Err(AuthError::Network {
                            reason: ["reading the response failed: ", &why].concat(),
                        }),
                        None => Ok(vec![("response", packed)]),
                    },
                    (Relayed::Userinfo, Ok(json)) => Ok(vec![("json", json)]),
                };
                self.reply(&port, id, r);
            }
            _ => {}
        }
    }

    /// Hands a relayed call's promise to the executor; the reply goes when it settles.
    fn relay(&self, port: &JsValue, id: f64, what: Relayed, promise: &JsValue) {
        let key = self.next();
        self.waiting
            .borrow_mut()
            .push((key, port.clone(), id, what));
        self.exec.then(key, promise);
    }

    fn client(&self) -> Option<AuthClient> {
        self.client.borrow().as_ref().map(|(c, _)| c.clone())
    }

    /// The public state every message carries: the session view (or null) and the counters.
    fn state(&self) -> [(&'static str, JsValue); 2] {
        let client = self.client();
        let session = client
            .as_ref()
            .and_then(AuthClient::session)
            .map_or(JsValue::NULL, |v| v.encode().into());
        let counters = client.map(|c| c.counters()).unwrap_or_default();
        [("session", session), ("counters", counters.encode().into())]
    }

    fn reply(&self, port: &JsValue, id: f64, result: Result<Vec<(&str, JsValue)>, AuthError>) {
        let mut pairs = vec![("id", JsValue::from_f64(id))];
        let mut transfer = JsValue::UNDEFINED;
        match result {
            Ok(fields) => {
                for (k, v) in fields {
                    if k == "response" {
                        transfer = get(&v, "body");
                    }
                    pairs.push((k, v));
                }
            }
            Err(e) => pairs.push(("error", wire::encode_error(&e).into())),
        }
        pairs.extend(self.state());
        let _ = share::post(port, &message(&pairs), &transfer);
    }

    fn broadcast(&self, event: &AuthEvent) {
        let Some(text) = relay::encode_event(event) else {
            return;
        };
        let mut pairs = vec![("event", JsValue::from_str(&text))];
        pairs.extend(self.state());
        let m = message(&pairs);
        for (_, port) in self.ports.borrow().iter() {
            let _ = share::post(port, &m, &JsValue::UNDEFINED);
        }
    }

    fn hello(self: &Rc<Self>, options: &str) -> Result<(), AuthError> {
        if let Some((_, existing)) = &*self.client.borrow() {
            return if existing == options {
                Ok(())
            } else {
                Err(AuthError::config(
                    "sessionSharing",
                    "another tab started this session worker with different options; give every tab the same options",
                ))
            };
        }
        let (o, profile) = wire::decode_options(options)
            .map_err(|_| AuthError::config("sessionSharing", "the session worker could not read the options (is session-worker.js from the same build as the page?)"))?;
        let client = AuthClient::from_config(ClientConfig::new(profile, &o)?, &o)?;
        for (name, ..) in EVENTS.iter().filter(|(_, r, _)| *r == Relay::Worker) {
            let host = Rc::downgrade(self);
            let _ = client.on(name, move |e| {
                if let Some(h) = host.upgrade() {
                    h.broadcast(e);
                }
            });
        }
        *self.client.borrow_mut() = Some((client, options.to_owned()));
        Ok(())
    }

    fn handle(self: &Rc<Self>, n: u32, port: &JsValue, m: &JsValue) {
        let id = get(m, "id").as_f64().unwrap_or(-1.0);
        let op = get_str(m, "op").unwrap_or_default();
        if op == "ping" {
            // Answered at once, whatever the calls in flight are doing: the tab's liveness
            // check (core::liveness).
            let _ = share::post(
                port,
                &message(&[("op", "pong".into())]),
                &JsValue::UNDEFINED,
            );
            return;
        }
        if op == "bye" {
            self.ports.borrow_mut().retain(|(p, _)| *p != n);
            return;
        }
        if op == "hello" {
            let r = self.hello(&get_str(m, "options").unwrap_or_default());
            self.reply(port, id, r.map(|()| vec![]));
            return;
        }
        let Some(client) = self.client() else {
            self.reply(port, id, Err(AuthError::NotAuthenticated));
            return;
        };
        match op.as_str() {
            "fetch" => {
                let response = client.fetch_promise(&get(m, "url"), &get(m, "init"));
                self.relay(port, id, Relayed::Fetch, &share::pack_response(&response));
                return;
            }
            "userinfo" => {
                let claims = share::claims_text(&client.userinfo_promise());
                self.relay(port, id, Relayed::Userinfo, &claims);
                return;
            }
            _ => {}
        }
        let (host, port) = (Rc::downgrade(self), port.clone());
        let reply = move |r: Result<Vec<(&str, JsValue)>, AuthError>| {
            if let Some(host) = host.upgrade() {
                host.reply(&port, id, r);
            }
        };
        match op.as_str() {
            "complete" => {
                match wire::decode_callback(&get_str(m, "callback").unwrap_or_default()) {
                    Ok(c) => client.exchange(c, Box::new(move |_, r| reply(r.map(|()| vec![])))),
                    Err(_) => reply(Err(AuthError::callback(
                        "the tab sent an unreadable callback",
                    ))),
                }
            }
            "logout" => {
                let hint = get(m, "hint").as_bool() == Some(true);
                client.sign_out(
                    hint,
                    Box::new(move |inner, r| {
                        let r = inner.reported(r);
                        reply(r.map(|t| {
                            t.map(|t| vec![("id_token_hint", t.into())])
                                .unwrap_or_default()
                        }));
                    }),
                );
            }
            _ => reply(Err(AuthError::config(
                "op",
                "unknown session worker operation",
            ))),
        }
    }
}

impl AuthClient {
    /// The counters as the worker reports them.
    pub(crate) fn counters(&self) -> CountersView {
        CountersView {
            stats: self.stats(),
        }
    }
}
