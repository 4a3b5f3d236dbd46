//! Dead-token answers in the browser: a request sent as one user is never replayed as the
//! next, and an origin that refuses every token does not cost a refresh per call.

use super::*;

#[wasm_bindgen(module = "/tests/browser/mock.js")]
extern "C" {
    #[wasm_bindgen(js_name = mockHeld)]
    fn mock_held() -> u32;
    #[wasm_bindgen(js_name = mockReleaseHeld)]
    fn mock_release_held();
}

fn authorizations_to(suffix: &str) -> Vec<String> {
    requests()
        .iter()
        .filter(|r| r["url"].as_str().unwrap().ends_with(suffix))
        .map(|r| r["authorization"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn a_401_to_user_as_slow_request_after_b_signed_in_is_delivered_not_sent_as_b() {
    let auth = setup("{}");
    login(&auth).await;
    let as_a = ["Bearer ", &mock_get("access").replace('"', "")].concat();
    // A's slow request is on the wire...
    let slow = {
        let auth = auth.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let r = auth
                .fetch(&JsValue::from_str("/services/data/v66.0/hold"), None)
                .await;
            Ok(JsValue::from(r.map_or_else(
                |e| e.code().to_owned(),
                |r| r.status().to_string(),
            )))
        })
    };
    until("the slow request is on the wire", || mock_held() == 1).await;
    // ...A signs out and B signs in (another interactive login: new tokens).
    auth.logout().await.unwrap();
    login(&auth).await;
    let as_b = ["Bearer ", &mock_get("access").replace('"', "")].concat();
    assert!(as_a != as_b, "B has other tokens");
    let refreshes = count("refresh_token");
    // A's request is answered now, 401: A's token is dead.
    mock_release_held();
    let answer = JsFuture::from(slow).await.unwrap().as_string().unwrap();
    assert_eq!(answer, "401", "A's caller gets A's 401");
    // (Compared without printing: even the mock's tokens stay out of the test output.)
    let sent = authorizations_to("/hold");
    assert!(
        sent.len() == 1 && sent[0] == as_a,
        "one request, sent as A; none as B ({} sent)",
        sent.len()
    );
    assert_eq!(
        count("refresh_token"),
        refreshes,
        "no refresh of B's session"
    );
    assert_eq!(api(&auth).await.unwrap(), 200, "B's session works");
}

#[wasm_bindgen_test]
async fn an_origin_that_refuses_every_token_costs_one_refresh_not_one_per_call() {
    let auth = setup("{}");
    login(&auth).await;
    let url = JsValue::from_str("https://api.partner.example/v1/always-401");
    for _ in 0..10 {
        let r = auth.fetch(&url, None).await.unwrap();
        assert_eq!(r.status(), 401);
    }
    assert_eq!(
        count("refresh_token"),
        1,
        "one refresh, then 401s are delivered"
    );
    // The normal origin's dead token still refreshes (once).
    mock_set("access", "\"expired-elsewhere\"");
    assert_eq!(api(&auth).await.unwrap(), 200);
    assert_eq!(count("refresh_token"), 2);
}
