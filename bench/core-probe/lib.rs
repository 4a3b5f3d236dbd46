//! The protocol core alone behind a minimal string API: config + doctor, authorize URL and
//! pending record, callback validation and token request, token response (with id_token
//! checks) and refresh driven through the session machine, logout, end-session, a generic
//! provider from discovery. No browser runtime, no session sharing, no DPoP.
#![allow(missing_docs, dead_code)]
#![no_std]

extern crate alloc;

// The crate's prelude gives `vec!` to its tests only (no shipped code uses it).
use alloc::vec;

// Built as the shipped wasm is (scripts/core-probe.sh): no std, a trapping panic handler and
// lol_alloc, from the same file the npm build uses.
#[path = "../../src/npm.rs"]
mod npm;

#[path = "../../src/core/mod.rs"]
pub mod core;
#[path = "../../src/browser/json.rs"]
mod json;

use crate::core::authorize::{LoginOptions, PendingLogin, authorization_request};
use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::discovery::process_discovery;
use crate::core::end_session::{LogoutOptions, end_session_request};
use crate::core::error::AuthError;
#[allow(unused_imports)]
use crate::core::prelude::*;
use crate::core::session::{Action, ApiStep, HttpAnswer, RequestId, Role, Session};
use crate::core::state::LoginRandomness;
use crate::core::time::Millis;
use crate::core::token::token_request;
use crate::core::group;
use wasm_bindgen::prelude::*;

fn err(e: AuthError) -> JsValue {
    JsValue::from_str(&[e.code(), ": ", &e.message()].concat())
}

fn options(client_id: String, redirect_uri: String, login_host: String) -> ClientOptions {
    ClientOptions {
        client_id: Some(client_id),
        redirect_uri: Some(redirect_uri),
        login_host: Some(login_host),
        ..Default::default()
    }
}

#[wasm_bindgen]
pub struct Core {
    config: ClientConfig,
    session: Session,
    sent: Vec<RequestId>,
}

impl Core {
    fn of(config: ClientConfig) -> Core {
        Core {
            session: Session::new(config.clone(), Role::Alone),
            config,
            sent: vec![],
        }
    }
}

#[wasm_bindgen]
impl Core {
    pub fn salesforce(
        client_id: String,
        redirect_uri: String,
        login_host: String,
    ) -> Result<Core, JsValue> {
        let o = options(client_id, redirect_uri, login_host);
        Ok(Core::of(ClientConfig::salesforce(&o).map_err(err)?))
    }

    /// A generic OIDC provider from its discovery answer.
    pub fn generic(
        issuer: String,
        client_id: String,
        redirect_uri: String,
        status: u16,
        discovery: &str,
    ) -> Result<Core, JsValue> {
        let o = ClientOptions {
            issuer: Some(issuer.clone()),
            client_id: Some(client_id),
            redirect_uri: Some(redirect_uri),
            ..Default::default()
        };
        let o =
            process_discovery(&issuer, status, discovery, &json::BrowserJson, o).map_err(err)?;
        Ok(Core::of(ClientConfig::generic(&o).map_err(err)?))
    }

