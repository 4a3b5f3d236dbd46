//! The `#[wasm_bindgen]` JS API: a thin layer over [`crate::browser::AuthClient`], exported as
//! two entry points the hand-written JS class calls (a client's function, [`call`] behind it, and
//! [`statics`]; the class's typings are in `js/types.d.ts`). Options arrive as
//! plain objects read field by field ([`options`]); every failure is an `AuthError`.

#[allow(unused_imports)]
use crate::core::prelude::*;

mod convert;
mod options;

use convert::{event_to_js, findings_js, session_js, stats_js};

use wasm_bindgen::prelude::*;

use crate::browser;
use crate::core::doctor;
use crate::core::error::AuthError;
use crate::core::method_options;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../../js/types.d.ts");

pub(crate) use crate::browser::to_js;

/// A promise already settled with a synchronous result (no executor round trip; an error is
/// an `AuthError`, which the executor rejects with).
fn settled(r: Result<JsValue, JsValue>) -> crate::browser::sys::Promise {
    crate::browser::settled(&r.unwrap_or_else(|e| e))
}

/// A call's failure (counted) as its promise, rejected.
fn failed(c: &browser::AuthClient, e: AuthError) -> JsValue {
    settled(Err(c.inner.failed(e))).into()
}

fn js_result<T>(r: Result<T, AuthError>) -> Result<T, JsValue> {
    r.map_err(|e| to_js(&e))
}

/// The signature of a client's function ([`held`]).
type ClientFn = dyn Fn(u32, f64, f64, JsValue, JsValue) -> JsValue;

/// A browser OAuth client, as the JS function its class holds. Tokens live only in its memory.
/// The JS class (its methods and their typings, in `js/types.d.ts`) is written by hand
/// (`scripts/class.mjs`) over [`statics`] and this function, so the per-export marshalling
/// exists once, not once per method; it is not a wasm-bindgen class, so the wasm has no `&self`
/// borrow wrapper (wasm-bindgen's `WasmRefCell` count, `RcRef`, null check).
/// `(0, 0, op, a, b)` is [`call`]: the same signature as the clients' dispatch functions
/// (`exec::DispatchFn`), so it adds no closure shim (`op` in the third place: measured smaller,
/// gzip, than in the first). Dropped by `free()` (the function's unref: a call in progress, a
/// listener's `free()` within it, keeps it until the call returns) or once it is
/// garbage-collected (the glue's closure finalizer; a listener that captures its own client
/// keeps it reachable, as any JS object would be); called after that, the class throws
/// `not_initialized`.
fn held(client: browser::AuthClient) -> JsValue {
    Closure::<ClientFn>::new(move |_, _, op, a, b| call(&client, op as u32, a, b)).into_js_value()
}

/// The numbers of [`call`]'s operations (the same in `scripts/class.mjs`).
pub(crate) mod op {
    pub(super) const LOGIN: u32 = 0;
    pub(super) const LOGIN_POPUP: u32 = 1;
    pub(super) const AUTHORIZATION_URL: u32 = 2;
    pub(super) const HANDLE_REDIRECT: u32 = 3;
    pub(super) const IS_AUTHENTICATED: u32 = 4;
    pub(super) const SESSION: u32 = 5;
    pub(super) const STATS: u32 = 6;
    pub(crate) const FETCH: u32 = 7;
    pub(crate) const USERINFO: u32 = 8;
    pub(super) const LOGOUT: u32 = 9;
    pub(super) const RESTORE: u32 = 10;
    pub(super) const SHARING_MODE: u32 = 11;
    // 12 (`on`, and `__k`): every other number.
}

/// The static methods: 0 `discover(issuer, options)`'s request (the promise of the answer
/// of `{issuer}/.well-known/openid-configuration`), 2 the client from that answer (`c`),
/// 1 `doctor(options)` (the config doctor's findings, without network); 3 `new
/// AuthClient(options)` (any OAuth 2.0 / OpenID Connect provider, endpoints given) and 4
/// `AuthClient.salesforce(options)` (`loginHost` is the My Domain or Experience Cloud URL):
/// the client, or the `AuthError` the JS constructor throws.
#[wasm_bindgen(js_name = __s, skip_typescript)]
pub fn statics(op: u32, a: JsValue, b: JsValue, c: JsValue) -> JsValue {
    statics_inner(op, a, b, c).unwrap_or_else(|e| e)
}

