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
#[derive(Clone, PartialEq, Eq)]
pub struct HttpUrl {
    origin: Origin,
    /// Path, starting with `/` (at least `/`), then `?query` and `#fragment` if present: one
    /// text, cut by [`path`](Self::path), [`query`](Self::query), [`fragment`](Self::fragment).
    rest: String,
    /// Where the path ends: the `?` of the query, else `fragment_at`.
    path_end: usize,
    /// Where the `#` of the fragment is, else the text's length.
    fragment_at: usize,
}

/// The parts one by one, as they were fields before they became one text.
impl core::fmt::Debug for HttpUrl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpUrl")
            .field("origin", &self.origin)
            .field("path", &self.path())
            .field("query", &self.query())
            .field("fragment", &self.fragment())
            .finish()
    }
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
        match HttpUrl::parse(input, field) {
            Ok(url) => Ok(url.origin),
            Err(e) => Err(e),
        }
    }

    /// The origin of an http(s) URL, `None` where [`Origin::parse`] refuses it (the origin
    /// alone moved out of [`Origin::parse`]'s result, not the whole `HttpUrl` out of
    /// `HttpUrl::parse`'s).
    pub(crate) fn of(input: &str) -> Option<Origin> {
        Origin::parse(input, "").ok()
    }

    /// `https://host[:port]`.
    pub fn serialize(&self) -> String {
        // Without `format!`: this runs on every relative `auth.fetch`.
        let scheme = if self.https { "https://" } else { "http://" };
        match self.port {
            Some(p) => [scheme, &self.host, ":", &decimal(u64::from(p))].cat(),
            None => [scheme, &self.host].cat(),
        }
    }
}

/// `localhost`, any `127.x.y.z`, or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let Some(rest) = host.strip_prefix("127.") else {
        return false;
    };
    let mut parts = 1;
    for p in rest.parts(b'.') {
        parts += 1;
        // What `u8`'s `FromStr` takes, in at most three characters: an optional `+`, digits.
        let digits = p.strip_prefix("+").unwrap_or(p);
        if p.len() > 3 || digits_value(digits).is_none_or(|n| n > 255) {
            return false;
        }
    }
    parts == 4
}

impl HttpUrl {
    /// Parses an absolute http(s) URL; `field` names the option in the error.
    pub fn parse(input: &str, field: &str) -> Result<HttpUrl, AuthError> {
        // One way out for every refusal: `(why, example)`, the example only for a missing scheme.
        let (why, example) = 'bad: {
            if !input.all_bytes(|b| !(b.is_ascii_control() || b == b' ' || b == b'\\')) {
                break 'bad (
                    brief!(
                        "has spaces, backslashes or control chars",
                        "not a valid URL: it contains spaces, backslashes or control characters"
                    ),
                    "",
                );
            }
            let Some(i) = crate::core::text::find(input, "://") else {
                break 'bad ("must be an absolute URL", such_as(field));
            };
            let (scheme, rest) = (&input[..i], &input[i + 3..]);
            let https = if scheme.eq_ignore_ascii_case("https") {
                true
            } else if scheme.eq_ignore_ascii_case("http") {
                false
            } else {
                break 'bad ("must use https (or http for localhost only)", "");
            };
            let end = crate::core::text::end_at(rest, b"/?#");
            let (authority, tail) = rest.split_at(end);
            if authority.has(b'@') {
                break 'bad ("must not contain user:password@", "");
            }
            let Some((host, port)) = split_host_port(authority) else {
                break 'bad ("has an invalid host or port", "");
            };
            let default = if https { 443 } else { 80 };
            // The path ends at the first `?` or `#`, the query at the first `#`; an empty path
            // is `/`.
            let path_end = crate::core::text::end_at(tail, b"?#");
            let slash = if path_end == 0 { "/" } else { "" };
            let fragment_at = slash.len() + crate::core::text::end_at(tail, b"#");
            return Ok(HttpUrl {
                origin: Origin {
                    https,
                    host,
                    port: port.filter(|p| *p != default),
                },
                rest: [slash, tail].cat(),
                path_end: slash.len() + path_end,
                fragment_at,
            });
        };
        Err(AuthError::config(
            field,
            [
                why,
                example,
                " (got a value of ",
                &decimal(input.len() as u64),
                " characters)",
            ]
            .cat(),
        ))
    }

    /// A URL the provider sends the browser back to (`popupRedirectUri`,
    /// `postLogoutRedirectUri`): https (plain http only for loopback) and no `#fragment`.
    pub fn parse_return(input: &str, field: &str) -> Result<HttpUrl, AuthError> {
        // Matched, not `?`: the URL is written once.
        let url = match HttpUrl::parse(input, field) {
            Ok(u) => u,
            Err(e) => return Err(e),
        };
        if !url.origin().is_secure_or_loopback() || url.fragment().is_some() {
            return Err(AuthError::config(
                field,
                explained!(
                    "must be an https URL without #fragment",
                    " (plain http only for localhost / 127.0.0.1)"
                ),
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
        &self.rest[..self.path_end]
    }

    /// The query string without `?`.
    pub fn query(&self) -> Option<&str> {
        // `None` without a `?`: the range then starts past its end.
        self.rest.get(self.path_end + 1..self.fragment_at)
    }

    /// The fragment without `#`.
    pub fn fragment(&self) -> Option<&str> {
        // `None` without a `#`: the range then starts past the end.
        self.rest.get(self.fragment_at + 1..)
    }

    /// Whether it has a `?query` or a `#fragment`.
    pub fn has_query_or_fragment(&self) -> bool {
        self.path_end < self.rest.len()
    }

    /// The path, `?query` and `#fragment` as given (`/` for an empty path).
    pub fn path_query_fragment(&self) -> &str {
        &self.rest
    }

    /// The URL with its path's trailing slashes removed and no query or fragment: a base to
    /// which `/services/oauth2/...` can be appended (keeps an Experience Cloud path prefix).
    pub fn base_without_trailing_slash(&self) -> String {
        [&self.origin.serialize(), self.path().trim_end_byte(b'/')].cat()
    }
}

/// An example of a valid value for the URL option `field`, for error messages: `" such as
/// https://…"`. Empty in the npm package's wasm, whose development build puts the same example
/// back in JS (js/development.js `EXAMPLE`; docs/DECISIONS.md "The wasm's texts, each once").
#[cfg(not(feature = "npm"))]
fn such_as(field: &str) -> &'static str {
    match field {
        "loginHost" => " such as https://NAME.my.salesforce.com",
        "redirectUri" | "popupRedirectUri" => " such as https://app.example.com/callback",
        "postLogoutRedirectUri" => " such as https://app.example.com/",
        "issuer" => " such as https://login.example.com",
        _ => " such as https://api.example.com/path",
    }
}
/// The example of a URL option, left out of the npm build (see the other build's definition).
#[cfg(feature = "npm")]
fn such_as(_field: &str) -> &'static str {
    ""
}

