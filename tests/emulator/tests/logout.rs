//! The end-session endpoint (RP-initiated logout), popups and COOP against a real listening
//! emulator.
mod common;
use base64::Engine as _;
use common::*;
use sf_emulator::EndSession;

const PATH: &str = "/services/auth/idp/oidc/logout";
const CLEARED: &str = "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
const BYE: &str = "http://localhost:8080/logged-out";
const BYE_WITH_QUERY: &str = "http://localhost:8080/bye?from=emu";

/// GET (query) or POST (form body) to the end-session endpoint.
async fn end_session(
    emu: &Emu,
    post: bool,
    pairs: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    if post {
        return emu.post_form(PATH, pairs, cookie).await;
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    emu.get(&format!("{}{PATH}?{}", emu.base, q.finish()), cookie)
        .await
}

fn oidc(c: &mut sf_emulator::Config) {
    c.end_session = EndSession::Oidc;
    c.post_logout_uris = vec![BYE.into(), BYE_WITH_QUERY.into()];
}

/// The `error` of a silent authorize (`immediate=true` or `prompt=none`) with `cookie`.
async fn silent_error(emu: &Emu, silent: (&str, &str), cookie: &str) -> Option<String> {
    let r = emu.get(&emu.authorize_url(&[silent]), Some(cookie)).await;
    param(&location(&r), "error")
}

const NO_SESSION: Option<&str> = Some("immediate_unsuccessful");

/// The answer is the "You have logged out" page, and the session cookie is cleared.
async fn assert_logged_out_page(r: reqwest::Response) {
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("location").is_none());
    assert_eq!(r.headers()["set-cookie"], CLEARED);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(r#"id="logged-out""#) && page.contains("You have logged out"),
        "{page}"
    );
    assert!(
        page.contains(r#"href="http://localhost:8080/""#),
        "a link back"
    );
}

/// The answer is a 400 OAuth error page with `error`, never a redirect, and the cookie is cleared.
async fn assert_refused(r: reqwest::Response, error: &str, case: &str) {
    assert_eq!(r.status(), 400, "{case}");
    assert!(r.headers().get("location").is_none(), "{case}: no redirect");
    assert_eq!(r.headers()["set-cookie"], CLEARED, "{case}");
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!("error={error}&amp;")),
        "{case}: {page}"
    );
}

#[tokio::test]
async fn get_and_post_end_the_browser_session() {
    for post in [false, true] {
        let emu = start(|_| {}).await;
        let (_, c) = emu.login(&[], 0).await;
        let r = emu.get(&emu.authorize_url(&[]), Some(&c)).await;
        assert_eq!(r.status(), 302, "the session signs in silently before");
        assert_logged_out_page(end_session(&emu, post, &[], Some(&c)).await).await;
        let state = emu.get_json("/__emulator/state").await;
        assert_eq!(
            state["sessions"], 0,
            "post={post}: the session is forgotten"
        );
        let page = emu
            .get(&emu.authorize_url(&[]), Some(&c))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"id="password""#),
            "post={post}: the old cookie gets the password page again"
        );
        for silent in [("immediate", "true"), ("prompt", "none")] {
            assert_eq!(
                silent_error(&emu, silent, &c).await.as_deref(),
                NO_SESSION,
                "post={post}: {silent:?} finds no session"
            );
        }
    }
    let emu = start(|_| {}).await;
    assert_logged_out_page(end_session(&emu, false, &[], None).await).await;
}

#[tokio::test]
async fn salesforce_mode_ignores_redirect_state_and_hint() {
    let emu = start(|c| c.post_logout_uris = vec![BYE.into()]).await;
    let ignored = [
        ("post_logout_redirect_uri", BYE),
        ("state", "s-1"),
        ("id_token_hint", "not.a.token"),
        ("client_id", "3MVG9unknown"),
    ];
    for post in [false, true] {
        assert_logged_out_page(end_session(&emu, post, &ignored, None).await).await;
    }
    let logout_url = "https://localhost:8080/signed-out";
    let emu = start(|c| c.logout_url = Some(logout_url.into())).await;
    for post in [false, true] {
        let (_, c) = emu.login(&[], 0).await;
        let r = end_session(&emu, post, &ignored, Some(&c)).await;
        assert_eq!(r.status(), 302);
        assert_eq!(location(&r), logout_url, "exactly the logout URL");
        assert_eq!(r.headers()["set-cookie"], CLEARED);
        assert_eq!(
            silent_error(&emu, ("immediate", "true"), &c)
                .await
                .as_deref(),
            NO_SESSION
        );
    }
}

