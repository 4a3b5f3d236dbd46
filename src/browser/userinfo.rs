//! `auth.userinfo()`: the UserInfo endpoint's claims with the current token, refreshing once on
//! a dead token (sent by the executor as an app request; here, or through the session worker).
//! The core builds the request and judges the answer (`core::userinfo`; `fetch.rs` `claims`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::browser::client::AuthClient;
use crate::core::bounds::MAX_USERINFO_BODY_BYTES;
use crate::core::error::AuthError;
use crate::core::userinfo::userinfo_endpoint;

impl AuthClient {
    /// `auth.userinfo()` (the Rust API's `userinfo` awaits it): the promise of the claims
    /// (parsed JSON).
    pub(crate) fn userinfo_promise(&self) -> crate::browser::sys::Promise {
        let inner = &self.inner;
        if let Some(remote) = inner.remote() {
            #[cfg(feature = "sharing")]
            return crate::browser::sharing::relayed(inner, remote, None);
            #[cfg(not(feature = "sharing"))]
            match *remote {}
        }
        // The core's endpoint (the executor's request asks for JSON, as the core's does).
        // A DPoP-bound set's headers come from the wasm with each send (`dpop_fetch.rs`).
        // Each failure is the one error rejected with (not re-wrapped into a `Result`: a copy).
        let e = 'failed: {
            let (bearer, generation) = {
                let session = inner.session.borrow();
                let Some(tokens) = session.tokens() else {
                    break 'failed AuthError::NotAuthenticated;
                };
                let generation = session.generation();
                let bearer = crate::browser::fetch::bearer_js(inner, tokens, generation);
                (bearer, generation)
            };
            let endpoint = match userinfo_endpoint(&inner.config) {
                Ok(url) => url,
                Err(e) => break 'failed e,
            };
            return inner.exec.userinfo(
                endpoint,
                &bearer,
                generation,
                inner.config.timeout_ms,
                MAX_USERINFO_BODY_BYTES as u32,
            );
        };
        crate::browser::settled(&inner.failed(e))
    }
}
