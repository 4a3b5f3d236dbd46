//! The channel messages pinned whole: the text of every kind of `TabMessage` (edge numbers
//! included) and what reading it back gives, and what a table of malformed or hostile texts
//! reads as. Before this codec a message was a JS object built and read field by field in
//! `src/browser/tabs.rs` (`t`, `l`, `v`, `at`, `data`, `error`, with the same reading rules:
//! a bad login id or version drops the message, a bad `at` is not given); the expected lines
//! (`tests/golden/channel.txt`, `CHANNEL_GOLDEN_WRITE=1` writes them) pin those rules for the
//! text form. A token set's text is never printed: its line says whether it reads back equal.
//! (Since message protocol p6 a token set's fields are the `tokens` message's own, no longer a
//! form nested in its `data`: each line reads as it did. Since p9 an error's fields are the
//! message's own too, no longer a form nested in its `error`, and every message's `v` is the
//! protocol: the lines of both changed so, and no other. Since session 26 the lines show this
//! build's protocol as `v=<p>`, and the table writes it through `testing::message`: a bump
//! edits `wire::VERSION` alone.)

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;
use crate::core::error::AuthError;
use crate::core::testing::{PROTOCOL, after_version, message};
use crate::core::token::TokenSet;
use crate::core::wire::{MAX_SAFE_INTEGER, decode_tokens, encode_tokens};

fn set() -> TokenSet {
    decode_tokens(&message(
        "iu=https%3A%2F%2Facme.my.salesforce.com&sc=api+refresh_token&ia=1764000000123\
         &x.instance_url=https%3A%2F%2Facme.my.salesforce.com&x.id=https%3A%2F%2Flogin.salesforce.com%2Fid%2F00D%2F005\
         &x.user_id=005&x.org_id=00D&at=fixture-access&rt=fixture-refresh",
    ))
    .unwrap()
}

fn messages() -> Vec<TabMessage> {
    let e = AuthError::Network {
        reason: "the leader & co: 100% down".into(),
    };
    vec![
        TabMessage::Hello,
        TabMessage::NoSession,
        TabMessage::Tokens {
            login: 0,
            version: MAX_SAFE_INTEGER,
            tokens: set(),
        },
        TabMessage::Tokens {
            login: 1_764_000_000_123,
            version: 1_764_000_000_124,
            tokens: set(),
        },
        TabMessage::Refresh {
            version: 7,
            at: None,
        },
        TabMessage::Refresh {
            version: 7,
            at: Some(1_764_000_000_999),
        },
        TabMessage::RefreshFailed {
            version: 8,
            error: e.clone(),
        },
        TabMessage::Logout { login: 42 },
        TabMessage::Expired {
            login: 43,
            error: AuthError::NotAuthenticated,
        },
    ]
}

/// A message as a line: a token set only as whether it equals the fixture's.
fn line(m: &Option<TabMessage>) -> String {
    match m {
        Some(TabMessage::Tokens {
            login,
            version,
            tokens,
        }) => std::format!(
            "Tokens {{ login: {login}, version: {version}, the fixture's set: {} }}",
            encode_tokens(tokens) == encode_tokens(&set())
        ),
        Some(TabMessage::RefreshFailed { version, error }) => std::format!(
            "RefreshFailed {{ version: {version}, error: {} {} }}",
            error.code(),
            error.message()
        ),
        Some(TabMessage::Expired { login, error }) => std::format!(
            "Expired {{ login: {login}, error: {} {} }}",
            error.code(),
            error.message()
        ),
        other => std::format!("{other:?}"),
    }
}

