//! HTTP as plain data: the core builds [`HttpRequest`]s and consumes statuses and bodies.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::form::Form;
use crate::core::json::Json;

/// HTTP method of a request the core builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

impl Method {
    /// `"GET"` / `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Whether `fetch` may send `method` (the Fetch standard: a method is an RFC 9110 token, and
/// CONNECT, TRACE and TRACK are forbidden in any case): `auth.fetch`'s `init.method`, read as
/// fetch reads it (`String(init.method)`), is refused before any send or proof, in every build;
/// every DPoP proof's `htm` too (`dpop::normalize_method`).
pub fn check_method(method: &str) -> Result<(), AuthError> {
    // RFC 9110 §5.6.2's tchar: ALPHA, DIGIT and ! # $ % & ' * + - . ^ _ ` | ~.
    if method.is_empty()
        || !method.all_bytes(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'..=b'`' | b'|' | b'~')
        })
        || ["CONNECT", "TRACE", "TRACK"]
            .iter()
            .any(|f| method.eq_ignore_ascii_case(f))
    {
        return Err(AuthError::config(
            "method",
            brief!(
                "not a method fetch can send",
                "not a method fetch can send (an HTTP token, not CONNECT, TRACE or TRACK)"
            ),
        ));
    }
    Ok(())
}

/// A request for the runtime to send. Its `Debug` never shows the body (it carries secrets).
#[must_use]
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers (name, value): one of the two fixed sets below, borrowed (no request owns a
    /// header: no list to allocate, copy or drop).
    pub headers: &'static [(&'static str, &'static str)],
    /// `application/x-www-form-urlencoded` body, if any.
    pub body: Option<String>,
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body", &self.body.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl HttpRequest {
    /// A GET with `Accept: application/json` (discovery, UserInfo, the provider's JWKS).
    pub(crate) fn get_json(url: String) -> Self {
        HttpRequest {
            method: Method::Get,
            url,
            headers: &[("Accept", "application/json")],
            body: None,
        }
    }

    /// A form POST with `Accept: application/json`.
    pub(crate) fn form_post(url: &str, pairs: &[(&str, &str)]) -> Self {
        let mut body = Form::new();
        for (k, v) in pairs {
            body.append_pair(k, v);
        }
        HttpRequest {
            method: Method::Post,
            url: url.to_owned(),
            headers: &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            body: Some(body.finish()),
        }
    }
}

/// Parses JSON text into the core's JSON tree. The core never parses JSON itself: the browser runtime
/// injects `JSON.parse` (no JSON parser in the wasm), the host serde_json.
pub trait JsonDecoder {
    /// Parses `text`; `None` when it is not JSON.
    fn parse(&self, text: &str) -> Option<Json>;
}

/// serde_json, for host builds and tests.
#[cfg(any(test, not(target_arch = "wasm32")))]
#[derive(Debug, Clone, Copy, Default)]
pub struct SerdeJson;

#[cfg(any(test, not(target_arch = "wasm32")))]
impl JsonDecoder for SerdeJson {
    fn parse(&self, text: &str) -> Option<Json> {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(|v| crate::core::json::from_serde(&v, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_body() {
        let r = HttpRequest::form_post("https://x/token", &[("refresh_token", "5Aep-secret")]);
        let d = format!("{r:?}");
        assert!(!d.contains("5Aep"), "{d}");
        assert!(d.contains("[redacted]"));
        assert_eq!(r.body.as_deref(), Some("refresh_token=5Aep-secret"));
    }

    /// `auth.fetch`'s method as fetch reads it: any RFC 9110 token but the three fetch forbids
    /// (in any case); anything else (`String("")`; a `Symbol`, which the executor hands as
    /// "Symbol(…)" or ""; a space, a delimiter, non-ASCII) refused with `invalid_config` naming
    /// `method`.
    #[test]
    fn a_method_is_one_fetch_can_send() {
        for ok in [
            "GET",
            "get",
            "PATCH",
            "patch",
            "null",
            "undefined",
            "MKCOL",
            "CONNECTS",
            "TRAC",
            "!#$%&'*+-.^_`|~09aZ",
        ] {
            assert_eq!(check_method(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            " ",
            "GET ",
            "PO ST",
            "G\tT",
            "GET\n",
            "G\u{e9}T",
            "(GET)",
            "a,b",
            "x:y",
            "[object Object]",
            "CONNECT",
            "connect",
            "Trace",
            "TRACE",
            "track",
            "TrAcK",
        ] {
            let e = check_method(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_config", "{bad:?}");
            assert!(
                e.message().starts_with("invalid configuration: method: "),
                "{bad:?}"
            );
        }
    }
}
