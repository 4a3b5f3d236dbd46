//! The `#[wasm_bindgen]` JS API: a thin layer over [`crate::browser::AuthClient`].
//! Options arrive as plain objects read field by field ([`options`]); every failure is an
//! `AuthError`.

#[allow(unused_imports)]
use crate::core::prelude::*;

mod convert;
mod options;

use convert::{event_to_js, findings_js, session_js, stats_js};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::core::authorize::LoginOptions;
use crate::core::config::ClientOptions;
use crate::core::doctor;
use crate::core::error::AuthError;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../../js/types.d.ts");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "SalesforceOptions")]
    pub type SalesforceOptionsJs;
    #[wasm_bindgen(typescript_type = "ClientOptions")]
    pub type ClientOptionsJs;
    #[wasm_bindgen(typescript_type = "Partial<ClientOptions>")]
    pub type PartialOptionsJs;
    #[wasm_bindgen(typescript_type = "SalesforceOptions | ClientOptions")]
    pub type AnyOptionsJs;
    #[wasm_bindgen(typescript_type = "LoginOptions")]
    pub type LoginOptionsJs;
    #[wasm_bindgen(typescript_type = "PopupLoginOptions")]
    pub type PopupLoginOptionsJs;
    #[wasm_bindgen(typescript_type = "LogoutOptions")]
    pub type LogoutOptionsJs;
    #[wasm_bindgen(typescript_type = "Promise<AuthClient>")]
    pub type PromiseAuthClient;
    #[wasm_bindgen(typescript_type = "Promise<void>")]
    pub type PromiseVoid;
    #[wasm_bindgen(typescript_type = "Promise<string>")]
    pub type PromiseString;
    #[wasm_bindgen(typescript_type = "Promise<RedirectResult | null>")]
    pub type PromiseRedirect;
    #[wasm_bindgen(typescript_type = "Promise<Response>")]
    pub type PromiseResponse;
    #[wasm_bindgen(typescript_type = "Promise<UserInfo>")]
    pub type PromiseUserinfo;
    #[wasm_bindgen(typescript_type = "Session | null")]
    pub type SessionJs;
    #[wasm_bindgen(typescript_type = "AuthStats")]
    pub type StatsJs;
    #[wasm_bindgen(typescript_type = "Finding[]")]
    pub type FindingsJs;
    #[wasm_bindgen(typescript_type = "RequestInfo | URL")]
    pub type FetchInputJs;
    #[wasm_bindgen(typescript_type = "RequestInit")]
    pub type RequestInitJs;
    #[wasm_bindgen(typescript_type = "AuthEventName")]
    pub type EventNameJs;
    #[wasm_bindgen(typescript_type = "(event: AuthEvent) => void")]
    pub type ListenerJs;
    #[wasm_bindgen(typescript_type = "() => void")]
    pub type UnsubscribeJs;
    #[wasm_bindgen(typescript_type = "\"off\" | \"tabs\" | \"tabs-locks\"")]
    pub type SharingModeJs;
}

pub(crate) use crate::browser::to_js;

/// A promise already settled with a synchronous result (no executor round trip; an error is
/// an `AuthError`, which the executor rejects with).
fn settled(r: Result<JsValue, JsValue>) -> crate::browser::sys::Promise {
    crate::browser::settled(&r.unwrap_or_else(|e| e))
}

fn js_result<T>(r: Result<T, AuthError>) -> Result<T, JsValue> {
    r.map_err(|e| to_js(&e))
}

/// A browser OAuth client. Tokens live only in its memory.
#[wasm_bindgen(js_name = AuthClient)]
pub struct JsAuthClient {
    client: browser::AuthClient,
}

impl From<browser::AuthClient> for JsAuthClient {
    fn from(client: browser::AuthClient) -> Self {
        JsAuthClient { client }
    }
}

