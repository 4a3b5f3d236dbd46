//! Small helpers: strict form/query parsing, random ids, HTML escaping, JSON error bodies.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use rand::RngCore;

/// Parses `application/x-www-form-urlencoded` text strictly: invalid percent-encoding or UTF-8
/// is an error (never a panic).
pub fn parse_form(raw: &[u8]) -> Result<Vec<(String, String)>, &'static str> {
    let text = std::str::from_utf8(raw).map_err(|_| "body is not UTF-8")?;
    let mut out = Vec::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(raw: &str) -> Result<String, &'static str> {
    let b = raw.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if *c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err("invalid percent-encoding");
        }
    }
    percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| "invalid UTF-8")
}

/// Parameters as a lookup that reports repeats.
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The single value of `name`; `Err` when repeated.
    pub fn one(&self, name: &str) -> Result<Option<&str>, String> {
        let mut it = self.0.iter().filter(|(k, _)| k == name);
        let first = it.next().map(|(_, v)| v.as_str());
        if it.next().is_some() {
            return Err(format!("duplicate parameter: {name}"));
        }
        Ok(first)
    }

    /// The single value, or "" when absent or repeated (for non-critical fields).
    pub fn get(&self, name: &str) -> &str {
        self.one(name).ok().flatten().unwrap_or("")
    }
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rng().fill_bytes(&mut v);
    v
}

/// Random characters from Salesforce's token alphabet (letters, digits, `.`, `_`).
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    random_bytes(len)
        .into_iter()
        .map(|b| ALPHABET[b as usize % ALPHABET.len()] as char)
        .collect()
}

/// base64url without padding.
pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// An OAuth error body: `{"error":…,"error_description":…}`.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// A Salesforce REST error body: `[{"message":…,"errorCode":…}]`.
pub fn rest_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!([{ "message": message, "errorCode": code }])),
    )
        .into_response()
}

/// The REST answer for a missing, expired or revoked token.
pub fn invalid_session() -> Response {
    rest_error(
        StatusCode::UNAUTHORIZED,
        "INVALID_SESSION_ID",
        "Session expired or invalid",
    )
}

/// userinfo / identity answer for a dead token: 403 text `Bad_OAuth_Token`.
pub fn bad_oauth_token() -> Response {
    let mut r = (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=UTF-8"),
    );
    r
}

/// `302 Found` to `url`, as Salesforce redirects.
pub fn found(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "invalid redirect target").into_response(),
    }
}

/// `uri` with `query` appended after `?`, or after `&` when `uri` already has a query.
pub fn with_query(uri: &str, query: &str) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{query}")
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_form_parsing() {
        assert_eq!(
            parse_form(b"a=1&b=x+y%21").unwrap(),
            vec![("a".into(), "1".into()), ("b".into(), "x y!".into())]
        );
        assert!(parse_form(b"a=%zz").is_err());
        assert!(parse_form(b"a=%").is_err());
        assert!(parse_form(b"a=%C3%28").is_err());
        assert!(parse_form(&[0xff, 0xfe]).is_err());
        let p = Params(parse_form(b"code=1&code=2").unwrap());
        assert!(p.one("code").is_err());
        assert_eq!(p.get("code"), "");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            esc("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
