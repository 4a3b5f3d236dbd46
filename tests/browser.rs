//! Browser tests (`wasm-pack test --headless --chrome`): the core in Chromium, and the
//! AuthClient runtime against an in-page mock of Salesforce (tests/browser/mock.js).
#![cfg(target_arch = "wasm32")]

use salesforce_pkce::browser::{AuthClient, AuthEvent};
use salesforce_pkce::{
    AuthError, ClientConfig, ClientOptions, CodeVerifier, LoginOptions, LoginRandomness,
    authorization_request,
};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/browser/mock.js")]
extern "C" {
    #[wasm_bindgen(js_name = mockReset)]
    fn mock_reset(options: &str);
    #[wasm_bindgen(js_name = mockSet)]
    fn mock_set(key: &str, json: &str);
    #[wasm_bindgen(js_name = mockGet)]
    fn mock_get(key: &str) -> String;
    #[wasm_bindgen(js_name = mockRequests)]
    fn mock_requests() -> String;
    #[wasm_bindgen(js_name = mockQueueToken)]
    fn mock_queue_token(json: &str);
}

#[wasm_bindgen(module = "/tests/browser/history.js")]
extern "C" {
    #[wasm_bindgen(js_name = replaceStateRoom)]
    async fn replace_state_room(n: u32);
    #[wasm_bindgen(js_name = replaceStateRefuse)]
    fn replace_state_refuse(on: bool);
    #[wasm_bindgen(js_name = replaceStateThrown)]
    fn replace_state_thrown() -> String;
    #[wasm_bindgen(js_name = userAgent)]
    fn user_agent() -> String;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(line: &str);
}

const HOST: &str = "https://acme.my.salesforce.com";

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn origin() -> String {
    window().location().origin().unwrap()
}

fn options() -> ClientOptions {
    ClientOptions {
        client_id: Some("3MVG9test".into()),
        redirect_uri: Some(format!("{}/callback", origin())),
        login_host: Some(HOST.into()),
        allowed_origins: Some(vec!["https://api.partner.example".into()]),
        ..Default::default()
    }
}

fn setup(mock: &str) -> AuthClient {
    mock_reset(mock);
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    window().local_storage().unwrap().unwrap().clear().unwrap();
    AuthClient::salesforce(&options()).unwrap()
}

fn requests() -> Vec<Value> {
    serde_json::from_str(&mock_requests()).unwrap()
}

