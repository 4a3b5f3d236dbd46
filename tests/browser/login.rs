//! Login and callback: the code exchange with its verifier, tokens in memory only, the pending
//! record single use, callback and token endpoint failures that keep the session.

use super::*;

#[wasm_bindgen_test]
async fn login_exchanges_code_with_verifier_and_keeps_tokens_in_memory_only() {
    let auth = setup("{}");
    let url = auth.authorization_url(&LoginOptions::default()).unwrap();
    let pending = window().session_storage().unwrap().unwrap();
    assert_eq!(pending.length().unwrap(), 1, "one pending record");
    let state = query_param(&url, "state");
    callback(&auth, &format!("code=aPrx%3D%3D&state={state}"))
        .await
        .unwrap();
    assert_eq!(
        pending.length().unwrap(),
        0,
        "the pending record is deleted on read"
    );
    let token_call = requests()
        .into_iter()
        .find(|r| r["grantType"] == "authorization_code")
        .unwrap();
    let form: Vec<(String, String)> =
        form_urlencoded::parse(token_call["body"].as_str().unwrap().as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    assert_eq!(
        get("code").as_deref(),
        Some("aPrx=="),
        "the code is URL-decoded"
    );
    let verifier = get("code_verifier").unwrap();
    let challenge = CodeVerifier::parse(&verifier).unwrap().s256_challenge();
    assert_eq!(
        challenge,
        query_param(&url, "code_challenge"),
        "the verifier matches the challenge"
    );
    assert_eq!(token_call["credentials"], "omit");
    let s = auth.session().unwrap();
    assert_eq!(s.instance_url.as_deref(), Some(HOST));
    assert_eq!(s.org_id.as_deref(), Some("00Dxx0000000123AAA"));
    assert_eq!(auth.stats().logins, 1);

    // No token value anywhere but memory.
    let access = serde_json::from_str::<String>(&mock_get("access")).unwrap();
    let refresh = serde_json::from_str::<String>(&mock_get("refresh")).unwrap();
    let mut places = vec![
        window().location().href().unwrap(),
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .unchecked_into::<web_sys::HtmlDocument>()
            .cookie()
            .unwrap(),
    ];
    for storage in [
        window().session_storage().unwrap().unwrap(),
        window().local_storage().unwrap().unwrap(),
    ] {
        for i in 0..storage.length().unwrap() {
            let k = storage.key(i).unwrap().unwrap();
            places.push(format!(
                "{k}={}",
                storage.get_item(&k).unwrap().unwrap_or_default()
            ));
        }
    }
    for p in places {
        assert!(
            !p.contains(&access)
                && !p.contains(&refresh)
                && !p.contains("5Aep")
                && !p.contains("!AT-"),
            "token found in {p}"
        );
    }
}

#[wasm_bindgen_test]
async fn pending_storage_local_keeps_the_record_in_local_storage_single_use() {
    mock_reset("{}");
    let session = window().session_storage().unwrap().unwrap();
    let local = window().local_storage().unwrap().unwrap();
    session.clear().unwrap();
    local.clear().unwrap();
    let auth = AuthClient::salesforce(&ClientOptions {
        pending_storage: Some("local".into()),
        ..options()
    })
    .unwrap();
    let state = start_login(&auth).await;
    assert_eq!(
        (session.length().unwrap(), local.length().unwrap()),
        (0, 1),
        "the record is in localStorage"
    );
    let q = format!("code=aPrx&state={state}");
    callback(&auth, &q).await.unwrap();
    assert!(auth.is_authenticated());
    // What is left is the signed-in marker (restore: "auto"), never the record.
    let keys: Vec<String> = (0..local.length().unwrap())
        .filter_map(|i| local.key(i).unwrap())
        .collect();
    assert_eq!(
        keys,
        ["salesforce-pkce:signed-in:3MVG9test"],
        "deleted on read"
    );
    assert_eq!(
        callback(&auth, &q).await.unwrap_err().code(),
        "no_pending_login",
        "single use"
    );
}

#[wasm_bindgen_test]
async fn no_callback_no_action() {
    let auth = setup("{}");
    assert_eq!(auth.handle_redirect().await.unwrap(), None);
    set_path("/callback?page=2").await;
    assert_eq!(auth.handle_redirect().await.unwrap(), None);
    set_path("/").await;
}

#[wasm_bindgen_test]
async fn callback_errors_leave_the_existing_session_untouched() {
    let auth = setup("{}");
    login(&auth).await;

    // state mismatch: a pending login exists, the callback carries another state
    start_login(&auth).await;
    let r = callback(&auth, "code=x&state=forged").await;
    assert_session_untouched(&auth, "state_mismatch", r).await;

    // no pending login at all
    clear_session_storage();
    let r = callback(&auth, "code=x&state=unknown").await;
    assert_session_untouched(&auth, "no_pending_login", r).await;

    // replayed callback
    let state = start_login(&auth).await;
    let q = format!("code=aPrx&state={state}");
    callback(&auth, &q).await.unwrap();
    let r = callback(&auth, &q).await;
    assert_session_untouched(&auth, "no_pending_login", r).await;

    // expired pending record: rewrite its creation time to 11 minutes ago
    let state = start_login(&auth).await;
    let storage = window().session_storage().unwrap().unwrap();
    let key = format!("salesforce-pkce:pending:{state}");
    let record = storage.get_item(&key).unwrap().unwrap();
    let old = (js_sys::Date::now() - 11.0 * 60_000.0) as u64;
    let created = record
        .split('&')
        .find(|p| p.starts_with("created_at="))
        .unwrap()
        .to_owned();
    storage
        .set_item(
            &key,
            &record.replace(&created, &format!("created_at={old}")),
        )
        .unwrap();
    let r = callback(&auth, &format!("code=x&state={state}")).await;
    assert_session_untouched(&auth, "login_expired", r).await;

    // error= callback
    let state = start_login(&auth).await;
    let r = callback(
        &auth,
        &format!(
            "error=access_denied&error_description=end-user+denied+authorization&state={state}"
        ),
    )
    .await;
    let e = r.as_ref().unwrap_err().clone();
    assert_eq!(
        (e.server_error(), e.error_description()),
        (Some("access_denied"), Some("end-user denied authorization"))
    );
    assert_session_untouched(&auth, "authorization_denied", r).await;

    // iss mismatch (RFC 9207)
    let state = start_login(&auth).await;
    let r = callback(
        &auth,
        &format!("code=x&state={state}&iss=https%3A%2F%2Fevil.example"),
    )
    .await;
    assert_session_untouched(&auth, "issuer_mismatch", r).await;

    // malformed
    let state = start_login(&auth).await;
    let r = callback(&auth, &format!("code=a&code=b&state={state}")).await;
    assert_session_untouched(&auth, "invalid_callback", r).await;
}

#[wasm_bindgen_test]
async fn token_endpoint_failures_have_their_codes_and_keep_the_session() {
    let auth = setup(r#"{"refreshDelayMs":0}"#);
    login(&auth).await;
    let good = r#"{"access_token":"00Dxx!X","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","issued_at":"1700000000000"}"#;
    let cases: [(String, &str); 6] = [
        (r#"{"status":400,"body":{"error":"invalid_grant","error_description":"invalid authorization code"}}"#.into(), "token_endpoint_error"),
        (r#"{"status":500,"body":"<html>Internal Server Error</html>","contentType":"text/html"}"#.into(), "token_endpoint_error"),
        (r#"{"status":200,"body":"<html>not json</html>","contentType":"text/html"}"#.into(), "invalid_token_response"),
        (r#"{"status":200,"body":{"token_type":"Bearer","instance_url":"https://acme.my.salesforce.com"}}"#.into(), "invalid_token_response"),
        (format!(r#"{{"status":200,"body":{}}}"#, good.replace("https://acme.my.salesforce.com", "https://evil.example")), "invalid_token_response"),
        (format!(r#"{{"status":200,"body":{}}}"#, good.replace("Bearer", "MAC")), "invalid_token_response"),
    ];
    for (queued, code) in cases {
        mock_queue_token(&queued);
        let state = start_login(&auth).await;
        let r = callback(&auth, &format!("code=aPrx&state={state}")).await;
        if code == "token_endpoint_error" {
            let e = r.as_ref().unwrap_err();
            assert!(e.status() == Some(400) || e.status() == Some(500));
        }
        assert_session_untouched(&auth, code, r).await;
    }
    let e = requests();
    assert!(
        e.iter()
            .all(|r| r["url"].as_str().unwrap().starts_with(HOST)),
        "the token never went to evil.example"
    );
}

#[wasm_bindgen_test]
async fn a_token_call_past_timeout_ms_is_network_error() {
    mock_reset("{}");
    let auth = AuthClient::salesforce(&ClientOptions {
        timeout_ms: Some(150.0),
        ..options()
    })
    .unwrap();
    login(&auth).await;
    mock_queue_token(r#"{"hang":true}"#);
    let state = start_login(&auth).await;
    // Room first for callback()'s replaceState calls (two set_path, the address bar cleaned):
    // its wait for room (tests/browser/history.js) is no part of the time measured.
    replace_state_room(4).await;
    let started = js_sys::Date::now();
    let r = callback(&auth, &format!("code=aPrx&state={state}")).await;
    assert!(js_sys::Date::now() - started < 5_000.0, "the timeout fired");
    let msg = r.as_ref().unwrap_err().to_string();
    assert!(msg.contains("did not answer in time"), "{msg}");
    assert_session_untouched(&auth, "network_error", r).await;
}

#[wasm_bindgen_test]
async fn scope_downgrade_emits_scope_reduced() {
    let auth = setup("{}");
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s2 = seen.clone();
    let _sub = auth
        .on("scope_reduced", move |e| {
            if let AuthEvent::ScopeReduced { missing, granted } = e {
                s2.borrow_mut().push((missing.clone(), granted.clone()));
            }
        })
        .unwrap();
    mock_queue_token(
        r#"{"status":200,"body":{"access_token":"00Dxx!R","refresh_token":"5Aep-R","token_type":"Bearer","instance_url":"https://acme.my.salesforce.com","issued_at":"1700000000000","scope":"refresh_token id"}}"#,
    );
    let state = start_login(&auth).await;
    callback(&auth, &format!("code=aPrx&state={state}"))
        .await
        .unwrap();
    assert_eq!(auth.session().unwrap().scopes, ["refresh_token", "id"]);
    assert_eq!(
        *seen.borrow(),
        vec![(
            vec!["api".to_owned(), "openid".to_owned()],
            vec!["refresh_token".to_owned(), "id".to_owned()]
        )]
    );
}

/// A pending record that cannot be stored says why: the storage refused it (setItem threw:
/// full) or the browser denies the storage (reading it threw). The record is written first and
/// the storage checked only when that fails (src/browser/pending.rs), so both keep their message.
#[wasm_bindgen_test]
async fn a_pending_record_that_cannot_be_stored_says_why() {
    let auth = setup("{}");
    for (fault, says) in [
        (1, "refused to store the pending login"),
        (2, "denies access to storage"),
    ] {
        storage_fault(fault);
        let r = auth.authorization_url(&LoginOptions::default());
        storage_fault(0);
        let e = r.unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert!(e.to_string().contains(says), "{e}");
    }
    let pending = window().session_storage().unwrap().unwrap();
    assert_eq!(pending.length().unwrap(), 0, "nothing stored");
    auth.authorization_url(&LoginOptions::default()).unwrap();
    assert_eq!(
        pending.length().unwrap(),
        1,
        "stored once the storage is back"
    );
}
