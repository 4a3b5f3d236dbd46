//! The demo as a Leptos (CSR) app on salesforce-pkce's Rust API: sign in, the callback, every
//! Account through `AuthClient::send` (gloo-net, cargo feature `gloo`), one refresh when the
//! token expires, logout, and the client's events as signals. It reads its settings
//! (`loginHost`, `clientId`) from `/demo-config.json`, which `scripts/serve.mjs` serves.

use std::cell::OnceCell;

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use salesforce_pkce::browser::{AuthClient, AuthEvent, Session};
use salesforce_pkce::{ClientOptions, LoginOptions};
use serde::Deserialize;

const QUERY: &str = "/services/data/v66.0/query?q=SELECT+Id,+Name+FROM+Account";

thread_local! {
    // The app's one client (an `Rc` inside: it stays on this thread, as everything in a page).
    static AUTH: OnceCell<AuthClient> = const { OnceCell::new() };
}

fn auth() -> AuthClient {
    AUTH.with(|a| a.get().cloned())
        .expect("the client is made before the app mounts")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    login_host: String,
    client_id: String,
}

#[derive(Clone, Deserialize)]
struct Account {
    #[serde(rename = "Id")]
    id: String,
    #[serde(rename = "Name")]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Batch {
    records: Vec<Account>,
    done: bool,
    next_records_url: Option<String>,
}

/// The client's state as signals: the session (never its tokens) and the events seen.
#[derive(Clone, Copy)]
struct AuthState {
    session: RwSignal<Option<Session>>,
    events: RwSignal<Vec<String>>,
}

fn describe(e: &salesforce_pkce::AuthError) -> String {
    format!("{}: {e}", e.code())
}

/// Every Account, batch by batch: `api_url` makes the relative query and `nextRecordsUrl`
/// absolute on the instance (gloo-net would resolve them against the page).
async fn list_accounts() -> Result<Vec<Account>, String> {
    let auth = auth();
    let mut records = Vec::new();
    let mut next = Some(QUERY.to_owned());
    while let Some(path) = next {
        let url = auth.api_url(&path).map_err(|e| describe(&e))?;
        let res = auth
            .send(Request::get(&url))
            .await
            .map_err(|e| describe(&e))?;
        if !res.ok() {
            return Err(format!("the query answered HTTP {}", res.status()));
        }
        let batch: Batch = res.json().await.map_err(|e| e.to_string())?;
        records.extend(batch.records);
        next = if batch.done {
            None
        } else {
            batch.next_records_url
        };
    }
    Ok(records)
}

#[component]
fn App(state: AuthState, redirect_error: Option<String>) -> impl IntoView {
    let accounts = RwSignal::new(Vec::<Account>::new());
    let loads = RwSignal::new(0u32);
    let error = RwSignal::new(redirect_error);
    let load = move |_| {
        spawn_local(async move {
            match list_accounts().await {
                Ok(list) => {
                    accounts.set(list);
                    loads.update(|n| *n += 1);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let logout = move |_| {
        spawn_local(async move {
            let done = auth().logout().await;
            accounts.set(Vec::new());
            error.set(done.err().map(|e| describe(&e)));
        })
    };
    let login = move |_| {
        let options = LoginOptions {
            return_to: Some("/".into()),
            ..Default::default()
        };
        if let Err(e) = auth().login(&options) {
            error.set(Some(describe(&e)));
        }
    };
    let status = move || match state.session.get() {
        Some(s) => format!("signed in as {}", s.user_id.unwrap_or_default()),
        None => "signed out".into(),
    };
    view! {
        <main data-ready="1">
            <h1>"Accounts"</h1>
            <p id="status">{status}</p>
            <p>"sharing: " <span id="sharing">{auth().sharing_mode()}</span></p>
            <Show
                when=move || state.session.with(Option::is_some)
                fallback=move || view! { <button id="login" on:click=login>"Log in with Salesforce"</button> }
            >
                <button id="load" on:click=load>"Load accounts"</button>
                <button id="logout" on:click=logout>"Log out"</button>
            </Show>
            {move || error.get().map(|e| view! { <p id="error">{e}</p> })}
            <p>
                <span id="count">{move || accounts.with(Vec::len)}</span>
                " accounts (loaded " <span id="loads">{loads}</span> " times)"
            </p>
            <ul id="accounts">
                <For each=move || accounts.get() key=|a| a.id.clone() let:a>
                    <li>{a.name}</li>
                </For>
            </ul>
            <h2>"Events"</h2>
            <ul id="events">
                {move || state.events.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
        </main>
    }
}

/// Makes the client, listens to its events (into signals), handles the callback.
async fn start(state: AuthState) -> Result<Option<String>, String> {
    let config: Config = Request::get("/demo-config.json")
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let window = web_sys::window().ok_or("no window")?;
    let origin = window.location().origin().map_err(|_| "no origin")?;
    let client = AuthClient::salesforce(&ClientOptions {
        client_id: Some(config.client_id),
        redirect_uri: Some(format!("{origin}/callback")),
        login_host: Some(config.login_host),
        ..Default::default()
    })
    .map_err(|e| describe(&e))?;
    for name in [
        "login",
        "token_refreshed",
        "session_expired",
        "logout",
        "error",
    ] {
        let events_of = client.clone();
        // The app lives as long as the page: the subscriptions are never removed.
        let _ = client.on(name, move |e: &AuthEvent| {
            state.session.set(events_of.session());
            let label = match e {
                AuthEvent::Error(err) | AuthEvent::SessionExpired(err) => {
                    format!("{}: {}", e.name(), err.code())
                }
                _ => e.name().to_owned(),
            };
            state.events.update(|v| v.push(label));
        });
    }
    AUTH.with(|a| a.set(client.clone()))
        .map_err(|_| "started twice")?;
    let history = window.history().map_err(|_| "no history")?;
    // On the callback page: exchanges the code, then the app goes where login() said.
    let (to, redirect_error) = match client.handle_redirect().await {
        Ok(Some(redirect)) => (Some(redirect.return_to().to_owned()), None),
        Ok(None) => (None, None),
        Err(e) => (Some("/".to_owned()), Some(describe(&e))),
    };
    if let Some(to) = to {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to));
    }
    state.session.set(client.session());
    Ok(redirect_error)
}

/// Starts the client, then shows the app (or why it could not start).
#[component]
fn Root() -> impl IntoView {
    let state = AuthState {
        session: RwSignal::new(None),
        events: RwSignal::new(Vec::new()),
    };
    let started = RwSignal::new(None::<Result<Option<String>, String>>);
    spawn_local(async move { started.set(Some(start(state).await)) });
    move || match started.get() {
        None => view! { <p>"starting"</p> }.into_any(),
        Some(Ok(redirect_error)) => view! { <App state redirect_error /> }.into_any(),
        Some(Err(e)) => view! {
            <main data-ready="1">
                <p id="error">{format!("the app could not start: {e}")}</p>
            </main>
        }
        .into_any(),
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(Root);
}