#[wasm_bindgen(js_class = AuthClient)]
impl JsAuthClient {
    /// A client for any OAuth 2.0 / OpenID Connect provider (endpoints given).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &ClientOptionsJs) -> Result<JsAuthClient, JsValue> {
        let o = read_options(options)?;
        Ok(js_result(browser::AuthClient::generic(&o))?.into())
    }

    /// A client for Salesforce: `loginHost` is the My Domain or Experience Cloud URL.
    pub fn salesforce(options: &SalesforceOptionsJs) -> Result<JsAuthClient, JsValue> {
        let o = read_options(options)?;
        Ok(js_result(browser::AuthClient::salesforce(&o))?.into())
    }

    /// Reads the endpoints from `{issuer}/.well-known/openid-configuration`.
    pub fn discover(issuer: String, options: &PartialOptionsJs) -> PromiseAuthClient {
        match read_options(options) {
            Ok(o) => browser::AuthClient::discover_promise(&issuer, o, |client| {
                JsAuthClient::from(client).into()
            }),
            Err(e) => crate::browser::settled(&e),
        }
        .unchecked_into()
    }

    /// The config doctor: findings for these options, without network.
    pub fn doctor(options: &AnyOptionsJs) -> Result<FindingsJs, JsValue> {
        let o = read_options(options)?;
        let page = browser_origin();
        let findings = if o.login_host.is_some() && o.authorization_endpoint.is_none() {
            doctor::salesforce(&o, page.as_deref())
        } else {
            doctor::generic(&o, page.as_deref())
        };
        Ok(findings_js(&findings).unchecked_into())
    }

    /// Stores a pending login and navigates to the authorization endpoint.
    pub fn login(&self, options: Option<LoginOptionsJs>) -> PromiseVoid {
        let r = read_login(options)
            .and_then(|o| js_result(self.client.login(&o)))
            .map(|()| JsValue::UNDEFINED);
        settled(r).unchecked_into()
    }

    /// Signs in in a popup (opened now, within the user's gesture); resolves once signed in.
    #[wasm_bindgen(js_name = loginPopup)]
    pub fn login_popup(&self, options: Option<PopupLoginOptionsJs>) -> PromiseVoid {
        let value = options.map_or(JsValue::UNDEFINED, Into::into);
        let opened = options::popup_options(&value)
            .and_then(|(login, popup)| self.client.open_popup(&login, &popup));
        self.client
            .login_popup_promise(opened, false)
            .unchecked_into()
    }

    /// The authorize URL (a pending login is stored), without navigating.
    #[wasm_bindgen(js_name = authorizationUrl)]
    pub fn authorization_url(&self, options: Option<LoginOptionsJs>) -> PromiseString {
        let r = read_login(options)
            .and_then(|o| js_result(self.client.authorization_url(&o)))
            .map(JsValue::from);
        settled(r).unchecked_into()
    }

    /// On the callback page: exchanges the code; `null` when the page is no callback.
    #[wasm_bindgen(js_name = handleRedirect)]
    pub fn handle_redirect(&self) -> PromiseRedirect {
        self.client.handle_redirect_promise().unchecked_into()
    }

    /// Whether a session is held.
    #[wasm_bindgen(getter, js_name = isAuthenticated)]
    pub fn is_authenticated(&self) -> bool {
        self.client.is_authenticated()
    }

    /// The session (never its tokens), or `null`.
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> SessionJs {
        match self.client.session() {
            Some(s) => session_js(&s).unchecked_into(),
            None => JsValue::NULL.unchecked_into(),
        }
    }

    /// Health counters for the client's whole life.
    #[wasm_bindgen(getter)]
    pub fn stats(&self) -> StatsJs {
        stats_js(&self.client.stats()).unchecked_into()
    }

    /// `fetch` with the Bearer token (allowed origins only), one refresh and retry on 401.
    pub fn fetch(&self, input: &FetchInputJs, init: Option<RequestInitJs>) -> PromiseResponse {
        let init = init.map_or(JsValue::UNDEFINED, Into::into);
        self.client.fetch_promise(input, &init).unchecked_into()
    }

    /// Internal: the number `auth.fetch`'s fast path finds this client by (`fastFetch` in
    /// js/executor.js). Apps never use it.
    #[wasm_bindgen(js_name = __k, skip_typescript)]
    pub fn fast_path_id(&self) -> u32 {
        self.client.fast_path_id()
    }

    /// The UserInfo claims.
    pub fn userinfo(&self) -> PromiseUserinfo {
        self.client.userinfo_promise().unchecked_into()
    }

    /// Revokes the tokens and forgets them (memory is cleared even if revocation fails); with
    /// `endSession: true`, then ends the provider's session (a top-level navigation).
    pub fn logout(&self, options: Option<LogoutOptionsJs>) -> PromiseVoid {
        let value = options.map_or(JsValue::UNDEFINED, Into::into);
        self.client
            .logout_promise(options::logout_options(&value))
            .unchecked_into()
    }

    /// Silent re-login after a reload: a top-level redirect with `immediate=true` (Salesforce)
    /// or `prompt=none`; on failure the callback signs out quietly with `restore_failed`.
    pub fn restore(&self) -> PromiseVoid {
        settled(js_result(self.client.restore()).map(|()| JsValue::UNDEFINED)).unchecked_into()
    }

    /// `"off"`, `"tabs"` (session worker) or `"tabs-locks"` (leader tab): the session sharing in
    /// use, after falling back where the browser lacks SharedWorker or Web Locks.
    #[wasm_bindgen(getter, js_name = sharingMode)]
    pub fn sharing_mode(&self) -> SharingModeJs {
        JsValue::from_str(self.client.sharing_mode()).unchecked_into()
    }

    /// Listens to an event; returns a function that removes the listener. (Its typing is in
    /// js/types.d.ts: the listener's event is narrowed by the name.)
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event: &EventNameJs, listener: ListenerJs) -> Result<UnsubscribeJs, JsValue> {
        let name = event.as_string().unwrap_or_default();
        if !listener.is_function() {
            return Err(to_js(&AuthError::config("listener", "must be a function")));
        }
        let f: crate::browser::Listener = listener.unchecked_into();
        let sub = js_result(self.client.on(&name, move |e| {
            let _ = f.call1(&JsValue::UNDEFINED, &event_to_js(e));
        }))?;
        Ok(self.client.unsubscriber(&sub).unchecked_into())
    }
}

fn read_login(options: Option<LoginOptionsJs>) -> Result<LoginOptions, JsValue> {
    match options {
        Some(o) => js_result(options::login_options(&o)),
        None => Ok(LoginOptions::default()),
    }
}

fn read_options(value: &JsValue) -> Result<ClientOptions, JsValue> {
    js_result(options::client_options(value))
}

fn browser_origin() -> Option<String> {
    browser::page_origin()
}

/// Internal: starts the session worker's host (`session-worker.js`, `sessionSharing:
/// "tabs"`) for the worker's life, and returns its dispatch function: a tab's port is served
/// once handed to it as event 16 (`dispatch(16, 0, 0, port)`). Apps never use it.
#[cfg(feature = "sharing")]
#[wasm_bindgen(js_name = sessionHost)]
pub fn session_host() -> JsValue {
    browser::SessionHost::serve()
}
