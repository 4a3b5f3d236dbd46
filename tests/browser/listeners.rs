//! The JS API's listeners, kept by the executor (`listen` and `deliver` in js/executor.js): an
//! unknown name or a listener that is no function is an `invalid_config` AuthError; each event
//! reaches the listeners of its type on its client, in the order added, a throwing listener
//! stopping none of the others; a listener removed is not called again; the list is copied
//! before the calls (a listener may remove another).

use super::*;

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn listen(dispatch: &JsValue, name: &JsValue, listener: &JsValue) -> Result<JsValue, JsValue>;
    // By value: the library imports `deliver` by reference, and the two imports must differ.
    fn deliver(dispatch: JsValue, event: JsValue);
}

#[wasm_bindgen(module = "/tests/browser/listeners.js")]
extern "C" {
    fn recording(tag: &str) -> JsValue;
    fn throwing(tag: &str) -> JsValue;
    fn removing(tag: &str, holder: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = takeLog)]
    fn take_log() -> String;
    fn event(kind: &str) -> JsValue;
    #[wasm_bindgen(js_name = hostRecording)]
    fn host_recording() -> JsValue;
}

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    // By value: the library imports `relayEvent` by reference.
    #[wasm_bindgen(js_name = relayEvent)]
    fn relay_event(client: JsValue, name: &str, host: JsValue);
}

