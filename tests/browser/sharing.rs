//! Session sharing in the browser: `"tabs"` against the real session worker of this build
//! (tests/browser/worker.js), and `"tabs-locks"` between clients of one page (each client has
//! its own BroadcastChannel and lock request, as tabs do).

use super::*;

#[wasm_bindgen(module = "/tests/browser/worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = testWorkerUrl)]
    fn test_worker_url(slow_ms: u32) -> String;
    #[wasm_bindgen(js_name = workerAsk)]
    fn worker_ask(url: &str, op: &str, arg: JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = relayRejections)]
    fn relay_rejections() -> js_sys::Array;
}

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    // By value: the library imports it by reference, and the two imports must differ.
    #[wasm_bindgen(js_name = relay)]
    fn relay_js(p: JsValue) -> js_sys::Promise;
}

/// The worker at `url`'s answer to `op` (`workerAsk` in tests/browser/worker.js).
async fn ask(url: &str, op: &str, arg: JsValue) -> String {
    JsFuture::from(worker_ask(url, op, arg))
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The `error` events seen while the subscription lives, each as `read` gives it.
fn errors_seen(
    auth: &AuthClient,
    read: fn(&AuthError) -> String,
) -> (
    Rc<RefCell<Vec<String>>>,
    salesforce_pkce::browser::Subscription,
) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s2 = seen.clone();
    let sub = auth
        .on("error", move |e| {
            if let AuthEvent::Error(e) = e {
                s2.borrow_mut().push(read(e));
            }
        })
        .unwrap();
    (seen, sub)
}

/// The `error` events' codes seen while the subscription lives.
fn error_codes(
    auth: &AuthClient,
) -> (
    Rc<RefCell<Vec<String>>>,
    salesforce_pkce::browser::Subscription,
) {
    errors_seen(auth, |e| e.code().to_owned())
}

/// A `"tabs"` client on a session worker of its own, signed in through it. A worker is a module
/// script that loads the wasm: over 1.5 s in Firefox on a loaded 2-core machine, and over 3 s in
/// WebKit on a loaded CI machine (both tests' clients fell back to `"tabs-locks"`). So another
/// client, as an earlier tab would be, starts the worker first and waits up to 30 s for it; the
/// client under test then joins a running worker within its own `timeout_ms`, which also bounds
/// its relayed calls and pings. The first client is returned too: it stays joined for the test.
async fn worker_client(timeout_ms: u32, slow_ms: u32) -> (AuthClient, AuthClient) {
    worker_client_at(&test_worker_url(slow_ms), timeout_ms).await
}

/// [`worker_client`] on the worker at `url` (`testWorkerUrl`).
async fn worker_client_at(url: &str, timeout_ms: u32) -> (AuthClient, AuthClient) {
    setup("{}");
    let url = url.to_owned();
    let first = AuthClient::salesforce(&ClientOptions {
        session_sharing: Some("tabs".into()),
        worker_url: Some(url.clone()),
        timeout_ms: Some(30_000.0),
        ..options()
    })
    .unwrap();
    assert_eq!(first.handle_redirect().await, Ok(None));
    assert_eq!(
        first.sharing_mode(),
        "tabs",
        "the worker started within 30 s"
    );
    let auth = AuthClient::salesforce(&ClientOptions {
        session_sharing: Some("tabs".into()),
        worker_url: Some(url),
        timeout_ms: Some(f64::from(timeout_ms)),
        ..options()
    })
    .unwrap();
    login(&auth).await;
    assert_eq!(auth.sharing_mode(), "tabs", "the worker joined in time");
    (auth, first)
}

async fn fetch_path(auth: &AuthClient, path: &str) -> Result<u16, AuthError> {
    auth.fetch(&JsValue::from_str(path), None)
        .await
        .map(|r| r.status())
}

#[wasm_bindgen_test]
async fn tabs_a_relayed_call_three_times_slower_than_timeout_ms_completes_and_keeps_the_session() {
    const TIMEOUT_MS: u32 = 3_000;
    let (auth, _first) = worker_client(TIMEOUT_MS, 3 * TIMEOUT_MS).await;
    let (errors, _sub) = error_codes(&auth);
    let started = now();
    let slow = fetch_path(&auth, "/services/data/slow/v66.0/").await;
    let took = now() - started;
    assert_eq!(slow, Ok(200), "the slow call is answered");
    assert!(took >= f64::from(3 * TIMEOUT_MS), "it took {took} ms");
    assert_eq!(auth.sharing_mode(), "tabs", "the tab kept its worker");
    assert!(auth.is_authenticated(), "and its session");
    assert_eq!(fetch_path(&auth, "/services/data/v66.0/").await, Ok(200));
    assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
}