/// The first request the mock saw whose URL starts with `prefix`.
fn request_to(prefix: &str) -> Value {
    requests()
        .into_iter()
        .find(|r| r["url"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no request to {prefix}"))
}

fn count(grant: &str) -> usize {
    requests()
        .iter()
        .filter(|r| r["grantType"] == grant)
        .count()
}

/// Sets the page's path with `history.replaceState`, first waiting until this call and one by
/// the library (the address bar cleanup) fit in WebKit's limit (tests/browser/history.js).
async fn set_path(path: &str) {
    replace_state_room(2).await;
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

fn query_param(url: &str, name: &str) -> String {
    let u = web_sys::Url::new(url).unwrap();
    u.search_params().get(name).unwrap()
}

/// Opens the callback URL with `query` (the app page stands in for the provider redirect).
async fn callback(auth: &AuthClient, query: &str) -> Result<Option<String>, AuthError> {
    let before = window().location().pathname().unwrap();
    set_path(&format!("/callback?{query}")).await;
    let r = auth.handle_redirect().await;
    let after = window().location().href().unwrap();
    assert!(
        !after.contains("code=") && !after.contains("state="),
        "the address bar is cleaned"
    );
    set_path(&before).await;
    r.map(|o| o.map(|r| r.return_to().to_owned()))
}

async fn start_login(auth: &AuthClient) -> String {
    let url = auth
        .authorization_url(&LoginOptions {
            return_to: Some("/after".into()),
            ..Default::default()
        })
        .unwrap();
    query_param(&url, "state")
}

async fn login(auth: &AuthClient) {
    let state = start_login(auth).await;
    let r = callback(auth, &format!("code=aPrx%3D%3D&state={state}"))
        .await
        .unwrap();
    assert_eq!(r.as_deref(), Some("/after"));
    assert!(auth.is_authenticated());
}

/// Counts `token_refreshed` events while the subscription lives.
fn count_refreshes(
    auth: &AuthClient,
) -> (Rc<RefCell<u32>>, salesforce_pkce::browser::Subscription) {
    let refreshed = Rc::new(RefCell::new(0));
    let r2 = refreshed.clone();
    let sub = auth
        .on("token_refreshed", move |_| *r2.borrow_mut() += 1)
        .unwrap();
    (refreshed, sub)
}

async fn api(auth: &AuthClient) -> Result<u16, AuthError> {
    auth.fetch(
        &JsValue::from_str("/services/data/v66.0/query?q=SELECT+Name+FROM+Account"),
        None,
    )
    .await
    .map(|r| r.status())
}

/// Logs in, then checks that `f` fails with `code` and that the first session is untouched.
async fn assert_session_untouched(
    auth: &AuthClient,
    code: &str,
    result: Result<Option<String>, AuthError>,
) {
    let e = result.expect_err("must fail");
    assert_eq!(e.code(), code, "{e}");
    assert!(
        auth.is_authenticated(),
        "{code}: the existing session is kept"
    );
    assert_eq!(
        auth.session().unwrap().user_id.as_deref(),
        Some("005xx000000456AAA")
    );
    assert_eq!(
        api(auth).await.unwrap(),
        200,
        "{code}: the session still works"
    );
}

// ---- the core in Chromium (issue 2) ----

#[wasm_bindgen_test]
fn core_runs_in_chromium() {
    let v = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    assert_eq!(
        v.s256_challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let mut bytes = [0u8; 96];
    window()
        .crypto()
        .unwrap()
        .get_random_values_with_u8_array(&mut bytes)
        .unwrap();
    let config = ClientConfig::salesforce(&options()).unwrap();
    let req = authorization_request(
        &config,
        &LoginOptions::default(),
        &LoginRandomness::from_bytes(&bytes),
        0.0,
        None,
    )
    .unwrap();
    let verifier = req.pending.verifier.secret();
    assert_eq!(verifier.len(), 43);
    assert!(
        verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let url = web_sys::Url::new(&req.url).expect("new URL() parses the authorize URL");
    let p = url.search_params();
    assert_eq!(url.origin(), HOST);
    assert_eq!(url.pathname(), "/services/oauth2/authorize");
    assert_eq!(
        p.get("redirect_uri").unwrap(),
        format!("{}/callback", origin())
    );
    assert_eq!(
        p.get("code_challenge").unwrap(),
        req.pending.verifier.s256_challenge()
    );
    assert_eq!(p.get("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(p.get("scope").as_deref(), Some("api refresh_token openid"));
}

#[wasm_bindgen_test]
async fn random_verifiers_differ_and_have_the_rfc_form() {
    let auth = setup("{}");
    let a = auth.authorization_url(&LoginOptions::default()).unwrap();
    let b = auth.authorization_url(&LoginOptions::default()).unwrap();
    assert_ne!(query_param(&a, "state"), query_param(&b, "state"));
    assert_ne!(
        query_param(&a, "code_challenge"),
        query_param(&b, "code_challenge")
    );
    assert_eq!(query_param(&a, "code_challenge").len(), 43);
}

// ---- login and callback (issue 4) ----

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
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
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

// ---- fetch, refresh storm, origins (issue 4) ----

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
async fn the_bearer_may_go_to_a_trusted_api_instance_url_only() {
    // Issue 14, item 12: JWT-based access tokens come with api_instance_url.
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
    assert!(expires > js_sys::Date::now() + 20_000.0);
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

async fn sleep_ms(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

/// Waits (in 5 ms steps, at most 5 s) until `done` holds; a slow engine gets more time rather
/// than a fixed sleep that is sometimes too short.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..1_000 {
        if done() {
            return;
        }
        sleep_ms(5).await;
    }
    panic!("waited 5 s for {what}");
}

// ---- logout (issue 4) ----

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
    // Issue 14, finding 2: the refresh's answer (a new access token, a rotated refresh token)
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

/// A tiny join_all (the crate does not ship futures' combinators to tests).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + 'static,
    F::Output: 'static,
{
    let slots: Rc<RefCell<Vec<Option<F::Output>>>> = Rc::new(RefCell::new(Vec::new()));
    let promises = js_sys::Array::new();
    for (i, f) in futures.enumerate() {
        slots.borrow_mut().push(None);
        let s = slots.clone();
        promises.push(&wasm_bindgen_futures::future_to_promise(async move {
            let out = f.await;
            s.borrow_mut()[i] = Some(out);
            Ok(JsValue::UNDEFINED)
        }));
    }
    JsFuture::from(js_sys::Promise::all(&promises))
        .await
        .unwrap();
    let v = std::mem::take(&mut *slots.borrow_mut());
    v.into_iter().map(|o| o.unwrap()).collect()
}

/// The README's Rust example, compiled with the suite (not run: `login` navigates away).
#[allow(dead_code)]
async fn readme_rust_example(origin: String) -> Result<(), AuthError> {
    use salesforce_pkce::{ClientOptions, LoginOptions, browser::AuthClient};

    let auth = AuthClient::salesforce(&ClientOptions {
        client_id: Some("3MVG9...".into()),
        redirect_uri: Some(format!("{origin}/callback")),
        login_host: Some("https://acme.my.salesforce.com".into()),
        ..Default::default()
    })?;
    if let Some(r) = auth.handle_redirect().await? {
        let _ = r.return_to(); /* route there */
    }
    auth.login(&LoginOptions {
        return_to: Some("/accounts".into()),
        ..Default::default()
    })?;
    let _res: web_sys::Response = auth.fetch(&"/services/data/v66.0/".into(), None).await?;
    auth.logout().await?;
    Ok(())
}

/// The README's gloo-net lines, compiled with the suite (cargo feature `gloo`).
#[cfg(feature = "gloo")]
#[allow(dead_code)]
async fn readme_gloo_example(auth: AuthClient) -> Result<(), AuthError> {
    let url = auth.api_url("/services/data/v66.0/query?q=SELECT+Name+FROM+Account")?;
    let _res: gloo_net::http::Response = auth.send(gloo_net::http::Request::get(&url)).await?;
    Ok(())
}

#[wasm_bindgen_test]
async fn a_failed_silent_restore_signs_out_quietly_with_restore_failed() {
    let auth = setup("{}");
    let seen = restore::events(&auth);
    let silent = |return_to: &str| LoginOptions {
        return_to: Some(return_to.into()),
        immediate: Some(true),
        silent: true,
        ..Default::default()
    };
    // No provider session: the callback carries immediate_unsuccessful. No rejection, no error
    // event, no session: a restore_failed event (login_required) says why, it is counted, and
    // the page goes back where it was.
    let url = auth.authorization_url(&silent("/accounts?page=2")).unwrap();
    assert_eq!(query_param(&url, "immediate"), "true");
    let state = query_param(&url, "state");
    let r = callback(
        &auth,
        &format!(
            "error=immediate_unsuccessful&error_description=immediate+unsuccessful&state={state}"
        ),
    )
    .await;
    assert_eq!(r, Ok(Some("/accounts?page=2".to_owned())));
    assert!(!auth.is_authenticated());
    assert_eq!(*seen.borrow(), ["restore_failed:login_required"]);
    assert_eq!(auth.stats().errors_by_code.get("login_required"), Some(&1));
    assert_eq!(
        auth.stats().errors_by_code.get("authorization_denied"),
        None
    );
    assert_eq!(count("authorization_code"), 0);

    // A live provider session: the code is exchanged as in any login.
    seen.borrow_mut().clear();
    let url = auth.authorization_url(&silent("/")).unwrap();
    let state = query_param(&url, "state");
    let r = callback(&auth, &format!("code=aPrx%3D%3D&state={state}")).await;
    assert_eq!(r, Ok(Some("/".to_owned())));
    assert!(auth.is_authenticated());
    assert_eq!(*seen.borrow(), ["login:"]);

    // A silent restore whose code exchange fails is quiet too, but counted for monitoring.
    seen.borrow_mut().clear();
    mock_queue_token(r#"{"status": 500, "body": "{}"}"#);
    let url = auth.authorization_url(&silent("/")).unwrap();
    let state = query_param(&url, "state");
    let r = callback(&auth, &format!("code=aPrx%3D%3D&state={state}")).await;
    assert_eq!(r, Ok(Some("/".to_owned())));
    assert_eq!(
        *seen.borrow(),
        [
            "error:token_endpoint_error",
            "restore_failed:token_endpoint_error"
        ]
    );
    assert_eq!(
        auth.stats().errors_by_code.get("token_endpoint_error"),
        Some(&1)
    );
    assert!(auth.is_authenticated(), "the session it had is kept");

    // The same error on an interactive login still rejects.
    let state = start_login(&auth).await;
    let r = callback(&auth, &format!("error=access_denied&state={state}")).await;
    assert_eq!(r.unwrap_err().code(), "authorization_denied");
}

// ---- every engine (issue 17): the address bar cleanup, the sharing fallbacks ----

#[path = "browser/engines.rs"]
mod engines;

#[path = "browser/redirects.rs"]
mod redirects;

#[path = "browser/tokens.rs"]
mod tokens;

#[path = "browser/urls.rs"]
mod urls;

#[path = "browser/sharing.rs"]
mod sharing;

#[path = "browser/retries.rs"]
mod retries;

#[path = "browser/restore.rs"]
mod restore;

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
