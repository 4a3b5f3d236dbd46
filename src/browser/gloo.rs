//! gloo-net for Rust callers (cargo feature `gloo`, never in the npm build):
//! [`AuthClient::send`] takes a `gloo_net::http::RequestBuilder` or `Request` and returns a
//! `gloo_net::http::Response`, through the same path as [`AuthClient::fetch`] with a `Request`:
//! the Bearer token only to allowed origins (RFC 6750 §5.3), one shared refresh when the answer
//! says the token is dead, one retry.

#[allow(unused_imports)]
use crate::core::prelude::*;

use alloc::string::ToString;

use gloo_net::http::{Request, RequestBuilder, Response};

use crate::browser::client::AuthClient;
use crate::core::error::AuthError;

mod sealed {
    pub trait Sealed {}
    impl Sealed for gloo_net::http::Request {}
    impl Sealed for gloo_net::http::RequestBuilder {}
}

/// What [`AuthClient::send`] takes: a gloo-net [`Request`], or a [`RequestBuilder`] it builds.
pub trait IntoRequest: sealed::Sealed {
    /// The browser request to send (the caller's own, before the `Authorization` header).
    fn into_request(self) -> Result<web_sys::Request, AuthError>;
}

impl IntoRequest for Request {
    fn into_request(self) -> Result<web_sys::Request, AuthError> {
        Ok(self.into())
    }
}

impl IntoRequest for RequestBuilder {
    fn into_request(self) -> Result<web_sys::Request, AuthError> {
        self.build().map(Into::into).map_err(|e| {
            AuthError::config(
                "input",
                ["the request could not be built: ", &e.to_string()].cat(),
            )
        })
    }
}

impl AuthClient {
    /// Sends a gloo-net request with the Bearer token, like [`fetch`](Self::fetch): only to an
    /// allowed origin (else `origin_not_allowed`), and on a dead-token answer (401; for
    /// Salesforce also a 403 `Bad_OAuth_Token`) one refresh shared by every concurrent caller,
    /// then one retry whose response is returned whatever its status. gloo-net resolves a
    /// relative URL against the page, so give it [`api_url`](Self::api_url)'s absolute one:
    ///
    /// ```no_run
    /// # async fn accounts(auth: salesforce_pkce::browser::AuthClient) -> Result<(), salesforce_pkce::AuthError> {
    /// use gloo_net::http::Request;
    /// let url = auth.api_url("/services/data/v66.0/query?q=SELECT+Name+FROM+Account")?;
    /// let res = auth.send(Request::get(&url)).await?;
    /// assert!(res.ok());
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, request: impl IntoRequest) -> Result<Response, AuthError> {
        let request = match request.into_request() {
            Ok(r) => r,
            Err(e) => return self.inner.reported(Err(e)),
        };
        self.fetch(&request.into(), None).await.map(Response::from)
    }
}
