//! An app not installed in the org (`app_installed = false`): since Sept 2025 Salesforce
//! refuses its users at the authorize redirect with `invalid_client` / "app must be installed
//! into org" (docs/SALESFORCE.md §3).
mod common;
use common::*;

fn assert_refused(loc: &str) {
    assert!(
        loc.starts_with(&format!("{CALLBACK}?")),
        "a redirect: {loc}"
    );
    assert_eq!(
        param(loc, "error").as_deref(),
        Some("invalid_client"),
        "{loc}"
    );
    assert_eq!(
        param(loc, "error_description").as_deref(),
        Some("app must be installed into org")
    );
    assert_eq!(param(loc, "state").as_deref(), Some("st-1"));
    assert!(param(loc, "code").is_none());
}

#[tokio::test]
async fn an_uninstalled_app_is_refused_at_the_authorize_redirect() {
    let emu = start(|c| c.app_installed = false).await;
    // The user signs in first (the block depends on the user's permissions), then is sent back.
    let page = emu
        .get(&emu.authorize_url(&[]), None)
        .await
        .text()
        .await
        .unwrap();
    let req = form_value(&page, "req").expect("the login form comes first");
    let u = &emu.app.config.users[0];
    let r = emu
        .post_form(
            "/services/oauth2/authorize/login",
            &[
                ("req", &req),
                ("username", &u.username),
                ("password", &u.password),
            ],
            None,
        )
        .await;
    assert_eq!(r.status(), 302, "no consent page for an uninstalled app");
    assert_refused(&location(&r));
    let cookie = cookie(&r).expect("the login itself succeeded");

    // With a session: straight back with the same error.
    let r = emu.get(&emu.authorize_url(&[]), Some(&cookie)).await;
    assert_eq!(r.status(), 302);
    assert_refused(&location(&r));
    let state = emu.get_json("/__emulator/state").await;
    assert_eq!(state["pendingCodes"], 0, "no code was issued");
}

#[tokio::test]
async fn client_and_redirect_uri_are_still_checked_first() {
    let emu = start(|c| c.app_installed = false).await;
    let r = emu
        .get(
            &emu.authorize_url(&[("redirect_uri", "http://evil.example/cb")]),
            None,
        )
        .await;
    assert_eq!(
        r.status(),
        400,
        "an error page, never a redirect to an unregistered URI"
    );
}
