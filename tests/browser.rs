//! The browser suite (wasm-bindgen-test; `scripts/test-browser.sh` runs it in each engine): the
//! core in the engine, and the AuthClient runtime against an in-page mock of Salesforce
//! (tests/browser/mock.js). This file holds what every part shares (the mock's bindings, the
//! options, login and callback helpers); the tests are in the modules under tests/browser/, one
//! per concern, all in this one test target (each target is another wasm link per engine).
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
    #[wasm_bindgen(js_name = mockDeadBodiesUsed)]
    fn mock_dead_bodies_used() -> u32;
    #[wasm_bindgen(js_name = storageFault)]
    fn storage_fault(kind: u32);
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

/// Empties sessionStorage (the pending logins).
fn clear_session_storage() {
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

fn setup(mock: &str) -> AuthClient {
    mock_reset(mock);
    clear_session_storage();
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

// The tests, one module per concern (the crate root is tests/browser.rs, so each path is named).
#[path = "browser/engines.rs"]
mod engines;
#[path = "browser/fetch.rs"]
mod fetch;
#[path = "browser/listeners.rs"]
mod listeners;
#[path = "browser/login.rs"]
mod login;
#[path = "browser/logout.rs"]
mod logout;
#[path = "browser/protocol.rs"]
mod protocol;
#[path = "browser/readme.rs"]
mod readme;
#[path = "browser/redirects.rs"]
mod redirects;
#[path = "browser/refresh.rs"]
mod refresh;
#[path = "browser/restore.rs"]
mod restore;
#[path = "browser/retries.rs"]
mod retries;
#[path = "browser/sharing.rs"]
mod sharing;
#[path = "browser/tokens.rs"]
mod tokens;
#[path = "browser/urls.rs"]
mod urls;
