//! `application/x-www-form-urlencoded` (WHATWG URL §5): authorize and end-session queries,
//! token request bodies, the stored records and the tab messages. Hand-written in place of
//! form_urlencoded + percent-encoding (their generic serializer, lookup table and lossy UTF-8
//! decoder): without them the default page is 2,272 B gzip smaller (docs/DECISIONS.md).
//! Decoding is strict about UTF-8: a form whose decoded bytes are not UTF-8 is refused whole,
//! where a lossy decoder would have passed U+FFFD on.

#[allow(unused_imports)]
use crate::core::prelude::*;

const HEX: &[u8; 16] = b"0123456789ABCDEF";
/// The room a form starts with (bytes).
const ROOM: usize = 256;

/// A form being written, pair by pair (or a URL's query: [`Form::query`]).
pub struct Form {
    text: String,
    /// What goes before the next pair: nothing at the start of a form, `?` or `&` after a URL.
    next: Option<char>,
}

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    /// An empty form, with room for a pending record or a token request body: the text is
    /// allocated once, not grown a few bytes at a time (each step copies it; the PKCE row).
    pub fn new() -> Self {
        Form {
            text: String::with_capacity(ROOM),
            next: None,
        }
    }

    /// `url` followed by a query (after `?`, or `&` when `url` has a query already), with room
    /// for an authorize URL's parameters.
    pub fn query(url: &str) -> Self {
        let mut f = Form::with_room(url.len() + 2 * ROOM);
        f.start_query(url);
        f
    }

    fn start_query(&mut self, url: &str) {
        self.text.push_str(url);
        self.next = Some(if url.has(b'?') { '&' } else { '?' });
    }

    /// An empty form with room for `bytes` (a login's three texts: [`Form::raw`],
    /// [`Form::then_query`]).
    pub fn with_room(bytes: usize) -> Self {
        Form {
            text: String::with_capacity(bytes),
            next: None,
        }
    }

    /// Appends `text` as it is, not encoded (a storage key).
    pub fn raw(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// A line break, then `url` followed by a query as [`Form::query`] starts one, in the same
    /// text.
    pub fn then_query(&mut self, url: &str) -> &mut Self {
        self.text.push('\n');
        self.start_query(url);
        self
    }

    /// Appends `name=value`, each encoded by the form byte serializer: ASCII letters, digits
    /// and `*-._` stay, a space is `+`, every other byte is `%XX`.
    pub fn append_pair(&mut self, name: &str, value: &str) -> &mut Self {
        if let Some(c) = self.next {
            self.text.push(c);
        }
        self.next = Some('&');
        self.serialize(name);
        self.text.push('=');
        self.serialize(value);
        self
    }

    /// Appends `name=` and `words` joined by spaces (each space a `+`), as [`Form::append_pair`]
    /// would write the joined text: no joined text is made.
    pub fn append_words(&mut self, name: &str, words: &[String]) -> &mut Self {
        self.append_pair(name, "");
        let mut i = 0;
        while i < words.len() {
            if i > 0 {
                self.text.push('+');
            }
            self.serialize(&words[i]);
            i += 1;
        }
        self
    }

    fn serialize(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    self.text.push(char::from(b));
                }
                b' ' => self.text.push('+'),
                _ => {
                    self.text.push('%');
                    self.text.push(char::from(HEX[usize::from(b >> 4)]));
                    self.text.push(char::from(HEX[usize::from(b & 15)]));
                }
            }
        }
    }

    /// The encoded form (the form is left empty).
    pub fn finish(&mut self) -> String {
        self.next = None;
        core::mem::take(&mut self.text)
    }
}

/// The value of a hex digit (either case), 16 for any other byte (a number, not an `Option`:
/// it comes back in a register).
pub(crate) fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 16,
    }
}

/// One name or value: `+` is a space, `%XX` a byte (a `%` not followed by two hex digits stays
/// as it is, as WHATWG says); `None` when the bytes are not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    decode_checked(text, false).ok()
}

/// The pairs of a form, in order (empty sequences between `&` skipped; a pair without `=` has
/// an empty value); `None` when a decoded name or value is not UTF-8.
pub fn parse(text: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for part in text.parts(b'&').filter(|p| !p.is_empty()) {
        let (name, value) = part.cut(b'=').unwrap_or((part, ""));
        pairs.push((decode(name)?, decode(value)?));
    }
    Some(pairs)
}

/// Why [`read_pairs`] refused a form.
pub(crate) enum Refused {
    /// (Strict only.) A `%` not followed by two hex digits.
    Percent,
    /// A decoded name or value is not UTF-8.
    NotUtf8,
    /// A name appears twice: its place in `names` (`names.len()` for a name not in it).
    Twice(usize),
}

/// What [`read_pairs`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pairs {
    /// A callback's query, strictly: a `%` must be followed by two hex digits, and a name not
    /// among the names asked for is skipped without its value being read.
    Callback,
    /// A stored record: no name may appear twice, asked for or not.
    Record,
    /// A page's query (an end-session return): every pair decoded, only the names asked for
    /// refused when repeated.
    Query,
}

