//! Golden test of the DPoP add-on's core decisions, for its size-first rewrite: proofs' headers
//! and claims (decoded) for many requests, `htu`, `ath`, the thumbprint, `finish_proof`, the
//! nonce rules (`nonce_header`, `Nonces`, `resource_wants_nonce`, `token_wants_nonce`,
//! `Attempt::step`), and the id_token signature side (`signed_token`, `parse_jwks`,
//! `choose_key`, `id_token_of`, `no_key`). The expected lines (`tests/golden/dpop.txt`) were
//! generated on the code before the rewrite (`DPOP_GOLDEN_WRITE=1` writes them).

use super::*;
use crate::core::http::SerdeJson;
use crate::core::jwks::tests::token;
use crate::core::jwks::{self, choose_key, id_token_of, parse_jwks, signed_token};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const X: &str = "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs";
const Y: &str = "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA";

fn decoded(segment: &str) -> String {
    String::from_utf8(URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn shown<T: core::fmt::Debug>(r: &Result<T, AuthError>) -> String {
    match r {
        Ok(v) => std::format!("ok {v:?}"),
        Err(e) => std::format!("err {} {}", e.code(), e.message()),
    }
}

fn proofs() -> Vec<String> {
    let key = PublicJwk::new(X, Y).unwrap();
    let mut out = vec![std::format!("thumbprint {}", key.thumbprint())];
    let urls = [
        "https://rs.example.com/api",
        "https://RS.Example.COM:443/a/b?q=SELECT Id FROM Account#frag",
        "https://rs.example.com:8443/",
        "http://localhost:3000/x",
        "https://rs.example.com/p\"q\\r",
        "https://rs.example.com/%20a?x",
        "https://rs.example.com#f",
        "https://user:pw@rs.example.com/x",
        "ftp://rs.example.com/x",
        "not a url",
        "",
        "https://rs.example.com/é",
    ];
    let methods = ["GET", "POST", "", "get", "PATCH", "GE T"];
    let tokens = [
        None,
        Some("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
        Some(""),
    ];
    let nonces = [
        None,
        Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"),
        Some("a\"b\\c"),
        Some(""),
    ];
    let mut i = 0u8;
    for url in urls {
        for method in methods {
            for token in tokens {
                for nonce in nonces {
                    i = i.wrapping_add(37);
                    let jti = [i; 16];
                    let p = ProofFor {
                        method,
                        url,
                        now_ms: Millis(1_700_000_000_999.0 + f64::from(i) * 1000.0),
                        jti: &jti,
                        access_token: token,
                        nonce,
                    };
                    let line = match proof_signing_input(&key, &p) {
                        Ok(input) => {
                            let (h, c) = input.split_once('.').unwrap();
                            std::format!("proof {} {}", decoded(h), decoded(c))
                        }
                        Err(e) => std::format!("proof err {} {}", e.code(), e.message()),
                    };
                    out.push(line);
                }
            }
        }
    }
    for url in urls {
        out.push(std::format!("htu {url:?} {}", shown(&htu(url))));
    }
    for t in ["", "a", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"] {
        out.push(std::format!("ath {t:?} {}", ath(t)));
    }
    for n in [0usize, 1, 63, 64, 65] {
        out.push(std::format!(
            "finish {n} {}",
            shown(&finish_proof("h.c", &vec![7u8; n]))
        ));
    }
    out
}

fn nonces() -> Vec<String> {
    let mut out = Vec::new();
    let long = "n".repeat(512);
    let longer = "n".repeat(513);
    for v in [
        "", "abc", "a b", "a\"b", "a\\b", "!#[]~", "é", "\t", &long, &longer,
    ] {
        out.push(std::format!(
            "nonce_header {:?}",
            nonce_header(v).map(str::len)
        ));
    }
    let mut held = Nonces::default();
    for (url, header) in [
        ("https://as.example.com/token", "n1"),
        ("https://as.example.com/token", "n1"),
        ("https://AS.example.com:443/other?x", "n1"),
        ("https://as.example.com/token", "n2"),
        ("https://as.example.com:8443/token", "n2"),
        ("https://rs.example.com/api", "bad nonce"),
        ("not a url", "n3"),
        ("https://rs.example.com/api", "n3"),
        ("https://as.example.com/token", ""),
    ] {
        let new = held.remember_new(url, header);
        out.push(std::format!("remember {url:?} {header:?} {new} {held:?}"));
    }
    for url in [
        "https://as.example.com/x",
        "https://as.example.com:8443/",
        "https://rs.example.com/api?q",
        "https://other.example.com/",
        "nope",
    ] {
        out.push(std::format!("for_url {url:?} {:?}", held.for_url(url)));
    }
    held.clear();
    out.push(std::format!("cleared {held:?}"));
    for w in [
        "",
        "DPoP error=\"use_dpop_nonce\"",
        "  dpop error=\"use_dpop_nonce\", error_description=\"x\"",
        "Bearer error=\"use_dpop_nonce\"",
        "DPoP error=\"invalid_token\"",
        "DPoPerror=\"use_dpop_nonce\"",
        "DPoP realm=\"x\", error=\"use_dpop_nonce\"",
    ] {
        for status in [200u16, 401, 403] {
            for (nonce_retried, refreshed) in [(false, false), (true, false), (false, true)] {
                for new in [false, true] {
                    let a = Attempt {
                        generation: 3,
                        nonce_retried,
                        refreshed,
                    };
                    out.push(std::format!(
                        "step {w:?} {status} {nonce_retried} {refreshed} {new} {:?} {:?}",
                        a.step(status, w, new),
                        Attempt::of_number(a.number()) == a
                    ));
                }
            }
        }
    }
    for (status, body) in [
        (400, r#"{"error":"use_dpop_nonce"}"#),
        (401, r#"{"error":"use_dpop_nonce"}"#),
        (400, r#"{"error":"invalid_grant"}"#),
        (400, r#"{"error":1}"#),
        (400, "not json"),
        (400, r#"["use_dpop_nonce"]"#),
    ] {
        out.push(std::format!(
            "token_wants_nonce {status} {body} {}",
            token_wants_nonce(status, body, &SerdeJson)
        ));
    }
    out
}

const KEYS: &[&str] = &[
    r#"{"kty":"RSA","kid":"r1","use":"sig","n":"n1","e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":"r2","n":"n2","e":"AQAB"}"#,
    r#"{"kty":"RSA","n":"n3","e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":"enc","use":"enc","n":"n4","e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":"use1","use":1,"n":"n5","e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":"non","e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":"noe","n":"n6"}"#,
    r#"{"kty":"RSA","kid":"num","n":1,"e":"AQAB"}"#,
    r#"{"kty":"RSA","kid":7,"n":"n7","e":"AQAB"}"#,
    r#"{"kty":"EC","kid":"e1","crv":"P-256","x":"x1","y":"y1"}"#,
    r#"{"kty":"EC","crv":"P-256","x":"x2","y":"y2"}"#,
    r#"{"kty":"EC","kid":"e3","crv":"P-384","x":"x3","y":"y3"}"#,
    r#"{"kty":"EC","kid":"e4","x":"x4","y":"y4"}"#,
    r#"{"kty":"EC","kid":"e5","crv":"P-256","y":"y5"}"#,
    r#"{"kty":"EC","kid":"e6","crv":"P-256","x":"x6"}"#,
    r#"{"kty":"oct","kid":"k","k":"c2VjcmV0"}"#,
    r#"{"kid":"none"}"#,
    r#"{"kty":"rsa","kid":"lower","n":"n8","e":"AQAB"}"#,
    r#""a string""#,
    r#"17"#,
];

fn signatures() -> Vec<String> {
    let mut out = Vec::new();
    let mut docs: Vec<String> = vec![
        String::new(),
        "[]".into(),
        "{}".into(),
        r#"{"keys":{}}"#.into(),
        r#"{"keys":null}"#.into(),
        r#"{"keys":[]}"#.into(),
        r#"{"nokeys":[]}"#.into(),
    ];
    for k in KEYS {
        docs.push(["{\"keys\":[", k, "]}"].concat());
    }
    docs.push(["{\"keys\":[", &KEYS.join(","), "]}"].concat());
    docs.push(["{\"keys\":[", KEYS[0], ",", KEYS[9], "]}"].concat());
    docs.push(["{\"keys\":[", KEYS[2], ",", KEYS[10], "]}"].concat());
    docs.push(["{\"keys\":[", KEYS[2], ",", KEYS[1], "]}"].concat());
    let parsed: Vec<_> = docs.iter().map(|d| parse_jwks(d, &SerdeJson)).collect();
    for (d, p) in docs.iter().zip(&parsed) {
        out.push(std::format!("jwks {d} {}", shown(p)));
    }
    let headers = [
        r#"{"alg":"RS256","kid":"r1"}"#,
        r#"{"alg":"RS256","kid":"r2"}"#,
        r#"{"alg":"RS256"}"#,
        r#"{"alg":"RS256","kid":"zzz"}"#,
        r#"{"alg":"ES256","kid":"e1"}"#,
        r#"{"alg":"ES256"}"#,
        r#"{"alg":"ES256","kid":"r1"}"#,
        r#"{"alg":"RS256","kid":7}"#,
        r#"{"alg":"none"}"#,
        r#"{"alg":"NONE"}"#,
        r#"{"alg":"HS256"}"#,
        r#"{"alg":"PS256"}"#,
        r#"{"alg":1}"#,
        r#"{}"#,
        r#"{"alg":"RS256","crit":["b64"]}"#,
        r#"[1]"#,
        "not json",
    ];
    let mut tokens = Vec::new();
    for h in headers {
        for sig in [&[][..], &[1u8; 64][..], &[2u8; 256][..]] {
            let t = token(h, sig);
            let r = signed_token(&t, &SerdeJson);
            out.push(std::format!("signed {h} {} {}", sig.len(), shown(&r)));
            if let Ok(t) = r {
                tokens.push(t);
            }
        }
    }
    for bad in [
        "",
        "a.b",
        "a.b.c.d",
        "!!.e30.AA",
        "e30.e30.!!",
        "..",
        "e30..AA",
    ] {
        out.push(std::format!(
            "signed {bad:?} {}",
            shown(&signed_token(bad, &SerdeJson))
        ));
    }
    for p in parsed.iter().flatten() {
        for t in &tokens {
            for fresh in [false, true] {
                let choice = match choose_key(p, t, fresh) {
                    jwks::KeyChoice::Use(k) => std::format!("use {k:?}"),
                    jwks::KeyChoice::Refetch => "refetch".into(),
                    jwks::KeyChoice::None => {
                        std::format!("none {}", jwks::no_key(t).message())
                    }
                };
                out.push(std::format!(
                    "choose {} {:?} {fresh} {choice}",
                    p.len(),
                    t.kid
                ));
            }
        }
    }
    for body in [
        r#"{"id_token":"a.b.c"}"#,
        r#"{"id_token":""}"#,
        r#"{"id_token":1}"#,
        r#"{}"#,
        "nope",
        r#"["a"]"#,
    ] {
        out.push(std::format!(
            "id_token_of {body} {:?}",
            SerdeJson
                .parse(body)
                .and_then(|v| id_token_of(&v).map(str::to_owned))
        ));
    }
    out.push(std::format!(
        "bad_signature {}",
        jwks::bad_signature().message()
    ));
    out
}

#[test]
fn every_dpop_outcome_is_as_before() {
    let got = [proofs(), nonces(), signatures()].concat().join("\n") + "\n";
    let want = include_str!("../../tests/golden/dpop.txt");
    crate::core::testing::golden_file("dpop.txt", "DPOP_GOLDEN_WRITE", &got, want);
}
