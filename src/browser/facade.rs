//! The Rust API's async methods: a thin facade over the operations the JS API runs (the
//! executor's promises, awaited here with wasm-bindgen-futures). The npm build never calls
//! them, so none of this, and no future, ships in its wasm.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::sys::awaitable;

use crate::browser::client::AuthClient;
use crate::browser::driver::Inner;
use crate::browser::redirect::Redirect;
use crate::core::authorize::LoginOptions;
use crate::core::config::ClientOptions;
use crate::core::end_session::LogoutOptions;
use crate::core::error::AuthError;
use crate::core::popup::PopupOptions;

/// While alive, the errors the client hands the executor are kept for this Rust caller.
struct Keep(Rc<Inner>);

impl Keep {
    fn new(inner: &Rc<Inner>) -> Keep {
        inner.keeping.set(inner.keeping.get() + 1);
        Keep(inner.clone())
    }

    /// Awaits an operation's promise: its value, or the error itself it was rejected with.
    async fn wait(self, p: crate::browser::sys::Promise) -> Result<JsValue, AuthError> {
        JsFuture::from(awaitable(p))
            .await
            .map_err(|js| self.0.take_kept(&js).unwrap_or_else(|| from_js(&js)))
    }
}

impl Drop for Keep {
    fn drop(&mut self) {
        self.0.unkeep();
    }
}

/// A JS `AuthError` this client did not make (from another tab, the session worker): its
/// code, message and server fields.
fn from_js(js: &JsValue) -> AuthError {
    let get = |k: &str| js_sys::Reflect::get(js, &JsValue::from_str(k)).ok();
    let text = |k: &str| get(k).and_then(|v| v.as_string());
    crate::core::wire::relayed_error(
        text("code").as_deref(),
        text("message").unwrap_or_default(),
        text("error"),
        text("errorDescription"),
        get("status").and_then(|s| s.as_f64()).map(|s| s as u16),
    )
}

impl AuthClient {
    /// Reads the endpoints from `{issuer}/.well-known/openid-configuration`.
    pub async fn discover(issuer: &str, options: ClientOptions) -> Result<Self, AuthError> {
        let p = AuthClient::discovery(issuer, &options)?;
        // The executor's request never rejects: it resolves to the answer or to why none came.
        let got = JsFuture::from(awaitable(p))
            .await
            .unwrap_or(JsValue::UNDEFINED);
        AuthClient::discovered(issuer, options, &got)
    }

    /// `fetch` with the Bearer token: `input` is a URL string (relative ones resolve against
    /// `instance_url` or `apiBase`), a `URL` or a `Request`; `init` a `RequestInit`. The token
    /// goes only to allowed origins; a 401 causes one shared refresh and one retry.
    pub async fn fetch(
        &self,
        input: &JsValue,
        init: Option<&web_sys::RequestInit>,
    ) -> Result<web_sys::Response, AuthError> {
        let keep = Keep::new(&self.inner);
        let init = init.map_or(JsValue::UNDEFINED, |i| i.clone().into());
        let p = self.fetch_promise(input, &init);
        keep.wait(p).await.map(JsCast::unchecked_into)
    }

    /// The UserInfo endpoint's claims (parsed JSON), refreshing once on a dead token.
    pub async fn userinfo(&self) -> Result<JsValue, AuthError> {
        let keep = Keep::new(&self.inner);
        let p = self.userinfo_promise();
        keep.wait(p).await
    }

    /// Completes a login on the callback page: `Ok(None)` when the page is no callback. Cleans
    /// the address bar first (if the browser refuses, an `error` event says so and the login
    /// goes on). On error an existing session is left untouched. Also recognises a login
    /// popup's callback page and the way back from the provider's end-session endpoint.
    pub async fn handle_redirect(&self) -> Result<Option<Redirect>, AuthError> {
        let keep = Keep::new(&self.inner);
        let p = self.handle_redirect_promise();
        let v = keep.wait(p).await?;
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        let get = |k: &str| js_sys::Reflect::get(&v, &JsValue::from_str(k)).ok();
        let return_to = get("returnTo")
            .and_then(|r| r.as_string())
            .unwrap_or_default();
        Ok(Some(if get("popup").is_some_and(|p| p.is_truthy()) {
            Redirect::Popup { return_to }
        } else if get("loggedOut").is_some_and(|p| p.is_truthy()) {
            Redirect::LoggedOut {
                return_to,
                state: get("state").and_then(|s| s.as_string()),
            }
        } else {
            Redirect::Login { return_to }
        }))
    }

    /// Signs out: forgets the tokens at once, then revokes the refresh token and the access
    /// token (RFC 7009; at Salesforce the refresh token alone, which revokes its access tokens).
    /// Memory is cleared even when revocation fails (`revocation_failed`).
    pub async fn logout(&self) -> Result<(), AuthError> {
        self.logout_with(&LogoutOptions::default()).await
    }

    /// Signs out as [`logout`](Self::logout) does; with `endSession: true` it then navigates the
    /// page to the provider's end-session endpoint (the page unloads: on success the future
    /// does not resolve). The options are checked before anything is revoked, so a bad one
    /// (`invalid_config`) leaves the session as it was. A revocation failure is reported as an
    /// `error` event and does not stop the navigation: memory is cleared either way.
    pub async fn logout_with(&self, options: &LogoutOptions) -> Result<(), AuthError> {
        let keep = Keep::new(&self.inner);
        let p = self.logout_promise(options.clone());
        keep.wait(p).await.map(|_| ())
    }

    /// Signs in in a popup window; the page keeps its state. The window is opened before this
    /// returns (so call it from a click handler: browsers block popups opened without a user
    /// gesture, and WebKit one opened after an `await`); await the future for the outcome:
    /// `Ok(return_to)` once signed in, or `popup_blocked`, `popup_closed`, `popup_timeout` or
    /// the callback's error.
    pub fn login_popup(
        &self,
        options: &LoginOptions,
        popup: &PopupOptions,
    ) -> impl Future<Output = Result<String, AuthError>> + 'static {
        let keep = Keep::new(&self.inner);
        let opened = self.open_popup(options.clone(), popup);
        let p = self.login_popup_promise(opened, true);
        async move {
            keep.wait(p)
                .await
                .map(|v| v.as_string().unwrap_or_default())
        }
    }
}
