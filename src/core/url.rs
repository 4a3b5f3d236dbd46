//! A small absolute-URL and origin type for http(s) URLs.
//!
//! The `url` crate would add about 70 KB gzip of IDNA tables to the wasm; the browser's `URL`
//! does the heavy lifting in `src/browser`, and this module covers what the core must decide
//! itself: scheme, host, port, origin equality, loopback, fragments. Hosts must be ASCII
//! (punycode); anything unusual is refused rather than guessed.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::text::decimal;

/// An absolute `http`/`https` URL split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    origin: Origin,
    /// Path, starting with `/` (at least `/`).
    path: String,
    /// Query without `?`, if present.
    query: Option<String>,
    /// Fragment without `#`, if present.
    fragment: Option<String>,
}

/// A web origin: scheme, host and port (RFC 6454). The default port is not stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    https: bool,
    host: String,
    port: Option<u16>,
}

impl Origin {
    /// `true` for `https`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The lowercase host (IPv6 in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `localhost`, `127.0.0.0/8` or `[::1]`.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.host)
    }

    /// https, or a loopback host (which local development and the emulator use).
    pub fn is_secure_or_loopback(&self) -> bool {
        self.https || self.is_loopback()
    }

    /// Parses an origin or any absolute URL and keeps its origin.
    pub fn parse(input: &str, field: &str) -> Result<Origin, AuthError> {
        Ok(HttpUrl::parse(input, field)?.origin)
    }

    /// `https://host[:port]`.
    pub fn serialize(&self) -> String {
        // Without `format!`: this runs on every relative `auth.fetch`.
        let scheme = if self.https { "https://" } else { "http://" };
        let mut s = String::with_capacity(scheme.len() + self.host.len() + 6);
        s.push_str(scheme);
        s.push_str(&self.host);
        if let Some(p) = self.port {
            s.push(':');
            let digits = [p / 10000, p / 1000 % 10, p / 100 % 10, p / 10 % 10, p % 10];
            let first = digits.iter().position(|d| *d != 0).unwrap_or(4);
            s.extend(digits[first..].iter().map(|d| char::from(b'0' + *d as u8)));
        }
        s
    }
}

/// `localhost`, any `127.x.y.z`, or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

impl HttpUrl {
    /// Parses an absolute http(s) URL; `field` names the option in the error.
    pub fn parse(input: &str, field: &str) -> Result<HttpUrl, AuthError> {
        let bad = |why: &str| {
            AuthError::config(
                field,
                [
                    why,
                    " (got a value of ",
                    &decimal(input.len() as u64),
                    " characters)",
                ]
                .concat(),
            )
        };
        if input
            .chars()
            .any(|c| c.is_ascii_control() || c == ' ' || c == '\\')
        {
            return Err(bad(
                "not a valid URL: it contains spaces, backslashes or control characters",
            ));
        }
        let (scheme, rest) = crate::core::text::find(input, "://")
            .map(|i| (&input[..i], &input[i + 3..]))
            .ok_or_else(|| {
                bad(&["must be an absolute URL such as ", example_url(field)].concat())
            })?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("must use https (or http for localhost only)")),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(bad("must not contain user:password@"));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| bad("has an invalid host or port"))?;
        let default = if https { 443 } else { 80 };
        let origin = Origin {
            https,
            host,
            port: port.filter(|p| *p != default),
        };

        let (before_fragment, fragment) = match tail.split_once('#') {
            Some((a, f)) => (a, Some(f.to_owned())),
            None => (tail, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q.to_owned())),
            None => (before_fragment, None),
        };
        let path = if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        };
        Ok(HttpUrl {
            origin,
            path,
            query,
            fragment,
        })
    }

    /// A URL the provider sends the browser back to (`popupRedirectUri`,
    /// `postLogoutRedirectUri`): https (plain http only for loopback) and no `#fragment`.
    pub fn parse_return(input: &str, field: &str) -> Result<HttpUrl, AuthError> {
        let url = HttpUrl::parse(input, field)?;
        if !url.origin().is_secure_or_loopback() || url.fragment().is_some() {
            return Err(AuthError::config(
                field,
                "must be an https URL without #fragment (plain http only for localhost / 127.0.0.1)",
            ));
        }
        Ok(url)
    }

    /// The URL's origin.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The path (starts with `/`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string without `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The fragment without `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.as_deref()
    }

    /// The URL with its path's trailing slashes removed and no query or fragment: a base to
    /// which `/services/oauth2/...` can be appended (keeps an Experience Cloud path prefix).
    pub fn base_without_trailing_slash(&self) -> String {
        [&self.origin.serialize(), self.path.trim_end_matches('/')].concat()
    }
}

/// An example of a valid value for the URL option `field`, for error messages.
fn example_url(field: &str) -> &'static str {
    match field {
        "loginHost" => "https://NAME.my.salesforce.com",
        "redirectUri" | "popupRedirectUri" => "https://app.example.com/callback",
        "postLogoutRedirectUri" => "https://app.example.com/",
        "issuer" => "https://login.example.com",
        _ => "https://api.example.com/path",
    }
}

fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (["[", &inside.to_ascii_lowercase(), "]"].concat(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (authority.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    if !host.starts_with('[')
        && (!host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            || host.starts_with('.')
            || crate::core::text::find(&host, "..").is_some())
    {
        return None;
    }
    let port = match port {
        None => None,
        Some("") => None,
        Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    Some((host.trim_end_matches('.').to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts_and_normalizes_origin() {
        let u =
            HttpUrl::parse("HTTPS://Acme.My.Salesforce.com:443/sub/path?x=1#frag", "f").unwrap();
        assert_eq!(u.origin().serialize(), "https://acme.my.salesforce.com");
        assert_eq!(u.path(), "/sub/path");
        assert_eq!(u.query(), Some("x=1"));
        assert_eq!(u.fragment(), Some("frag"));
        let l = HttpUrl::parse("http://localhost:8080", "f").unwrap();
        assert_eq!(l.origin().serialize(), "http://localhost:8080");
        assert_eq!(l.path(), "/");
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "http://localhost:1",
            "http://127.0.0.1:8787/x",
            "http://127.9.8.7",
            "http://[::1]:3000/",
        ] {
            assert!(Origin::parse(h, "f").unwrap().is_loopback(), "{h}");
        }
        for h in [
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io",
            "http://128.0.0.1",
            "http://[::2]",
        ] {
            assert!(!Origin::parse(h, "f").unwrap().is_loopback(), "{h}");
        }
    }

    #[test]
    fn refuses_malformed_urls_with_invalid_config() {
        for bad in [
            "",
            "acme.my.salesforce.com",
            "ftp://x",
            "https://",
            "https://user:pw@host",
            "https://ho st",
            "https://host:99999",
            "https://host:abc",
            "https://exa\u{e4}mple.com",
            "javascript://x",
            "https://[zz]",
            "https://a..b",
        ] {
            let e = HttpUrl::parse(bad, "loginHost").unwrap_err();
            assert_eq!(e.code(), "invalid_config", "{bad}");
            assert!(e.to_string().contains("loginHost"), "{bad}");
        }
    }

    #[test]
    fn origin_serializes_every_port_like_format() {
        for port in [1u16, 9, 10, 99, 100, 999, 1000, 8080, 10000, 65535] {
            let o = Origin::parse(&format!("http://localhost:{port}/x"), "t").unwrap();
            assert_eq!(o.serialize(), format!("http://localhost:{port}"));
        }
    }
}
