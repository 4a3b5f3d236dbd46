//! `auth.userinfo()`: the UserInfo endpoint's claims with the current token, refreshing once on
//! a dead token (here, or through the session worker).

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::exec;
use crate::browser::fetch::{self, Outgoing};
use crate::browser::net;
use crate::core::error::AuthError;

impl AuthClient {
    /// The UserInfo endpoint's claims (parsed JSON), refreshing once on a dead token.
    pub async fn userinfo(&self) -> Result<JsValue, AuthError> {
        let r = self.userinfo_inner().await;
        self.inner.reported(r)
    }

    async fn userinfo_inner(&self) -> Result<JsValue, AuthError> {
        if let Some(remote) = self.inner.remote() {
            if remote.view().is_none() {
                return Err(AuthError::NotAuthenticated);
            }
            let reply = remote.call("userinfo", &[], &JsValue::UNDEFINED).await?;
            let text = js_sys::Reflect::get(&reply, &JsValue::from_str("json"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            return js_sys::JSON::parse(&text)
                .map_err(|_| AuthError::UserinfoFailed { status: 200 });
        }
        self.inner.current()?;
        let endpoint = self
            .inner
            .config
            .endpoints
            .userinfo
            .clone()
            .ok_or_else(|| {
                AuthError::config("userinfoEndpoint", "this provider has no userinfo endpoint")
            })?;
        let init = web_sys::RequestInit::new();
        init.set_method("GET");
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
        // The token goes to the UserInfo endpoint only, never to where a redirect points.
        init.set_redirect(web_sys::RequestRedirect::Error);
        init.set_signal(Some(&exec::deadline(self.inner.config.timeout_ms)));
        let headers = web_sys::Headers::new()
            .map_err(|_| AuthError::config("userinfoEndpoint", "Headers are not available"))?;
        let _ = headers.set("Accept", "application/json");
        init.set_headers(&headers);
        let outgoing = Outgoing::Url {
            url: endpoint,
            init: Some(init.unchecked_into()),
        };
        let response = fetch::authorized_send(&self.inner, outgoing, true).await?;
        let status = response.status();
        if !(200..300).contains(&status) {
            return Err(AuthError::UserinfoFailed { status });
        }
        let text = net::text(&response).await.map_err(|e| AuthError::Network {
            reason: [
                "reading the userinfo answer failed: ",
                &net::describe_js_error(&e),
            ]
            .concat(),
        })?;
        js_sys::JSON::parse(&text).map_err(|_| AuthError::UserinfoFailed { status })
    }
}
