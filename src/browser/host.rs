//! `sessionSharing: "tabs"`, the worker side: `session-worker.js` (a module SharedWorker shipped
//! with the package) runs one [`AuthClient`] for every tab of the origin and answers their
//! messages (see `remote.rs`). Tokens live only in this worker's memory; tabs get the public
//! session view, counters, events, and rebuilt responses.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::{Rc, Weak};
use core::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::driver::{self, Inner, TabReply, Wait, reply};
use crate::browser::end_session::SignedOut;
use crate::browser::exec::DispatchFn;
use crate::browser::share;
use crate::browser::sys::Promise;
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{EVENTS, Relay};
use crate::core::wire::{BadMessage, Fields, Writer};
use crate::js;

/// The session worker's state: its client (made by the first tab's hello, keeping that hello's
/// options text, which every later hello must equal); the tabs' ports are kept in JS, with its
/// dispatch function (`serve` in js/tabs.js).
pub struct SessionHost {
    client: RefCell<Option<AuthClient>>,
    /// The worker's one dispatch function (`js/tabs.js` calls it with the ports' messages,
    /// event 9, and the tabs' ports, event 16; the relayed calls' promises settle in the
    /// worker client's own executor). The ports it serves are kept with it, in JS (`serve`).
    exec: Closure<DispatchFn>,
}

impl SessionHost {
    /// A host with no client yet.
    pub fn new() -> Rc<Self> {
        Rc::new_cyclic(|host: &Weak<SessionHost>| {
            let host = host.clone();
            SessionHost {
                client: RefCell::new(None),
                exec: Closure::new(move |kind, _, _, data, value| {
                    if let Some(host) = host.upgrade() {
                        host.route(kind, data, value);
                    }
                    JsValue::UNDEFINED
                }),
            }
        })
    }

    /// Starts a host for the worker's life (it is never dropped) and returns its dispatch
    /// function: a tab's port handed to it as event 16 is served (`session-worker.js`).
    pub(crate) fn serve() -> JsValue {
        let host = Self::new();
        let dispatch = host.js().clone();
        core::mem::forget(host);
        dispatch
    }

    /// Serves a tab's port (`serve` in js/tabs.js answers its pings and ends its service at
    /// its goodbye; its other messages come as event 9).
    pub fn connect(&self, port: JsValue) {
        share::serve(&port, self.js());
    }

    fn js(&self) -> &JsValue {
        self.exec.as_ref()
    }

    /// A port's message (`kind` 9: its text, and `[port, the value posted beside it]`), or a
    /// tab's port handed over (16); the numbering in js/tabs.js.
    fn route(self: &Rc<Self>, kind: u32, data: JsValue, value: JsValue) {
        match kind {
            9 => {
                if let Ok(m) = Fields::parse(&data.as_string().unwrap_or_default()) {
                    self.handle(&share::field(&value, 0.0), &m, &share::field(&value, 1.0));
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

    /// The public state every message carries, as its own fields (`reply::state`).
    fn state(&self, w: &mut Writer) -> String {
        reply::state(self.client.borrow().as_ref().map(|c| &*c.inner), w)
    }

    /// An event of the worker's client, to every tab: its form (`relay::read_event`'s fields,
    /// made by `relayEvent` in js/tabs.js) beside the state every message carries.
    fn broadcast(&self, form: &str) {
        let mut m = self.state(&mut Writer::new());
        m.push('&');
        m.push_str(form);
        let _ = share::post(self.js(), &m, &JsValue::UNDEFINED);
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
        for (name, r) in EVENTS.iter() {
            if *r == Relay::Worker {
                share::relay_event(client.inner.exec.js(), name, self.js());
            }
        }
        *self.client.borrow_mut() = Some(client);
        Ok(())
    }

    /// A tab's message (its form, and the value posted beside it).
    fn handle(self: &Rc<Self>, port: &JsValue, m: &Fields, value: &JsValue) {
        let reply = TabReply {
            port: port.clone(),
            id: m.get("id").unwrap_or("-1").to_owned(),
        };
        let op = m.get("op").unwrap_or_default();
        if op == "hello" {
            let r = self.hello(m.get("options").unwrap_or_default());
            let client = self.client();
            return reply.send(client.as_ref().map(|c| &*c.inner), reply::done(r));
        }
        let Some(client) = self.client() else {
            return reply.send(None, reply::done(Err(AuthError::NotAuthenticated)));
        };
        if op == "fetch" {
            return relay_fetch(&client, value.clone(), reply);
        }
        if op == "userinfo" {
            return relay(
                &client.inner,
                &api(
                    &client,
                    js::op::USERINFO,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                ),
                reply,
            );
        }
        if op == "logout" {
            let hint = m.get("hint") == Some("1");
            return client.sign_out(hint, SignedOut::Relay(reply), &JsValue::UNDEFINED);
        }
        if op == "complete"
            && let Ok(c) = crate::core::group::read_callback(m)
        {
            return client.exchange(c, Wait::Relayed(reply));
        }
        // An unreadable callback, or an operation no tab of this build sends.
        reply.done(&client.inner, Err(BadMessage.into()));
    }
}

/// A tab's `auth.fetch` (`value`: the request as `packRequest` in js/tabs.js made it). While
/// the held set is known dead (a 401 joined its refresh), the call waits for that refresh and
/// is then made as a call made after it would be: the dead token is not sent again. (The tab's
/// own gate never closes: the tab holds no set.)
pub(crate) fn relay_fetch(client: &AuthClient, value: JsValue, reply: TabReply) {
    let inner = &client.inner;
    let dead = inner.session.borrow().dead_refresh();
    match dead {
        Some(op) => driver::after(inner, op, Wait::Refetch(reply, value)),
        None => {
            let (url, init) = (share::field(&value, 0.0), share::field(&value, 1.0));
            relay(inner, &api(client, js::op::FETCH, url, init), reply);
        }
    }
}

/// The promise of the worker client's `auth.fetch` (`a`, `b`: the URL and init of the request
/// `packRequest` in js/tabs.js made) or `auth.userinfo()`, made as a page's client makes it:
/// by the JS API's own function body (`js::call`), so `fetch_promise` and `userinfo_promise`
/// keep one caller.
fn api(client: &AuthClient, op: u32, a: JsValue, b: JsValue) -> Promise {
    js::call(client, op, a, b).unchecked_into()
}

/// A relayed call's promise (`auth.fetch`'s response, or the claims of `auth.userinfo()`) goes
/// to the worker client's executor; `reply` goes when it settles: the packed response or the
/// claims, or the error as text (`relay` in `js/tabs.js`: the worker client's, or a body that
/// could not be read).
fn relay(inner: &Inner, promise: &Promise, reply: TabReply) {
    driver::after_js(
        inner,
        &share::relay(promise),
        Box::new(move |inner, result| {
            reply.send(
                Some(inner),
                result.map_err(|e| e.as_string().unwrap_or_default()),
            );
        }),
    );
}