/// The text with this build's protocol as `v=<p>` (the lines hold across a protocol bump; the
/// other builds' versions, `v=1` and `v=2`, stay as they are) and a token set's fields left
/// out (a token set's fields are a `tokens` message's own, after `t`, `l` and `n`; `k` is the
/// hostile table's extra field).
fn shown(text: &str) -> String {
    let text = match text.strip_prefix(message("").as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with('&') => ["v=<p>", rest].concat(),
        _ => text.to_owned(),
    };
    if !text.contains("t=tokens") {
        return text;
    }
    let mut hidden = false;
    text.split('&')
        .filter_map(|p| {
            if ["v=", "t=", "l=", "n=", "k="]
                .iter()
                .any(|k| p.starts_with(k))
            {
                Some(p)
            } else if hidden {
                None
            } else {
                hidden = true;
                Some("<token set>")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn round_trips() -> Vec<String> {
    let config = crate::core::testing::salesforce("3MVG9x");
    let mut out = Vec::new();
    for m in messages() {
        let text = encode(&m);
        out.push(std::format!("encode {}", shown(&text)));
        out.push(std::format!("  read {}", line(&decode(&config, &text))));
    }
    out
}

fn hostile() -> Vec<String> {
    let config = crate::core::testing::salesforce("3MVG9x");
    // A token set's fields, as a `tokens` message carries them (its form without `v`).
    let tokens = encode_tokens(&set());
    let data = after_version(&tokens);
    let untrusted = encode_tokens(&{
        let mut t = set();
        t.extras
            .set("instance_url", "https://evil.example.com".into());
        t
    });
    let cases: Vec<String> = vec![
        "".into(),
        "garbage".into(),
        "t=hello".into(),
        "v=2&t=hello".into(),
        // The previous protocol's (p8: `v=1`).
        "v=1&t=hello".into(),
        message(""),
        message("t=hello&t=none"),
        message("t=unknown"),
        message("t=HELLO"),
        message("t=logout"),
        message("t=logout&l="),
        message("t=logout&l=-1"),
        message("t=logout&l=1.5"),
        message("t=logout&l=1e3"),
        message("t=logout&l=9007199254740991"),
        message("t=logout&l=9007199254740992"),
        message("t=logout&l=99999999999999999999999"),
        message("t=logout&l=NaN"),
        message("t=logout&l=007"),
        message("t=refresh"),
        message("t=refresh&n=3&at=bad"),
        message("t=refresh&n=3&at=9007199254740992"),
        message("t=refresh&n=3&at=5"),
        message("t=refresh_failed&n=3"),
        message("t=refresh_failed&n=3&m=no"),
        message("t=refresh_failed&n=3&c=token_endpoint_error&m=no&e=invalid_grant&s=400"),
        message("t=refresh_failed&n=3&c=network_error&c=network_error"),
        message("t=expired&l=2&c=no_such_code&m=x"),
        message("t=expired&l=2&c="),
        // Protocol p8's error, a form nested in `error`: no error in p9.
        message("t=expired&l=2&error=v%3D1%26c%3Dno_such_code%26m%3Dx"),
        message("t=tokens&l=1&n=2"),
        message(&std::format!("t=tokens&n=2&{data}")),
        message(&std::format!("t=tokens&l=1&{data}")),
        message(&std::format!("t=tokens&l=1&n=2&{data}")),
        message(&std::format!("t=tokens&l=1&n=2&{data}&k=ignored")),
        // A token set without its access token, one with it twice, one untrusted.
        message("t=tokens&l=1&n=2&sc=api&ia=1"),
        message(&std::format!("t=tokens&l=1&n=2&{data}&at=x")),
        message(&std::format!(
            "t=tokens&l=1&n=2&{}",
            after_version(&untrusted)
        )),
        message("t=hello&x=%FF"),
    ];
    cases
        .iter()
        .map(|text| std::format!("decode {} -> {}", shown(text), line(&decode(&config, text))))
        .collect()
}

#[test]
fn every_channel_message_reads_as_pinned() {
    // The hostile table's other builds' versions are not this one's.
    assert!(
        !["1", "2"].contains(&PROTOCOL),
        "v=1 and v=2 are older builds'"
    );
    let got = [round_trips(), hostile()].concat().join("\n") + "\n";
    let want = include_str!("../../tests/golden/channel.txt");
    crate::core::testing::golden_file("channel.txt", "CHANNEL_GOLDEN_WRITE", &got, want);
}
