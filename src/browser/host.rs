//! `sessionSharing: "tabs"`, the worker side: `session-worker.js` (a module SharedWorker shipped
//! with the package) runs one [`AuthClient`] for every tab of the origin and answers their
//! messages (see `remote.rs`). Tokens live only in this worker's memory; tabs get the public
//! session view, counters, events, and rebuilt responses.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::client::AuthClient;
use crate::browser::events::AuthEvent;
use crate::browser::share::{self, get, get_str, message};
use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::event::{EVENTS, Relay};
use crate::core::relay;
use crate::core::relay::CountersView;
use crate::core::wire;

/// The session worker's state: its client (made by the first tab's hello) and the tabs' ports.
#[derive(Default)]
pub struct SessionHost {
    client: RefCell<Option<(AuthClient, String)>>,
    ports: RefCell<Vec<JsValue>>,
}

impl SessionHost {
    /// A host with no client yet.
    pub fn new() -> Rc<Self> {
        Rc::new(SessionHost::default())
    }

    /// Serves a tab's port.
    pub fn connect(self: &Rc<Self>, port: JsValue) {
        let host = Rc::downgrade(self);
        let p = port.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |m: JsValue| {
            if let Some(host) = host.upgrade() {
                host.handle(&p, m);
            }
        });
        share::listen(&port, on_message.as_ref().unchecked_ref());
        on_message.forget();
        self.ports.borrow_mut().push(port);
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
        for port in self.ports.borrow().iter() {
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

    fn handle(self: &Rc<Self>, port: &JsValue, m: JsValue) {
        let id = get(&m, "id").as_f64().unwrap_or(-1.0);
        let op = get_str(&m, "op").unwrap_or_default();
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
            self.ports.borrow_mut().retain(|p| p != port);
            return;
        }
        if op == "hello" {
            let r = self.hello(&get_str(&m, "options").unwrap_or_default());
            self.reply(port, id, r.map(|()| vec![]));
            return;
        }
        let Some(client) = self.client() else {
            self.reply(port, id, Err(AuthError::NotAuthenticated));
            return;
        };
        let host = self.clone();
        let port = port.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = match op.as_str() {
                "complete" => {
                    match wire::decode_callback(&get_str(&m, "callback").unwrap_or_default()) {
                        Ok(c) => client.complete_login(c).await.map(|_| vec![]),
                        Err(_) => Err(AuthError::callback("the tab sent an unreadable callback")),
                    }
                }
                "fetch" => fetch(&client, &m).await,
                "userinfo" => client.userinfo().await.map(|claims| {
                    let json =
                        js_sys::JSON::stringify(&claims).map_or(JsValue::NULL, JsValue::from);
                    vec![("json", json)]
                }),
                "logout" => {
                    let hint = get(&m, "hint").as_bool() == Some(true);
                    let r = client.logout_inner(hint).await;
                    let r = client.inner.reported(r);
                    r.map(|t| {
                        t.map(|t| vec![("id_token_hint", t.into())])
                            .unwrap_or_default()
                    })
                }
                _ => Err(AuthError::config("op", "unknown session worker operation")),
            };
            host.reply(&port, id, result);
        });
    }
}

async fn fetch(
    client: &AuthClient,
    m: &JsValue,
) -> Result<Vec<(&'static str, JsValue)>, AuthError> {
    let init: web_sys::RequestInit = get(m, "init").unchecked_into();
    let response = client.fetch(&get(m, "url"), Some(&init)).await?;
    let packed = JsFuture::from(share::pack_response(&response))
        .await
        .map_err(|e| AuthError::Network {
            reason: [
                "reading the response failed: ",
                &crate::browser::net::describe_js_error(&e),
            ]
            .concat(),
        })?;
    Ok(vec![("response", packed)])
}

impl AuthClient {
    /// The counters as the worker reports them.
    pub(crate) fn counters(&self) -> CountersView {
        CountersView {
            stats: self.stats(),
        }
    }
}
