//! The `"tabs-locks"` channel messages (`core::session::TabMessage`) as text: one form of
//! `core::wire` per message (`t` its type, `l` the login id, `n` the version, `at` when a
//! refresh was asked; an error's fields, `relay::error_fields`, and a token set's,
//! `wire::write_tokens`, are the message's own), posted on the BroadcastChannel beside the DPoP
//! key of a token set. What a message means is the session machine's.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientConfig;
use crate::core::error::AuthError;
use crate::core::relay;
use crate::core::session::TabMessage;
use crate::core::text::decimal;
use crate::core::token::TokenSet;
use crate::core::wire::{self, Fields, Writer};

/// The text of `m`.
pub fn encode(m: &TabMessage) -> String {
    let mut w = Writer::new();
    let n = |x: &u64| decimal(*x);
    match m {
        TabMessage::Hello => w.put("t", "hello"),
        TabMessage::NoSession => w.put("t", "none"),
        // Written when it was made (`Session::tokens_message`).
        TabMessage::Set(text) => return text.secret().to_owned(),
        #[cfg(any(test, feature = "internals"))]
        TabMessage::Tokens {
            login,
            version,
            tokens,
        } => {
            w.put("t", "tokens")
                .put("l", &n(login))
                .put("n", &n(version));
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
            .fields(&relay::error_fields(error)),
        TabMessage::Logout { login } => w.put("t", "logout").put("l", &n(login)),
        TabMessage::Expired { login, error } => w
            .put("t", "expired")
            .put("l", &n(login))
            .fields(&relay::error_fields(error)),
    };
    w.finish()
}

/// Who hears a channel message: a tab's session machine (`browser::sharing`), or
/// [`decode`]'s `TabMessage` (tests). One method per message type: a message is read straight
/// into it, no `TabMessage` made on the way.
pub trait Hear {
    /// `hello`: a new tab asks for the session.
    fn hello(&mut self);
    /// `none`: the leader holds no session.
    fn no_session(&mut self);
    /// `tokens`: a token set of `login` at `version`, through the token-response trust rules.
    fn tokens(&mut self, login: u64, version: u64, tokens: TokenSet);
    /// `refresh`: a follower asks for a set newer than `version` (asked at `at`).
    fn refresh(&mut self, version: u64, at: Option<u64>);
    /// `refresh_failed`: the leader's refresh of `version` failed.
    fn refresh_failed(&mut self, version: u64, error: AuthError);
    /// `logout` (`error` `None`) or `expired`: the session of `login` ended.
    fn ended(&mut self, login: u64, error: Option<AuthError>);
}

/// Reads a channel message into `h`; `None` (and `h` told nothing) when it is malformed
/// (another build's, garbage, a login id or version that is no whole number from 0 to
/// 2^53 − 1) or its token set breaks the token-response trust rules (an untrusted instance
/// URL, say): counted as `invalid_tab_message`. A malformed `at` is read as not given. Out of
/// line (the `./tabs` page 31 B zlib smaller, share8).
#[inline(never)]
pub fn read(config: &ClientConfig, text: &str, h: &mut impl Hear) -> Option<()> {
    let f = Fields::parse(text).ok()?;
    // (`Fields::ms`: a whole number from 0 to 2^53 − 1, what `wire::tab_version` checks of a
    // JS number.)
    let number = |k| Some(f.ms(k).ok()?? as u64);
    let error = || relay::read_error(&f);
    match f.get("t")? {
        "hello" => h.hello(),
        "none" => h.no_session(),
        "tokens" => h.tokens(
            number("l")?,
            number("n")?,
            wire::tab_tokens(config, &f).ok()?,
        ),
        "refresh" => h.refresh(number("n")?, number("at")),
        "refresh_failed" => h.refresh_failed(number("n")?, error()?),
        "logout" => h.ended(number("l")?, None),
        "expired" => h.ended(number("l")?, Some(error()?)),
        _ => return None,
    }
    Some(())
}

/// [`read`] into a `TabMessage` (tests, fuzzing): `None` when it is malformed.
#[cfg(any(test, feature = "internals"))]
pub fn decode(config: &ClientConfig, text: &str) -> Option<TabMessage> {
    struct One(Option<TabMessage>);
    impl Hear for One {
        fn hello(&mut self) {
            self.0 = Some(TabMessage::Hello);
        }
        fn no_session(&mut self) {
            self.0 = Some(TabMessage::NoSession);
        }
        fn tokens(&mut self, login: u64, version: u64, tokens: TokenSet) {
            self.0 = Some(TabMessage::Tokens {
                login,
                version,
                tokens,
            });
        }
        fn refresh(&mut self, version: u64, at: Option<u64>) {
            self.0 = Some(TabMessage::Refresh { version, at });
        }
        fn refresh_failed(&mut self, version: u64, error: AuthError) {
            self.0 = Some(TabMessage::RefreshFailed { version, error });
        }
        fn ended(&mut self, login: u64, error: Option<AuthError>) {
            self.0 = Some(match error {
                None => TabMessage::Logout { login },
                Some(error) => TabMessage::Expired { login, error },
            });
        }
    }
    let mut one = One(None);
    read(config, text, &mut one)?;
    one.0
}

#[cfg(test)]
#[path = "channel_golden_tests.rs"]
mod golden_tests;
