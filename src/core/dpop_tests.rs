use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde_json::Value;

/// RFC 9449 §4.1's example key; §6.1 gives its thumbprint.
const X: &str = "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs";
const Y: &str = "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA";

fn part(segment: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn key_of(signing: &SigningKey) -> PublicJwk {
    let point = VerifyingKey::from(signing).to_encoded_point(false);
    PublicJwk::new(
        &URL_SAFE_NO_PAD.encode(point.x().unwrap()),
        &URL_SAFE_NO_PAD.encode(point.y().unwrap()),
    )
    .unwrap()
}

#[test]
fn thumbprint_and_ath_match_rfc_9449s_examples() {
    let key = PublicJwk::new(X, Y).unwrap();
    assert_eq!(
        key.thumbprint(),
        "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
    );
    // RFC 9449 §7.1: the access token and its ath.
    assert_eq!(
        ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
    );
    for (x, y) in [("", Y), (X, "short"), ("not base64!", Y), (&X[..42], Y)] {
        assert_eq!(
            PublicJwk::new(x, y).unwrap_err().code(),
            "invalid_config",
            "{x} {y}"
        );
    }
}

#[test]
fn a_proof_verifies_with_an_independent_es256_and_says_what_rfc_9449_asks() {
    let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let key = key_of(&signing);
    let p = ProofFor {
        method: "GET",
        url: "https://ACME.my.salesforce.com:443/services/data/v66.0/query?q=SELECT+Id#frag",
        now_ms: Millis(1_764_000_000_999.0),
        jti: &[9; 16],
        access_token: Some("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
        nonce: Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"),
    };
    let input = proof_signing_input(&key, &p).unwrap();
    let signature: Signature = signing.sign(input.as_bytes());
    let proof = finish_proof(&input, &signature.to_bytes()).unwrap();
    let parts: Vec<&str> = proof.split('.').collect();
    assert_eq!(parts.len(), 3);
    let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    VerifyingKey::from(&signing)
        .verify([parts[0], ".", parts[1]].concat().as_bytes(), &sig)
        .expect("ES256 signature over header.claims");
    let header = part(parts[0]);
    assert_eq!(header["typ"], "dpop+jwt");
    assert_eq!(header["alg"], "ES256");
    assert_eq!(
        header["jwk"],
        serde_json::json!({"crv": "P-256", "kty": "EC", "x": key.x, "y": key.y})
    );
    assert!(header["jwk"].get("d").is_none(), "never a private member");
    let claims = part(parts[1]);
    assert_eq!(claims["htm"], "GET");
    assert_eq!(
        claims["htu"], "https://acme.my.salesforce.com/services/data/v66.0/query",
        "no query, no fragment, origin normalised"
    );
    assert_eq!(claims["iat"], 1_764_000_000u64);
    assert_eq!(claims["jti"], URL_SAFE_NO_PAD.encode([9u8; 16]));
    assert_eq!(claims["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    assert_eq!(claims["nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
    // At the token endpoint: no ath, no nonce unless given.
    let token = ProofFor {
        method: "POST",
        url: "https://acme.my.salesforce.com/services/oauth2/token",
        access_token: None,
        nonce: None,
        ..p
    };
    let claims = part(
        proof_signing_input(&key, &token)
            .unwrap()
            .split('.')
            .nth(1)
            .unwrap(),
    );
    assert!(
        claims.get("ath").is_none() && claims.get("nonce").is_none(),
        "{claims}"
    );
    assert_eq!(
        finish_proof(&input, &[0; 63]).unwrap_err().code(),
        "invalid_config"
    );
    // The method as fetch sends it (`get` goes as GET): the same htm as "GET".
    let lower = proof_signing_input(&key, &ProofFor { method: "get", ..p }).unwrap();
    assert_eq!(part(lower.split('.').nth(1).unwrap())["htm"], "GET");
    for bad in ["", "GET ", "PO ST", "GET\n", "G\u{e9}T", "(GET)", "GET/1"] {
        assert_eq!(
            proof_signing_input(&key, &ProofFor { method: bad, ..p })
                .unwrap_err()
                .code(),
            "invalid_config",
            "{bad:?}"
        );
    }
    assert!(
        proof_signing_input(
            &key,
            &ProofFor {
                url: "ftp://x/",
                ..p
            }
        )
        .is_err()
    );
}

#[test]
fn strings_in_claims_stay_json() {
    let quoted = |s: &str| {
        let mut out = String::from("x");
        crate::core::json::quote_into(&mut out, s);
        out
    };
    assert_eq!(quoted(r#"a"b\c"#), r#"x"a\"b\\c""#);
    assert_eq!(quoted("x\u{1}y\n"), "x\"x\\u0001y\\u000a\"");
    assert_eq!(quoted("é/ü"), "x\"é/ü\"");
}

#[test]
fn nonces_are_kept_per_origin_and_replaced() {
    let mut n = Nonces::default();
    assert_eq!(n.for_url("https://a.example/token"), None);
    n.remember_new("https://a.example/token", "n-1");
    n.remember_new("https://b.example/x", "m-1");
    assert_eq!(n.for_url("https://A.example:443/other?q"), Some("n-1"));
    n.remember_new("https://a.example/y", "n-2");
    assert_eq!(n.for_url("https://a.example/"), Some("n-2"));
    assert_eq!(n.for_url("https://b.example/"), Some("m-1"));
    // By the origin a browser's URL gives (what a proof in the browser looks up with).
    assert_eq!(n.for_origin("https://a.example"), Some("n-2"));
    assert_eq!(n.for_origin("https://b.example"), Some("m-1"));
    assert_eq!(n.for_origin("https://a.example:8443"), None);
    n.remember_new("https://A.EXAMPLE:8443/z", "p-1");
    assert_eq!(n.for_origin("https://a.example:8443"), Some("p-1"));
    // By the origin a browser's URL gives (what the browser remembers with): the same entry.
    assert!(!n.remember_for_origin("https://a.example:8443", "p-1"));
    assert!(n.remember_for_origin("https://a.example:8443", "p-2"));
    assert_eq!(n.for_url("https://a.example:8443/z"), Some("p-2"));
    assert!(!n.remember_for_origin("https://a.example:8443", "has space"));
    // An empty header is no nonce (the browser hands `DPoP-Nonce` over as the executor read it,
    // "" when the answer had none).
    assert!(!n.remember_for_origin("https://a.example:8443", ""));
    assert_eq!(n.for_origin("https://a.example:8443"), Some("p-2"));
    for bad in ["", "has space", "quo\"te", "back\\slash", &"a".repeat(513)] {
        n.remember_new("https://a.example/", bad);
        assert_eq!(
            n.for_url("https://a.example/"),
            Some("n-2"),
            "{bad:?} is not a nonce"
        );
    }
    n.clear();
    assert_eq!(n.for_url("https://b.example/"), None);
}

#[test]
fn a_resource_asks_for_a_nonce_only_in_the_dpop_challenge() {
    assert!(resource_wants_nonce(
        r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#
    ));
    assert!(resource_wants_nonce(
        r#"dpop algs="ES256", error="use_dpop_nonce""#
    ));
    // Leading HTTP whitespace (a browser trims it from a header value; other hosts may not).
    assert!(resource_wants_nonce(" \tDPoP error=\"use_dpop_nonce\""));
    assert!(!resource_wants_nonce(" "));
    assert!(!resource_wants_nonce(r#"DPoP error="invalid_token""#));
    assert!(!resource_wants_nonce(r#"Bearer error="use_dpop_nonce""#));
    assert!(!resource_wants_nonce(""));
}

#[test]
fn the_option_reads_false_true_or_if_supported_the_same_way_everywhere() {
    use crate::core::config::ClientOptions;
    use crate::core::http::{JsonDecoder, SerdeJson};
    // Each form through the one reader, serde (a Rust caller's JSON: the type alone and as
    // the `dpop` field) and the options table (the JS API's object, the worker's form).
    let forms: [(Value, Option<DpopMode>); 13] = [
        (Value::Bool(false), Some(DpopMode::Off)),
        (Value::Bool(true), Some(DpopMode::Required)),
        ("if-supported".into(), Some(DpopMode::IfSupported)),
        ("yes".into(), None),
        ("".into(), None),
        ("true".into(), None),
        ("false".into(), None),
        ("IF-SUPPORTED".into(), None),
        ("if-supported ".into(), None),
        (1.into(), None),
        (0.into(), None),
        (serde_json::json!([]), None),
        (serde_json::json!({}), None),
    ];
    for (v, mode) in forms {
        let tree = SerdeJson.parse(&v.to_string()).unwrap();
        assert_eq!(DpopMode::read(&tree), mode, "{v}");
        assert_eq!(
            serde_json::from_value::<DpopMode>(v.clone()).ok(),
            mode,
            "{v}"
        );
        let object = serde_json::json!({ "dpop": v });
        let serde = serde_json::from_value::<ClientOptions>(object.clone());
        let table = ClientOptions::from_json(&SerdeJson.parse(&object.to_string()).unwrap());
        match mode {
            Some(m) => {
                assert_eq!(serde.unwrap().dpop, Some(m), "{v}");
                assert_eq!(table.unwrap().dpop, Some(m), "{v}");
            }
            None => {
                assert!(serde.is_err(), "{v}");
                let e = table.unwrap_err();
                assert_eq!(e.code(), "invalid_config", "{v}");
                assert_eq!(
                    e.message(),
                    r#"invalid configuration: dpop: must be false, true or "if-supported""#,
                    "{v}"
                );
            }
        }
    }
    // Absent or null: unset both ways (the client's default, off).
    for object in [serde_json::json!({}), serde_json::json!({ "dpop": null })] {
        let serde = serde_json::from_value::<ClientOptions>(object.clone()).unwrap();
        let table = ClientOptions::from_json(&SerdeJson.parse(&object.to_string()).unwrap());
        assert_eq!((serde.dpop, table.unwrap().dpop), (None, None), "{object}");
    }
}

#[test]
fn the_token_endpoint_asks_for_a_nonce_only_with_a_400_use_dpop_nonce() {
    use crate::core::http::SerdeJson;
    let ask =
        r#"{"error":"use_dpop_nonce","error_description":"nonce is required in the DPoP proof"}"#;
    assert!(token_wants_nonce(400, ask, &SerdeJson));
    assert!(!token_wants_nonce(401, ask, &SerdeJson), "only a 400");
    assert!(!token_wants_nonce(
        400,
        r#"{"error":"invalid_dpop_proof"}"#,
        &SerdeJson
    ));
    assert!(!token_wants_nonce(
        400,
        r#"{"error":"invalid_grant"}"#,
        &SerdeJson
    ));
    assert!(
        !token_wants_nonce(400, "use_dpop_nonce", &SerdeJson),
        "not JSON"
    );
    assert!(!token_wants_nonce(400, r#"{"error":7}"#, &SerdeJson));
}

#[test]
fn a_nonce_is_worth_a_retry_only_when_it_is_new_for_that_origin() {
    let mut n = Nonces::default();
    let token = "https://acme.my.salesforce.com/services/oauth2/token";
    assert!(n.remember_new(token, "n-1"), "first nonce");
    assert!(
        !n.remember_new(token, "n-1"),
        "the same again: the retry would fail alike"
    );
    assert!(n.remember_new(token, "n-2"), "rotated");
    assert!(!n.remember_new(token, "bad nonce"), "not a nonce (a space)");
    assert_eq!(
        n.for_url(token),
        Some("n-2"),
        "a bad header changes nothing"
    );
    assert!(
        n.remember_new("https://api.example.com/x", "n-2"),
        "another origin"
    );
}

#[test]
fn the_option_travels_to_the_session_worker_by_name() {
    for m in [DpopMode::Off, DpopMode::Required, DpopMode::IfSupported] {
        assert_eq!(DpopMode::from_wire(m.wire_name()), Some(m));
    }
    assert_eq!(DpopMode::from_wire("true"), None);
    // serde (Rust callers' options): the same three forms, nothing else.
    let read = |v: Value| serde_json::from_value::<DpopMode>(v);
    assert_eq!(read(serde_json::json!(true)).unwrap(), DpopMode::Required);
    assert_eq!(read(serde_json::json!(false)).unwrap(), DpopMode::Off);
    assert_eq!(
        read(serde_json::json!("if-supported")).unwrap(),
        DpopMode::IfSupported
    );
    assert!(read(serde_json::json!("yes")).is_err());
    assert!(read(serde_json::json!(1)).is_err());
}

/// `htu` from the URL as the browser normalises it (what `fetch` sends): the query and the
/// fragment are cut off before anything is checked, so a raw SOQL query, a backslash or a space
/// there never refuses the request; the normalised path is kept as it is.
#[test]
fn htu_cuts_query_and_fragment_before_checking_the_url() {
    for (url, want) in [
        (
            "https://acme.my.salesforce.com/services/data/v66.0/query?q=SELECT Id FROM Account",
            "https://acme.my.salesforce.com/services/data/v66.0/query",
        ),
        (
            "https://acme.my.salesforce.com/services/data/v66.0/query?q=SELECT%20Id%20FROM%20Account#a b\\c",
            "https://acme.my.salesforce.com/services/data/v66.0/query",
        ),
        (
            "https://acme.my.salesforce.com/x?a=\\b",
            "https://acme.my.salesforce.com/x",
        ),
        (
            "HTTPS://Acme.My.Salesforce.com:443/services/apexrest/Gr%C3%B6%C3%9Fe",
            "https://acme.my.salesforce.com/services/apexrest/Gr%C3%B6%C3%9Fe",
        ),
        (
            "https://acme.my.salesforce.com?q",
            "https://acme.my.salesforce.com/",
        ),
        ("http://127.0.0.1:8787#x y", "http://127.0.0.1:8787/"),
    ] {
        assert_eq!(htu(url).unwrap(), want, "{url}");
    }
    // Not a URL the browser could have produced: refused, never guessed.
    for bad in [
        "/relative?q=x",
        "https://acme.my.salesforce.com/a b",
        "ftp://x/",
    ] {
        assert_eq!(htu(bad).unwrap_err().code(), "invalid_config", "{bad}");
    }
}

#[test]
fn an_attempt_travels_as_one_number() {
    for generation in [0, 1, 7, 1 << 40] {
        for (nonce_retried, refreshed) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            let a = Attempt {
                generation,
                nonce_retried,
                refreshed,
            };
            assert_eq!(Attempt::of_number(a.number()), a);
            // The executor carries it as a JS number.
            assert_eq!(Attempt::of_number(a.number() as f64 as u64), a);
        }
    }
    assert_eq!(
        Attempt::of_number(Attempt::first(3).number()),
        Attempt::first(3)
    );
}

#[test]
fn a_resource_answer_asking_for_a_nonce_is_retried_once_and_is_no_dead_token() {
    let asks = r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#;
    let first = Attempt::first(5);
    let again = Attempt {
        nonce_retried: true,
        ..first
    };
    assert_eq!(first.step(401, asks, true), ResourceStep::Nonce);
    // No new nonce, or the retry spent: the 401 goes to the caller, not to a refresh.
    assert_eq!(first.step(401, asks, false), ResourceStep::Deliver);
    assert_eq!(again.step(401, asks, true), ResourceStep::Deliver);
    // After the refresh's retry, one more nonce retry with the new set.
    let refreshed = Attempt {
        refreshed: true,
        ..Attempt::first(6)
    };
    assert_eq!(refreshed.step(401, asks, true), ResourceStep::Nonce);
    // A dead token (or a 403) is the session machine's; a 200 with a nonce is delivered.
    assert_eq!(
        first.step(401, r#"DPoP error="invalid_token""#, true),
        ResourceStep::Judge
    );
    assert_eq!(first.step(401, "", false), ResourceStep::Judge);
    assert_eq!(first.step(403, "", false), ResourceStep::Judge);
    assert_eq!(first.step(200, "", true), ResourceStep::Deliver);
    assert_eq!(first.step(400, asks, true), ResourceStep::Deliver);
}

/// A proof's `htm` is the method `fetch` sends (the Fetch standard's "normalize a method"):
/// DELETE, GET, HEAD, OPTIONS, POST and PUT upper-cased in any case, every other RFC 9110 token
/// byte for byte (methods are case-sensitive, RFC 9449 §4.3 compares them exactly); anything
/// that is not a token is refused, as before.
#[test]
fn a_proofs_method_is_the_one_fetch_sends() {
    for m in ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"] {
        for asked in [
            m.to_owned(),
            m.to_ascii_lowercase(),
            [&m[..1], &m[1..].to_ascii_lowercase()].concat(),
            [&m[..1].to_ascii_lowercase(), &m[1..]].concat(),
        ] {
            assert_eq!(normalize_method(&asked).unwrap(), m, "{asked}");
        }
    }
    for kept in [
        "patch",
        "Patch",
        "PATCH",
        "MKCOL",
        "mkcol",
        "PROPFIND",
        "Get-X",
        "DELETES",
        "GETS",
        "POS",
        "!#$%&'*+-.^_`|~09aZ",
    ] {
        assert_eq!(normalize_method(kept).unwrap(), kept);
    }
    for bad in [
        "", " ", "GET ", " GET", "PO ST", "GET\n", "G\tT", "G\u{e9}T", "(GET)", "GET/1", "a,b",
        "\"GET\"", "GET;", "x:y", "[x]", "{x}", "a@b", "a=b", "a?b", "a\\b", "\u{7f}", "TRACE",
        "connect", "Track",
    ] {
        let e = normalize_method(bad).unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{bad:?}");
        assert_eq!(
            e.to_string(),
            crate::core::http::check_method("").unwrap_err().to_string()
        );
    }
    // The proof carries it.
    let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let key = key_of(&signing);
    for (asked, htm) in [("patch", "patch"), ("Put", "PUT"), ("MKCOL", "MKCOL")] {
        let input = proof_signing_input(
            &key,
            &ProofFor {
                method: asked,
                url: "https://acme.my.salesforce.com/services/data/v66.0/x",
                now_ms: Millis(1_764_000_000_000.0),
                jti: &[1; 16],
                access_token: None,
                nonce: None,
            },
        )
        .unwrap();
        assert_eq!(
            part(input.split('.').nth(1).unwrap())["htm"],
            htm,
            "{asked}"
        );
    }
}
