//! What `handleRedirect()` recognises besides a login callback: a login popup's
//! callback page, which hands the callback to its opener and never exchanges the code, and the
//! way back from the provider's end-session endpoint; and `logout({ endSession })` options that
//! are refused before anything is revoked.

use super::*;
use salesforce_pkce::LogoutOptions;
use salesforce_pkce::Millis;
use salesforce_pkce::PopupOptions;
use salesforce_pkce::browser::Redirect;
use salesforce_pkce::internals::end_session::PendingLogout;

#[wasm_bindgen(module = "/tests/browser/popup_channel.js")]
extern "C" {
    #[wasm_bindgen(js_name = popupListen)]
    fn popup_listen(channel: &str);
    #[wasm_bindgen(js_name = popupSeen)]
    fn popup_seen() -> String;
    #[wasm_bindgen(js_name = popupBreak)]
    fn popup_break(on: bool);
}

fn session_storage() -> web_sys::Storage {
    window().session_storage().unwrap().unwrap()
}

fn ours() -> Vec<String> {
    let s = session_storage();
    (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with("salesforce-pkce:"))
        .collect()
}

#[wasm_bindgen_test]
async fn a_popup_callback_page_hands_the_callback_over_and_never_exchanges_it() {
    let auth = setup("{}");
    // The opener's pending record, as the browser copies it into the popup's sessionStorage.
    let url = auth
        .authorization_url(&LoginOptions {
            return_to: Some("/after".into()),
            popup: true,
            ..Default::default()
        })
        .unwrap();
    let state = query_param(&url, "state");
    popup_listen("salesforce-pkce:popup:3MVG9test");
    set_path(&format!("/callback?code=aPrx%3D%3D&state={state}&iss=x")).await;
    let r = auth.handle_redirect().await;
    let after = window().location().href().unwrap();
    set_path("/").await;
    assert_eq!(
        r,
        Ok(Some(Redirect::Popup {
            return_to: "/after".into()
        }))
    );
    assert!(
        !after.contains("code=") && !after.contains("state="),
        "address bar cleaned"
    );
    popup_page_kept_nothing(&auth);
    let seen: Value = serde_json::from_str(&popup_seen()).unwrap();
    assert_eq!(
        seen,
        serde_json::json!([{ "state": state, "query": format!("code=aPrx%3D%3D&state={state}&iss=x") }])
    );
}

#[wasm_bindgen_test]
async fn a_popup_callback_page_whose_broadcast_channel_throws_rejects_with_an_auth_error() {
    let auth = setup("{}");
    let url = auth
        .authorization_url(&LoginOptions {
            popup: true,
            ..Default::default()
        })
        .unwrap();
    let state = query_param(&url, "state");
    set_path(&format!("/callback?code=aPrx%3D%3D&state={state}&iss=x")).await;
    popup_break(true);
    let r = auth.handle_redirect().await;
    popup_break(false);
    set_path("/").await;
    // Not the raw DOMException: the opener cannot be told, so the popup's page says why.
    let e = r.unwrap_err();
    assert_eq!(e.code(), "invalid_config", "{e}");
    assert!(e.to_string().contains("BroadcastChannel"), "{e}");
    popup_page_kept_nothing(&auth);
}

#[wasm_bindgen_test]
async fn login_popup_on_a_page_whose_broadcast_channel_throws_opens_nothing_and_is_invalid_config()
{
    let auth = setup("{}");
    popup_break(true);
    let r = auth
        .login_popup(&LoginOptions::default(), &PopupOptions::default())
        .await;
    popup_break(false);
    // Not `popup_timeout` at once with the popup left open: refused before it is opened.
    let e = r.unwrap_err();
    assert_eq!(e.code(), "invalid_config", "{e}");
    assert!(e.to_string().contains("BroadcastChannel"), "{e}");
    assert_eq!(
        ours(),
        Vec::<String>::new(),
        "the pending record is forgotten"
    );
}

