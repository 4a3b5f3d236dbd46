//! A parsed JSON value: what the browser's `JSON.parse` (or serde_json on the host) produced,
//! handed to the core. Reading response fields from this small tree instead of deriving serde
//! deserializers keeps the wasm small; it is also easy to fuzz.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// How deep a value is converted; anything deeper becomes `Null` (the core reads two levels).
pub const MAX_DEPTH: usize = 8;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null` (also anything nested deeper than [`MAX_DEPTH`]).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in document order.
    Object(Vec<(String, Json)>),
}

/// A field read from an object: absent (or null), present with the expected type, or present
/// with another type (which makes the whole body of the wrong shape).
pub(crate) type Field<T> = Result<Option<T>, WrongType>;

/// A field had an unexpected type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WrongType;

impl Json {
    /// The value under `key` of an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// `true` for objects.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    fn present(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| !matches!(v, Json::Null))
    }

    /// A string field, borrowed from the tree.
    pub(crate) fn str_ref(&self, key: &str) -> Field<&str> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(_) => Err(WrongType),
        }
    }

    /// A string field.
    #[cfg_attr(
        not(feature = "dpop"),
        allow(dead_code, reason = "read by the DPoP add-on's jwks and by tests")
    )]
    pub(crate) fn str_field(&self, key: &str) -> Field<String> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(WrongType),
        }
    }

    /// A number field.
    pub(crate) fn num_field(&self, key: &str) -> Field<f64> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Number(n)) => Ok(Some(*n)),
            Some(_) => Err(WrongType),
        }
    }

    /// A boolean field.
    pub(crate) fn bool_field(&self, key: &str) -> Field<bool> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(WrongType),
        }
    }

    /// A whole non-negative number given as a number or a string (`expires_in`, Salesforce's
    /// `issued_at`): `Some(None)` for a string that is not a decimal `u64`, or a fractional,
    /// negative or too large (2^53 and over) number.
    pub(crate) fn integer_field(&self, key: &str) -> Field<Option<u64>> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(crate::core::text::parse_u64(s))),
            // `as` saturates (a negative number or NaN is 0, which equals only ±0): the number
            // is read when it is that whole number below 2^53.
            Some(Json::Number(n)) => {
                let u = *n as u64;
                Ok(Some((u as f64 == *n && u < 1 << 53).then_some(u)))
            }
            Some(_) => Err(WrongType),
        }
    }

    /// A string or an array of strings (`aud`): the strings, as values of the tree (each a
    /// [`Json::String`]).
    pub(crate) fn str_items(&self, key: &str) -> Field<&[Json]> {
        let items = match self.present(key) {
            None => return Ok(None),
            Some(Json::Array(items)) => items.as_slice(),
            Some(one) => core::slice::from_ref(one),
        };
        for item in items {
            if !matches!(item, Json::String(_)) {
                return Err(WrongType);
            }
        }
        Ok(Some(items))
    }
}

/// A string as a JSON string (quoted; `"` `\\` and control characters escaped), written to `out`.
pub(crate) fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object's text, written member by member: how the runtime hands the JS API its plain
/// objects (a session, counters, findings, an event) in one crossing. Numbers are whole (times
/// in milliseconds, counts): a fraction is dropped.
pub struct JsonObject(String);

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        JsonObject(String::from("{"))
    }

    /// A member's key: always one of the crate's own names (the JS API's fields, error codes),
    /// ASCII with nothing to escape.
    fn key(mut self, key: &str) -> Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
        self
    }

    /// A member whose value is JSON text already.
    pub fn raw(self, key: &str, json: &str) -> Self {
        let mut o = self.key(key);
        o.0.push_str(json);
        o
    }

    /// A string member.
    pub fn str(self, key: &str, value: &str) -> Self {
        let mut o = self.key(key);
        quote_into(&mut o.0, value);
        o
    }

    /// A string member, or `null`.
    pub fn opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self.raw(key, "null"),
        }
    }

    /// A whole number (negative ones as 0).
    pub fn num(self, key: &str, n: f64) -> Self {
        self.raw(key, &crate::core::text::decimal(n.max(0.0) as u64))
    }

    /// A whole number, or `null`.
    pub fn opt_num(self, key: &str, n: Option<f64>) -> Self {
        match n {
            Some(n) => self.num(key, n),
            None => self.raw(key, "null"),
        }
    }

    /// A boolean member.
    pub fn bool(self, key: &str, b: bool) -> Self {
        self.raw(key, if b { "true" } else { "false" })
    }

    /// An array of strings.
    pub fn strings(self, key: &str, items: &[String]) -> Self {
        let mut o = self.key(key);
        o.0.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                o.0.push(',');
            }
            quote_into(&mut o.0, item);
        }
        o.0.push(']');
        o
    }

    /// The text.
    pub fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

