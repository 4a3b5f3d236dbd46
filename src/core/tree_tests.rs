use super::*;
use crate::core::json::from_serde;
use proptest::prelude::*;
use serde_json::{Value, json};

/// What `tree` in js/executor.js writes for a JSON value (the same rules, in Rust): lengths
/// in UTF-16 units, numbers as their bits, past the depth cap `n`.
fn encode(v: &Value, depth: usize, out: &mut String) {
    fn string(s: &str, out: &mut String) {
        out.push('s');
        out.push_str(&s.encode_utf16().count().to_string());
        out.push(':');
        out.push_str(s);
    }
    if depth > MAX_DEPTH {
        out.push('n');
        return;
    }
    match v {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => out.push_str(&format!("d{:016x}", n.as_f64().unwrap().to_bits())),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push_str(&format!("a{}:", items.len()));
            for x in items {
                encode(x, depth + 1, out);
            }
        }
        Value::Object(members) => {
            out.push_str(&format!("o{}:", members.len()));
            for (k, x) in members {
                string(k, out);
                encode(x, depth + 1, out);
            }
        }
    }
}

fn tree_of(v: &Value) -> String {
    let mut out = String::new();
    encode(v, 0, &mut out);
    out
}

#[test]
fn reads_what_the_executor_writes() {
    let v = json!({
        "access_token": "00D!x", "expires_in": 3600, "f": -1.5e-7, "ok": true, "no": false,
        "z": null, "scope": ["api", "refresh_token"], "nest": {"k": "v", "": ""},
        "emoji": "a😀b", "lines": "a\nb:c", "colon:key": "s3:x"
    });
    assert_eq!(from_tree(&tree_of(&v)), Some(from_serde(&v, 0)));
}

#[test]
fn depth_is_cut_as_the_executor_cuts_it() {
    let mut v = json!("bottom");
    for _ in 0..20 {
        v = json!([v]);
    }
    assert_eq!(from_tree(&tree_of(&v)), Some(from_serde(&v, 0)));
    // Text nested past the cap is not the executor's: refused, never a deep recursion.
    let deep = "a1:".repeat(10_000) + "n";
    assert_eq!(from_tree(&deep), None);
}

#[test]
fn malformed_text_is_refused() {
    for bad in [
        "",
        "x",
        "s",
        "s3",
        "s3:ab",
        "s:",
        "s-1:",
        "a2:n",
        "o1:n",
        "o1:s1:k",
        "o1:ns1:k",
        "d12",
        "d000000000000000g",
        "a1:nn",
        "n ",
        "s99999999999:x",
        "ttt",
    ] {
        assert_eq!(from_tree(bad), None, "{bad:?}");
    }
    assert_eq!(from_tree("s0:"), Some(Json::String(String::new())));
    assert_eq!(from_tree("a0:"), Some(Json::Array(vec![])));
}

