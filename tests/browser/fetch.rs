//! `auth.fetch` and `AuthClient::send`: the Bearer goes only to the instance, a trusted
//! `api_instance_url` and `allowedOrigins`; signed out is `not_authenticated` before anything is
//! sent; the UserInfo endpoint's answers.

use super::*;

#[wasm_bindgen(module = "/tests/browser/inits.js")]
extern "C" {
    #[wasm_bindgen(js_name = protoInit)]
    fn proto_init() -> JsValue;
    #[wasm_bindgen(js_name = classInit)]
    fn class_init() -> JsValue;
    fn described(packed: JsValue) -> String;
    #[wasm_bindgen(js_name = noRefusal)]
    fn no_refusal() -> JsValue;
}

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    // By value: the library imports `packRequest` by reference, and the two imports must differ.
    #[wasm_bindgen(js_name = packRequest)]
    fn pack(input: JsValue, init: JsValue, dispatch: JsValue) -> js_sys::Promise;
}

#[wasm_bindgen_test]
async fn the_bearer_may_go_to_a_trusted_api_instance_url_only() {
    // JWT-based access tokens come with api_instance_url.
    let auth = setup(r#"{"apiInstanceUrl":"https://api.salesforce.com"}"#);
    login(&auth).await;
    assert_eq!(
        auth.session().unwrap().api_instance_url.as_deref(),
        Some("https://api.salesforce.com")
    );
    let ok = auth
        .fetch(
            &JsValue::from_str("https://api.salesforce.com/platform/x"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let sent = request_to("https://api.salesforce.com/");
    assert!(
        sent["authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer "),
        "the Bearer went to api_instance_url"
    );
    // An api_instance_url that fails the instance_url trust rule refuses the whole response.
    let auth = setup(r#"{"apiInstanceUrl":"https://api.evil.example"}"#);
    let state = start_login(&auth).await;
    let e = callback(&auth, &format!("code=aPrx%3D%3D&state={state}"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_token_response", "{e}");
    assert!(!auth.is_authenticated());
    assert!(
        requests()
            .iter()
            .all(|r| !r["url"].as_str().unwrap().contains("evil.example")),
        "nothing was sent there"
    );
}

#[wasm_bindgen_test]
async fn bearer_goes_only_to_allowed_origins() {
    let auth = setup("{}");
    login(&auth).await;
    for url in [
        "https://evil.example/steal",
        "https://acme.my.salesforce.com.evil.example/x",
        "http://acme.my.salesforce.com/services/data/",
    ] {
        let e = auth.fetch(&JsValue::from_str(url), None).await.unwrap_err();
        assert_eq!(e.code(), "origin_not_allowed", "{url}");
    }
    assert!(
        requests()
            .iter()
            .all(|r| !r["url"].as_str().unwrap().contains("evil.example")),
        "no request left for a refused origin"
    );
    let ok = auth
        .fetch(&JsValue::from_str("https://api.partner.example/v1/x"), None)
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let partner = request_to("https://api.partner.example");
    assert_eq!(
        partner["authorization"], "Bearer 00Dxx0000000123!AT-1",
        "allowedOrigins receive the token"
    );
    assert!(
        requests()
            .iter()
            .filter(|r| r["authorization"].is_string())
            .all(|r| {
                let u = r["url"].as_str().unwrap();
                u.starts_with(HOST) || u.starts_with("https://api.partner.example")
            })
    );
    let e = auth.fetch(&JsValue::from_f64(3.0), None).await.unwrap_err();
    assert_eq!(e.code(), "invalid_config");
}

#[wasm_bindgen_test]
async fn signed_out_fetch_is_not_authenticated_before_anything_else() {
    let auth = setup("{}");
    let e = auth
        .fetch(&JsValue::from_str("https://evil.example/"), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_authenticated");
    assert!(requests().is_empty());
}

#[wasm_bindgen_test]
async fn userinfo_refreshes_on_bad_oauth_token() {
    let auth = setup(r#"{"refreshDelayMs":0}"#);
    login(&auth).await;
    mock_set("access", r#""dead""#);
    let info = auth.userinfo().await.unwrap();
    assert_eq!(
        js_sys::Reflect::get(&info, &"name".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("Ada Admin")
    );
    assert_eq!(count("refresh_token"), 1);
}

#[wasm_bindgen_test]
async fn userinfo_is_one_json_get_without_cookies_or_redirects() {
    let auth = setup("{}");
    login(&auth).await;
    auth.userinfo().await.unwrap();
    let is_userinfo = |r: &Value| r["url"].as_str().unwrap().ends_with("/oauth2/userinfo");
    let calls: Vec<_> = requests().into_iter().filter(is_userinfo).collect();
    assert_eq!(calls.len(), 1, "one UserInfo request");
    let r = &calls[0];
    assert_eq!(r["method"], "GET");
    assert_eq!(r["accept"], "application/json");
    assert_eq!(r["credentials"], "omit");
    assert_eq!(r["redirect"], "error");
    assert!(r["authorization"].as_str().unwrap().starts_with("Bearer "));
}

#[wasm_bindgen_test]
async fn userinfo_error_answer_is_userinfo_failed() {
    let auth = setup("{}");
    login(&auth).await;
    mock_set("userinfoStatus", "500");
    let e = auth.userinfo().await.unwrap_err();
    assert_eq!((e.code(), e.status()), ("userinfo_failed", Some(500)));
    assert!(
        auth.is_authenticated(),
        "a userinfo failure keeps the session"
    );
}

/// `AuthClient::send` (cargo feature `gloo`): gloo-net requests get `fetch`'s origin rule,
/// single-flight refresh and one retry.
#[cfg(feature = "gloo")]
#[wasm_bindgen_test]
async fn gloo_send_shares_one_refresh_retries_once_and_keeps_the_origin_rule() {
    use gloo_net::http::Request;
    let auth = setup(r#"{"refreshDelayMs":30}"#);
    login(&auth).await;
    let url = auth
        .api_url("/services/data/v66.0/query?q=SELECT+Name+FROM+Account")
        .unwrap();
    assert!(url.starts_with(&format!("{HOST}/services/data/")), "{url}");
    mock_set("access", r#""expired-by-server""#);
    // Half as builders, half as built requests: both forms take the same path.
    let calls = (0..20).map(|i| {
        let (a, url) = (auth.clone(), url.clone());
        async move {
            let sent = if i % 2 == 0 {
                a.send(Request::get(&url)).await
            } else {
                a.send(Request::get(&url).build().unwrap()).await
            };
            sent.map(|r| r.status())
        }
    });
    let results = futures_join_all(calls).await;
    assert!(results.iter().all(|r| matches!(r, Ok(200))));
    assert_eq!(count("refresh_token"), 1, "exactly one refresh request");
    let retried = requests()
        .iter()
        .filter(|r| r["authorization"] == "Bearer 00Dxx0000000123!AT-2")
        .count();
    assert_eq!(retried, 20, "each request retried once, with the new token");

    let e = auth
        .send(Request::get("https://evil.example/steal"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "origin_not_allowed");
    assert!(
        requests()
            .iter()
            .all(|r| !r["url"].as_str().unwrap().contains("evil.example"))
    );
    auth.logout().await.unwrap();
    assert_eq!(
        auth.send(Request::get(&url)).await.unwrap_err().code(),
        "not_authenticated"
    );
}

#[wasm_bindgen_test]
async fn fetch_judges_every_other_url_as_the_browser_parses_it_and_refuses_before_sending() {
    let auth = setup("{}");
    login(&auth).await;
    let before = requests().len();
    for (input, code) in [
        // http(s) in another spelling, parsed by the browser: its origin is checked.
        ("HtTpS://evil.example/x", "origin_not_allowed"),
        (
            "https://evil.example\\@acme.my.salesforce.com/x",
            "origin_not_allowed",
        ),
        // No origin: refused.
        ("mailto:someone@example.com", "origin_not_allowed"),
        ("javascript:alert(1)", "origin_not_allowed"),
        // Not a URL the browser can parse (an IPv6 host not closed).
        ("https://[bad/x", "invalid_config"),
    ] {
        let e = auth
            .fetch(&JsValue::from_str(input), None)
            .await
            .unwrap_err();
        assert_eq!(e.code(), code, "{input}: {e}");
    }
    assert_eq!(requests().len(), before, "nothing was sent");
    // A relative URL resolves against instance_url.
    let ok = auth
        .fetch(&JsValue::from_str("services/data/v66.0/limits"), None)
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(
        requests().last().unwrap()["url"],
        format!("{HOST}/services/data/v66.0/limits")
    );
}

/// A root-relative URL that reaches the wasm (not the fast path: `api_url`, or a DPoP-bound
/// set's `fetch`) is joined to the base as the browser parses it (an absolute one parsed alike), as fetch would send it; the
/// forms fetch reads as another host's resolve to that host (which `fetch` and `send` refuse:
/// `fetch_judges_every_other_url_as_the_browser_parses_it_and_refuses_before_sending`, and the
/// E2E fetch test's `//host` and `/\host`).
#[wasm_bindgen_test]
async fn a_root_relative_url_joins_the_base_as_the_browser_parses_it() {
    let auth = setup("{}");
    login(&auth).await;
    assert_eq!(
        auth.api_url("/services/data/v66.0/limits?a=1#f").unwrap(),
        format!("{HOST}/services/data/v66.0/limits?a=1#f")
    );
    // An absolute one is the browser's parse too (the same text when it is canonical).
    let absolute = format!("{HOST}/services/data/v66.0/limits");
    assert_eq!(auth.api_url(&absolute).unwrap(), absolute);
    for sneaky in [
        "//evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example/x",
    ] {
        let url = auth.api_url(sneaky).unwrap();
        assert_eq!(url, "https://evil.example/x", "{sneaky}");
    }
}

#[wasm_bindgen_test]
async fn without_a_base_a_relative_url_is_invalid_config_and_another_scheme_has_no_origin() {
    // A generic client with no apiBase, whose token answers carry no instance_url: nothing to
    // resolve a relative URL against.
    mock_reset(r#"{"instanceUrl":null}"#);
    clear_session_storage();
    let auth = AuthClient::generic(&ClientOptions {
        client_id: Some("spa".into()),
        redirect_uri: Some(format!("{}/callback", origin())),
        authorization_endpoint: Some(format!("{HOST}/services/oauth2/authorize")),
        token_endpoint: Some(format!("{HOST}/services/oauth2/token")),
        ..Default::default()
    })
    .unwrap();
    login(&auth).await;
    let before = requests().len();
    for (input, code, says) in [
        ("/services/data", "invalid_config", "apiBase"),
        ("services/data", "invalid_config", "apiBase"),
        ("https://[bad/x", "invalid_config", "apiBase"),
        (
            "mailto:someone@example.com",
            "origin_not_allowed",
            "not http(s)",
        ),
    ] {
        let e = auth
            .fetch(&JsValue::from_str(input), None)
            .await
            .unwrap_err();
        assert_eq!(e.code(), code, "{input}: {e}");
        assert!(e.to_string().contains(says), "{input}: {e}");
    }
    assert_eq!(requests().len(), before, "nothing was sent");
}

/// An init whose members are inherited (made with a prototype, a class instance with getters) is
/// read as `fetch` reads it: its method, headers and body are sent (a spread copied none of
/// them), and `"tabs"` mode's packing (`packRequest`) packs them.
#[wasm_bindgen_test]
async fn an_inits_inherited_members_are_sent_as_fetch_reads_them() {
    let auth = setup("{}");
    login(&auth).await;
    for (init, method, header, body) in [
        (proto_init(), "POST", "proto", "a=1"),
        (class_init(), "PUT", "class", "b=2"),
    ] {
        let path = format!("/services/data/v66.0/inits/{header}");
        let r = auth
            .fetch(&JsValue::from_str(&path), Some(init.unchecked_ref()))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let sent = request_to(&format!("{HOST}{path}"));
        assert_eq!(sent["method"], method);
        assert_eq!(sent["body"], body);
        let packed = JsFuture::from(pack(JsValue::from_str(&path), init, no_refusal()))
            .await
            .unwrap();
        assert_eq!(described(packed), format!("{method} {header} {body}"));
    }
}
