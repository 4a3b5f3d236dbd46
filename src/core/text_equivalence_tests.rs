//! `text::utf8` decides exactly as `String::from_utf8`: on every sequence of one, two and
//! three bytes, on four-byte sequences built from every lead byte and the continuation bytes at
//! each edge, and on random byte strings mixing valid text with hostile bytes. `text::parse_u64`
//! reads exactly as `str::parse::<u64>`, on edge cases and random text; `text::joined` writes
//! as `[String]::join`; `text::first_chars` cuts as `chars().take(n).collect()`; each
//! `ByteSearch` method answers as the `str` method with that byte as a `char` pattern, and
//! `end_at` as `str::find` with a `[char]` set; `Cat` as `concat` and `join`.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{end_at, first_chars, joined, parse_u64, utf8};
use crate::core::bytes::{ByteSearch, Cat};
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;

fn same(bytes: &[u8]) {
    assert_eq!(
        utf8(bytes),
        String::from_utf8(bytes.to_vec()).ok(),
        "{bytes:02x?}"
    );
}

#[test]
fn every_short_sequence_decides_as_core() {
    same(&[]);
    for a in 0..=255u8 {
        same(&[a]);
        for b in 0..=255u8 {
            same(&[a, b]);
        }
    }
    // Every three-byte sequence whose lead starts one (and a sample of the others, which fail
    // on the lead alone).
    for a in (0xc0..=0xffu8).chain([0x00, 0x41, 0x7f, 0x80, 0xbf]) {
        for b in 0..=255u8 {
            for c in 0..=255u8 {
                same(&[a, b, c]);
            }
        }
    }
}

#[test]
fn four_byte_sequences_at_every_edge_decide_as_core() {
    let edges = [
        0x00u8, 0x41, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed,
        0xef, 0xf0, 0xf4, 0xf5, 0xf7, 0xf8, 0xff,
    ];
    for a in 0xf0..=0xffu8 {
        for b in 0..=255u8 {
            for c in edges {
                for d in edges {
                    same(&[a, b, c, d]);
                }
            }
        }
    }
}

fn same_number(s: &str) {
    assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s:?}");
}

#[test]
fn numbers_at_every_edge_read_as_core() {
    for s in [
        "",
        "+",
        "-",
        "++1",
        "+-1",
        "-0",
        "-1",
        "+0",
        "0",
        "00",
        "007",
        "+007",
        " 1",
        "1 ",
        "1_000",
        "1e3",
        "0x10",
        "1.0",
        "\u{661}",
        "\u{ff11}",
        "18446744073709551615",
        "+18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "000000000000000000000000018446744073709551615",
        "1700000000000",
        "9007199254740992",
        "4294967296",
        "\0",
        "1\0",
    ] {
        same_number(s);
    }
}

#[test]
fn joined_writes_as_join() {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    for items in [
        words(&[]),
        words(&[""]),
        words(&["api"]),
        words(&["api", "refresh_token", "openid"]),
        words(&["", "", "a", ""]),
        words(&["\u{e9}", "\""]),
    ] {
        for sep in ["", " ", ",", ", ", "\n"] {
            assert_eq!(joined(&items, sep), items.join(sep), "{items:?} {sep:?}");
        }
    }
}

fn same_cut(s: &str, n: usize) {
    assert_eq!(
        first_chars(s, n),
        s.chars().take(n).collect::<String>(),
        "{s:?} {n}"
    );
}

#[test]
fn first_chars_cuts_as_take() {
    for s in [
        "",
        "a",
        "abc",
        "\u{e9}t\u{e9}",
        "\u{20ac}\u{1f600}x",
        "\u{1f600}\u{1f600}",
    ] {
        for n in 0..6 {
            same_cut(s, n);
        }
    }
}

fn same_search(s: &str, c: u8) {
    let ch = char::from(c);
    assert_eq!(s.find_byte(c), s.find(ch), "{s:?} {ch:?}");
    assert_eq!(s.cut(c), s.split_once(ch), "{s:?} {ch:?}");
    assert_eq!(s.rcut(c), s.rsplit_once(ch), "{s:?} {ch:?}");
    assert_eq!(
        s.parts(c).collect::<Vec<_>>(),
        s.split(ch).collect::<Vec<_>>(),
        "{s:?} {ch:?}"
    );
    assert_eq!(s.has(c), s.contains(ch), "{s:?} {ch:?}");
    assert_eq!(s.trim_end_byte(c), s.trim_end_matches(ch), "{s:?} {ch:?}");
    assert_eq!(s.trim_byte(c), s.trim_matches(ch), "{s:?} {ch:?}");
    assert_eq!(end_at(s, &[c, b'?']), s.find([ch, '?']).unwrap_or(s.len()));
    let words: Vec<String> = s
        .split(ch)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(crate::core::bytes::words(s, c), words, "{s:?} {ch:?}");
    let ok: fn(u8) -> bool = |b| b.is_ascii_alphanumeric();
    assert_eq!(s.all_bytes(ok), s.bytes().all(ok), "{s:?}");
}

#[test]
fn byte_searches_answer_as_char_patterns() {
    for s in [
        "",
        "/",
        "//",
        "a",
        "/a/",
        "a//b/",
        "&&",
        "a&b&",
        "&a",
        "=a=b",
        "\u{e9}/\u{fc}/",
        "\u{1f600}.x.",
        "..a..",
        "a:b:c",
        "[::1]:8080",
        "x==",
    ] {
        for c in [b'/', b'&', b'=', b'.', b':', b' ', b'\n', b'a', b'x'] {
            same_search(s, c);
        }
    }
}

#[test]
fn cat_writes_as_concat_and_join() {
    let lists: [&[&str]; 6] = [
        &[],
        &[""],
        &["api"],
        &["a", "", "b"],
        &["", ""],
        &["\u{e9}", "\"", "x"],
    ];
    for items in lists {
        assert_eq!(items.cat(), items.concat(), "{items:?}");
        for sep in ["", " ", ", ", "\n"] {
            assert_eq!(items.join_with(sep), items.join(sep), "{items:?} {sep:?}");
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
proptest! {
    #[test]
    fn random_text_searches_as_char_patterns(s in "[/&=. a\u{e9}\u{1f600}]{0,12}|\\PC{0,16}", c in prop::sample::select(vec![b'/', b'&', b'=', b'.', b' ', b'a'])) {
        same_search(&s, c);
    }

    #[test]
    fn random_text_cuts_as_take(s in "\\PC{0,24}", n in 0usize..30) {
        same_cut(&s, n);
    }

    #[test]
    fn random_text_reads_as_core(s in "[+-]?[0-9a ]{0,24}|\\PC{0,8}") {
        same_number(&s);
    }

    #[test]
    fn random_bytes_decide_as_core(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        same(&bytes);
    }

    #[test]
    fn text_with_a_hostile_byte_decides_as_core(
        text in "\\PC{0,24}",
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = text.into_bytes();
        same(&bytes);
        let i = at.index(bytes.len() + 1);
        bytes.insert(i, byte);
        same(&bytes);
    }
}
