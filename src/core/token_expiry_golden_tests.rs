//! The expiry of a token set (`expires_in`, else `sessionTimeoutSeconds`) and the refusals
//! around it, pinned whole for both fixtures, exchanges and refreshes, with and without the
//! session timeout. Printed by the code before the size-first rewrite
//! (`GOLDEN_PRINT=1 cargo test golden -- --nocapture`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::tests::sf_body;
use super::*;
use crate::core::testing;

fn render(r: Result<TokenOutcome, AuthError>) -> String {
    match r {
        Ok(o) => format!(
            "ok issued={:?} expires={:?}",
            o.tokens.issued_at_ms, o.tokens.expires_at_ms
        ),
        Err(e) => format!("err {} [{}]", e.code(), e.message()),
    }
}

fn outcomes() -> Vec<String> {
    let extras = [
        "",
        r#","expires_in":3600"#,
        r#","expires_in":0"#,
        r#","expires_in":"60""#,
        r#","expires_in":1e12"#,
        r#","expires_in":31536001"#,
        r#","expires_in":-1"#,
        r#","expires_in":1.5"#,
        r#","expires_in":null"#,
        r#","expires_in":"""#,
    ];
    let mut out = Vec::new();
    for timeout in [None, Some(0), Some(900), Some(u32::MAX)] {
        for generic in [false, true] {
            let mut c = match generic {
                false => testing::salesforce("cid"),
                true => testing::generic(),
            };
            c.session_timeout_seconds = timeout;
            for extra in extras {
                let body = match generic {
                    false => sf_body(extra),
                    true => [r#"{"access_token":"at","token_type":"Bearer""#, extra, "}"].concat(),
                };
                let first = testing::exchange(&c, 200, &body);
                let refreshed = first
                    .as_ref()
                    .ok()
                    .map(|o| testing::refresh(&c, &o.tokens, 200, &body));
                out.push(render(first));
                if let Some(r) = refreshed {
                    out.push(["  refresh ", &render(r)].concat());
                }
            }
        }
    }
    out
}

#[test]
fn every_expiry_is_pinned() {
    crate::core::testing::golden(&outcomes(), GOLDEN);
}

#[rustfmt::skip]
const GOLDEN: &[&str] = &[
    "ok issued=Millis(1676372418560.0) expires=None",
    "  refresh ok issued=Millis(1676372418560.0) expires=None",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=None",
    "  refresh ok issued=Millis(1676372418560.0) expires=None",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=None",
    "  refresh ok issued=Millis(1700000000000.0) expires=None",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=None",
    "  refresh ok issued=Millis(1700000000000.0) expires=None",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000900000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000900000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000900000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000900000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000900000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000900000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000900000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000900000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(5994967295000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(5994967295000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1676372418560.0) expires=Some(Millis(5994967295000.0))",
    "  refresh ok issued=Millis(1676372418560.0) expires=Some(Millis(5994967295000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(5994967295000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(5994967295000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700003600000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1700000060000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(1731536000000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
    "ok issued=Millis(1700000000000.0) expires=Some(Millis(5994967295000.0))",
    "  refresh ok issued=Millis(1700000000000.0) expires=Some(Millis(5994967295000.0))",
    "err invalid_token_response [invalid token response: expires_in is not a non-negative number]",
];