#[wasm_bindgen_test]
async fn tabs_a_relayed_body_that_cannot_be_read_is_a_network_error_and_keeps_the_session() {
    let (auth, _first) = worker_client(10_000, 0).await;
    let e = fetch_path(&auth, "/services/data/badbody/v66.0/")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network_error");
    let message = e.message();
    assert!(
        message.starts_with("network error: reading the response failed: "),
        "{message}"
    );
    assert_eq!(auth.sharing_mode(), "tabs", "the tab kept its worker");
    assert!(auth.is_authenticated(), "and its session");
    assert_eq!(fetch_path(&auth, "/services/data/v66.0/").await, Ok(200));
}

/// The session worker's side of a relayed call (`relay` in js/tabs.js) makes any rejection the
/// fields of an error with a code, which the tab reads as that error: never a text without a
/// code (or no text), which the host's reply would carry as an answer. An error whose `code`
/// getter throws, one whose message is a Symbol (URLSearchParams cannot write it), and a value
/// thrown that is no AuthError are `network_error`; an AuthError keeps its code and message.
#[wasm_bindgen_test]
async fn tabs_any_rejection_of_a_relayed_call_is_an_error_for_the_tab() {
    use salesforce_pkce::internals::error::AuthError as E;
    use salesforce_pkce::internals::relay::{decode_error, encode_error};
    // A message's version field, as this build writes it.
    let known = encode_error(&E::NotAuthenticated);
    let version = &known[..known.find('&').unwrap()];
    let mut got = Vec::new();
    for v in relay_rejections().iter() {
        let rejected = JsFuture::from(relay_js(js_sys::Promise::reject(&v).into())).await;
        let text = rejected
            .expect_err("relay rejects")
            .as_string()
            .expect("with a text");
        let e = decode_error(&format!("{version}&{text}"))
            .unwrap_or_else(|| panic!("{text:?} carries no error"));
        got.push((e.code().to_owned(), e.message()));
    }
    let unreadable = "network error: the session worker's error could not be read";
    assert_eq!(got[0], ("network_error".into(), unreadable.into()));
    assert_eq!(got[1], ("network_error".into(), unreadable.into()));
    assert_eq!(got[2], ("network_error".into(), "thrown".into()));
    assert_eq!(got[3].0, "network_error");
    assert_eq!(got[4], ("session_expired".into(), "ended".into()));
}

#[wasm_bindgen_test]
async fn tabs_userinfo_is_relayed_with_the_worker_clients_claims() {
    let (auth, _first) = worker_client(10_000, 0).await;
    let claims = auth.userinfo().await.unwrap();
    let text = |k: &str| {
        js_sys::Reflect::get(&claims, &k.into())
            .unwrap()
            .as_string()
    };
    assert_eq!(text("name").as_deref(), Some("Ada Admin"));
    assert_eq!(text("user_id").as_deref(), Some("005xx000000456AAA"));
    assert!(claims.is_object() && !claims.is_function());
    assert_eq!(auth.sharing_mode(), "tabs", "answered by the worker");
}

/// `n` relayed calls to `path`, started now: the promise of their statuses (0: an error).
fn burst(auth: &AuthClient, n: usize, path: &'static str) -> js_sys::Promise {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let a = auth.clone();
            async move { fetch_path(&a, path).await.unwrap_or(0) }
        })
        .collect();
    wasm_bindgen_futures::future_to_promise(async move {
        let statuses = futures_join_all(calls.into_iter()).await;
        Ok(statuses
            .into_iter()
            .map(JsValue::from)
            .collect::<js_sys::Array>()
            .into())
    })
}

