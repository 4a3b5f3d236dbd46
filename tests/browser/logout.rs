//! Logout: revocation (at Salesforce the refresh token alone), a refresh in flight whose answer is
//! revoked too, memory cleared even when revocation fails.

use super::*;

#[wasm_bindgen_test]
async fn logout_at_salesforce_revokes_the_refresh_token_alone() {
    let auth = setup("{}");
    login(&auth).await;
    auth.logout().await.unwrap();
    assert!(!auth.is_authenticated());
    let revokes: Vec<String> = requests()
        .iter()
        .filter(|r| r["url"].as_str().unwrap().ends_with("/revoke"))
        .map(|r| r["body"].as_str().unwrap().to_owned())
        .collect();
    // Salesforce revokes the access tokens with their refresh token: a second revocation
    // would only meet a dead token (HTTP 400, a red line in the console on every logout).
    assert_eq!(revokes.len(), 1);
    assert!(
        revokes[0].starts_with("token=5Aep-RT-0&token_type_hint=refresh_token"),
        "the refresh token"
    );
    assert_eq!(auth.stats().revocations, 1);
    assert_eq!(api(&auth).await.unwrap_err().code(), "not_authenticated");
}

#[wasm_bindgen_test]
async fn logout_during_a_refresh_revokes_what_the_refresh_returns() {
    // The refresh's answer (a new access token, a rotated refresh token)
    // used to be dropped unrevoked when logout() came while it was in flight.
    let auth = setup(r#"{"rotation":true,"refreshDelayMs":200}"#);
    login(&auth).await;
    let (refreshed, _sub) = count_refreshes(&auth);
    mock_set("access", r#""expired-by-server""#);
    let api_result = Rc::new(RefCell::new(None));
    let slot = api_result.clone();
    let a = auth.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *slot.borrow_mut() = Some(api(&a).await);
    });
    // The mock answers a refresh 200 ms after it logs it: logout() comes while it is in flight.
    until("the refresh request", || count("refresh_token") == 1).await;
    auth.logout().await.unwrap();
    let revoked: Vec<String> = requests()
        .iter()
        .filter(|r| r["url"].as_str().unwrap().ends_with("/revoke"))
        .map(|r| r["body"].as_str().unwrap().to_owned())
        .collect();
    // At Salesforce the refresh tokens alone: each revocation ends its access tokens too.
    assert_eq!(
        revoked.len(),
        2,
        "logout waited for the refresh ({} revocations)",
        revoked.len()
    );
    assert!(
        revoked[0].starts_with("token=5Aep-RT-0&"),
        "the first refresh token"
    );
    assert!(
        revoked[1].starts_with("token=5Aep-RT-2&"),
        "the rotated refresh token the refresh returned"
    );
    assert!(
        !auth.is_authenticated(),
        "nothing the refresh returned is kept"
    );
    assert_eq!(*refreshed.borrow(), 0);
    until("the API call to settle", || api_result.borrow().is_some()).await;
    let api_result = api_result
        .borrow_mut()
        .take()
        .expect("the API call settled");
    assert_eq!(api_result.unwrap_err().code(), "not_authenticated");
}

#[wasm_bindgen_test]
async fn logout_clears_memory_even_when_revocation_fails() {
    for failure in [r#"500"#, r#""network""#] {
        let auth = setup("{}");
        login(&auth).await;
        mock_set("revokeStatus", failure);
        let logged_out = Rc::new(RefCell::new(None));
        let l2 = logged_out.clone();
        let _sub = auth
            .on("logout", move |e| {
                if let AuthEvent::Logout { revoked, .. } = e {
                    *l2.borrow_mut() = Some(*revoked);
                }
            })
            .unwrap();
        let e = auth.logout().await.unwrap_err();
        assert_eq!(e.code(), "revocation_failed", "{failure}");
        assert!(!auth.is_authenticated(), "{failure}");
        assert_eq!(*logged_out.borrow(), Some(false));
        assert_eq!(
            auth.stats().errors_by_code.get("revocation_failed"),
            Some(&1)
        );
    }
}
