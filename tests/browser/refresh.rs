//! Refresh: one refresh for a storm of 401s, again after a transient failure, `invalid_grant` ends
//! the session, rotation, proactive refresh before `expires_in`, tiny lifetimes.

use super::*;
use salesforce_pkce::Millis;

#[wasm_bindgen_test]
async fn hundred_concurrent_401s_cause_exactly_one_refresh() {
    let auth = setup(r#"{"refreshDelayMs":30}"#);
    login(&auth).await;
    let (refreshed, _sub) = count_refreshes(&auth);
    mock_set("access", r#""expired-by-server""#);
    let calls = (0..100).map(|_| {
        let a = auth.clone();
        async move { api(&a).await }
    });
    let results = futures_join_all(calls).await;
    assert!(
        results.iter().all(|r| matches!(r, Ok(200))),
        "{:?}",
        results.iter().filter(|r| !matches!(r, Ok(200))).count()
    );
    assert_eq!(count("refresh_token"), 1, "exactly one refresh request");
    assert_eq!(*refreshed.borrow(), 1);
    let st = auth.stats();
    assert_eq!((st.refreshes, st.retried_after_401), (1, 100));
    let retried = requests()
        .iter()
        .filter(|r| {
            r["url"].as_str().unwrap().contains("/services/data/")
                && r["authorization"] == "Bearer 00Dxx0000000123!AT-2"
        })
        .count();
    assert_eq!(retried, 100, "100 retries with the new token");
    // The first answers were not the callers': each body was dropped (cancelled), so its
    // connection is free for the retries.
    assert_eq!(
        mock_dead_bodies_used(),
        100,
        "each discarded 401's body is released"
    );
}

#[wasm_bindgen_test]
async fn a_second_wave_after_a_transient_refresh_failure_refreshes_again() {
    let auth = setup(r#"{"refreshDelayMs":10}"#);
    login(&auth).await;
    mock_set("access", r#""dead""#);
    mock_set(
        "refreshFail",
        r#"{"status":503,"body":{"error":"server_error"}}"#,
    );
    let first = futures_join_all((0..20).map(|_| {
        let a = auth.clone();
        async move { api(&a).await }
    }))
    .await;
    assert!(first.iter().all(|r| {
        r.as_ref()
            .is_err_and(|e| e.code() == "token_endpoint_error" && e.status() == Some(503))
    }));
    assert_eq!(
        count("refresh_token"),
        1,
        "one refresh for the whole first wave"
    );
    assert!(
        auth.is_authenticated(),
        "a transient failure keeps the session"
    );
    mock_set("refreshFail", "null");
    let second = futures_join_all((0..20).map(|_| {
        let a = auth.clone();
        async move { api(&a).await }
    }))
    .await;
    assert!(second.iter().all(|r| matches!(r, Ok(200))));
    assert_eq!(
        count("refresh_token"),
        2,
        "one more refresh for the second wave"
    );
    assert_eq!(auth.stats().refresh_failures, 1);
}

#[wasm_bindgen_test]
async fn invalid_grant_on_refresh_ends_the_session() {
    let auth = setup(r#"{"refreshDelayMs":10}"#);
    login(&auth).await;
    let expired = Rc::new(RefCell::new(Vec::new()));
    let e2 = expired.clone();
    let _sub = auth
        .on("session_expired", move |e| e2.borrow_mut().push(e.name()))
        .unwrap();
    mock_set("access", r#""dead""#);
    mock_set(
        "refreshFail",
        r#"{"status":400,"body":{"error":"invalid_grant","error_description":"expired access/refresh token"}}"#,
    );
    let wave = futures_join_all((0..10).map(|_| {
        let a = auth.clone();
        async move { api(&a).await }
    }))
    .await;
    assert!(
        wave.iter()
            .all(|r| r.as_ref().is_err_and(|e| e.code() == "session_expired"))
    );
    assert_eq!(count("refresh_token"), 1);
    assert!(!auth.is_authenticated());
    assert_eq!(expired.borrow().len(), 1);
    assert_eq!(
        api(&auth).await.unwrap_err().code(),
        "not_authenticated",
        "the next wave: signed out"
    );
    assert_eq!(count("refresh_token"), 1);
}

#[wasm_bindgen_test]
async fn rotation_replaces_the_refresh_token() {
    let auth = setup(r#"{"rotation":true,"refreshDelayMs":0}"#);
    login(&auth).await;
    for _ in 0..3 {
        mock_set("access", r#""dead""#);
        assert_eq!(api(&auth).await.unwrap(), 200);
    }
    assert_eq!(
        count("refresh_token"),
        3,
        "each rotated token was accepted by the server"
    );
}

#[wasm_bindgen_test]
async fn proactive_refresh_before_expires_in_without_any_401() {
    // expires_in = 30 s issued 10 min ago by the provider's clock: the refresh is due at once
    // (60 s ahead of expiry); the 30 s floor keeps it to one.
    let auth = setup(r#"{"expiresIn":30,"issuedAgoMs":600000,"refreshDelayMs":0}"#);
    let (refreshed, _sub) = count_refreshes(&auth);
    login(&auth).await;
    let expires = auth
        .session()
        .unwrap()
        .expires_at
        .expect("expiry known from expires_in");
    assert!(expires > Millis(js_sys::Date::now() + 20_000.0));
    sleep_ms(1_600).await;
    assert_eq!(*refreshed.borrow(), 1, "refreshed proactively, once");
    assert_eq!(count("refresh_token"), 1);
    let no_401 = requests()
        .iter()
        .all(|r| !r["url"].as_str().unwrap().contains("/services/data/"));
    assert!(no_401, "no API call was needed to trigger it");
    assert_eq!(api(&auth).await.unwrap(), 200);
    auth.logout().await.unwrap();
    sleep_ms(1_200).await;
    assert_eq!(count("refresh_token"), 1, "nothing refreshes after logout");
}

#[wasm_bindgen_test]
async fn tiny_expires_in_refreshes_on_401_only_and_is_reported_once() {
    // expires_in = 1 used to refresh in a loop (15 grants in 8 idle seconds).
    let auth = setup(r#"{"expiresIn":1,"refreshDelayMs":0}"#);
    let errors = Rc::new(RefCell::new(Vec::new()));
    let e2 = errors.clone();
    let _sub = auth
        .on("error", move |e| {
            if let AuthEvent::Error(e) = e {
                e2.borrow_mut().push((e.code(), e.message()));
            }
        })
        .unwrap();
    login(&auth).await;
    sleep_ms(1_600).await;
    assert_eq!(count("refresh_token"), 0, "no proactive refresh");
    {
        let errors = errors.borrow();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "invalid_token_response");
        assert!(errors[0].1.contains("expires_in"), "{}", errors[0].1);
    }
    mock_set("access", r#""expired-by-server""#);
    assert_eq!(api(&auth).await.unwrap(), 200, "the 401 path refreshes");
    assert_eq!(count("refresh_token"), 1);
    sleep_ms(1_200).await;
    assert_eq!(count("refresh_token"), 1);
    assert_eq!(errors.borrow().len(), 1, "reported once");
    auth.logout().await.unwrap();
}