#[wasm_bindgen_test]
async fn tabs_a_burst_while_the_workers_refresh_is_in_flight_never_sends_the_dead_token() {
    let url = test_worker_url(0);
    let (auth, _first) = worker_client_at(&url, 10_000).await;
    // The worker's set is dead at its mock; its next refresh is held there.
    let token = |json: String| format!("Bearer {}", json.trim_matches('"'));
    let dead = token(ask(&url, "get", "access".into()).await);
    let requests = || async {
        serde_json::from_str::<Vec<Value>>(&ask(&url, "requests", JsValue::UNDEFINED).await)
            .unwrap()
    };
    let before = requests().await.len();
    let kill = js_sys::Array::of2(&"access".into(), &r#""dead""#.into());
    assert_eq!(ask(&url, "set", kill.into()).await, "ok");
    let held = JsFuture::from(worker_ask(&url, "hold", JsValue::UNDEFINED));
    // A 401 storm from this tab: the first 401 starts the worker's refresh, the others join it.
    let first = JsFuture::from(burst(&auth, 4, "/services/data/v66.0/first"));
    assert_eq!(held.await.unwrap(), "refreshing");
    // A second burst while that refresh is in flight, all handed to the worker's host before
    // the refresh is let go.
    let second = JsFuture::from(burst(&auth, 4, "/services/data/v66.0/second"));
    for _ in 0..500 {
        if ask(&url, "fetches", JsValue::UNDEFINED).await == "8" {
            break;
        }
        sleep_ms(10).await;
    }
    assert_eq!(ask(&url, "fetches", JsValue::UNDEFINED).await, "8");
    assert_eq!(ask(&url, "release", JsValue::UNDEFINED).await, "ok");
    let statuses = |p: JsValue| -> Vec<f64> {
        js_sys::Array::from(&p)
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    assert_eq!(statuses(first.await.unwrap()), vec![200.0; 4]);
    assert_eq!(statuses(second.await.unwrap()), vec![200.0; 4]);
    let fresh = token(ask(&url, "get", "access".into()).await);
    let requests = requests().await.split_off(before);
    let sent = |burst: &str, token: &str| {
        requests
            .iter()
            .filter(|r| r["url"].as_str().unwrap().ends_with(burst) && r["authorization"] == token)
            .count()
    };
    // (A call of the storm handed over after the first 401 came back waits too.)
    let first_dead = sent("/first", &dead);
    assert!(
        (1..=4).contains(&first_dead),
        "the storm went with the set it held ({dead}): {first_dead} of {:?}",
        requests
            .iter()
            .map(|r| (r["url"].to_string(), r["authorization"].to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        sent("/second", &dead),
        0,
        "no call of the second burst carried the dead token"
    );
    let with_fresh = (sent("/first", &fresh), sent("/second", &fresh));
    assert_eq!(with_fresh, (4, 4), "each once with the new set");
    let refreshes = requests
        .iter()
        .filter(|r| r["grantType"] == "refresh_token");
    assert_eq!(refreshes.count(), 1, "one refresh");
}

#[wasm_bindgen_test]
async fn tabs_a_worker_that_stops_answering_is_given_up_within_the_ping_bound() {
    const TIMEOUT_MS: u32 = 3_000;
    let (auth, _first) = worker_client(TIMEOUT_MS, 0).await;
    let (errors, _sub) = error_codes(&auth);
    let started = now();
    let gone = fetch_path(&auth, "/services/data/vanish/v66.0/").await;
    let took = now() - started;
    assert_eq!(gone.unwrap_err().code(), "network_error");
    // The ping bound is min(timeoutMs, 5 s); pings go out every quarter of it.
    let bound = f64::from(TIMEOUT_MS.min(5_000));
    assert!(took <= bound * 1.25 + 500.0, "detected after {took} ms");
    assert_eq!(auth.sharing_mode(), "tabs-locks", "the documented fallback");
    assert!(!auth.is_authenticated(), "the session was the worker's");
    assert_eq!(
        errors.borrow().first().map(String::as_str),
        Some("network_error")
    );
}

#[wasm_bindgen_test]
async fn tabs_locks_a_follower_takes_the_lock_over_from_a_stopped_leader_with_one_refresh() {
    setup("{}");
    let opts = ClientOptions {
        client_id: Some("3MVG9takeover".into()),
        session_sharing: Some("tabs-locks".into()),
        // The takeover gets one more timeoutMs for the lock: 300 ms was too short for Firefox
        // on a loaded 2-core machine (1 failure in a fresh-clone run; 0 in 9 runs unloaded).
        timeout_ms: Some(1000.0),
        ..options()
    };
    let leader = AuthClient::salesforce(&opts).unwrap();
    login(&leader).await;
    let follower = AuthClient::salesforce(&opts).unwrap();
    assert_eq!(follower.handle_redirect().await, Ok(None));
    assert!(
        follower.is_authenticated(),
        "the follower has the leader's set"
    );
    // The leader stops for good (as after a wasm trap): its client is gone, its Web Lock held.
    drop(leader);
    mock_set("access", r#""expired-by-server""#);
    let first = api(&follower).await;
    assert_eq!(first.unwrap_err().code(), "network_error");
    assert_eq!(
        count("refresh_token"),
        0,
        "no refresh beside a leader that holds the lock"
    );
    assert_eq!(
        api(&follower).await,
        Ok(200),
        "the second timeout in a row takes the lock over, then refreshes"
    );
    assert_eq!(count("refresh_token"), 1, "exactly one refresh grant");
    assert_eq!(api(&follower).await, Ok(200));
    assert_eq!(count("refresh_token"), 1);
    assert_eq!(follower.sharing_mode(), "tabs-locks");
    assert!(follower.is_authenticated());
}

#[wasm_bindgen_test]
async fn tabs_locks_two_followers_timing_out_together_take_over_once_with_one_refresh() {
    setup(r#"{"rotation":true}"#);
    let opts = ClientOptions {
        client_id: Some("3MVG9takeover2".into()),
        session_sharing: Some("tabs-locks".into()),
        timeout_ms: Some(1000.0),
        ..options()
    };
    let leader = AuthClient::salesforce(&opts).unwrap();
    login(&leader).await;
    let followers = [
        AuthClient::salesforce(&opts).unwrap(),
        AuthClient::salesforce(&opts).unwrap(),
    ];
    for f in &followers {
        assert_eq!(f.handle_redirect().await, Ok(None));
        assert!(f.is_authenticated());
    }
    drop(leader);
    mock_set("access", r#""expired-by-server""#);
    let round = || {
        futures_join_all(
            followers
                .iter()
                .cloned()
                .map(|f| async move { api(&f).await }),
        )
    };
    let first = round().await;
    assert!(
        first
            .iter()
            .all(|r| r.as_ref().is_err_and(|e| e.code() == "network_error")),
        "{first:?}"
    );
    // Both time out a second time together: one takes the lock over, the other gets its set.
    let second = round().await;
    assert_eq!(second, vec![Ok(200), Ok(200)]);
    assert_eq!(count("refresh_token"), 1, "exactly one refresh grant");
    assert!(followers.iter().all(AuthClient::is_authenticated));
    assert_eq!(round().await, vec![Ok(200), Ok(200)]);
    assert_eq!(count("refresh_token"), 1);
}

#[wasm_bindgen_test]
async fn tabs_a_relayed_post_reaches_the_server_with_its_method_headers_and_body() {
    let url = test_worker_url(0);
    let (auth, _first) = worker_client_at(&url, 10_000).await;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(r#"{"Name":"Relayed"}"#));
    let headers = web_sys::Headers::new().unwrap();
    headers.set("accept", "application/x-relayed").unwrap();
    init.set_headers(&headers);
    let r = auth
        .fetch(
            &JsValue::from_str("/services/data/v66.0/sobjects/Account/"),
            Some(&init),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // What the worker client sent, at the worker's mock: the tab's request, whole.
    let requests: Vec<Value> =
        serde_json::from_str(&ask(&url, "requests", JsValue::UNDEFINED).await).unwrap();
    let sent = requests
        .iter()
        .find(|r| {
            r["url"]
                .as_str()
                .unwrap_or("")
                .contains("/sobjects/Account/")
        })
        .expect("the relayed request reached the mock");
    assert_eq!(sent["method"], "POST");
    assert_eq!(sent["body"], r#"{"Name":"Relayed"}"#);
    assert_eq!(sent["accept"], "application/x-relayed");
    assert!(
        sent["authorization"]
            .as_str()
            .is_some_and(|a| a.starts_with("Bearer ")),
        "sent with the worker's token"
    );
}

/// Hides the global `k` of `o` (an own property made undefined) until the returned guard goes.
struct Hidden(js_sys::Object, &'static str, JsValue);

impl Hidden {
    fn new(o: &JsValue, k: &'static str) -> Self {
        let o: js_sys::Object = o.clone().unchecked_into();
        let was = js_sys::Object::get_own_property_descriptor(&o, &k.into());
        let d = js_sys::Object::new();
        js_sys::Reflect::set(&d, &"value".into(), &JsValue::UNDEFINED).unwrap();
        js_sys::Reflect::set(&d, &"configurable".into(), &true.into()).unwrap();
        js_sys::Reflect::set(&d, &"writable".into(), &true.into()).unwrap();
        js_sys::Object::define_property(&o, &k.into(), &d);
        Hidden(o, k, was)
    }
}

impl Drop for Hidden {
    fn drop(&mut self) {
        if self.2.is_undefined() {
            js_sys::Reflect::delete_property(&self.0, &self.1.into()).unwrap();
        } else {
            js_sys::Object::define_property(&self.0, &self.1.into(), self.2.unchecked_ref());
        }
    }
}

#[wasm_bindgen_test]
fn sharing_falls_back_where_the_browser_lacks_shared_worker_web_locks_or_broadcast_channel() {
    setup("{}");
    let global = js_sys::global();
    let navigator = js_sys::Reflect::get(&global, &"navigator".into()).unwrap();
    // Options of their own: a group no other test's tabs join.
    let mode = |asked: &str| {
        AuthClient::salesforce(&ClientOptions {
            session_sharing: Some(asked.into()),
            timeout_ms: Some(4_321.0),
            ..options()
        })
        .unwrap()
        .sharing_mode()
    };
    {
        let _no_worker = Hidden::new(&global, "SharedWorker");
        assert_eq!(mode("tabs"), "tabs-locks", "no SharedWorker: the locks");
        {
            let _no_locks = Hidden::new(&navigator, "locks");
            assert_eq!(mode("tabs"), "off", "no SharedWorker, no Web Locks");
            assert_eq!(mode("tabs-locks"), "off", "no Web Locks");
        }
        let _no_channel = Hidden::new(&global, "BroadcastChannel");
        assert_eq!(mode("tabs-locks"), "off", "no BroadcastChannel");
    }
    assert_eq!(mode("tabs-locks"), "tabs-locks", "everything back");
}

/// A tab's end of a `MessageChannel` whose other port `host` serves: what it is sent (each
/// message's text, in order) and a function posting a text to the host.
fn served_port(
    host: &salesforce_pkce::browser::SessionHost,
) -> (Rc<RefCell<Vec<String>>>, impl Fn(&str)) {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    let ctor: js_sys::Function = get(&js_sys::global(), "MessageChannel").into();
    let channel = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).unwrap();
    let (port, tab) = (get(&channel, "port1"), get(&channel, "port2"));
    host.connect(port);
    let heard = Rc::new(RefCell::new(Vec::<String>::new()));
    let h = heard.clone();
    let on = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let text = js_sys::Reflect::get_u32(&get(&e, "data"), 0).unwrap();
        h.borrow_mut().push(text.as_string().unwrap_or_default());
    });
    js_sys::Reflect::set(&tab, &"onmessage".into(), on.as_ref()).unwrap();
    on.forget();
    let post: js_sys::Function = get(&tab, "postMessage").into();
    let send = move |text: &str| {
        let m = js_sys::Array::of1(&JsValue::from_str(text));
        post.call1(&tab, &m).unwrap();
    };
    (heard, send)
}

/// The session worker's host hears only messages of its own protocol (every message's `v` is
/// `MESSAGE_PROTOCOL`, since p9): a tab of the deploy before (p8's `v=1`) gets no answer — its
/// hello, ping and calls are dropped whole, and it falls back when its `timeoutMs` runs out —
/// where a message of this build's protocol is answered (a call before any hello: the worker has
/// no client, `not_authenticated`, its fields the reply's own).
#[wasm_bindgen_test]
async fn tabs_the_worker_answers_no_message_of_another_protocol() {
    let host = salesforce_pkce::browser::SessionHost::new();
    let (heard, send) = served_port(&host);
    let p = salesforce_pkce::internals::group::MESSAGE_PROTOCOL;
    assert_ne!(
        p, "1",
        "v=1 is the deploy before's protocol, not this build's"
    );
    send("v=1&op=hello&id=0&options=v%3D1%26profile%3Dsalesforce");
    send("v=1&op=ping");
    send("v=1&op=fetch&id=5");
    sleep_ms(300).await;
    assert_eq!(
        *heard.borrow(),
        Vec::<String>::new(),
        "another protocol's: no answer"
    );
    send(&format!("v={p}&op=ping"));
    send(&format!("v={p}&op=fetch&id=5"));
    sleep_ms(300).await;
    let heard = heard.borrow();
    assert_eq!(heard.len(), 2, "{heard:?}");
    assert_eq!(heard[0], format!("v={p}&op=pong"));
    assert!(
        heard[1].starts_with(&format!("v={p}&id=5&c=not_authenticated&m=")),
        "{}",
        heard[1]
    );
}

/// The `error` events' messages seen while the subscription lives.
fn error_messages(
    auth: &AuthClient,
) -> (
    Rc<RefCell<Vec<String>>>,
    salesforce_pkce::browser::Subscription,
) {
    errors_seen(auth, |e| e.message())
}

/// An error the session worker throws and nothing catches: Firefox reports it at the tabs'
/// `SharedWorker` objects (Chromium and WebKit keep it in the worker's console), and a tab that
/// hears of it falls back saying what happened — not that the worker "could not be started"
/// (what every such tab said before session 26). Where the engine does not report it, the tab
/// stays on the worker, which still answers.
#[wasm_bindgen_test]
async fn tabs_an_error_the_worker_does_not_catch_is_named_where_the_engine_reports_it() {
    let url = test_worker_url(0);
    let (auth, _first) = worker_client_at(&url, 5_000).await;
    let (messages, _sub) = error_messages(&auth);
    assert_eq!(ask(&url, "throw", JsValue::UNDEFINED).await, "ok");
    sleep_ms(500).await;
    let messages = messages.borrow().clone();
    // Which way this engine went, in the suite's log.
    console_log(&format!(
        "an error the worker did not catch: {} {messages:?}",
        auth.sharing_mode()
    ));
    match auth.sharing_mode() {
        "tabs" => {
            assert_eq!(messages, Vec::<String>::new());
            assert_eq!(fetch_path(&auth, "/services/data/v66.0/").await, Ok(200));
        }
        mode => {
            assert_eq!(mode, "tabs-locks", "{messages:?}");
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert!(
                messages[0]
                    .starts_with("network error: the session worker threw an uncaught error"),
                "{}",
                messages[0]
            );
        }
    }
}

/// A worker script that does not load (a 404): "could not be started" where the engine reports
/// the failed load, or the join's `timeoutMs` — never an error it threw.
#[wasm_bindgen_test]
async fn tabs_a_worker_script_that_does_not_load_could_not_be_started() {
    setup("{}");
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    let origin = get(&get(&js_sys::global(), "location"), "origin");
    let url = format!("{}/no-such-worker.js", origin.as_string().unwrap());
    let auth = AuthClient::salesforce(&ClientOptions {
        session_sharing: Some("tabs".into()),
        worker_url: Some(url),
        timeout_ms: Some(3_000.0),
        ..options()
    })
    .unwrap();
    let (messages, _sub) = error_messages(&auth);
    assert_eq!(auth.handle_redirect().await, Ok(None));
    assert_eq!(auth.sharing_mode(), "tabs-locks");
    let messages = messages.borrow();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("network error: the session worker could not be started")
            || messages[0].starts_with("network error: the session worker did not answer"),
        "{}",
        messages[0]
    );
}

/// A tab's goodbye (posted on `pagehide`) ends its port's service: its later ping and calls get
/// no answer, while another tab's port is served as before (the ports are kept, and the ping
/// answered, by `serve` in js/tabs.js).
#[wasm_bindgen_test]
async fn tabs_the_worker_serves_a_port_no_more_after_its_goodbye() {
    let host = salesforce_pkce::browser::SessionHost::new();
    let (gone, say_gone) = served_port(&host);
    let (other, say_other) = served_port(&host);
    let p = salesforce_pkce::internals::group::MESSAGE_PROTOCOL;
    say_gone(&format!("v={p}&op=ping"));
    sleep_ms(100).await;
    assert_eq!(*gone.borrow(), [format!("v={p}&op=pong")], "served");
    say_gone(&format!("v={p}&op=bye"));
    say_gone(&format!("v={p}&op=ping"));
    say_gone(&format!("v={p}&op=fetch&id=5"));
    say_other(&format!("v={p}&op=ping"));
    sleep_ms(300).await;
    assert_eq!(
        gone.borrow().len(),
        1,
        "no answer after the goodbye: {:?}",
        gone.borrow()
    );
    assert_eq!(
        *other.borrow(),
        [format!("v={p}&op=pong")],
        "the other tab's port"
    );
}