/// The methods and getters of client `c` (`op` above; `a`, `b` their arguments), through its
/// function ([`held`]); the session worker's host calls its client's `fetch` and `userinfo`
/// here too (`host.rs`). Internal: apps use the class's methods.
pub(crate) fn call(c: &browser::AuthClient, op: u32, a: JsValue, b: JsValue) -> JsValue {
    match op {
        // The methods given an options object: it is read once, as the core's tree, then by
        // the method's table; a refusal rejects the call (counted, as every call's failure is).
        op::LOGIN | op::LOGIN_POPUP | op::AUTHORIZATION_URL | op::LOGOUT => {
            // (Each method's own entries of the one table: one reader for the four.)
            let entries = match op {
                op::LOGIN_POPUP => method_options::POPUP,
                op::LOGOUT => method_options::LOGOUT,
                _ => method_options::LOGIN,
            };
            let o = match options::tree(&a).and_then(|t| method_options::read(&t, entries)) {
                Ok(o) => o,
                Err(e) => return failed(c, e),
            };
            match op {
                // Signs in in a popup (opened now, within the user's gesture); resolves once
                // signed in.
                op::LOGIN_POPUP => {
                    let opened = c.open_popup(o.login, &o.popup);
                    c.login_popup_promise(opened, false)
                }
                // Revokes the tokens and forgets them; with `endSession: true`, then ends the
                // provider's session (a top-level navigation).
                op::LOGOUT => c.logout_promise(o.logout),
                // Stores a pending login and navigates to the authorization endpoint
                // (`login`), or gives the authorize URL without navigating
                // (`authorizationUrl`: its promise is made where its URL crosses, with the
                // record).
                _ => {
                    return match c.login_js(&o.login, op == op::LOGIN) {
                        Ok(v) if op == op::AUTHORIZATION_URL => v,
                        Ok(v) => settled(Ok(v)).into(),
                        Err(e) => failed(c, e),
                    };
                }
            }
        }
        // On the callback page: exchanges the code; `null` when the page is no callback.
        op::HANDLE_REDIRECT => c.handle_redirect_promise(),
        // Whether a session is held: `session !== null`, without building the session object
        // (its JSON text and the page's `JSON.parse`) on every read.
        op::IS_AUTHENTICATED => return JsValue::from_bool(c.is_authenticated()),
        // The session (never its tokens), or `null`.
        op::SESSION => return c.session().map_or(JsValue::NULL, |s| session_js(&s)),
        op::STATS => return c.with_stats(stats_js),
        // `fetch` with the Bearer token (allowed origins only), one refresh and retry on 401.
        op::FETCH => c.fetch_promise(&a, &b),
        op::USERINFO => c.userinfo_promise(),
        // Silent re-login after a reload.
        op::RESTORE => match c.restore_inner() {
            Ok(()) => settled(Ok(JsValue::UNDEFINED)),
            Err(e) => return failed(c, e),
        },
        op::SHARING_MODE => return JsValue::from_str(c.sharing_mode()),
        // `on` and `__k`: the client's dispatch function, under which the executor keeps
        // its listeners (`listen` in js/executor.js; `deliver` gets each event) and
        // `auth.fetch`'s fast path and gate (`gate`).
        _ => return c.inner.exec.js().clone(),
    }
    .into()
}

fn statics_inner(op: u32, a: JsValue, b: JsValue, c: JsValue) -> Result<JsValue, JsValue> {
    // The issuer (ops 0 and 2) is `a`, the options `b`; else the options are `a`.
    let issuer = a.as_string();
    // Discovery's failure rejects the promise (never a throw); its issuer is checked first.
    if op == 0 && issuer.is_none() {
        let e = to_js(&AuthError::config("issuer", "must be a string"));
        return Ok(settled(Err(e)).into());
    }
    // The options read once for every op, matched out of the result (not moved by `?`).
    // (Not through `js_result`: its `map_err` would copy the whole options.)
    let o = match options::client_options(if op == 0 || op == 2 { &b } else { &a }) {
        Ok(o) => o,
        Err(e) if op == 0 => return Ok(settled(Err(to_js(&e))).into()),
        Err(e) => return Err(to_js(&e)),
    };
    let issuer = issuer.unwrap_or_default();
    if op == 0 {
        let sent = js_result(browser::AuthClient::discovery(&issuer, &o)).map(JsValue::from);
        return Ok(settled(sent).into());
    }
    if op >= 2 {
        let made = match op {
            2 => browser::AuthClient::discovered(&issuer, o, &c),
            _ => browser::AuthClient::of(o, op == 4),
        };
        return js_result(made).map(held);
    }
    let page = browser_origin();
    let findings = if o.login_host.is_some() && o.authorization_endpoint.is_none() {
        doctor::salesforce(&o, page.as_deref())
    } else {
        doctor::generic(&o, page.as_deref())
    };
    Ok(findings_js(&findings))
}

#[wasm_bindgen(module = "/js/executor.js")]
extern "C" {
    /// Calls the listeners of the client of `dispatch` for an event; what they throw is caught
    /// there.
    fn deliver(dispatch: &JsValue, event: &JsValue);
}

/// Hands `e` (as the JS object listeners get) to the executor's listeners of the client of
/// `dispatch`.
pub(crate) fn deliver_event(dispatch: &JsValue, e: &crate::browser::AuthEvent) {
    deliver(dispatch, &event_to_js(e));
}

fn browser_origin() -> Option<String> {
    browser::page_origin()
}

/// Internal: starts the session worker's host (`session-worker.js`, `sessionSharing:
/// "tabs"`) for the worker's life, and returns its dispatch function: a tab's port is served
/// once handed to it as event 16 (`dispatch(16, 0, 0, port)`). Apps never use it.
#[cfg(feature = "sharing")]
#[wasm_bindgen(js_name = sessionHost)]
pub fn session_host() -> JsValue {
    browser::SessionHost::serve()
}
