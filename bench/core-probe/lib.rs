//! The protocol core alone behind a minimal string API: config + doctor, authorize URL and
//! pending record, callback validation and token request, token response (with id_token
//! checks), the refresh request, the session view. No browser runtime, no session sharing.
#![allow(missing_docs, dead_code)]
#![no_std]

extern crate alloc;
extern crate std;

#[path = "../../src/core/mod.rs"]
pub mod core;
#[path = "../../src/browser/json.rs"]
mod json;

use crate::core::authorize::{LoginOptions, PendingLogin, authorization_request};
use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::error::AuthError;
use crate::core::state::LoginRandomness;
use crate::core::token::{Grant, TokenSet, process_token_response, refresh_request, token_request};
use crate::core::wire;
#[allow(unused_imports)]
use crate::core::prelude::*;
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
    tokens: Option<TokenSet>,
}

#[wasm_bindgen]
impl Core {
    pub fn salesforce(
        client_id: String,
        redirect_uri: String,
        login_host: String,
    ) -> Result<Core, JsValue> {
        let o = options(client_id, redirect_uri, login_host);
        let config = ClientConfig::salesforce(&o).map_err(err)?;
        Ok(Core {
            config,
            tokens: None,
        })
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
        let a = authorization_request(&self.config, &o, &r, now, None).map_err(err)?;
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
        let v = validate_callback(&self.config, params, lookup, now).map_err(err)?;
        let r = token_request(&self.config, &v);
        Ok(vec![
            r.url,
            r.body.unwrap_or_default(),
            wire::encode_callback(&v),
        ])
    }

    /// The session view of the new token set.
    pub fn tokens(&mut self, status: u16, body: &str, now: f64) -> Result<String, JsValue> {
        let grant = match &self.tokens {
            Some(t) => Grant::Refresh { previous: t },
            None => Grant::AuthorizationCode { nonce: None },
        };
        let out =
            process_token_response(&self.config, grant, status, body, now, &json::BrowserJson)
                .map_err(err)?;
        let view = wire::SessionView::of(&out.tokens).encode();
        self.tokens = Some(out.tokens);
        Ok(view)
    }

    pub fn bearer(&self) -> Option<String> {
        let t = self.tokens.as_ref()?;
        Some(["Bearer ", t.access_token.secret()].concat())
    }

    pub fn refresh_body(&self) -> Option<String> {
        let t = self.tokens.as_ref()?;
        Some(
            refresh_request(&self.config, t.refresh_token.as_ref()?)
                .body
                .unwrap_or_default(),
        )
    }
}
