//! The option objects of the JS API, read by the core's option tables (`core::option_table`):
//! the object crosses once, as a [`Json`](crate::core::json::Json) tree, and each options
//! struct's one table reads it. Each bad field is an `invalid_config` error naming it; unknown
//! keys (typos such as `clientID`) are refused with the list of known ones.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::prelude::*;

use crate::browser::from_js;
use crate::core::config::ClientOptions;
use crate::core::error::AuthError;
use crate::core::json::Json;

/// The options object as the core's tree: `undefined`/`null` as `Null`; anything but a plain
/// object (a function, an array, a string) is refused here, and so is one that cannot be read
/// (a getter that throws, a cycle of over 100,000 values).
pub(crate) fn tree(value: &JsValue) -> Result<Json, AuthError> {
    match from_js(value) {
        Some(Json::Null) => Ok(Json::Null),
        Some(o @ Json::Object(_)) if !value.is_function() => Ok(o),
        Some(_) => Err(AuthError::config("options", "must be an object")),
        None => Err(AuthError::config("options", "could not be read")),
    }
}

/// `ClientOptions` from the object given to `new AuthClient`, `salesforce`, `discover`, `doctor`.
/// (Each reader matches the tree's refusal out, not `?`: the tree and the options are not
/// moved through another result.)
pub(crate) fn client_options(value: &JsValue) -> Result<ClientOptions, AuthError> {
    match tree(value) {
        Ok(t) => ClientOptions::from_json(&t),
        Err(e) => Err(e),
    }
}
