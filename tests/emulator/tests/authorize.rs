//! The authorize endpoint against a real listening emulator.
mod common;
use common::*;

#[tokio::test]
async fn full_code_flow_with_pkce() {
    let emu = start(|_| {}).await;
    let (loc, _) = emu.login(&[], 0).await;
    assert!(loc.starts_with(&format!("{CALLBACK}?code=aPrx")), "{loc}");
    assert!(
        loc.contains("%3D%3D&state=st-1"),
        "the code is URL-encoded and state echoed: {loc}"
    );
    let code = param(&loc, "code").unwrap();
    assert!(code.ends_with("=="));
    let r = emu.exchange(&code, &pkce().0).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
    let t: serde_json::Value = r.json().await.unwrap();
    assert!(
        t["access_token"]
            .as_str()
            .unwrap()
            .starts_with("00D5g00000DEMOA!")
    );
    assert!(t["refresh_token"].as_str().unwrap().starts_with("5Aep861"));
    assert_eq!(t["instance_url"], emu.base.as_str());
    assert_eq!(
        t["id"],
        format!("{}/id/00D5g00000DEMOAEAQ/0055g00000ADAADAAQ", emu.base)
    );
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "api refresh_token openid");
    assert!(
        t["issued_at"].as_str().unwrap().parse::<u128>().unwrap() > 1_600_000_000_000,
        "issued_at is a millisecond string"
    );
    assert!(!t["signature"].as_str().unwrap().is_empty());
    assert!(
        t.get("expires_in").is_none(),
        "no expires_in, as Salesforce"
    );
    let id_token = t["id_token"].as_str().unwrap();
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (
            claims["nonce"].as_str(),
            claims["aud"].as_str(),
            claims["iss"].as_str()
        ),
        (
            Some("n-1"),
            Some(emu.app.config.client_id.as_str()),
            Some(emu.base.as_str())
        )
    );
}

#[tokio::test]
async fn client_and_redirect_errors_are_pages_never_redirects() {
    let emu = start(|_| {}).await;
    let cases = [
        (vec![("client_id", "3MVG9unknown")], "invalid_client_id"),
        (vec![("client_id", "")], "invalid_client_id"),
        (vec![("redirect_uri", "")], "redirect_uri_missing"),
        (
            vec![("redirect_uri", "http://localhost:8080/callback/")],
            "redirect_uri_mismatch",
        ),
        (
            vec![("redirect_uri", "http://localhost:8080/Callback")],
            "redirect_uri_mismatch",
        ),
        (
            vec![("redirect_uri", "https://localhost:8080/callback")],
            "redirect_uri_mismatch",
        ),
        (
            vec![("redirect_uri", "http://evil.example/callback")],
            "redirect_uri_mismatch",
        ),
    ];
    for (extra, error) in cases {
        let r = emu.get(&emu.authorize_url(&extra), None).await;
        assert_eq!(r.status(), 400, "{extra:?}");
        assert!(
            r.headers().get("location").is_none(),
            "never a redirect: {extra:?}"
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains(&format!("error={error}")),
            "{extra:?}: {page}"
        );
    }
    let page = emu
        .get(
            &emu.authorize_url(&[("redirect_uri", "http://localhost:8080/callback/")]),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("character for character")
            && page.contains("http://localhost:8080/callback/")
    );
}

