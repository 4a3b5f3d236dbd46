//! The `#[wasm_bindgen]` JS API: a thin layer over [`crate::browser::AuthClient`].
//! Options arrive as plain objects read field by field ([`options`]); every failure is an
//! `AuthError`.

#[allow(unused_imports)]
use crate::core::prelude::*;

mod convert;
mod options;

use convert::{event_to_js, findings_js, object, session_js, stats_js};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::{self, Redirect};
use crate::core::authorize::LoginOptions;
use crate::core::config::ClientOptions;
use crate::core::doctor;
use crate::core::error::AuthError;

#[wasm_bindgen(module = "/js/auth_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeAuthError)]
    fn make_auth_error(
        code: &str,
        message: &str,
        error: Option<String>,
        description: Option<String>,
        status: Option<u16>,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/js/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = sendAuthorized)]
    fn send_authorized(
        input: &JsValue,
        init: &JsValue,
        base: &JsValue,
        bearer: &JsValue,
        generation: f64,
        on_dead: &js_sys::Function,
        on_fail: &js_sys::Function,
    ) -> JsValue;
}

type OnDead = Closure<dyn FnMut(web_sys::Response, f64, String, bool) -> js_sys::Promise>;
type OnFail = Closure<dyn FnMut(String, JsValue, bool) -> js_sys::Promise>;

/// The callbacks of the `auth.fetch` fast path (`js/fetch.js`), made once per client.
struct FastPath {
    on_dead: OnDead,
    on_fail: OnFail,
}

impl FastPath {
    fn new(client: &browser::AuthClient) -> Self {
        let c = client.clone();
        let on_dead = Closure::new(
            move |response: web_sys::Response, generation: f64, url: String, retried: bool| {
                let c = c.clone();
                promise(async move {
                    match c
                        .after_dead_answer(response, generation as u64, &url, retried)
                        .await
                    {
                        Ok(Some(bearer)) => Ok(JsValue::from(bearer)),
                        Ok(None) => Ok(JsValue::NULL),
                        Err(e) => Err(to_js(&e)),
                    }
                })
            },
        );
        let c = client.clone();
        let on_fail = Closure::new(move |url: String, error: JsValue, sent: bool| {
            let e = if sent {
                c.fetch_failed(&url, &error)
            } else {
                c.request_unbuildable()
            };
            js_sys::Promise::reject(&to_js(&e))
        });
        FastPath { on_dead, on_fail }
    }
}

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
    #[wasm_bindgen(typescript_type = "MessagePort")]
    pub type MessagePortJs;
}

/// Converts an error to a JS `AuthError`.
pub(crate) fn to_js(e: &AuthError) -> JsValue {
    make_auth_error(
        e.code(),
        &e.message(),
        e.server_error().map(str::to_owned),
        e.error_description().map(str::to_owned),
        e.status(),
    )
}

/// A Promise of a future: every API method goes through this one instance of
/// `future_to_promise` (each method's body stays its own future; one wrapper serves all).
fn promise(f: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> js_sys::Promise {
    let f: core::pin::Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(f);
    wasm_bindgen_futures::future_to_promise(f)
}

/// A promise already settled with a synchronous result (no executor round trip).
fn settled(r: Result<JsValue, JsValue>) -> js_sys::Promise {
    match r {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&e),
    }
}

fn js_result<T>(r: Result<T, AuthError>) -> Result<T, JsValue> {
    r.map_err(|e| to_js(&e))
}

/// A browser OAuth client. Tokens live only in its memory.
#[wasm_bindgen(js_name = AuthClient)]
pub struct JsAuthClient {
    client: browser::AuthClient,
    fast: FastPath,
}