/// The number of the ASCII digits `s` (at least one, at most five), if it is one.
fn digits_value(s: &str) -> Option<u32> {
    if s.len() > 5 || s.starts_with("+") {
        return None;
    }
    crate::core::text::parse_u64(s).map(|n| n as u32)
}

/// The lowercase host (IPv6 in brackets, trailing dots removed) and the port, if valid.
fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port, ipv6) = if let Some(rest) = authority.strip_prefix("[") {
        let (inside, after) = rest.cut(b']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(":")?),
        };
        (inside, port, true)
    } else {
        match authority.rcut(b':') {
            Some((h, p)) => (h, Some(p), false),
            None => (authority, None, false),
        }
    };
    let ok = if ipv6 {
        !host.is_empty()
            && host.len() <= 251
            && host.all_bytes(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host.all_bytes(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !host.starts_with(".")
            && crate::core::text::find(host, "..").is_none()
    };
    if !ok {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(u16::try_from(digits_value(p)?).ok()?),
    };
    // Lowercased once: an IPv6 host with its brackets, another without its trailing dots.
    let kept = if ipv6 {
        &authority[..host.len() + 2]
    } else {
        host.trim_end_byte(b'.')
    };
    Some((kept.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The npm build's development texts put back the examples `such_as` gives (the production
    /// wasm leaves them out): each option's example is in js/development.js's `EXAMPLE` table
    /// under its name, and any other option's is its default.
    #[test]
    fn the_development_build_puts_back_the_same_examples() {
        let js = include_str!("../../js/development.js");
        let table = &js[js.find("const EXAMPLE = {").unwrap()..];
        let table = &table[..table.find("};").unwrap()];
        for field in [
            "loginHost",
            "redirectUri",
            "popupRedirectUri",
            "postLogoutRedirectUri",
            "issuer",
        ] {
            let example = such_as(field).strip_prefix(" such as ").unwrap();
            assert!(
                table.contains(&format!("{field}: \"{example}\"")),
                "{field}: {example}"
            );
        }
        let other = such_as("apiBase").strip_prefix(" such as ").unwrap();
        assert!(js.contains(&format!("?? \"{other}\"")), "{other}");
    }

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
    fn the_parts_after_the_origin_are_one_text_cut_at_the_first_question_mark_and_hash() {
        for (input, path, query, fragment, rest) in [
            ("https://h", "/", None, None, "/"),
            ("https://h?", "/", Some(""), None, "/?"),
            ("https://h#", "/", None, Some(""), "/#"),
            ("https://h?#", "/", Some(""), Some(""), "/?#"),
            ("https://h#?q", "/", None, Some("?q"), "/#?q"),
            (
                "https://h/a?b#c?d#e",
                "/a",
                Some("b"),
                Some("c?d#e"),
                "/a?b#c?d#e",
            ),
            (
                "https://h/p/\u{e9}?\u{fc}=1",
                "/p/\u{e9}",
                Some("\u{fc}=1"),
                None,
                "/p/\u{e9}?\u{fc}=1",
            ),
        ] {
            let u = HttpUrl::parse(input, "f").unwrap();
            assert_eq!(
                (u.path(), u.query(), u.fragment(), u.path_query_fragment()),
                (path, query, fragment, rest),
                "{input}"
            );
            assert_eq!(
                u.has_query_or_fragment(),
                query.is_some() || fragment.is_some()
            );
        }
    }

    /// The host is kept lowercased: an IPv6 address with its brackets, a name without its
    /// trailing dots (one text lowercased, not the address bracketed after).
    #[test]
    fn hosts_are_kept_lowercased_with_brackets_and_without_trailing_dots() {
        for (input, origin) in [
            ("https://[ABCD:EF::1]:8443/x", "https://[abcd:ef::1]:8443"),
            ("http://[::FFFF:127.0.0.1]", "http://[::ffff:127.0.0.1]"),
            ("https://[::1]:443", "https://[::1]"),
            ("https://Host.Example.COM./p", "https://host.example.com"),
            ("https://A.:8080", "https://a:8080"),
        ] {
            let o = Origin::parse(input, "f").unwrap();
            assert_eq!(o.serialize(), origin, "{input}");
        }
        assert_eq!(
            Origin::parse("http://[::1]:80", "f").unwrap().host(),
            "[::1]"
        );
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
