//! `auth.userinfo()`: the UserInfo endpoint's claims with the current token, refreshing once on
//! a dead token (here, or through the session worker). The core builds the request and judges
//! the answer (`core::userinfo`); this file sends it, hands status and body over and returns
//! the claims.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser::client::AuthClient;
use crate::browser::fetch::{self, Outgoing};
use crate::browser::json::BrowserJson;
use crate::browser::net::{self, Deadline};
use crate::core::bounds::MAX_USERINFO_BODY_BYTES;
use crate::core::error::AuthError;
use crate::core::userinfo::{process_userinfo_response, userinfo_request};

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
        // The set the request goes with: a retry stays within its login, so its `sub` too.
        let (tokens, _) = self.inner.current()?;
        let request = userinfo_request(&self.inner.config)?;
        let deadline = Deadline::new(self.inner.config.timeout_ms);
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
        // The token goes to the UserInfo endpoint only, never to where a redirect points.
        init.set_redirect(web_sys::RequestRedirect::Error);
        if let Some(d) = &deadline {
            init.set_signal(Some(&d.signal()));
        }
        let headers = web_sys::Headers::new()
            .map_err(|_| AuthError::config("userinfoEndpoint", "Headers are not available"))?;
        for (name, value) in &request.headers {
            let _ = headers.set(name, value);
        }
        init.set_headers(&headers);
        let outgoing = Outgoing::Url {
            url: request.url,
            init: Some(init.unchecked_into()),
        };
        let response = fetch::authorized_send(&self.inner, outgoing, true).await?;
        let status = response.status();
        let body = net::capped_text(&response, MAX_USERINFO_BODY_BYTES)
            .await
            .map_err(|e| AuthError::Network {
                reason: [
                    "reading the userinfo answer failed: ",
                    &net::describe_js_error(&e),
                ]
                .concat(),
            })?;
        process_userinfo_response(&tokens, status, &body, &BrowserJson)?;
        js_sys::JSON::parse(&body).map_err(|_| AuthError::UserinfoFailed { status })
    }
}