fn field(v: &JsValue, k: &str) -> String {
    js_sys::Reflect::get(v, &JsValue::from_str(k))
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

fn off(unsubscribe: &JsValue) {
    unsubscribe
        .dyn_ref::<js_sys::Function>()
        .expect("listen returns a function")
        .call0(&JsValue::NULL)
        .unwrap();
}

#[wasm_bindgen_test]
fn the_js_api_and_the_rust_api_refuse_an_unknown_event_with_one_text() {
    // The JS API's `on` is the executor's `listen`; the Rust API's is `AuthClient::on`. Each
    // writes the refusal itself: the two must read the same, name for name.
    let auth = setup("{}");
    for name in ["nope", "", "Login", "login "] {
        let rust = auth.on(name, |_| {}).err().expect("refused");
        let js = listen(
            &js_sys::Object::new().into(),
            &JsValue::from_str(name),
            &recording("x"),
        )
        .unwrap_err();
        assert_eq!(field(&js, "code"), rust.code(), "{name:?}");
        assert_eq!(field(&js, "message"), rust.message(), "{name:?}");
        let names = salesforce_pkce::browser::EVENT_NAMES.join(", ");
        assert!(rust.message().ends_with(&names), "{rust}");
    }
}

#[wasm_bindgen_test]
fn the_executor_keeps_each_clients_listeners() {
    let (client, other) = (
        JsValue::from(js_sys::Object::new()),
        JsValue::from(js_sys::Object::new()),
    );
    let name = |n: &str| JsValue::from_str(n);

    let e = listen(&client, &name("nope"), &recording("x")).unwrap_err();
    assert_eq!(field(&e, "code"), "invalid_config");
    assert!(field(&e, "message").contains("event: unknown event; use one of login, "));
    let e = listen(
        &client,
        &name("error"),
        &JsValue::from_str("not a function"),
    )
    .unwrap_err();
    assert_eq!(field(&e, "code"), "invalid_config");
    assert!(field(&e, "message").contains("listener: must be a function"));
    let e = listen(&client, &JsValue::from(3), &recording("x")).unwrap_err();
    assert_eq!(
        field(&e, "code"),
        "invalid_config",
        "a name that is no string"
    );

    let _a = listen(&client, &name("login"), &throwing("a")).unwrap();
    let b = listen(&client, &name("login"), &recording("b")).unwrap();
    let _c = listen(&client, &name("error"), &recording("c")).unwrap();
    deliver(client.clone(), event("login"));
    assert_eq!(
        take_log(),
        "a:login b:login",
        "in order; a throw stops none"
    );
    deliver(client.clone(), event("error"));
    assert_eq!(
        take_log(),
        "c:error",
        "only the listeners of the event's type"
    );
    deliver(other.clone(), event("login"));
    assert_eq!(take_log(), "", "another client's listeners are its own");

    off(&b);
    off(&b);
    deliver(client.clone(), event("login"));
    assert_eq!(take_log(), "a:login", "a removed listener is not called");

    // d removes e while the event is delivered: e still gets this one, not the next.
    let holder = JsValue::from(js_sys::Object::new());
    let _d = listen(&client, &name("logout"), &removing("d", &holder)).unwrap();
    let e = listen(&client, &name("logout"), &recording("e")).unwrap();
    js_sys::Reflect::set(&holder, &name("off"), &e).unwrap();
    deliver(client.clone(), event("logout"));
    assert_eq!(take_log(), "d:logout e:logout");
    deliver(client, event("logout"));
    assert_eq!(take_log(), "d:logout");
}

/// The session worker's relay (`relayEvent` in js/tabs.js, one per relayed event name, as the
/// host registers it): each event, as the wasm hands it to the executor (`event_to_js`: its
/// type, the session object, flags, words, the `AuthError`), reaches the host's dispatch as
/// 17 with the form `relay::write_event` writes — what each tab reads back with
/// `relay::read_event` — the session object left out (no session field, no token).
#[wasm_bindgen_test]
fn the_worker_relays_each_event_in_the_form_the_tabs_read() {
    use salesforce_pkce::internals::{relay, testing, wire};
    let view = testing::session_view();
    let error = wire::relayed_error(
        Some("session_expired"),
        "the refresh token was refused: 100% gone & more".into(),
        Some("invalid_grant".into()),
        Some("expired access/refresh token".into()),
        Some(400),
    );
    // Each relayed event and its JS object (the JSON the wasm writes, the error set beside).
    let session = r#"{"userId":"005xx","orgId":"00Dxx","scopes":["api"],"expiresAt":null}"#;
    let cases: Vec<(AuthEvent, String)> = vec![
        (
            AuthEvent::Login(view.clone()),
            format!(r#"{{"type":"login","session":{session}}}"#),
        ),
        (
            AuthEvent::TokenRefreshed(view.clone()),
            format!(r#"{{"type":"token_refreshed","session":{session}}}"#),
        ),
        (
            AuthEvent::SessionExpired(error.clone()),
            r#"{"type":"session_expired"}"#.into(),
        ),
        (
            AuthEvent::Logout {
                revoked: true,
                end_session: false,
            },
            r#"{"type":"logout","revoked":true,"endSession":false}"#.into(),
        ),
        (
            AuthEvent::ScopeReduced {
                missing: vec!["web".into(), "chatter_api".into()],
                granted: vec!["api".into()],
            },
            r#"{"type":"scope_reduced","missing":["web","chatter_api"],"granted":["api"]}"#.into(),
        ),
    ];
    for (e, json) in cases {
        let client = JsValue::from(js_sys::Object::new());
        relay_event(client.clone(), e.name(), host_recording());
        let js = js_sys::JSON::parse(&json).unwrap();
        if let AuthEvent::SessionExpired(err) = &e {
            let o = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                js_sys::Reflect::set(&o, &JsValue::from_str(k), &v).unwrap();
            };
            set("code", JsValue::from_str(err.code()));
            set("message", JsValue::from_str(&err.message()));
            set("error", JsValue::from_str(err.server_error().unwrap()));
            set(
                "errorDescription",
                JsValue::from_str(err.error_description().unwrap()),
            );
            set("status", JsValue::from(err.status().unwrap()));
            js_sys::Reflect::set(&js, &JsValue::from_str("error"), &o).unwrap();
        }
        deliver(client, js);
        let expected = relay::encode_event(&e).expect("a relayed event");
        // The worker's message starts with its own fields (`v`, the session view, counters).
        let form = take_log();
        assert_eq!(
            format!(
                "17:{}",
                testing::message(form.strip_prefix("17:").unwrap_or(&form))
            ),
            format!("17:{expected}"),
            "{}",
            e.name()
        );
        let read = relay::decode_event(&expected, Some(view.clone())).unwrap();
        assert_eq!(format!("{read:?}"), format!("{e:?}"));
    }
}