impl From<browser::AuthClient> for JsAuthClient {
    fn from(client: browser::AuthClient) -> Self {
        JsAuthClient {
            fast: FastPath::new(&client),
            client,
        }
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
        let options = read_options(options);
        promise(async move {
            let client = js_result(browser::AuthClient::discover(&issuer, options?).await)?;
            Ok(JsAuthClient::from(client).into())
        })
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
        let client = self.client.clone();
        promise(async move {
            js_result(client.settle_popup(opened).await)?;
            Ok(JsValue::UNDEFINED)
        })
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
        let client = self.client.clone();
        promise(async move {
            let Some(r) = js_result(client.handle_redirect().await)? else {
                return Ok(JsValue::NULL);
            };
            let mut fields = vec![("returnTo", JsValue::from_str(r.return_to()))];
            match &r {
                Redirect::Login { .. } => {}
                Redirect::Popup { .. } => fields.push(("popup", true.into())),
                Redirect::LoggedOut { state, .. } => {
                    fields.push(("loggedOut", true.into()));
                    if let Some(s) = state {
                        fields.push(("state", s.into()));
                    }
                }
            }
            Ok(object(&fields))
        })
        .unchecked_into()
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
        let input: JsValue = input.into();
        let undefined = JsValue::UNDEFINED;
        let init_js = init.as_ref().map_or(&undefined, |i| i.as_ref());
        let send = |url: &JsValue, base: &JsValue, bearer: &JsValue, generation: u64| {
            send_authorized(
                url,
                init_js,
                base,
                bearer,
                generation as f64,
                self.fast.on_dead.as_ref().unchecked_ref(),
                self.fast.on_fail.as_ref().unchecked_ref(),
            )
        };
        // Hottest: a root-relative URL string; js/fetch.js joins it to the base (undefined
        // back means it is not one). No string crosses.
        if let Some(hot) = self.client.hot()
            && let Some(base) = &hot.base
        {
            let sent = send(&input, base, &hot.bearer, hot.generation);
            if !sent.is_undefined() {
                return sent.unchecked_into();
            }
        }
        if let Some(text) = input.as_string()
            && let Some(authorized) = self.client.authorize_fetch(&text)
        {
            return match authorized {
                Ok((url, bearer, generation)) => send(
                    &JsValue::from_str(&url),
                    &JsValue::UNDEFINED,
                    &JsValue::from_str(&bearer),
                    generation,
                )
                .unchecked_into(),
                Err(e) => js_sys::Promise::reject(&to_js(&e)).unchecked_into(),
            };
        }
        let client = self.client.clone();
        let init = init.map(|i| i.unchecked_into::<web_sys::RequestInit>());
        // The request goes on the wire now, in this call; only the waiting is deferred.
        let started = self.client.fetch_start(&input, init.as_ref());
        promise(async move {
            let started = js_result(started)?;
            Ok(js_result(client.fetch_finish(started).await)?.into())
        })
        .unchecked_into()
    }

    /// The UserInfo claims.
    pub fn userinfo(&self) -> PromiseUserinfo {
        let client = self.client.clone();
        promise(async move { js_result(client.userinfo().await) }).unchecked_into()
    }

    /// Revokes the tokens and forgets them (memory is cleared even if revocation fails); with
    /// `endSession: true`, then ends the provider's session (a top-level navigation).
    pub fn logout(&self, options: Option<LogoutOptionsJs>) -> PromiseVoid {
        let client = self.client.clone();
        let value = options.map_or(JsValue::UNDEFINED, Into::into);
        let options = js_result(options::logout_options(&value));
        promise(async move {
            js_result(client.logout_with(&options?).await)?;
            Ok(JsValue::UNDEFINED)
        })
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
        let f: js_sys::Function = listener
            .dyn_into()
            .map_err(|_| to_js(&AuthError::config("listener", "must be a function")))?;
        let sub = js_result(self.client.on(&name, move |e| {
            let _ = f.call1(&JsValue::UNDEFINED, &event_to_js(e));
        }))?;
        let off = Closure::<dyn FnMut()>::new(move || sub.unsubscribe());
        Ok(off.into_js_value().unchecked_into())
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
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .filter(|l| l.is_object())
        .and_then(|l| js_sys::Reflect::get(&l, &"origin".into()).ok())
        .and_then(|o| o.as_string())
}

/// Internal: the state of `session-worker.js` (`sessionSharing: "tabs"`). Apps never use it.
#[cfg(feature = "sharing")]
#[wasm_bindgen]
pub struct SessionHost {
    host: alloc::rc::Rc<browser::SessionHost>,
}

#[cfg(feature = "sharing")]
#[wasm_bindgen]
impl SessionHost {
    /// A host with no session yet.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> SessionHost {
        SessionHost {
            host: browser::SessionHost::new(),
        }
    }

    /// Serves a tab's port.
    pub fn connect(&self, port: MessagePortJs) {
        self.host.connect(port.into());
    }
}
