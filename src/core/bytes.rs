//! Small string helpers every module uses, through the prelude: one-byte searches and
//! `concat`/`join` written as plain loops. The library's own (char patterns, `join_generic_copy`)
//! are generic machinery several times their size in the wasm. This module imports nothing of
//! the crate (the prelude re-exports it).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// `str`'s searches for one ASCII byte, by a byte scan: the same methods with a `char` pattern
/// bring core's char searcher (`memchr`, the needle's UTF-8 encoding, a reverse rejecter) into
/// the wasm. An ASCII byte is never inside a multi-byte character, so each answers exactly as
/// the `str` method with that `char` (`text_equivalence_tests.rs`).
pub(crate) trait ByteSearch {
    /// `find(c)`.
    fn find_byte(&self, c: u8) -> Option<usize>;
    /// `split_once(c)`.
    fn cut(&self, c: u8) -> Option<(&str, &str)>;
    /// `rsplit_once(c)`.
    fn rcut(&self, c: u8) -> Option<(&str, &str)>;
    /// `split(c)`.
    fn parts(&self, c: u8) -> Parts<'_>;
    /// `contains(c)`.
    fn has(&self, c: u8) -> bool;
    /// `trim_end_matches(c)`.
    fn trim_end_byte(&self, c: u8) -> &str;
    /// `trim_matches(c)`.
    fn trim_byte(&self, c: u8) -> &str;
    /// `bytes().all(ok)`.
    fn all_bytes(&self, ok: fn(u8) -> bool) -> bool;
}

impl ByteSearch for str {
    fn all_bytes(&self, ok: fn(u8) -> bool) -> bool {
        let b = self.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !ok(b[i]) {
                return false;
            }
            i += 1;
        }
        true
    }

    fn find_byte(&self, c: u8) -> Option<usize> {
        let b = self.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == c {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    fn cut(&self, c: u8) -> Option<(&str, &str)> {
        let i = self.find_byte(c)?;
        Some((&self[..i], &self[i + 1..]))
    }

    fn rcut(&self, c: u8) -> Option<(&str, &str)> {
        let b = self.as_bytes();
        let mut i = b.len();
        while i > 0 {
            i -= 1;
            if b[i] == c {
                return Some((&self[..i], &self[i + 1..]));
            }
        }
        None
    }

    fn parts(&self, c: u8) -> Parts<'_> {
        Parts {
            rest: Some(self),
            at: c,
        }
    }

    fn has(&self, c: u8) -> bool {
        self.find_byte(c).is_some()
    }

    fn trim_end_byte(&self, c: u8) -> &str {
        let b = self.as_bytes();
        let mut n = b.len();
        while n > 0 && b[n - 1] == c {
            n -= 1;
        }
        &self[..n]
    }

    fn trim_byte(&self, c: u8) -> &str {
        let b = self.as_bytes();
        let mut start = 0;
        while start < b.len() && b[start] == c {
            start += 1;
        }
        self[start..].trim_end_byte(c)
    }
}

/// The pieces of [`ByteSearch::parts`], as `str::split` gives them.
pub(crate) struct Parts<'a> {
    rest: Option<&'a str>,
    at: u8,
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        Some(match rest.cut(self.at) {
            Some((part, more)) => {
                self.rest = Some(more);
                part
            }
            None => {
                self.rest = None;
                rest
            }
        })
    }
}

/// `concat` and `join` for string slices, as one small loop: core's `join_generic_copy` (its
/// copy specialised for short separators) is ~900 B of wasm.
pub(crate) trait Cat {
    /// `concat()`.
    fn cat(&self) -> String;
    /// `join(sep)`.
    fn join_with(&self, sep: &str) -> String;
}

impl Cat for [&str] {
    fn cat(&self) -> String {
        self.join_with("")
    }

    fn join_with(&self, sep: &str) -> String {
        // Allocated once at its length: grown part by part, each step would copy it.
        let mut n = sep.len() * self.len();
        let mut i = 0;
        while i < self.len() {
            n += self[i].len();
            i += 1;
        }
        let mut out = String::with_capacity(n);
        i = 0;
        while i < self.len() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(self[i]);
            i += 1;
        }
        out
    }
}

/// The non-empty pieces of `s` between `sep` bytes, owned (a scope list, a line list):
/// `s.split(sep).filter(|w| !w.is_empty()).map(str::to_owned).collect()`, one copy for all.
pub(crate) fn words(s: &str, sep: u8) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.parts(sep) {
        if !w.is_empty() {
            out.push(w.to_owned());
        }
    }
    out
}

/// Whether `list` has `word` (`list.iter().any(|s| s == word)`), one copy for all.
pub(crate) fn listed(list: &[String], word: &str) -> bool {
    for s in list {
        if s == word {
            return true;
        }
    }
    false
}
