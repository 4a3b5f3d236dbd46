//! Text without `core::fmt`: in the wasm, one `format!` keeps the whole formatting machinery
//! (and, through serde-style `Display` paths, float formatting) alive. Messages are joined with
//! `[..].cat()` and numbers printed with [`decimal`].

#[allow(unused_imports)]
use crate::core::prelude::*;

/// Where `needle` first occurs in `hay` (a plain scan: the inputs are short, and `str::find`
/// with a `&str` pattern keeps the two-way searcher, 1,026 B gzip of the default page).
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut i = 0;
    while i + n.len() <= h.len() {
        if h[i..].starts_with(n) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Where the first of the ASCII bytes `set` occurs in `s`, else its length: where its path or
/// query ends (`b"?#"`). A byte scan, not `str::find` with a `[char]` pattern (a UTF-8 decoder
/// inlined at each caller); an ASCII byte is never inside a multi-byte character.
pub(crate) fn end_at(s: &str, set: &[u8]) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && !set.contains(&b[i]) {
        i += 1;
    }
    i
}

/// A number in decimal.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(digits.len() - at);
    while at < digits.len() {
        out.push(char::from(digits[at]));
        at += 1;
    }
    out
}

/// RFC 6749's character set for `error` and `error_description` (§4.1.2.1, §5.2):
/// `%x20-21 / %x23-5B / %x5D-7E`, i.e. printable ASCII without `"` and `\`.
pub(crate) fn is_oauth_text(s: &str) -> bool {
    s.all_bytes(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\')
}

/// A provider's `error` code as it may be kept: non-empty, at most 128 bytes, in RFC 6749's
/// character set. The token path drops anything else; the callback refuses it.
pub(crate) fn valid_error_code(e: &str) -> bool {
    !e.is_empty() && e.len() <= 128 && is_oauth_text(e)
}

/// Longest provider `error_description` kept, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 500;

/// A provider's `error_description` as it may be shown: dropped when outside RFC 6749's
/// character set, otherwise cut at [`MAX_DESCRIPTION_CHARS`]. One rule for the callback and the
/// token endpoint.
pub(crate) fn provider_description(d: &str) -> Option<String> {
    is_oauth_text(d).then(|| first_chars(d, MAX_DESCRIPTION_CHARS).to_owned())
}

/// The first `n` characters of `s` (all of it when shorter), cut at a character boundary by
/// counting the bytes that start a character.
///
/// The text's bytes read by index (as `parse_u64`, `decimal` and `Form`'s encoder): no `Bytes`
/// or slice iterator is kept in the wasm for them.
pub(crate) fn first_chars(s: &str, n: usize) -> &str {
    let bytes = s.as_bytes();
    let (mut i, mut seen) = (0, 0);
    while i < bytes.len() {
        if bytes[i] & 0xc0 != 0x80 {
            if seen == n {
                return &s[..i];
            }
            seen += 1;
        }
        i += 1;
    }
    s
}

/// `bytes` as a `String` when they are UTF-8, exactly as `String::from_utf8` decides (no
/// overlong form, no surrogate, nothing over U+10FFFF, no cut sequence), by a small decoder:
/// core's validation is ~750 B of wasm (its word-at-a-time ASCII loop), and it reads little
/// here (a form value, a JWT's payload).
pub(crate) fn utf8(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // The sequence's length, the smallest value it may carry, the lead byte's bits.
        let (len, min, mut c) = match b {
            0x00..=0x7f => (1, 0, u32::from(b)),
            0xc0..=0xdf => (2, 0x80, u32::from(b & 0x1f)),
            0xe0..=0xef => (3, 0x800, u32::from(b & 0x0f)),
            0xf0..=0xf7 => (4, 0x1_0000, u32::from(b & 0x07)),
            _ => return None,
        };
        for k in 1..len {
            let next = *bytes.get(i + k)?;
            if next & 0xc0 != 0x80 {
                return None;
            }
            c = c << 6 | u32::from(next & 0x3f);
        }
        if c < min {
            return None;
        }
        // None for a surrogate or over U+10FFFF.
        out.push(char::from_u32(c)?);
        i += len;
    }
    Some(out)
}

/// `items` joined by `sep`, as `[String]::join` writes them, by a small loop (the generic
/// join for `String` items is ~380 B of wasm beside the one for `&str` items).
pub(crate) fn joined(items: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// A decimal number that fits `T` (`u16`, `u32`), else `None` (see [`parse_u64`]).
#[cfg(feature = "sharing")]
pub(crate) fn parse_small<T: TryFrom<u64>>(s: &str) -> Option<T> {
    T::try_from(parse_u64(s)?).ok()
}

/// `s` as a `u64`, exactly as `str::parse::<u64>` reads it (ASCII digits after an optional
/// `+`, at least one, no overflow), by a small loop: core's parser (radix handling and its
/// fast paths) is ~360 B of wasm.
pub(crate) fn parse_u64(s: &str) -> Option<u64> {
    let digits = s.strip_prefix("+").unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    let (bytes, mut i, mut n) = (digits.as_bytes(), 0, 0u64);
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u64::from(b - b'0');
        // u64::MAX is 18446744073709551615.
        if n > u64::MAX / 10 || n == u64::MAX / 10 && d > 5 {
            return None;
        }
        n = n * 10 + d;
    }
    Some(n)
}

#[cfg(test)]
#[path = "text_equivalence_tests.rs"]
mod equivalence_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_agrees_with_str_find() {
        for (hay, needle) in [
            ("https://x", "://"),
            ("a:b://c", "://"),
            ("", ""),
            ("abc", ""),
            ("", "a"),
            ("ab", "abc"),
            ("a..b", ".."),
            ("é..", ".."),
            ("login none", "none"),
            ("nonone", "none"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
        }
    }

    #[test]
    fn end_at_agrees_with_str_find() {
        for s in [
            "", "/", "?", "#", "host", "h/p?q#f", "h?q/p#f", "h#f?q", "é/ü?x", "ü", "/a/b", "a?b",
            "日本#?",
        ] {
            let path = s.find(['/', '?', '#']).unwrap_or(s.len());
            assert_eq!(end_at(s, b"/?#"), path, "{s:?}");
            assert_eq!(
                end_at(s, b"?#"),
                s.find(['?', '#']).unwrap_or(s.len()),
                "{s:?}"
            );
        }
    }

    #[test]
    fn provider_text_follows_rfc6749_charset() {
        assert!(valid_error_code("access_denied"));
        for bad in [
            "",
            "bad\"code",
            "a\\b",
            "caf\u{e9}",
            "tab\there",
            &"x".repeat(129),
        ] {
            assert!(!valid_error_code(bad), "{bad}");
        }
        assert_eq!(
            provider_description("app must be installed into org").as_deref(),
            Some("app must be installed into org")
        );
        assert_eq!(provider_description("<script>\"x\"</script>"), None);
        assert_eq!(provider_description("line\nbreak"), None);
        assert_eq!(
            provider_description(&"d".repeat(2000)).map(|d| d.len()),
            Some(500)
        );
    }

    #[test]
    fn decimal_prints_like_display() {
        for n in [0, 7, 10, 401, 65535, 1_764_000_000_000, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