impl Default for JsonObject {
    fn default() -> Self {
        Self::new()
    }
}

/// Converts serde_json's value (host builds).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub(crate) fn from_serde(v: &serde_json::Value, depth: usize) -> Json {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return Json::Null;
    }
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.clone()),
        Value::Array(a) => Json::Array(a.iter().map(|x| from_serde(x, depth + 1)).collect()),
        Value::Object(o) => Json::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), from_serde(x, depth + 1)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::{JsonDecoder, SerdeJson};

    #[test]
    fn reads_fields_by_type() {
        let v = SerdeJson.parse(r#"{"s":"x","n":3600,"f":1.5,"neg":-1,"b":true,"z":null,"a":["p","q"],"bad":[1],"nest":{"k":"v"}}"#).unwrap();
        assert_eq!(v.str_field("s"), Ok(Some("x".into())));
        assert_eq!(v.str_field("z"), Ok(None), "null is absent");
        assert_eq!(v.str_field("missing"), Ok(None));
        assert_eq!(v.str_field("n"), Err(WrongType));
        assert_eq!(v.num_field("n"), Ok(Some(3600.0)));
        assert_eq!(v.bool_field("b"), Ok(Some(true)));
        assert_eq!(v.integer_field("n"), Ok(Some(Some(3600))));
        assert_eq!(v.integer_field("s"), Ok(Some(None)));
        assert_eq!(v.integer_field("f"), Ok(Some(None)));
        assert_eq!(v.integer_field("neg"), Ok(Some(None)));
        assert_eq!(v.integer_field("b"), Err(WrongType));
        assert_eq!(v.integer_field("z"), Ok(None));
        assert_eq!(v.str_ref("s"), Ok(Some("x")));
        assert_eq!(v.str_items("s"), Ok(Some(&[Json::String("x".into())][..])));
        assert_eq!(v.str_items("n"), Err(WrongType));
        assert_eq!(
            v.str_items("a"),
            Ok(Some(
                &[Json::String("p".into()), Json::String("q".into())][..]
            ))
        );
        assert_eq!(v.str_items("bad"), Err(WrongType));
        assert_eq!(
            v.get("nest").and_then(|n| n.get("k")),
            Some(&Json::String("v".into()))
        );
        assert!(!Json::Array(vec![]).is_object());
    }

    /// A number read as `integer_field` reads it: by the saturating cast and one comparison,
    /// as the range checks it replaced decided, at every edge.
    #[test]
    fn whole_numbers_are_read_as_the_range_checks_read_them() {
        // The old checks, verbatim.
        let before = |n: &f64| {
            (*n >= 0.0 && *n < 9_007_199_254_740_992.0 && (*n as u64) as f64 == *n)
                .then_some(*n as u64)
        };
        let two53 = 9_007_199_254_740_992.0;
        for n in [
            0.0,
            -0.0,
            0.5,
            1.0,
            -1.0,
            -0.5,
            3600.0,
            1e12,
            two53 - 1.0,
            two53,
            two53 + 2.0,
            1e19,
            u64::MAX as f64,
            1e300,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            let v = Json::Object(vec![("n".into(), Json::Number(n))]);
            assert_eq!(v.integer_field("n"), Ok(Some(before(&n))), "{n}");
        }
    }

    #[test]
    fn objects_written_are_json_that_reads_back() {
        let text = JsonObject::new()
            .str("s", "a\"b\\c\n\u{1}😀")
            .opt("none", None)
            .opt("some", Some("x"))
            .num("t", 1_765_000_000_123.0)
            .num("neg", -5.0)
            .opt_num("at", Some(7.0))
            .opt_num("never", None)
            .bool("b", true)
            .strings("list", &["p".into(), "q\"".into()])
            .strings("empty", &[])
            .raw("nested", &JsonObject::new().str("k", "v").end())
            .end();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"s": "a\"b\\c\n\u{1}😀", "none": null, "some": "x",
                "t": 1_765_000_000_123u64, "neg": 0, "at": 7, "never": null, "b": true, "list": ["p", "q\""],
                "empty": [], "nested": {"k": "v"}})
        );
        assert_eq!(JsonObject::new().end(), "{}");
    }

    #[test]
    fn deep_nesting_is_cut() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let v = SerdeJson.parse(&deep).unwrap();
        let mut cur = &v;
        let mut depth = 0;
        while let Json::Array(items) = cur {
            match items.first() {
                Some(next) => cur = next,
                None => break,
            }
            depth += 1;
        }
        assert!(depth <= MAX_DEPTH + 1, "depth {depth}");
    }
}
