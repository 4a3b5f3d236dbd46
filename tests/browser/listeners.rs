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