#[tokio::test]
async fn oidc_mode_redirects_to_a_registered_uri_with_state() {
    let emu = start(oidc).await;
    let t = emu.tokens().await;
    let hint = t["id_token"].as_str().unwrap();
    let cid = emu.app.config.client_id.clone();
    for post in [false, true] {
        let (_, c) = emu.login(&[], 0).await;
        let pairs = [
            ("id_token_hint", hint),
            ("client_id", &cid),
            ("post_logout_redirect_uri", BYE),
            ("state", "a b&c=d/é"),
        ];
        let r = end_session(&emu, post, &pairs, Some(&c)).await;
        assert_eq!(r.status(), 302, "post={post}");
        assert_eq!(r.headers()["set-cookie"], CLEARED);
        let loc = location(&r);
        assert_eq!(loc, format!("{BYE}?state=a+b%26c%3Dd%2F%C3%A9"));
        assert_eq!(param(&loc, "state").as_deref(), Some("a b&c=d/é"));
        assert_eq!(
            silent_error(&emu, ("prompt", "none"), &c).await.as_deref(),
            NO_SESSION
        );
    }
    let pairs = [("post_logout_redirect_uri", BYE_WITH_QUERY), ("state", "x")];
    let r = end_session(&emu, false, &pairs, None).await;
    assert_eq!(location(&r), format!("{BYE_WITH_QUERY}&state=x"));
    let r = end_session(&emu, true, &[("post_logout_redirect_uri", BYE)], None).await;
    assert_eq!(location(&r), BYE, "no state: the URI as registered");
    let r = end_session(
        &emu,
        false,
        &[("state", "x"), ("id_token_hint", hint)],
        None,
    )
    .await;
    assert_logged_out_page(r).await;
}

#[tokio::test]
async fn oidc_mode_refuses_unregistered_uris_other_clients_and_foreign_hints() {
    let emu = start(|c| {
        oidc(c);
        c.jwt_access_tokens = true;
    })
    .await;
    let t = emu.tokens().await;
    let hint = t["id_token"].as_str().unwrap().to_owned();
    for uri in [
        "http://evil.example/logged-out",
        "http://localhost:8080/logged-out/",
        "https://localhost:8080/logged-out",
        "http://localhost:8080/bye",
    ] {
        for post in [false, true] {
            let (_, c) = emu.login(&[], 0).await;
            let pairs = [("post_logout_redirect_uri", uri), ("state", "s")];
            let r = end_session(&emu, post, &pairs, Some(&c)).await;
            assert_refused(r, "invalid_request", uri).await;
            assert_eq!(
                silent_error(&emu, ("immediate", "true"), &c)
                    .await
                    .as_deref(),
                NO_SESSION,
                "a refused request still ends the session"
            );
        }
    }
    let pairs = [
        ("client_id", "3MVG9other"),
        ("post_logout_redirect_uri", BYE),
    ];
    assert_refused(
        end_session(&emu, false, &pairs, None).await,
        "invalid_client_id",
        "a wrong client_id",
    )
    .await;

    // This app's id_token with another user's claims under its signature; `alg: none`;
    // garbage; a JWT access token (same key, not an id_token); id_tokens from an org at
    // another URL, from another app of this org, and signed with another key.
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts: Vec<String> = hint.split('.').map(str::to_owned).collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&b64.decode(&parts[1]).unwrap()).unwrap();
    claims["preferred_username"] = "sam@acme.demo".into();
    parts[1] = b64.encode(claims.to_string());
    let forged = parts.join(".");
    let access_jwt = t["access_token"].as_str().unwrap().to_owned();
    let id_token_of = |tune: Box<dyn FnOnce(&mut sf_emulator::Config) + Send>| async move {
        let t = start(tune).await.tokens().await;
        t["id_token"].as_str().unwrap().to_owned()
    };
    let other_org = id_token_of(Box::new(|_| {})).await;
    let base = emu.base.clone();
    let other_app = id_token_of(Box::new(move |c| {
        c.public_url = base;
        c.client_id = "3MVG9another.app".into();
    }))
    .await;
    let base = emu.base.clone();
    // The same claims signed HS256 (`--id-token-alg hs256`) instead of with the RS256 key.
    let other_key = id_token_of(Box::new(move |c| {
        c.public_url = base;
        c.id_token_alg = sf_emulator::IdTokenAlg::Hs256;
    }))
    .await;
    let hints = [
        (forged.as_str(), "forged"),
        ("eyJhbGciOiJub25lIn0.e30.", "alg none"),
        ("garbage", "garbage"),
        (access_jwt.as_str(), "a JWT access token"),
        (other_org.as_str(), "another org's"),
        (other_app.as_str(), "another app's"),
        (other_key.as_str(), "another key's"),
    ];
    for (bad, case) in hints {
        for post in [false, true] {
            let pairs = [("id_token_hint", bad), ("post_logout_redirect_uri", BYE)];
            let r = end_session(&emu, post, &pairs, None).await;
            assert_refused(r, "invalid_request", case).await;
        }
    }
    let pairs = [
        ("state", "a"),
        ("state", "b"),
        ("post_logout_redirect_uri", BYE),
    ];
    let r = end_session(&emu, false, &pairs, None).await;
    assert_refused(r, "invalid_request", "a repeated parameter").await;
    let r = emu
        .http
        .post(format!("{}{PATH}?state=a", emu.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("state=b&post_logout_redirect_uri={BYE}"))
        .send()
        .await
        .unwrap();
    assert_refused(r, "invalid_request", "state in the query and the body").await;
    let pairs = [
        ("id_token_hint", hint.as_str()),
        ("post_logout_redirect_uri", BYE),
    ];
    let r = end_session(&emu, true, &pairs, None).await;
    assert_eq!(location(&r), BYE, "this app's own id_token is accepted");
}

