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
    let mut r = Reader { rest: text };
    let v = r.value(0)?;
    r.rest.is_empty().then_some(v)
}

struct Reader<'a> {
    rest: &'a str,
}

impl Reader<'_> {
    fn tag(&mut self) -> Option<u8> {
        let t = *self.rest.as_bytes().first().filter(|t| t.is_ascii())?;
        self.rest = &self.rest[1..];
        Some(t)
    }

    /// Digits up to `:`.
    fn count(&mut self) -> Option<usize> {
        let (digits, rest) = self.rest.cut(b':')?;
        self.rest = rest;
        if digits.len() > 9 || digits.starts_with('+') {
            return None;
        }
        crate::core::text::parse_u64(digits).map(|n| n as usize)
    }

    /// A string of `units` UTF-16 code units.
    fn string(&mut self) -> Option<String> {
        let units = self.count()?;
        let mut seen = 0;
        let mut end = 0;
        for c in self.rest.chars() {
            if seen == units {
                break;
            }
            seen += c.len_utf16();
            end += c.len_utf8();
        }
        if seen != units {
            return None;
        }
        let (s, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(s.to_owned())
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        // The executor cuts at the same depth; deeper than that is not its text.
        if depth > MAX_DEPTH + 1 {
            return None;
        }
        Some(match self.tag()? {
            b'n' => Json::Null,
            b't' => Json::Bool(true),
            b'f' => Json::Bool(false),
            b'd' => {
                let hex = self.rest.get(..16)?;
                self.rest = &self.rest[16..];
                let bits = hex.bytes().try_fold(0u64, |n, b| {
                    Some(n << 4 | u64::from(crate::core::form::hex(b)?))
                })?;
                Json::Number(f64::from_bits(bits))
            }
            b's' => Json::String(self.string()?),
            b'a' => {
                let n = self.count()?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Json::Array(items)
            }
            b'o' => {
                let n = self.count()?;
                let mut members = Vec::new();
                for _ in 0..n {
                    if self.tag()? != b's' {
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
