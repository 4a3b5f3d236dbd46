//! What differs between engines: WebKit refuses `history.replaceState` past 100 calls
//! in 10 seconds (Chromium drops them silently past its flood limit), which must never make
//! `handleRedirect` throw; and which sharing mode each `sessionSharing` falls back to (printed
//! as `ENGINE-REPORT` lines for `make browser-table`).

use super::*;
use salesforce_pkce::browser::Subscription;

/// The `error` events seen, as (code, message).
type Errors = Rc<RefCell<Vec<(String, String)>>>;

fn error_events(auth: &AuthClient) -> (Errors, Subscription) {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let e2 = errors.clone();
    let sub = auth
        .on("error", move |e| {
            if let AuthEvent::Error(e) = e {
                e2.borrow_mut().push((e.code().to_owned(), e.message()));
            }
        })
        .unwrap();
    (errors, sub)
}

fn thrown() -> Vec<String> {
    serde_json::from_str(&replace_state_thrown()).unwrap()
}

fn is_webkit() -> bool {
    let ua = user_agent();
    ua.contains("AppleWebKit") && !ua.contains("Chrome")
}

fn assert_cleanup_reported(errors: &[(String, String)], how: &str) {
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "invalid_config");
    assert!(
        errors[0]
            .1
            .contains("the browser refused to clean the address bar")
            && errors[0].1.contains(how),
        "{}",
        errors[0].1
    );
}

fn address_bar_has_code() -> bool {
    window().location().href().unwrap().contains("code=")
}

#[wasm_bindgen_test]
async fn a_refused_address_bar_cleanup_still_signs_in_and_is_an_error_event() {
    let auth = setup("{}");
    let (errors, _sub) = error_events(&auth);
    let state = start_login(&auth).await;
    let before = window().location().pathname().unwrap();
    set_path(&format!("/callback?code=aPrx%3D%3D&state={state}")).await;
    replace_state_refuse(true);
    let r = auth.handle_redirect().await;
    replace_state_refuse(false);
    assert_eq!(
        r.map(|o| o.map(|r| r.return_to().to_owned())),
        Ok(Some("/after".to_owned())),
        "no rejection"
    );
    assert!(auth.is_authenticated());
    assert_cleanup_reported(&errors.borrow(), "threw SecurityError");
    assert!(
        address_bar_has_code(),
        "the address bar could not be cleaned"
    );
    assert_eq!(api(&auth).await.unwrap(), 200);
    // The pending record was taken: the same callback again is no login.
    assert_eq!(
        auth.handle_redirect().await.unwrap_err().code(),
        "no_pending_login"
    );
    assert_eq!(count("authorization_code"), 1);
    set_path(&before).await;
}

#[wasm_bindgen_test]
async fn a_hundred_replace_state_calls_then_handle_redirect_signs_in() {
    let auth = setup("{}");
    let (errors, _sub) = error_events(&auth);
    let state = start_login(&auth).await;
    let before = window().location().pathname().unwrap();
    let url = format!("/callback?code=aPrx%3D%3D&state={state}");
    set_path(&url).await;
    // 100 calls, then on until the browser refuses one (WebKit's window may restart meanwhile;
    // Chromium never refuses), at most 300: in WebKit the library's own call is refused next.
    let history = window().history().unwrap();
    for calls in 1..=300 {
        let refused = history
            .replace_state_with_url(&JsValue::NULL, "", Some(&url))
            .is_err();
        if refused && calls >= 100 {
            break;
        }
    }
    let thrown_before = thrown().len();
    let r = auth.handle_redirect().await;
    assert_eq!(
        r.map(|o| o.map(|r| r.return_to().to_owned())),
        Ok(Some("/after".to_owned())),
        "no rejection"
    );
    assert!(auth.is_authenticated());
    // WebKit throws (an error event); Chromium may drop the call silently (the library checks
    // the address bar: an error event too); Firefox allows it. Whichever: a session, no rejection.
    let threw = thrown().len() > thrown_before;
    let dirty = address_bar_has_code();
    if threw {
        assert_cleanup_reported(&errors.borrow(), "threw SecurityError");
    } else if dirty {
        assert_cleanup_reported(&errors.borrow(), "was ignored");
    } else {
        assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
    }
    if is_webkit() {
        assert!(threw, "WebKit refuses the 101st replaceState in 10 seconds");
    }
    let refused = if threw {
        r#""throws SecurityError""#
    } else if dirty {
        r#""ignored""#
    } else {
        "false"
    };
    console_log(&format!(
        r#"ENGINE-REPORT {{"replaceStateLimit":{refused},"userAgent":{}}}"#,
        serde_json::to_string(&user_agent()).unwrap()
    ));
    set_path(&before).await;
}

#[wasm_bindgen_test]
fn engine_report_sharing_fallbacks() {
    mock_reset("{}");
    let mut modes = Vec::new();
    for asked in ["tabs", "tabs-locks"] {
        let auth = AuthClient::salesforce(&ClientOptions {
            session_sharing: Some(asked.into()),
            ..options()
        })
        .unwrap();
        modes.push(format!(r#""{asked}":"{}""#, auth.sharing_mode()));
    }
    console_log(&format!(
        r#"ENGINE-REPORT {{"sharing":{{{}}}}}"#,
        modes.join(",")
    ));
}