#[tokio::test]
async fn the_log_shows_end_session_calls_and_where_the_hint_came() {
    let emu = start(oidc).await;
    let t = emu.tokens().await;
    let hint = t["id_token"].as_str().unwrap();
    let pairs = [("id_token_hint", hint), ("post_logout_redirect_uri", BYE)];
    end_session(&emu, false, &pairs, None).await;
    end_session(&emu, true, &pairs, None).await;
    end_session(&emu, true, &[("state", "s")], None).await;
    emu.get(&emu.authorize_url(&[]), None).await;
    let log = emu.log().await;
    let calls: Vec<_> = log
        .iter()
        .filter(|e| e["path"] == PATH)
        .map(|e| {
            (
                e["method"].as_str().unwrap(),
                e["idTokenHint"].as_str(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", Some("query"), 302),
            ("POST", Some("body"), 302),
            ("POST", None, 200)
        ]
    );
    let last = log.last().unwrap();
    assert_eq!(last["path"], "/services/oauth2/authorize");
    assert!(
        last.get("idTokenHint").is_none(),
        "only end-session entries"
    );
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(hint) && !text.contains('?'), "no values");
    let r = emu
        .http
        .post(format!("{}/__emulator/faults", emu.base))
        .body(r#"{"endpoint":"logout","status":503}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(end_session(&emu, false, &[], None).await.status(), 503);
}

#[tokio::test]
async fn discovery_lists_the_end_session_endpoint() {
    let emu = start(|_| {}).await;
    let d = emu.get_json("/.well-known/openid-configuration").await;
    assert_eq!(d["end_session_endpoint"], format!("{}{PATH}", emu.base));
    assert_eq!(d["frontchannel_logout_supported"], true);
}

#[tokio::test]
async fn coop_on_the_authorize_pages_only() {
    let emu = start(|c| c.coop = true).await;
    let coop = |r: &reqwest::Response| {
        r.headers()
            .get("cross-origin-opener-policy")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let same_origin = Some("same-origin".to_owned());
    let r = emu.get(&emu.authorize_url(&[]), None).await;
    assert_eq!(coop(&r), same_origin, "login page");
    let req = form_value(&r.text().await.unwrap(), "req").unwrap();
    let u = &emu.app.config.users[0];
    let login = [
        ("req", req.as_str()),
        ("username", &u.username),
        ("password", "x"),
    ];
    let r = emu
        .post_form("/services/oauth2/authorize/login", &login, None)
        .await;
    assert_eq!(coop(&r), same_origin, "login page after a wrong password");
    let req = form_value(&r.text().await.unwrap(), "req").unwrap();
    let login = [
        ("req", req.as_str()),
        ("username", &u.username),
        ("password", &u.password),
    ];
    let r = emu
        .post_form("/services/oauth2/authorize/login", &login, None)
        .await;
    assert_eq!(coop(&r), same_origin, "consent page");
    let r = emu
        .get(&emu.authorize_url(&[("client_id", "x")]), None)
        .await;
    assert_eq!(coop(&r), same_origin, "the error page");
    let code = emu.code(&[]).await;
    let r = emu.exchange(&code, &pkce().0).await;
    assert_eq!((r.status().as_u16(), coop(&r)), (200, None), "token");
    let r = emu
        .get(
            &format!("{}/.well-known/openid-configuration", emu.base),
            None,
        )
        .await;
    assert_eq!(coop(&r), None, "discovery");
    let r = emu.get(&format!("{}/services/data/", emu.base), None).await;
    assert_eq!(coop(&r), None, "REST");
    let plain = start(|_| {}).await;
    let r = plain.get(&plain.authorize_url(&[]), None).await;
    assert_eq!(coop(&r), None, "off by default");
}

#[tokio::test]
async fn display_popup_and_the_other_display_values_are_accepted() {
    let emu = start(|_| {}).await;
    for display in ["page", "popup", "touch", "mobile"] {
        let r = emu
            .get(&emu.authorize_url(&[("display", display)]), None)
            .await;
        assert_eq!(r.status(), 200, "{display}");
        assert!(r.text().await.unwrap().contains(r#"id="password""#));
    }
    let (loc, _) = emu.login(&[("display", "popup")], 0).await;
    let r = emu.exchange(&param(&loc, "code").unwrap(), &pkce().0).await;
    assert_eq!(r.status(), 200, "a popup login gives a working code");
    let emu = start(|c| c.coop = true).await;
    let (loc, _) = emu.login(&[("display", "popup")], 0).await;
    assert!(param(&loc, "code").is_some(), "also with --coop");
}
