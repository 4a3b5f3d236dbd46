//! Every revocation a logout sends, pinned whole (for the size-first rewrite of
//! `revoke_secrets`): for the generic profile with and without a revocation endpoint and for
//! Salesforce (whose refresh token's revocation ends its access tokens), signed in with and
//! without a refresh token, the requests in order (method, URL, headers, and the form with the
//! token by its length only), what the logout settles and emits once each is answered, and the
//! revocation count. The expected lines were printed by the code before the rewrite.

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

fn render(r: &HttpRequest) -> String {
    let form: Vec<String> = form_pairs(r.body.as_deref().unwrap_or(""))
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "token" => format!("token=<{} chars>", v.len()),
            _ => format!("{k}={v}"),
        })
        .collect();
    format!(
        "{:?} {} {:?} {}",
        r.method,
        r.url,
        r.headers,
        form.join("&")
    )
}

fn outcomes() -> Vec<String> {
    let sf_with = testing::salesforce_body("");
    let sf_without = sf_with.replace(r#""refresh_token":"5Aep861","#, "");
    let no_revocation = ClientConfig::generic(&ClientOptions {
        revocation_endpoint: None,
        ..testing::generic_options()
    })
    .unwrap();
    let cases = [
        ("generic, refresh", config(), body("at1", Some("rt1"), None)),
        ("generic, no refresh", config(), body("at1", None, None)),
        (
            "generic without endpoint, refresh",
            no_revocation.clone(),
            body("at1", Some("rt1"), None),
        ),
        (
            "generic without endpoint, no refresh",
            no_revocation,
            body("at1", None, None),
        ),
        ("salesforce, refresh", testing::salesforce("cid"), sf_with),
        (
            "salesforce, no refresh",
            testing::salesforce("cid"),
            sf_without,
        ),
    ];
    let mut out = Vec::new();
    for (name, c, answer) in cases.clone() {
        // A refused 2xx answer to the code exchange: its tokens are revoked, not for a logout.
        let mut h = H::with(c, Role::Alone);
        let cb = callback(h.s.config());
        let op = h.s.start_login(&cb);
        h.drain();
        let (id, _, _) = h.sent.pop().unwrap();
        h.answer(T0, id, ok(answer.replace("Bearer", "mac")));
        let code = h.settled(op).map(|r| r.as_ref().map_err(AuthError::code));
        out.push(format!("{name}, refused: settled {code:?}"));
        for (_, kind, request) in &h.sent {
            out.push(format!("  {kind:?} {}", render(request)));
        }
    }
    for (name, c, answer) in cases {
        let mut h = H::signed_in_with(c, Role::Alone, answer);
        let op = h.s.logout(T0);
        h.drain();
        out.push(format!("{name}: settled at once {:?}", h.settled(op)));
        let sent = h.sent.clone();
        for (id, kind, request) in &sent {
            out.push(format!("  {kind:?} {}", render(request)));
            h.answer(T0, *id, ok(String::new()));
        }
        out.push(format!(
            "  settled {:?} events {:?} revocations {}",
            h.settled(op),
            h.events,
            h.s.stats().revocations
        ));
    }
    out
}

#[test]
fn every_revocation_is_as_before() {
    crate::core::testing::golden(
        &outcomes(),
        &[
            "generic, refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=refresh_token&client_id=spa",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=access_token&client_id=spa",
            "generic, no refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=access_token&client_id=spa",
            "generic without endpoint, refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "generic without endpoint, no refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "salesforce, refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "  Revocation Post https://acme.my.salesforce.com/services/oauth2/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<7 chars>&token_type_hint=refresh_token&client_id=cid",
            "salesforce, no refresh, refused: settled Some(Err(\"invalid_token_response\"))",
            "  Revocation Post https://acme.my.salesforce.com/services/oauth2/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<21 chars>&token_type_hint=access_token&client_id=cid",
            "generic, refresh: settled at once None",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=refresh_token&client_id=spa",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=access_token&client_id=spa",
            "  settled Some(Ok(())) events [Logout { revoked: true, end_session: false }] revocations 2",
            "generic, no refresh: settled at once None",
            "  Revocation Post https://id.example.com/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<3 chars>&token_type_hint=access_token&client_id=spa",
            "  settled Some(Ok(())) events [Logout { revoked: true, end_session: false }] revocations 1",
            "generic without endpoint, refresh: settled at once Some(Ok(()))",
            "  settled Some(Ok(())) events [Logout { revoked: false, end_session: false }] revocations 0",
            "generic without endpoint, no refresh: settled at once Some(Ok(()))",
            "  settled Some(Ok(())) events [Logout { revoked: false, end_session: false }] revocations 0",
            "salesforce, refresh: settled at once None",
            "  Revocation Post https://acme.my.salesforce.com/services/oauth2/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<7 chars>&token_type_hint=refresh_token&client_id=cid",
            "  settled Some(Ok(())) events [Logout { revoked: true, end_session: false }] revocations 1",
            "salesforce, no refresh: settled at once None",
            "  Revocation Post https://acme.my.salesforce.com/services/oauth2/revoke [(\"Content-Type\", \"application/x-www-form-urlencoded\"), (\"Accept\", \"application/json\")] token=<21 chars>&token_type_hint=access_token&client_id=cid",
            "  settled Some(Ok(())) events [Logout { revoked: true, end_session: false }] revocations 1",
        ],
    );
}