/// The one reader of a form's pairs (a callback's query, a stored record, an end-session
/// return's query): `slots[i]` gets the value of the name `names[i]`, which may not appear
/// twice. Every name and value is decoded (a `%` not followed by two hex digits stays as it is)
/// but as `how` says. In each pair the name is decoded first, then the value, then the repeat
/// is refused. Not generic: one body in the wasm.
pub(crate) fn read_pairs(
    text: &str,
    names: &[&str],
    slots: &mut [Option<String>],
    how: Pairs,
) -> Result<(), Refused> {
    let strict = how == Pairs::Callback;
    // The names read so far.
    let mut seen: Vec<String> = Vec::new();
    for part in text.parts(b'&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = part.cut(b'=').unwrap_or((part, ""));
        let name = decode_checked(name, strict)?;
        // A loop, not `iter().position` (its own generic function in the wasm).
        let mut i = 0;
        while i < names.len() && names[i] != name {
            i += 1;
        }
        if strict && i == names.len() {
            continue;
        }
        let value = decode_checked(value, strict)?;
        if (i < names.len() || how == Pairs::Record) && seen.contains(&name) {
            return Err(Refused::Twice(i));
        }
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(value);
        }
        seen.push(name);
    }
    Ok(())
}

/// [`decode`], or (when `strict`) refusing a `%` not followed by two hex digits: anywhere in
/// the text, before its bytes are tested as UTF-8 (which happens once they are all decoded).
fn decode_checked(text: &str, strict: bool) -> Result<String, Refused> {
    let s = text.as_bytes();
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let mut b = s[i];
        if b == b'+' {
            b = b' ';
        } else if b == b'%' {
            let (h, l) = if i + 2 < s.len() {
                (hex(s[i + 1]), hex(s[i + 2]))
            } else {
                (16, 16)
            };
            // Both digits: neither is 16.
            if h | l < 16 {
                i += 2;
                b = h << 4 | l;
            } else if strict {
                return Err(Refused::Percent);
            }
        }
        out.push(b);
        i += 1;
    }
    match crate::core::text::utf8(&out) {
        Some(text) => Ok(text),
        None => Err(Refused::NotUtf8),
    }
}

/// Reads a stored record ([`read_pairs`]): `None` when a decoded name or value is
/// not UTF-8, any name appears twice, or the first slot (the record's `v`) is not `version`.
pub fn read_record(
    text: &str,
    version: &str,
    names: &[&str],
    slots: &mut [Option<String>],
) -> Option<()> {
    read_pairs(text, names, slots, Pairs::Record).ok()?;
    (slots[0].as_deref() == Some(version)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hex` as a number (16: no hex digit) answers as the `Option` it replaced, for every byte.
    #[test]
    fn hex_is_each_byte_s_hex_value_or_16() {
        for b in 0..=255u8 {
            let want = char::from(b).to_digit(16).filter(|_| b.is_ascii());
            assert_eq!(hex(b), want.map_or(16, |d| d as u8), "{b}");
        }
    }

    #[test]
    fn writes_like_the_form_byte_serializer() {
        let mut f = Form::new();
        f.append_pair("a b", "x+y=z&é*-._~/?#%")
            .append_pair("", "")
            .append_pair("k", "v");
        assert_eq!(
            f.finish(),
            "a+b=x%2By%3Dz%26%C3%A9*-._%7E%2F%3F%23%25&=&k=v"
        );
        assert_eq!(f.finish(), "", "finish leaves the form empty");
    }

    /// `append_words` writes byte for byte what `append_pair` writes for the words joined by
    /// spaces (the authorize URL's `scope`, written without the joined text).
    #[test]
    fn words_are_written_as_their_joined_text() {
        for words in [
            &[][..],
            &[""],
            &["", ""],
            &["openid"],
            &["api", "refresh_token", "openid"],
            &["a b", "", "x+y", "\u{e9}&=%"],
        ] {
            let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let mut by_words = Form::query("https://h/a?x=1");
            by_words.append_words("scope", &owned).append_pair("k", "v");
            let mut joined = Form::query("https://h/a?x=1");
            joined
                .append_pair("scope", &words.join(" "))
                .append_pair("k", "v");
            assert_eq!(by_words.finish(), joined.finish(), "{words:?}");
        }
    }

    #[test]
    fn reads_pairs_and_refuses_bytes_that_are_not_utf8() {
        assert_eq!(
            parse("a+b=x%2By%3dz&&flag&e=%C3%A9&bad=%zz%4&=v").unwrap(),
            [
                ("a b", "x+y=z"),
                ("flag", ""),
                ("e", "é"),
                ("bad", "%zz%4"),
                ("", "v"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(parse(""), Some(vec![]));
        assert_eq!(parse("a=%FF"), None);
        assert_eq!(parse("%C3=x"), None);
        assert_eq!(decode("100%"), Some("100%".into()));
    }
}
