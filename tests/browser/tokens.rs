//! Tokens in the browser: a request that cannot be built fails with a fixed message that never
//! quotes a header value (Firefox's `Headers.set` TypeError quotes the whole value, token
//! included), on every path; and a DPoP key another tab posts is taken only when it is what
//! `dpopKey` makes (a private, non-extractable ECDSA P-256 CryptoKey).

use super::*;

#[wasm_bindgen(module = "/tests/browser/tokens.js")]
extern "C" {
    #[wasm_bindgen(js_name = breakHeadersSet)]
    fn break_headers_set(name: &str);
    #[wasm_bindgen(js_name = restoreHeadersSet)]
    fn restore_headers_set();
    #[wasm_bindgen(js_name = retryThatThrows)]
    fn retry_that_throws(fresh: &str) -> JsValue;
    #[wasm_bindgen(js_name = postedKeys)]
    async fn posted_keys() -> JsValue;
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    // By value: the library imports it by reference, and the two imports must differ.
    fn authorized(
        dispatch: JsValue,
        input: &JsValue,
        init: &JsValue,
        base: &JsValue,
        bearer: &JsValue,
        generation: f64,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    // By value: the library imports it by reference, and the two imports must differ.
    #[wasm_bindgen(js_name = receivedKey)]
    fn received_key(k: JsValue) -> JsValue;
}

fn get(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

#[wasm_bindgen_test]
async fn an_unbuildable_request_never_quotes_a_header_value() {
    let auth = setup("{}");
    login(&auth).await;
    let errors = Rc::new(RefCell::new(Vec::new()));
    let e2 = errors.clone();
    let _sub = auth
        .on("error", move |e| {
            if let AuthEvent::Error(e) = e {
                e2.borrow_mut().push(e.message());
            }
        })
        .unwrap();
    let token = mock_get("access").trim_matches('"').to_owned();
    assert!(token.starts_with("00Dxx"), "{token}");
    let url = JsValue::from_str("/services/data/v66.0/limits");
    let request = web_sys::Request::new_with_str(&format!("{HOST}/services/data/v66.0/limits"))
        .unwrap()
        .into();
    break_headers_set("Authorization");
    let by_url = auth.fetch(&url, None).await;
    let by_request = auth.fetch(&request, None).await;
    restore_headers_set();
    for r in [by_url, by_request] {
        let e = r.unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        let m = e.message();
        // Never printed when it fails: it would print the token.
        let quotes = m.contains(&token) || m.contains("Bearer");
        assert!(!quotes, "the message quotes the header");
        assert!(m.contains("could not be built"), "{m}");
    }
    let seen = errors.borrow().clone();
    let quoting = |m: &String| m.contains(&token) || m.contains("Bearer");
    assert!(
        !seen.iter().any(quoting),
        "an error event quotes the header"
    );
    // The rejections are the reports: no error event as well, each counted.
    assert!(seen.is_empty(), "{seen:?}");
    assert_eq!(auth.stats().errors_by_code.get("invalid_config"), Some(&2));
    assert!(auth.is_authenticated(), "the session is kept");
    assert_eq!(api(&auth).await.unwrap(), 200);
}

/// The executor's `authorized` (`js/executor.js`): a `Headers.set` that throws on the retry after
/// a 401 goes to the wasm as a request that could not be built, never to the caller as the raw
/// TypeError.
#[wasm_bindgen_test]
async fn the_fast_path_retry_hands_a_throw_to_rust() {
    mock_reset("{}");
    let dispatch = retry_that_throws("Bearer 00D!fresh-SECRET");
    let promise: js_sys::Promise = authorized(
        dispatch,
        &JsValue::from_str("/services/data/v66.0/limits"),
        &JsValue::UNDEFINED,
        &JsValue::from_str(HOST),
        &JsValue::from_str("Bearer stale"),
        1.0,
    )
    .unchecked_into();
    let r = JsFuture::from(promise).await;
    restore_headers_set();
    let e = r.expect_err("the retry could not be built");
    assert_eq!(
        get(&e, "fromOnFail"),
        JsValue::TRUE,
        "not the raw TypeError"
    );
    assert_eq!(get(&e, "sent"), JsValue::FALSE, "reported as unbuildable");
    let first = request_to(&format!("{HOST}/services/data/"));
    assert_eq!(first["authorization"], "Bearer stale");
}

#[wasm_bindgen_test]
async fn a_posted_dpop_key_must_be_a_non_extractable_ecdsa_p256_key() {
    let cases: js_sys::Array = posted_keys().await.unchecked_into();
    assert_eq!(cases.length(), 8);
    for case in cases.iter() {
        let case: js_sys::Array = case.unchecked_into();
        let name = case.get(0).as_string().unwrap();
        let taken = !received_key(case.get(1)).is_null();
        assert_eq!(taken, case.get(2).as_bool().unwrap(), "{name}");
    }
}

#[wasm_bindgen_test]
async fn a_5_mb_token_answer_is_refused_without_reading_it_all() {
    let auth = setup("{}");
    let body = r#"{"access_token":"00Dxx!HUGE","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","issued_at":"1700000000000"}"#;
    mock_queue_token(&format!(
        r#"{{"status":200,"body":{body},"streamBytes":5000000}}"#
    ));
    let state = start_login(&auth).await;
    let e = callback(&auth, &format!("code=aPrx&state={state}"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_token_response");
    assert!(e.message().contains("over 64 KiB"), "{e}");
    let streamed: u64 = mock_get("streamed").parse().unwrap();
    assert!(streamed <= 3 * 65536, "{streamed} of 5,000,000 bytes read");
    assert!(!auth.is_authenticated());
}

#[wasm_bindgen_test]
async fn the_tokens_of_a_refused_token_answer_are_revoked() {
    let auth = setup("{}");
    mock_queue_token(
        r#"{"status":200,"body":{"access_token":"00Dxx!REFUSED","refresh_token":"5Aep-REFUSED","token_type":"Bearer","instance_url":"https://evil.example","issued_at":"1700000000000"}}"#,
    );
    let state = start_login(&auth).await;
    let e = callback(&auth, &format!("code=aPrx&state={state}"))
        .await
        .unwrap_err();
    assert!(!e.message().contains("REFUSED"), "no token in the message");
    assert_eq!(e.code(), "invalid_token_response");
    until("the refused refresh token is revoked", || {
        revocation_bodies()
            .iter()
            .any(|b| b.contains("token=5Aep-REFUSED"))
    })
    .await;
    assert!(!auth.is_authenticated());
    assert!(
        requests()
            .iter()
            .all(|r| !r["url"].as_str().unwrap().contains("evil.example")),
        "nothing went to the refused instance_url"
    );
}

#[wasm_bindgen_test]
async fn a_refused_refresh_answer_repeating_the_held_access_token_revokes_its_new_refresh_token() {
    let auth = setup("{}");
    login(&auth).await;
    let held = mock_get("access");
    // The refresh answer repeats the held access token with a new refresh token, and is refused
    // (its instance_url is untrusted).
    mock_queue_token(&format!(
        r#"{{"status":200,"body":{{"access_token":{held},"refresh_token":"5Aep-NEW","token_type":"Bearer","instance_url":"https://evil.example","issued_at":"1700000000000"}}}}"#
    ));
    mock_set("access", r#""expired-by-server""#);
    let _ = api(&auth).await;
    until("the new refresh token is revoked", || {
        revocation_bodies()
            .iter()
            .any(|b| b.contains("token=5Aep-NEW"))
    })
    .await;
    sleep_ms(100).await;
    assert_eq!(
        revocation_bodies().len(),
        1,
        "the held access token is not revoked"
    );
    assert!(auth.is_authenticated(), "the session is kept");
}

/// The bodies of the revocation requests the mock has seen, in order.
fn revocation_bodies() -> Vec<String> {
    requests()
        .iter()
        .filter(|r| r["url"] == format!("{HOST}/services/oauth2/revoke"))
        .map(|r| r["body"].as_str().unwrap().to_owned())
        .collect()
}
