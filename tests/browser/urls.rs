//! URLs as this engine reads them: every form of `returnTo` in return_to.json comes back
//! (from the login callback and from the way back from end-session) as a path that the
//! engine's own `new URL(path, location.href)` resolves on the page's origin, or is refused;
//! DPoP's `htu` is the URL `fetch` sends; the library's own requests never follow a redirect.

use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use salesforce_pkce::Millis;
use salesforce_pkce::browser::Redirect;
use salesforce_pkce::internals::authorize::pending_key;
use salesforce_pkce::internals::end_session::{LogoutOptions, PendingLogout, end_session_request};
use salesforce_pkce::{DpopMode, PendingLogin, State};

fn session_storage() -> web_sys::Storage {
    window().session_storage().unwrap().unwrap()
}

/// This engine's `new URL(input, location.href)`: origin and pathname (`None` when it throws).
fn resolved(input: &str) -> Option<(String, String)> {
    let base = window().location().href().unwrap();
    web_sys::Url::new_with_base(input, &base)
        .ok()
        .map(|u| (u.origin(), u.pathname()))
}

/// The table's rows with `{origin}` made this page's origin: (form, the path handed back or
/// `None` for refused).
fn return_to_table() -> Vec<(String, Option<String>)> {
    let table: Vec<Vec<Value>> = serde_json::from_str(include_str!("return_to.json")).unwrap();
    table[1..]
        .iter()
        .map(|row| {
            (
                row[0].as_str().unwrap().replace("{origin}", &origin()),
                row[1].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn end_session_back(auth: &AuthClient, form: &str) -> Result<PendingLogout, AuthError> {
    let options = LogoutOptions {
        end_session: Some(true),
        post_logout_redirect_uri: Some(format!("{}/", origin())),
        return_to: Some(form.to_owned()),
        state: None,
    };
    // What logout({ endSession }) runs, with the page's origin (browser/end_session.rs).
    let page = window().location().origin().unwrap();
    end_session_request(
        auth.config(),
        &options,
        None,
        &[5; 32],
        Millis(js_sys::Date::now()),
        Some(&page),
    )
    .map(|r| r.pending.unwrap())
}

#[wasm_bindgen_test]
async fn every_return_to_form_comes_back_on_the_page_origin_as_this_engine_resolves_it() {
    let auth = setup("{}");
    let page = origin();
    let table = return_to_table();
    for (form, expected) in &table {
        let login = auth.authorization_url(&LoginOptions {
            return_to: Some(form.clone()),
            ..Default::default()
        });
        let logout = end_session_back(&auth, form);
        let off_origin = resolved(form).is_some_and(|(o, _)| o != page);
        match (login, expected) {
            (Ok(url), Some(path)) => {
                assert!(
                    !off_origin,
                    "{form:?}: this engine resolves it off the origin, yet it was accepted"
                );
                let key = pending_key(&State::new(query_param(&url, "state")));
                let stored = session_storage().get_item(&key).unwrap().unwrap();
                let back = PendingLogin::from_storage(&stored).unwrap().return_to;
                assert_eq!(&back, path, "{form:?}");
                assert_eq!(&logout.unwrap().return_to, path, "{form:?}");
                let (o, pathname) = resolved(path).expect("a path resolves");
                assert_eq!(o, page, "{form:?} came back as {path:?}");
                assert!(!pathname.starts_with("//"), "{form:?}: {pathname}");
            }
            (Err(e), None) => {
                assert_eq!(e.code(), "invalid_config", "{form:?}");
                assert_eq!(logout.unwrap_err().code(), "invalid_config", "{form:?}");
            }
            (login, _) => panic!("{form:?}: {login:?}, the table says {expected:?}"),
        }
    }

    // What handleRedirect() hands back, for every accepted form: after a login callback ...
    for (form, path) in table.iter().filter_map(|(f, p)| Some((f, p.as_ref()?))) {
        let url = auth
            .authorization_url(&LoginOptions {
                return_to: Some(form.clone()),
                ..Default::default()
            })
            .unwrap();
        let state = query_param(&url, "state");
        let back = callback(&auth, &format!("code=aPrx%3D%3D&state={state}"))
            .await
            .unwrap();
        assert_eq!(back.as_ref(), Some(path), "{form:?}");
        // ... and on the way back from end-session.
        let p = end_session_back(&auth, form).unwrap();
        session_storage()
            .set_item(&p.storage_key(), &p.to_storage())
            .unwrap();
        set_path(&format!("/?state={}", p.state)).await;
        let r = auth.handle_redirect().await;
        assert_eq!(
            r,
            Ok(Some(Redirect::LoggedOut {
                return_to: path.clone(),
                state: None
            })),
            "{form:?}"
        );
    }
    set_path("/").await;
}

#[wasm_bindgen_test]
async fn a_stored_record_whose_return_to_leaves_the_origin_is_never_handed_back() {
    let auth = setup("{}");
    // A record as a version before this check stored it for `https://<origin>//evil.example/x`.
    let url = auth
        .authorization_url(&LoginOptions {
            return_to: Some("/after".into()),
            ..Default::default()
        })
        .unwrap();
    let state = query_param(&url, "state");
    let key = pending_key(&State::new(state.clone()));
    let text = session_storage().get_item(&key).unwrap().unwrap();
    let mut record = PendingLogin::from_storage(&text).unwrap();
    record.return_to = "//evil.example/x".into();
    session_storage()
        .set_item(&key, &record.to_storage())
        .unwrap();
    let r = callback(&auth, &format!("code=aPrx%3D%3D&state={state}")).await;
    assert_eq!(r.unwrap_err().code(), "invalid_callback");
    assert_eq!(count("authorization_code"), 0, "no code exchanged");
    assert!(!auth.is_authenticated());

    let p = PendingLogout {
        state: "s-evil".into(),
        return_to: "//evil.example/x".into(),
        app_state: None,
        created_at_ms: Millis(js_sys::Date::now()),
    };
    session_storage()
        .set_item(&p.storage_key(), &p.to_storage())
        .unwrap();
    set_path("/?state=s-evil").await;
    let r = auth.handle_redirect().await;
    set_path("/").await;
    assert!(!matches!(r, Ok(Some(Redirect::LoggedOut { .. }))), "{r:?}");
}

/// The `htu` of a `DPoP` proof.
fn htu_of(proof: &str) -> String {
    let claims = proof.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    claims["htu"].as_str().unwrap().to_owned()
}

/// `url` without its query and fragment, as this engine serializes it.
fn without_query(url: &str) -> String {
    let u = web_sys::Url::new(url).unwrap();
    u.set_search("");
    u.set_hash("");
    u.href()
}

/// A client with `dpop: true`, signed in against a fresh mock.
async fn signed_in_with_dpop() -> AuthClient {
    mock_reset("{}");
    session_storage().clear().unwrap();
    let auth = AuthClient::salesforce(&ClientOptions {
        dpop: Some(DpopMode::Required),
        ..options()
    })
    .unwrap();
    login(&auth).await;
    auth
}

#[wasm_bindgen_test]
async fn a_dpop_proof_names_the_url_fetch_sends() {
    let auth = signed_in_with_dpop().await;
    for input in [
        "/services/data/v66.0/query?q=SELECT Id FROM Account",
        "/services/data/v66.0/query?q=SELECT Id FROM Account WHERE Name = 'A\\B'#x y",
        "/services/data/v66.0/../v66.0/./query?q=SELECT+Name+FROM+Account",
        "/services/data/v66.0/sobjects/Größe__c/ü?x=ä",
        "/services/data/v66.0/a b/%7Euser",
        "https://acme.my.salesforce.com/services/data/v66.0/query?q=SELECT Id FROM Account",
        "HTTPS://ACME.my.salesforce.com:443/services/data/v66.0/x/../query?q=1",
        "HtTpS://acme.my.salesforce.com/services/data/v66.0/query?q=SELECT Name FROM Account",
    ] {
        let status = auth
            .fetch(&JsValue::from_str(input), None)
            .await
            .map(|r| r.status());
        assert_eq!(status, Ok(200), "{input}");
        let sent = requests().pop().unwrap();
        let url = sent["url"].as_str().unwrap();
        assert!(url.starts_with(HOST), "{url}");
        assert_eq!(
            sent["authorization"].as_str().unwrap().split(' ').next(),
            Some("DPoP")
        );
        assert_eq!(
            htu_of(sent["dpop"].as_str().unwrap()),
            without_query(url),
            "{input}"
        );
    }
    assert!(
        requests()
            .iter()
            .filter(|r| r["url"].as_str().unwrap().contains("/services/data/"))
            .all(|r| r["dpop"].is_string()),
        "each with a proof"
    );
    assert_eq!(count("refresh_token"), 0, "no proof was refused");
}

#[wasm_bindgen_test]
async fn the_library_never_follows_a_redirect_with_a_token_or_a_code() {
    let auth = setup("{}");
    login(&auth).await;
    auth.userinfo().await.unwrap();
    let collector = "https://collector.example/take";
    let to_collector = |paths: &[&str]| {
        let map: serde_json::Map<String, Value> = paths
            .iter()
            .map(|p| (format!("{HOST}{p}"), Value::from(collector)))
            .collect();
        mock_set("redirects", &Value::Object(map).to_string());
    };
    // A refresh answered by a 307: the form body (the refresh token) would go along.
    to_collector(&["/services/oauth2/token"]);
    mock_set("access", r#""expired-by-server""#);
    let e = api(&auth).await.unwrap_err();
    assert_eq!(e.code(), "network_error", "{e}");
    assert!(auth.is_authenticated(), "a redirect is a transient fault");
    to_collector(&["/services/oauth2/userinfo"]);
    mock_set("access", r#""00Dxx0000000123!AT-1""#);
    assert_eq!(auth.userinfo().await.unwrap_err().code(), "network_error");
    to_collector(&["/services/oauth2/revoke"]);
    assert_eq!(auth.logout().await.unwrap_err().code(), "revocation_failed");
    assert!(!auth.is_authenticated());

    mock_set(
        "redirects",
        &serde_json::json!({ "https://id.example/.well-known/openid-configuration": collector })
            .to_string(),
    );
    let generic = ClientOptions {
        client_id: Some("spa".into()),
        redirect_uri: Some(format!("{}/callback", origin())),
        ..Default::default()
    };
    let e = AuthClient::discover("https://id.example", generic)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code(), "network_error", "{e}");

    let ours = requests();
    assert!(
        ours.iter()
            .all(|r| !r["url"].as_str().unwrap().starts_with(collector)),
        "nothing reached the Location"
    );
    for r in ours.iter().filter(|r| {
        let u = r["url"].as_str().unwrap();
        u.contains("/services/oauth2/") || u.contains("/.well-known/")
    }) {
        assert_eq!(r["redirect"], "error", "{}", r["url"]);
    }
    let kinds = |p: &str| {
        ours.iter()
            .filter(|r| r["url"].as_str().unwrap().contains(p))
            .count()
    };
    assert!(kinds("/token") >= 2 && kinds("/userinfo") >= 2 && kinds("/revoke") >= 1);
}

/// A DPoP proof's claims.
fn claims_of(proof: &str) -> Value {
    let claims = proof.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
}

/// A DPoP-bound `auth.fetch` goes the executor's one app-request path: a `Request` is sent with
/// its own method as `htm`, a dead token is refreshed once and the retry carries a new proof
/// whose `ath` is the new token's, and the caller's `Request` keeps its headers.
#[wasm_bindgen_test]
async fn a_dpop_bound_request_is_retried_after_one_refresh_with_a_new_proof() {
    let auth = signed_in_with_dpop().await;
    // The server no longer takes the token the client holds.
    mock_set("access", r#""00Dxx0000000123!AT-revoked""#);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(r#"{"Name":"Acme"}"#));
    let headers = web_sys::Headers::new().unwrap();
    headers.set("Content-Type", "application/json").unwrap();
    init.set_headers(&headers);
    let url = format!("{HOST}/services/data/v66.0/sobjects/Account");
    let request = web_sys::Request::new_with_str_and_init(&url, &init).unwrap();
    let status = auth.fetch(request.as_ref(), None).await.map(|r| r.status());
    assert_eq!(status, Ok(200));
    assert_eq!(count("refresh_token"), 1, "one refresh");
    let sent: Vec<Value> = requests()
        .into_iter()
        .filter(|r| r["url"].as_str() == Some(url.as_str()))
        .collect();
    assert_eq!(sent.len(), 2, "the request and its one retry");
    let mut tokens = Vec::new();
    for r in &sent {
        assert_eq!(r["method"], "POST");
        assert_eq!(r["body"], r#"{"Name":"Acme"}"#, "the body sent twice");
        let token = r["authorization"]
            .as_str()
            .unwrap()
            .strip_prefix("DPoP ")
            .unwrap();
        let claims = claims_of(r["dpop"].as_str().unwrap());
        assert_eq!(claims["htm"], "POST");
        assert_eq!(claims["htu"], url.as_str());
        assert_eq!(
            claims["ath"],
            salesforce_pkce::internals::dpop::ath(token).as_str()
        );
        tokens.push((token.to_owned(), claims["jti"].clone()));
    }
    assert_ne!(
        tokens[0].0, tokens[1].0,
        "the retry carries the refreshed token"
    );
    assert_ne!(tokens[0].1, tokens[1].1, "and a proof of its own");
    assert_eq!(request.headers().get("authorization").unwrap(), None);
    assert_eq!(request.headers().get("dpop").unwrap(), None);
}

/// A proof's `htm` is the method `fetch` sends, given as `init.method` or in a `Request`: the
/// six names the Fetch standard normalizes upper-cased in any case, any other (`patch`,
/// `MKCOL`) byte for byte (RFC 9449 §4.3 has the server compare them exactly).
#[wasm_bindgen_test]
async fn a_dpop_proofs_htm_is_the_method_fetch_sends() {
    let auth = signed_in_with_dpop().await;
    let url = format!("{HOST}/services/data/v66.0/sobjects/Account/001xx");
    for (asked, sent) in [
        ("patch", "patch"),
        ("Patch", "Patch"),
        ("PATCH", "PATCH"),
        ("MKCOL", "MKCOL"),
        ("mkcol", "mkcol"),
        ("put", "PUT"),
        ("Delete", "DELETE"),
        ("post", "POST"),
        ("gEt", "GET"),
    ] {
        for in_request in [false, true] {
            let init = web_sys::RequestInit::new();
            init.set_method(asked);
            let status = if in_request {
                let request = web_sys::Request::new_with_str_and_init(&url, &init).unwrap();
                auth.fetch(request.as_ref(), None).await
            } else {
                auth.fetch(&JsValue::from_str(&url), Some(&init)).await
            };
            assert_eq!(status.map(|r| r.status()), Ok(200), "{asked} {in_request}");
            let r = requests().pop().unwrap();
            assert_eq!(r["method"], sent, "{asked} {in_request}");
            assert_eq!(
                claims_of(r["dpop"].as_str().unwrap())["htm"],
                sent,
                "{asked} {in_request}"
            );
        }
    }
    assert_eq!(count("refresh_token"), 0, "no proof was refused");
}
