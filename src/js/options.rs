//! Reads the option objects of the JS API field by field with `Reflect`.
//!
//! This replaces serde-wasm-bindgen: its error path formats serde's `Unexpected` values, which
//! keeps `core::fmt` and float formatting in the wasm (≈ 18 KB gzip measured, more than half
//! of the size budget) for a dozen flat fields. Each bad field is an `invalid_config` error
//! naming it; unknown keys (typos such as `clientID`) are refused with the list of known ones.

#[allow(unused_imports)]
use crate::core::prelude::*;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::authorize::LoginOptions;
use crate::core::config::ClientOptions;
use crate::core::dpop::DpopMode;
use crate::core::end_session::LogoutOptions;
use crate::core::error::AuthError;
use crate::core::popup::PopupOptions;

/// An options object checked against its known field names.
struct Fields {
    object: Option<js_sys::Object>,
}

impl Fields {
    /// `undefined`/`null` read as an empty object; anything but a plain object is refused.
    fn new(value: &JsValue, known: &[&str]) -> Result<Fields, AuthError> {
        if value.is_undefined() || value.is_null() {
            return Ok(Fields { object: None });
        }
        if !value.is_object() || js_sys::Array::is_array(value) {
            return Err(AuthError::config("options", "must be an object"));
        }
        let object: js_sys::Object = value.clone().unchecked_into();
        for key in js_sys::Object::keys(&object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                let reason = ["unknown option; the options are: ", &known.join(", ")].concat();
                return Err(AuthError::config(&key, reason));
            }
        }
        Ok(Fields {
            object: Some(object),
        })
    }

    /// The value of `key`, or `None` when it is absent, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<JsValue> {
        let object = self.object.as_ref()?;
        js_sys::Reflect::get(object, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// The value of `key` read by `read`; a value it refuses is `invalid_config` naming `key`.
    fn typed<T>(
        &self,
        key: &str,
        read: fn(&JsValue) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, AuthError> {
        self.get(key)
            .map(|v| read(&v).ok_or_else(|| AuthError::config(key, expected)))
            .transpose()
    }

    #[inline(never)]
    fn string(&self, key: &str) -> Result<Option<String>, AuthError> {
        self.typed(key, JsValue::as_string, "must be a string")
    }

    #[inline(never)]
    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, AuthError> {
        let read = |v: &JsValue| {
            js_sys::Array::is_array(v)
                .then(|| {
                    v.unchecked_ref::<js_sys::Array>()
                        .iter()
                        .map(|i| i.as_string())
                        .collect()
                })
                .flatten()
        };
        self.typed(key, read, "must be an array of strings")
    }

    #[inline(never)]
    fn number(&self, key: &str) -> Result<Option<f64>, AuthError> {
        self.typed(key, JsValue::as_f64, "must be a number")
    }

    #[inline(never)]
    fn boolean(&self, key: &str) -> Result<Option<bool>, AuthError> {
        self.typed(key, JsValue::as_bool, "must be true or false")
    }

    /// `dpop`: `false`, `true` or `"if-supported"`.
    fn dpop(&self) -> Result<Option<DpopMode>, AuthError> {
        self.get("dpop")
            .map(|v| match (v.as_bool(), v.as_string()) {
                // A number or an object is neither form (never read as "off").
                (None, None) => Err(DpopMode::invalid()),
                (flag, text) => DpopMode::parse(flag, text.as_deref()),
            })
            .transpose()
    }
}

/// `ClientOptions` from the object given to `new AuthClient`, `salesforce`, `discover`, `doctor`.
#[allow(clippy::field_reassign_with_default)]
pub(crate) fn client_options(value: &JsValue) -> Result<ClientOptions, AuthError> {
    let f = Fields::new(value, &ClientOptions::JS_FIELDS)?;
    // Field by field into one struct: an early return then drops one value, not a different
    // set of the fields read so far at each `?` (that drop glue was 2.6 KB of wasm).
    let mut o = ClientOptions::default();
    o.client_id = f.string("clientId")?;
    o.redirect_uri = f.string("redirectUri")?;
    o.login_host = f.string("loginHost")?;
    o.issuer = f.string("issuer")?;
    o.authorization_endpoint = f.string("authorizationEndpoint")?;
    o.token_endpoint = f.string("tokenEndpoint")?;
    o.revocation_endpoint = f.string("revocationEndpoint")?;
    o.userinfo_endpoint = f.string("userinfoEndpoint")?;
    o.scopes = f.strings("scopes")?;
    o.allowed_origins = f.strings("allowedOrigins")?;
    o.api_base = f.string("apiBase")?;
    o.timeout_ms = f.number("timeoutMs")?;
    o.pending_storage = f.string("pendingStorage")?;
    o.trusted_instance_hosts = f.strings("trustedInstanceHosts")?;
    o.trusted_audiences = f.strings("trustedAudiences")?;
    o.session_timeout_seconds = f.number("sessionTimeoutSeconds")?;
    o.authorization_response_iss_parameter_supported =
        f.boolean("authorizationResponseIssParameterSupported")?;
    o.client_secret = f.string("clientSecret")?;
    o.session_sharing = f.string("sessionSharing")?;
    o.restore = f.string("restore")?;
    o.worker_url = f.string("workerUrl")?;
    o.end_session_endpoint = f.string("endSessionEndpoint")?;
    o.post_logout_redirect_uri = f.string("postLogoutRedirectUri")?;
    o.popup_redirect_uri = f.string("popupRedirectUri")?;
    o.dpop = f.dpop()?;
    o.dpop_signing_alg_values_supported = f.strings("dpopSigningAlgValuesSupported")?;
    o.verify_id_token_signature = f.boolean("verifyIdTokenSignature")?;
    o.jwks_uri = f.string("jwksUri")?;
    Ok(o)
}

/// `LoginOptions` from the object given to `login` and `authorizationUrl`.
pub(crate) fn login_options(value: &JsValue) -> Result<LoginOptions, AuthError> {
    login_fields(&Fields::new(value, &LoginOptions::JS_FIELDS)?)
}

/// The options of `loginPopup`: a login's and the popup's own.
pub(crate) fn popup_options(value: &JsValue) -> Result<(LoginOptions, PopupOptions), AuthError> {
    let known: Vec<&str> = LoginOptions::JS_FIELDS
        .iter()
        .chain(&PopupOptions::JS_FIELDS)
        .copied()
        .collect();
    let f = Fields::new(value, &known)?;
    let popup = PopupOptions {
        popup_features: f.string("popupFeatures")?,
        popup_timeout_ms: f.number("popupTimeoutMs")?,
    };
    Ok((login_fields(&f)?, popup))
}

/// `LogoutOptions` from the object given to `logout`.
pub(crate) fn logout_options(value: &JsValue) -> Result<LogoutOptions, AuthError> {
    let f = Fields::new(value, &LogoutOptions::JS_FIELDS)?;
    Ok(LogoutOptions {
        end_session: f.boolean("endSession")?,
        post_logout_redirect_uri: f.string("postLogoutRedirectUri")?,
        state: f.string("state")?,
        return_to: f.string("returnTo")?,
    })
}

fn login_fields(f: &Fields) -> Result<LoginOptions, AuthError> {
    Ok(LoginOptions {
        return_to: f.string("returnTo")?,
        prompt: f.string("prompt")?,
        login_hint: f.string("loginHint")?,
        immediate: f.boolean("immediate")?,
        silent: false,
        popup: false,
        dpop_jkt: None,
    })
}
