//! The `"tabs-locks"` channel messages (`core::session::TabMessage`) as text: one form of
//! `core::wire` per message (`t` its type, `l` the login id, `n` the version, `at` when a
//! refresh was asked, `error` an error; a token set's fields, `wire::write_tokens`, are the
//! message's own), posted on the BroadcastChannel beside the DPoP key of a token set. What a message means is the session machine's.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientConfig;
use crate::core::session::TabMessage;
use crate::core::text::decimal;
use crate::core::wire::{self, Fields, Writer};

/// The text of `m`.
pub fn encode(m: &TabMessage) -> String {
    let mut w = Writer::new();
    let n = |x: &u64| decimal(*x);
    match m {
        TabMessage::Hello => w.put("t", "hello"),
        TabMessage::NoSession => w.put("t", "none"),
        TabMessage::Tokens {
            login,
            version,
            tokens,
        } => {
            w.put("t", "tokens")
                .put("l", &n(login))
                .put("n", &n(version));
            // The token set's fields are the message's own (`wire::write_tokens`).
            wire::write_tokens(tokens, &mut w);
            &mut w
        }
        TabMessage::Refresh { version, at } => w
            .put("t", "refresh")
            .put("n", &n(version))
            .opt("at", at.as_ref().map(n).as_deref()),
        TabMessage::RefreshFailed { version, error } => w
            .put("t", "refresh_failed")
            .put("n", &n(version))
            .put("error", &wire::encode_error(error)),
        TabMessage::Logout { login } => w.put("t", "logout").put("l", &n(login)),
        TabMessage::Expired { login, error } => w
            .put("t", "expired")
            .put("l", &n(login))
            .put("error", &wire::encode_error(error)),
    };
    w.finish()
}

/// Reads a channel message; `None` when it is malformed (another build's, garbage, a login id
/// or version that is no whole number from 0 to 2^53 − 1) or its token set breaks the
/// token-response trust rules (an untrusted instance URL, say): counted as
/// `invalid_tab_message`. A malformed `at` is read as not given.
pub fn decode(config: &ClientConfig, text: &str) -> Option<TabMessage> {
    let f = Fields::parse(text).ok()?;
    let number = |k| wire::tab_version(f.ms(k).ok()??).ok();
    let error = || f.get("error").map(wire::decode_error);
    Some(match f.get("t")? {
        "hello" => TabMessage::Hello,
        "none" => TabMessage::NoSession,
        "tokens" => TabMessage::Tokens {
            login: number("l")?,
            version: number("n")?,
            tokens: wire::tab_tokens(config, &f).ok()?,
        },
        "refresh" => TabMessage::Refresh {
            version: number("n")?,
            at: number("at"),
        },
        "refresh_failed" => TabMessage::RefreshFailed {
            version: number("n")?,
            error: error()?,
        },
        "logout" => TabMessage::Logout {
            login: number("l")?,
        },
        "expired" => TabMessage::Expired {
            login: number("l")?,
            error: error()?,
        },
        _ => return None,
    })
}

#[cfg(test)]
#[path = "channel_golden_tests.rs"]
mod golden_tests;
