//! The bounds of what a session may hold, checked when a token response is processed
//! (`core::token`) and when a token set arrives from another tab or the session worker
//! (`core::wire`): every token fits in a request header that common servers accept, and every
//! time fits in the tab form.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// The largest token endpoint body, in bytes (64 KiB): a 2xx body over it is
/// `invalid_token_response`, and the browser stops reading a token endpoint body past it.
/// Three tokens at [`MAX_TOKEN_CHARS`] and the other fields take about 25 KB.
pub const MAX_TOKEN_BODY_BYTES: usize = 64 * 1024;

/// The largest UserInfo body, in bytes (256 KiB): a 2xx body over it is `userinfo_failed`, and
/// the browser stops reading a UserInfo body past it. Salesforce's claims take about 3 KB.
pub const MAX_USERINFO_BODY_BYTES: usize = 256 * 1024;

/// The longest access, refresh or id token, in characters (visible ASCII, so bytes too).
/// `Authorization: Bearer ` and a token at the cap make an 8,022-byte header line, under the
/// 8,190 bytes Apache httpd accepts per header (`LimitRequestFieldSize`) and nginx's 8 KiB
/// (`large_client_header_buffers`); with a DPoP proof and the app's headers, the whole request
/// stays well under the 16 KB that Node.js and IIS accept for all headers. JWT access tokens
/// from Salesforce or Entra ID (a few KB) pass.
pub const MAX_TOKEN_CHARS: usize = 8000;

/// The longest `expires_in` used, in seconds (365 days): a larger one is read as this
/// (refreshing early is harmless), so that the expiry stays a time the tab form carries.
pub const MAX_EXPIRES_IN_S: u64 = 365 * 24 * 3600;

/// The `issued_at` times accepted, in ms since the epoch: from 2000-01-01 to 2100-01-01
/// (Salesforce sends milliseconds; seconds, or garbage, fall outside).
pub const ISSUED_AT_MS: core::ops::RangeInclusive<u64> = 946_684_800_000..=4_102_444_800_000;

/// What is wrong with a token's text, if anything: empty, longer than [`MAX_TOKEN_CHARS`], or
/// a character outside visible ASCII 0x21–0x7E (a space, CR, LF or NUL would split a header
/// or make `Headers.set` throw). Visible ASCII, not RFC 6750's `b64token`, which refuses
/// Salesforce's `00D…!…` access tokens.
pub fn token_fault(token: &str) -> Option<&'static str> {
    if token.is_empty() {
        Some(" is empty")
    } else if token.len() > MAX_TOKEN_CHARS {
        Some(brief!(
            " is over 8000 chars",
            " is longer than 8000 characters"
        ))
    } else if !token.all_bytes(|b| b.is_ascii_graphic()) {
        Some(brief!(
            " is not visible ASCII",
            " has a character outside visible ASCII (0x21-0x7E)"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_visible_ascii_within_the_cap() {
        assert_eq!(
            token_fault("00Dxx0000000123!AR8AQP0jITN80ESEsj5EbaZTFG0R"),
            None
        );
        assert_eq!(
            token_fault(&"eyJ".repeat(1000)),
            None,
            "a 3,000-character JWT"
        );
        assert_eq!(
            token_fault(&"a".repeat(MAX_TOKEN_CHARS)),
            None,
            "at the cap"
        );
        let over = token_fault(&"a".repeat(MAX_TOKEN_CHARS + 1)).unwrap();
        assert!(over.contains(&MAX_TOKEN_CHARS.to_string()), "{over}");
        for bad in [
            "",
            "a b",
            "a\rb",
            "a\nb",
            "a\0b",
            "a\tb",
            "a\u{7f}b",
            "caf\u{e9}",
        ] {
            assert!(token_fault(bad).is_some(), "{bad:?}");
        }
    }
}
