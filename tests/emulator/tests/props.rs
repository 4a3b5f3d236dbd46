//! Property tests: the emulator's parsers never panic on any input.
use proptest::prelude::*;
use sf_emulator::{soql, util};

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn form_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = util::parse_form(&bytes);
    }

    #[test]
    fn form_parser_round_trips(pairs in proptest::collection::vec(("[^\u{0}]{0,20}", "[^\u{0}]{0,40}"), 0..6)) {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs { s.append_pair(k, v); }
        let back = util::parse_form(s.finish().as_bytes()).unwrap();
        let expected: Vec<(String, String)> = pairs.into_iter().filter(|(k, v)| !(k.is_empty() && v.is_empty()) ).collect();
        let back: Vec<(String, String)> = back.into_iter().filter(|(k, v)| !(k.is_empty() && v.is_empty())).collect();
        prop_assert_eq!(back, expected);
    }

    #[test]
    fn soql_parser_never_panics(q in "(SELECT|select|FROM|WHERE|LIKE|LIMIT|ORDER|BY|Id|Name|Account|Contact|,|'|%|=| |[a-z0-9]){0,40}") {
        let _ = soql::parse(&q);
    }

    #[test]
    fn like_never_panics(text in ".{0,30}", pattern in "[%_a-zA-Z]{0,12}") {
        let _ = soql::like(&text, &pattern);
    }
}
