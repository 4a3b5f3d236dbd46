//! The executor's tree text: how a JS value (an options object, or what the browser's
//! `JSON.parse` made of a response) crosses into the wasm in one string, read here into the
//! core's [`Json`]. One import and this small reader replace walking the value with a dozen
//! fine-grained bindings (docs/DECISIONS.md, "Values cross as text").
//!
//! Grammar (written by `tree` in js/executor.js):
//! - `n` null (and anything not JSON-like: undefined, a symbol, a value past the depth cap);
//! - `t` / `f` the booleans;
//! - `d` and 16 hex digits: the number's IEEE 754 bits (no decimal parser in the wasm);
//! - `s`, the length in UTF-16 code units, `:`, and the string;
//! - `a`, the item count, `:`, and the items;
//! - `o`, the member count, `:`, and each member's key (as an `s` string) and value.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::json::{Json, MAX_DEPTH};

/// The value a tree text holds (`None`: malformed, or trailing text).
pub fn from_tree(text: &str) -> Option<Json> {
    let mut r = Reader { text, at: 0 };
    let v = r.value(0)?;
    (r.at == text.len()).then_some(v)
}

/// The text and the place read up to: the grammar's marks are ASCII, read by the byte (a byte
/// that is not one is refused where it stands); strings are cut at character boundaries only.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    /// The next byte, or 0 past the end: no mark, digit or `:` of the grammar is 0, so the end
    /// is refused wherever one is expected (a string's characters are read by [`Self::string`],
    /// which tests the end itself). A byte, not an `Option`: it comes back in a register, not
    /// through memory.
    fn byte(&mut self) -> u8 {
        let b = self.text.as_bytes().get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// 1 to 9 ASCII digits, then `:`; anything else reads as `usize::MAX`, a count no text
    /// satisfies (each unit, item or member takes at least a byte), so what follows is refused
    /// at the text's end at the latest. A number, not an `Option`: it comes back in a register.
    fn count(&mut self) -> usize {
        let (mut n, mut digits) = (0, 0);
        loop {
            let b = self.byte();
            if b == b':' && digits > 0 {
                return n;
            }
            if !b.is_ascii_digit() || digits == 9 {
                return usize::MAX;
            }
            n = n * 10 + usize::from(b - b'0');
            digits += 1;
        }
    }

    /// A string of `units` UTF-16 code units: a character of four UTF-8 bytes is two units,
    /// any other one.
    fn string(&mut self) -> Option<String> {
        let mut units = self.count();
        let start = self.at;
        while units > 0 {
            let &lead = self.text.as_bytes().get(self.at)?;
            self.at += 1;
            let (len, n) = match lead {
                0xf0.. => (4, 2),
                0xe0.. => (3, 1),
                0xc0.. => (2, 1),
                _ => (1, 1),
            };
            units = units.checked_sub(n)?;
            self.at += len - 1;
        }
        // `start` and `at` are character boundaries within the text (it is UTF-8, `start`
        // follows the ASCII `:`, and each step took one whole character): the cut never panics.
        // Cut as two half-open ranges (`..at`, then `start..`): the one-sided cuts the crate
        // makes elsewhere, not a third `Range` slicing routine in the wasm.
        Some(self.text[..self.at][start..].to_owned())
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        // The executor cuts at the same depth; deeper than that is not its text.
        if depth > MAX_DEPTH + 1 {
            return None;
        }
        Some(match self.byte() {
            b'n' => Json::Null,
            b't' => Json::Bool(true),
            b'f' => Json::Bool(false),
            b'd' => {
                let mut bits = 0u64;
                for _ in 0..16 {
                    let digit = crate::core::form::hex(self.byte());
                    if digit > 15 {
                        return None;
                    }
                    bits = bits << 4 | u64::from(digit);
                }
                Json::Number(f64::from_bits(bits))
            }
            b's' => Json::String(self.string()?),
            b'a' => {
                let n = self.count();
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Json::Array(items)
            }
            b'o' => {
                let n = self.count();
                let mut members = Vec::new();
                for _ in 0..n {
                    if self.byte() != b's' {
                        return None;
                    }
                    let key = self.string()?;
                    members.push((key, self.value(depth + 1)?));
                }
                Json::Object(members)
            }
            _ => return None,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "tree_tests.rs"]
mod tests;