#[tokio::test]
async fn request_errors_redirect_with_state() {
    let emu = start(|_| {}).await;
    let cases = [
        (
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (vec![("code_challenge_method", "plain")], "invalid_request"),
        (vec![("code_challenge", "short")], "invalid_request"),
        (vec![("scope", "api chatter_api")], "invalid_scope"),
        (vec![("prompt", "bogus")], "invalid_request"),
        (vec![("immediate", "true")], "immediate_unsuccessful"),
    ];
    for (extra, error) in cases {
        let r = emu.get(&emu.authorize_url(&extra), None).await;
        assert_eq!(r.status(), 302, "{extra:?}");
        let loc = location(&r);
        assert!(loc.starts_with(CALLBACK), "{loc}");
        assert_eq!(param(&loc, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(param(&loc, "state").as_deref(), Some("st-1"));
    }
}

#[tokio::test]
async fn pkce_is_required_and_s256_is_implied() {
    let emu = start(|_| {}).await;
    let r = emu
        .get(
            &emu.authorize_url(&[("code_challenge", ""), ("code_challenge_method", "")]),
            None,
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert_eq!(
        r.text().await.unwrap(),
        "error=invalid_request&error_description=missing required code challenge"
    );
    // No method parameter: S256 implied, as Salesforce's own SDKs send it.
    let (loc, _) = emu.login(&[("code_challenge_method", "")], 0).await;
    let r = emu.exchange(&param(&loc, "code").unwrap(), &pkce().0).await;
    assert_eq!(r.status(), 200);
    let relaxed = start(|c| c.require_pkce = false).await;
    let r = relaxed
        .get(
            &relaxed.authorize_url(&[("code_challenge", ""), ("code_challenge_method", "")]),
            None,
        )
        .await;
    assert_eq!(r.status(), 200, "the login form when PKCE is not required");
}

#[tokio::test]
async fn wrong_password_deny_and_repeated_parameters() {
    let emu = start(|_| {}).await;
    let page = emu
        .get(&emu.authorize_url(&[("login_hint", "sam@acme.demo")]), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"sam@acme.demo\""),
        "login_hint pre-fills the username"
    );
    let req = form_value(&page, "req").unwrap();
    let r = emu
        .post_form(
            "/services/oauth2/authorize/login",
            &[
                ("req", &req),
                ("username", "sam@acme.demo"),
                ("password", "wrong"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(cookie(&r).is_none());
    let page = r.text().await.unwrap();
    assert!(page.contains("Please check your username and password"));
    let again = form_value(&page, "req").unwrap();
    assert_ne!(again, req, "a fresh request id");
    let r = emu
        .post_form(
            "/services/oauth2/authorize/login",
            &[
                ("req", &req),
                ("username", "ada@acme.demo"),
                ("password", "demo-Ada-2026"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status(), 400, "a used request id is refused");
    let u = &emu.app.config.users[1];
    let r = emu
        .post_form(
            "/services/oauth2/authorize/login",
            &[
                ("req", &again),
                ("username", &u.username),
                ("password", &u.password),
            ],
            None,
        )
        .await;
    let c = cookie(&r).unwrap();
    let req = form_value(&r.text().await.unwrap(), "req").unwrap();
    let r = emu
        .post_form(
            "/services/oauth2/authorize/consent",
            &[("req", &req), ("decision", "deny")],
            Some(&c),
        )
        .await;
    let loc = location(&r);
    assert_eq!(param(&loc, "error").as_deref(), Some("access_denied"));
    assert_eq!(
        param(&loc, "error_description").as_deref(),
        Some("end-user denied authorization")
    );
    assert_eq!(param(&loc, "state").as_deref(), Some("st-1"));
    let dup = format!("{}&state=again", emu.authorize_url(&[]));
    assert_eq!(emu.get(&dup, None).await.status(), 400);
}

#[tokio::test]
async fn session_cookie_skips_password_and_consent_and_prompt_overrides() {
    let emu = start(|_| {}).await;
    let (_, c) = emu.login(&[], 0).await;
    let r = emu.get(&emu.authorize_url(&[]), Some(&c)).await;
    assert_eq!(
        r.status(),
        302,
        "a second login skips the password and consent"
    );
    assert!(param(&location(&r), "code").is_some());
    let r = emu
        .get(&emu.authorize_url(&[("immediate", "true")]), Some(&c))
        .await;
    assert!(
        param(&location(&r), "code").is_some(),
        "immediate=true with a session and consent gives a code"
    );
    let page = emu
        .get(&emu.authorize_url(&[("prompt", "login")]), Some(&c))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"password\""),
        "prompt=login asks for the password"
    );
    let page = emu
        .get(&emu.authorize_url(&[("prompt", "consent")]), Some(&c))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("oaapprove"), "prompt=consent asks again");
    let r = emu
        .get(
            &emu.authorize_url(&[("immediate", "true")]),
            Some("sid=forged"),
        )
        .await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("immediate_unsuccessful")
    );
    let other = start(|_| {}).await;
    let (_, c2) = other.login(&[], 0).await;
    let r = other
        .get(
            &other.authorize_url(&[("immediate", "true"), ("prompt", "consent")]),
            Some(&c2),
        )
        .await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("immediate_unsuccessful")
    );
}