#[wasm_bindgen_test]
async fn a_refused_login_popup_forgets_a_record_kept_in_local_storage() {
    // pendingStorage "local": the executor removes the record from localStorage, not
    // sessionStorage, when the popup brings no callback (here: no BroadcastChannel).
    let _ = setup("{}");
    let auth = AuthClient::salesforce(&ClientOptions {
        pending_storage: Some("local".into()),
        ..options()
    })
    .unwrap();
    popup_break(true);
    let r = auth
        .login_popup(&LoginOptions::default(), &PopupOptions::default())
        .await;
    popup_break(false);
    assert_eq!(r.unwrap_err().code(), "invalid_config");
    let local = window().local_storage().unwrap().unwrap();
    let left: Vec<String> = (0..local.length().unwrap())
        .filter_map(|i| local.key(i).unwrap())
        .filter(|k| k.starts_with("salesforce-pkce:"))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "the record is forgotten");
    assert_eq!(ours(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn the_way_back_from_end_session_is_recognised_once_and_only_fresh() {
    let auth = setup("{}");
    let logouts = Rc::new(RefCell::new(Vec::new()));
    let l2 = logouts.clone();
    let _sub = auth
        .on("logout", move |e| {
            if let AuthEvent::Logout {
                revoked,
                end_session,
            } = e
            {
                l2.borrow_mut().push((*revoked, *end_session));
            }
        })
        .unwrap();
    let store = |state: &str, age_ms: f64| {
        let p = PendingLogout {
            state: state.into(),
            return_to: "/bye".into(),
            app_state: Some("app-1".into()),
            created_at_ms: Millis(js_sys::Date::now() - age_ms),
        };
        session_storage()
            .set_item(&p.storage_key(), &p.to_storage())
            .unwrap();
    };
    store("s-1", 0.0);
    set_path("/?x=1&state=s-1").await;
    let r = auth.handle_redirect().await;
    let search = window().location().search().unwrap();
    assert_eq!(
        r,
        Ok(Some(Redirect::LoggedOut {
            return_to: "/bye".into(),
            state: Some("app-1".into())
        }))
    );
    assert_eq!(search, "?x=1", "state is removed from the address bar");
    assert_eq!(*logouts.borrow(), [(false, true)]);
    set_path("/?state=s-1").await;
    assert_eq!(auth.handle_redirect().await, Ok(None), "single use");
    store("s-2", 11.0 * 60.0 * 1000.0);
    set_path("/?state=s-2").await;
    assert_eq!(
        auth.handle_redirect().await,
        Ok(None),
        "older than 10 minutes"
    );
    assert_eq!(ours(), Vec::<String>::new());
    set_path("/").await;
    assert_eq!(logouts.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn refused_end_session_options_revoke_nothing_and_keep_the_session() {
    let auth = setup("{}");
    login(&auth).await;
    for (uri, field) in [
        ("http://evil.example/", "postLogoutRedirectUri"),
        ("https://app.example/#x", "postLogoutRedirectUri"),
    ] {
        let e = auth
            .logout_with(&LogoutOptions {
                end_session: Some(true),
                post_logout_redirect_uri: Some(uri.into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{e}");
        assert!(e.message().contains(field), "{e}");
        assert!(auth.is_authenticated(), "{uri}: the session is kept");
    }
    let e = auth
        .logout_with(&LogoutOptions {
            end_session: Some(true),
            return_to: Some("https://evil.example/".into()),
            post_logout_redirect_uri: Some(format!("{}/", origin())),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(e.message().contains("returnTo"), "{e}");
    assert!(auth.is_authenticated());
    assert!(
        !requests()
            .iter()
            .any(|r| r["url"].as_str().unwrap().contains("/revoke")),
        "nothing was revoked"
    );
    assert_eq!(api(&auth).await.unwrap(), 200, "the session still works");
    // Without endSession, logout_with is logout().
    auth.logout_with(&LogoutOptions::default()).await.unwrap();
    assert!(!auth.is_authenticated());
}

/// A popup's callback page exchanged nothing, holds no session and kept no pending record.
fn popup_page_kept_nothing(auth: &AuthClient) {
    assert_eq!(
        count("authorization_code"),
        0,
        "the popup exchanged nothing"
    );
    assert!(!auth.is_authenticated());
    assert_eq!(
        ours(),
        Vec::<String>::new(),
        "the popup's copy of the record is gone"
    );
}

/// Rewrites the creation time of the record under `key` to `age_ms` ago.
fn age_record(key: &str, age_ms: f64) {
    let s = session_storage();
    let record = s.get_item(key).unwrap().unwrap();
    let created = record
        .split('&')
        .find(|p| p.starts_with("created_at="))
        .unwrap()
        .to_owned();
    let old = (js_sys::Date::now() - age_ms) as u64;
    s.set_item(key, &record.replace(&created, &format!("created_at={old}")))
        .unwrap();
}

#[wasm_bindgen_test]
async fn expired_and_corrupt_pending_records_are_swept_and_fresh_ones_kept() {
    const TEN_MINUTES_AND_ONE: f64 = 10.0 * 60.0 * 1000.0 + 60_000.0;
    let auth = setup("{}");
    let s = session_storage();
    let login_key = |state: &str| format!("salesforce-pkce:pending:{state}");
    let logout = |state: &str, age_ms: f64| {
        let p = PendingLogout {
            state: state.into(),
            return_to: "/bye".into(),
            app_state: None,
            created_at_ms: Millis(js_sys::Date::now() - age_ms),
        };
        s.set_item(&p.storage_key(), &p.to_storage()).unwrap();
    };
    // Pending logins: one fresh, one expired, one corrupt; pending logouts alike; and a key
    // under the same prefix that is no record (the restore mark).
    let fresh = start_login(&auth).await;
    let old = start_login(&auth).await;
    age_record(&login_key(&old), TEN_MINUTES_AND_ONE);
    s.set_item(&login_key("junk"), "v=0&state=junk").unwrap();
    logout("l-fresh", 0.0);
    logout("l-fresh-2", 0.0);
    logout("l-old", TEN_MINUTES_AND_ONE);
    s.set_item("salesforce-pkce:logout:junk", "x").unwrap();
    s.set_item("salesforce-pkce:restore-failed", "1").unwrap();

    // A callback whose record is not there sweeps the pending logins.
    let r = callback(&auth, "code=x&state=unknown").await;
    assert_eq!(r.unwrap_err().code(), "state_mismatch");
    let mut kept = ours();
    kept.sort();
    assert!(kept.contains(&login_key(&fresh)), "{kept:?}");
    assert!(!kept.contains(&login_key(&old)), "expired: {kept:?}");
    assert!(!kept.contains(&login_key("junk")), "corrupt: {kept:?}");
    // One sweep: the pending logouts too.
    assert!(
        kept.contains(&"salesforce-pkce:logout:l-fresh".into()),
        "{kept:?}"
    );
    assert!(
        !kept.contains(&"salesforce-pkce:logout:l-old".into()),
        "expired: {kept:?}"
    );
    assert!(
        !kept.contains(&"salesforce-pkce:logout:junk".into()),
        "corrupt: {kept:?}"
    );

    // The way back from end session sweeps the pending logouts, and the logins too.
    let stale = start_login(&auth).await;
    age_record(&login_key(&stale), TEN_MINUTES_AND_ONE);
    set_path("/?state=l-fresh").await;
    let r = auth.handle_redirect().await;
    set_path("/").await;
    assert!(matches!(r, Ok(Some(Redirect::LoggedOut { .. }))), "{r:?}");
    let mut kept = ours();
    kept.sort();
    assert_eq!(
        kept,
        [
            "salesforce-pkce:logout:l-fresh-2".into(),
            login_key(&fresh),
            "salesforce-pkce:restore-failed".into(),
        ]
    );

    // A client's first stored login sweeps too (then at most once a minute), logouts included.
    age_record(&login_key(&fresh), TEN_MINUTES_AND_ONE);
    logout("l-old-2", TEN_MINUTES_AND_ONE);
    let other = AuthClient::salesforce(&options()).unwrap();
    let next = start_login(&other).await;
    let mut kept = ours();
    kept.sort();
    assert_eq!(
        kept,
        [
            "salesforce-pkce:logout:l-fresh-2".to_owned(),
            login_key(&next),
            "salesforce-pkce:restore-failed".into(),
        ]
    );
    s.clear().unwrap();
}
