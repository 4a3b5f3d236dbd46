//! base64url without padding (RFC 4648 §5): the one encoding PKCE, `state`, JWTs and DPoP use.
//! Hand-written because the base64 crate's general-purpose engine, built for speed on long
//! inputs, took 3.1 KB (decode) and 1.9 KB (encode) of raw wasm for inputs of a few hundred
//! bytes; without it the default page is 1,079 B gzip smaller (docs/DECISIONS.md). Decoding is
//! as strict as that engine's `URL_SAFE_NO_PAD`: no padding, no other alphabet, and no set bits
//! after the last byte (one text per byte string).

#[allow(unused_imports)]
use crate::core::prelude::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` as unpadded base64url.
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    encode_bytes(bytes.as_ref())
}

/// [`encode`], one copy for every kind of byte string (a 32-byte array, a digest, a slice).
fn encode_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            n |= u32::from(b) << (16 - 8 * i);
        }
        // 1 byte → 2 characters, 2 → 3, 3 → 4.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// A character's 6 bits: its position in the alphabet (smaller in the wasm than its ranges).
fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Unpadded base64url back to bytes; `None` for any character outside the alphabet (`=`
/// included), a length no encoding has (`len % 4 == 1`), or set bits after the last byte.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let s = text.as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    // One loop over the characters (no `chunks`/`enumerate` adaptors): 6 bits in, a byte out
    // whenever 8 are waiting; bits shifted past the top of `n` are bytes written already.
    let (mut n, mut waiting) = (0u32, 0);
    let mut i = 0;
    while i < s.len() {
        n = n << 6 | value(s[i])?;
        waiting += 6;
        if waiting >= 8 {
            waiting -= 8;
            out.push((n >> waiting) as u8);
        }
        i += 1;
    }
    // What is left below the last byte (2 or 4 bits, or none) must be zero.
    if n & ((1 << waiting) - 1) != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` by the alphabet's position decides every byte as the ranges did.
    #[test]
    fn every_byte_is_valued_as_by_its_range() {
        for c in 0..=255u8 {
            let want = match c {
                b'A'..=b'Z' => Some(c - b'A'),
                b'a'..=b'z' => Some(c - b'a' + 26),
                b'0'..=b'9' => Some(c - b'0' + 52),
                b'-' => Some(62),
                b'_' => Some(63),
                _ => None,
            };
            assert_eq!(value(c), want.map(u32::from), "{c}");
        }
    }

    #[test]
    fn rfc_4648_vectors() {
        // RFC 4648 §10, without padding (the base64 and base64url alphabets agree on these).
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain), coded);
            assert_eq!(decode(coded).as_deref(), Some(plain.as_bytes()));
        }
        // The two characters where base64url differs from base64.
        assert_eq!(encode([0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8"), Some(vec![0xfb, 0xff]));
    }

    /// The one-loop decoder answers as the base64 crate's `URL_SAFE_NO_PAD` (the strict engine
    /// it replaced) on every text of up to 5 characters over characters chosen for their low
    /// bits (`A` none, `B` the lowest, `Q`, `g`, `w`, `_` others), `=` and `/`.
    #[test]
    fn decodes_every_short_text_as_the_strict_engine() {
        use base64::Engine as _;
        let chars = b"ABQgw_=/";
        let mut texts = vec![String::new()];
        for len in 1..=5 {
            let mut next = Vec::new();
            for t in texts.iter().filter(|t| t.len() == len - 1) {
                for &c in chars {
                    next.push([t.as_str(), &char::from(c).to_string()].concat());
                }
            }
            texts.extend(next);
        }
        for t in &texts {
            let want = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .ok();
            assert_eq!(decode(t), want, "{t}");
        }
        let long = encode((0..=255u8).collect::<Vec<u8>>());
        assert_eq!(decode(&long), Some((0..=255u8).collect::<Vec<u8>>()));
    }

    #[test]
    fn refuses_what_the_strict_engine_refuses() {
        for bad in [
            "Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "+/8", "Zm 9v", "Zm9v\n", "é",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