#[test]
fn numbers_keep_every_bit() {
    for n in [
        0.0,
        -0.0,
        1.0,
        3600.0,
        1e300,
        f64::MIN_POSITIVE,
        9007199254740993.0,
    ] {
        let t = format!("d{:016x}", f64::to_bits(n));
        match from_tree(&t) {
            Some(Json::Number(m)) => assert_eq!(m.to_bits(), n.to_bits()),
            other => panic!("{other:?}"),
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|n| json!(n)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(12, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_value_round_trips(v in arb_json()) {
        prop_assert_eq!(from_tree(&tree_of(&v)), Some(from_serde(&v, 0)));
    }

    /// The reader reads 0 past the end (no mark, digit or `:` is 0): every proper prefix of a
    /// text is refused wherever it stops, and a NUL is a string's character, never a mark.
    #[test]
    fn every_cut_text_is_refused_and_nul_is_only_a_character(v in arb_json()) {
        let text = tree_of(&v);
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                prop_assert_eq!(from_tree(&text[..cut]), None, "{:?}", &text[..cut]);
            }
        }
        prop_assert_eq!(from_tree(&[text.as_str(), "\0"].concat()), None);
        prop_assert_eq!(from_tree(&["\0", text.as_str()].concat()), None);
        let head: String = text.chars().take(8).collect();
        let nul = Value::String(["a\0", &head, "\0"].concat());
        prop_assert_eq!(from_tree(&tree_of(&nul)), Some(from_serde(&nul, 0)));
    }

    #[test]
    fn any_text_is_read_or_refused_without_panic(s in ".{0,64}") {
        let _ = from_tree(&s);
    }

    /// A string's count in UTF-16 units, any count against any text (one ending inside a
    /// character, short of it, past the end): read exactly when the text has that many units.
    #[test]
    fn a_string_is_read_exactly_when_its_count_is_its_units(n in 0usize..24, s in ".{0,12}") {
        let want = (s.encode_utf16().count() == n).then(|| Json::String(s.clone()));
        prop_assert_eq!(from_tree(&format!("s{n}:{s}")), want.clone());
        // As a member's key (what follows a short count is read as the value, so only the
        // exact count is pinned).
        let member = from_tree(&format!("o1:s{n}:{s}n"));
        if want.is_some() {
            prop_assert_eq!(member, Some(Json::Object(vec![(s.clone(), Json::Null)])));
        }
    }
}

/// Counts and number bits at their edges, pinned whole (the expected lines were printed by the
/// code before the size-first rewrite of the reader's digit and hex loops).
#[test]
fn counts_and_bits_at_their_edges_golden() {
    let texts = [
        "s0:",
        "s00:",
        "s+1:x",
        "s-0:",
        "s 1:x",
        "s1 :x",
        "s1:x",
        "s01:x",
        "s000000001:x",
        "s0000000001:x",
        "s999999999:x",
        "s1:\u{e9}",
        "s2:\u{1f600}",
        "s1:\u{1f600}",
        "a+0:",
        "a00:",
        "a1:t",
        "o0:",
        "o+0:",
        "o1:s1:kn",
        "o01:s1:kd3ff0000000000000",
        "d3ff0000000000000",
        "d3FF0000000000000",
        "d3Ff0000000000000",
        "d7ff8000000000000",
        "dfff0000000000000",
        "d000000000000000G",
        "d+3ff000000000000",
        "d 3ff000000000000",
        "d3ff00000000000000",
        "d3ff000000000000",
        "d\u{e9}ff00000000000000",
    ];
    let got: Vec<String> = texts
        .iter()
        .map(|t| format!("{t:?} {:?}", from_tree(t)))
        .collect();
    crate::core::testing::golden(
        &got,
        &[
            "\"s0:\" Some(String(\"\"))",
            "\"s00:\" Some(String(\"\"))",
            "\"s+1:x\" None",
            "\"s-0:\" None",
            "\"s 1:x\" None",
            "\"s1 :x\" None",
            "\"s1:x\" Some(String(\"x\"))",
            "\"s01:x\" Some(String(\"x\"))",
            "\"s000000001:x\" Some(String(\"x\"))",
            "\"s0000000001:x\" None",
            "\"s999999999:x\" None",
            "\"s1:é\" Some(String(\"é\"))",
            "\"s2:😀\" Some(String(\"😀\"))",
            "\"s1:😀\" None",
            "\"a+0:\" None",
            "\"a00:\" Some(Array([]))",
            "\"a1:t\" Some(Array([Bool(true)]))",
            "\"o0:\" Some(Object([]))",
            "\"o+0:\" None",
            "\"o1:s1:kn\" Some(Object([(\"k\", Null)]))",
            "\"o01:s1:kd3ff0000000000000\" Some(Object([(\"k\", Number(1.0))]))",
            "\"d3ff0000000000000\" Some(Number(1.0))",
            "\"d3FF0000000000000\" Some(Number(1.0))",
            "\"d3Ff0000000000000\" Some(Number(1.0))",
            "\"d7ff8000000000000\" Some(Number(NaN))",
            "\"dfff0000000000000\" Some(Number(-inf))",
            "\"d000000000000000G\" None",
            "\"d+3ff000000000000\" None",
            "\"d 3ff000000000000\" None",
            "\"d3ff00000000000000\" None",
            "\"d3ff000000000000\" None",
            "\"déff00000000000000\" None",
        ],
    );
}