    pub fn doctor(client_id: String, redirect_uri: String, login_host: String) -> Vec<String> {
        let o = options(client_id, redirect_uri, login_host);
        crate::core::doctor::salesforce(&o, None)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    /// [url, storage key, pending record]
    pub fn authorize(
        &self,
        random: &[u8],
        return_to: Option<String>,
        now: f64,
    ) -> Result<Vec<String>, JsValue> {
        let bytes: &[u8; 96] = random
            .try_into()
            .map_err(|_| JsValue::from_str("96 random bytes"))?;
        let o = LoginOptions {
            return_to,
            ..Default::default()
        };
        let r = LoginRandomness::from_bytes(bytes);
        let a = authorization_request(&self.config, &o, &r, Millis(now), None).map_err(err)?;
        Ok(vec![a.url, a.pending.storage_key(), a.pending.to_storage()])
    }

    /// [token url, token request body, validated callback]
    pub fn callback(
        &self,
        query: &str,
        record: Option<String>,
        now: f64,
    ) -> Result<Vec<String>, JsValue> {
        let Some(params) = parse_callback(query).map_err(err)? else {
            return Ok(vec![]);
        };
        let lookup = match record {
            Some(t) => PendingLookup::Found(PendingLogin::from_storage(&t).map_err(err)?),
            None => PendingLookup::NoneAtAll,
        };
        let v = validate_callback(&self.config, params, lookup, Millis(now)).map_err(err)?;
        let r = token_request(&self.config, &v);
        Ok(vec![
            r.url,
            r.body.unwrap_or_default(),
            {
                let mut w = crate::core::wire::Writer::new();
                group::write_callback(&v, &mut w);
                w.finish()
            },
        ])
    }

    /// Starts the code exchange of a validated callback in the session machine.
    pub fn login(&mut self, query: &str, record: String, now: f64) -> Result<Vec<String>, JsValue> {
        let Some(params) = parse_callback(query).map_err(err)? else {
            return Ok(vec![]);
        };
        let pending = PendingLogin::from_storage(&record).map_err(err)?;
        let v = validate_callback(
            &self.config,
            params,
            PendingLookup::Found(pending),
            Millis(now),
        )
        .map_err(err)?;
        let _op = self.session.start_login(&v);
        Ok(self.actions())
    }

    /// The answer to the `index`-th request the machine asked for (status 0: a network error).
    pub fn answer(&mut self, index: usize, status: u16, body: String, now: f64) -> Vec<String> {
        let Some(id) = self.sent.get(index).copied() else {
            return vec![];
        };
        let answer = match status {
            0 => Err(AuthError::Network { reason: body }),
            _ => Ok(HttpAnswer { status, body }),
        };
        self.session
            .handle_response(Millis(now), id, answer, &json::BrowserJson);
        self.actions()
    }

    /// An API answer from `origin` sent with `generation`'s token: 0 deliver, 1 retry, 2 wait
    /// for a refresh.
    pub fn api(
        &mut self,
        generation: u64,
        origin: String,
        dead: bool,
        now: f64,
    ) -> Result<u8, JsValue> {
        let origin = crate::core::url::Origin::parse(&origin, "origin").map_err(err)?;
        Ok(
            match self
                .session
                .handle_api_answer(Millis(now), generation, &origin, dead)
                .map_err(err)?
            {
                ApiStep::Deliver => 0,
                ApiStep::Retry => 1,
                ApiStep::Wait(_) => 2,
            },
        )
    }

    pub fn timeout(&mut self, now: f64) -> Vec<String> {
        self.session.handle_timeout(Millis(now));
        self.actions()
    }

    pub fn logout(&mut self, now: f64) -> Vec<String> {
        let _op = self.session.logout(Millis(now));
        self.actions()
    }

    pub fn next_timeout(&self) -> Option<f64> {
        self.session.poll_timeout().map(|t| t.0)
    }

    pub fn bearer(&self) -> Option<String> {
        let t = self.session.tokens()?;
        Some(["Bearer ", t.access_token.secret()].concat())
    }

    /// The end-session navigation URL.
    pub fn end_session(&self, state: &[u8], now: f64) -> Result<String, JsValue> {
        let bytes: &[u8; 32] = state
            .try_into()
            .map_err(|_| JsValue::from_str("32 random bytes"))?;
        let id_token = self.session.tokens().and_then(|t| t.id_token.as_ref());
        let r = end_session_request(
            &self.config,
            &LogoutOptions::default(),
            id_token.map(|t| t.secret()),
            bytes,
            Millis(now),
            None,
        )
        .map_err(err)?;
        Ok(r.url)
    }

    /// The machine's actions, one string each: `send <n> <url>`, an event's name, `settle`,
    /// `broadcast`, `take_lead`.
    fn actions(&mut self) -> Vec<String> {
        let mut out = vec![];
        while let Some(a) = self.session.poll_action() {
            out.push(match a {
                Action::Send { id, request, .. } => {
                    self.sent.push(id);
                    [
                        "send ",
                        &request.url,
                        " ",
                        &request.body.unwrap_or_default(),
                    ]
                    .concat()
                }
                Action::Emit(e) => e.name().into(),
                Action::Settle { .. } => "settle".into(),
                Action::Broadcast(_) => "broadcast".into(),
                Action::TakeLead => "take_lead".into(),
            });
        }
        out
    }
}
