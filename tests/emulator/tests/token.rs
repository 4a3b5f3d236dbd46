//! Token endpoint and revocation against a real listening emulator.
mod common;
use common::*;
use std::time::Duration;

async fn error_of(r: reqwest::Response) -> (u16, String, String) {
    let status = r.status().as_u16();
    let v: serde_json::Value = r.json().await.unwrap();
    (
        status,
        v["error"].as_str().unwrap_or("").to_owned(),
        v["error_description"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test]
async fn code_exchange_errors() {
    let emu = start(|_| {}).await;
    let cid = emu.app.config.client_id.clone();
    let code = emu.code(&[]).await;
    assert_eq!(
        error_of(emu.exchange(&code, &"x".repeat(43)).await).await,
        (400, "invalid_grant".into(), "invalid code verifier".into())
    );
    assert_eq!(
        error_of(emu.exchange(&code, &pkce().0).await).await.2,
        "invalid authorization code",
        "a code is single-use, even after a failure"
    );

    let code = emu.code(&[]).await;
    let r = emu
        .post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", &cid),
                ("redirect_uri", CALLBACK),
            ],
            None,
        )
        .await;
    assert_eq!(
        error_of(r).await,
        (400, "invalid_grant".into(), "invalid code verifier".into()),
        "a missing verifier"
    );

    let code = emu.code(&[]).await;
    let r = emu
        .post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", &cid),
                ("redirect_uri", "http://localhost:8080/callback/"),
                ("code_verifier", &pkce().0),
            ],
            None,
        )
        .await;
    assert_eq!(
        error_of(r).await,
        (
            400,
            "redirect_uri_mismatch".into(),
            "redirect_uri must match configuration".into()
        )
    );

    let code = emu.code(&[]).await;
    let r = emu
        .post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", "3MVG9nope"),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &pkce().0),
            ],
            None,
        )
        .await;
    assert_eq!(
        error_of(r).await,
        (
            400,
            "invalid_client_id".into(),
            "client identifier invalid".into()
        )
    );
    let r = emu
        .post_form(
            "/services/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", &cid),
                ("client_secret", "wrong"),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &pkce().0),
            ],
            None,
        )
        .await;
    assert_eq!(
        error_of(r).await,
        (
            400,
            "invalid_client".into(),
            "invalid client credentials".into()
        )
    );
    assert_eq!(
        error_of(emu.exchange("aPrxunknown==", &pkce().0).await)
            .await
            .2,
        "invalid authorization code"
    );

    assert_eq!(
        error_of(
            emu.post_form("/services/oauth2/token", &[("client_id", &cid)], None)
                .await
        )
        .await,
        (
            400,
            "invalid_request".into(),
            "grant type is missing".into()
        )
    );
    assert_eq!(
        error_of(
            emu.post_form(
                "/services/oauth2/token",
                &[("grant_type", "password")],
                None
            )
            .await
        )
        .await,
        (
            400,
            "unsupported_grant_type".into(),
            "grant type not supported".into()
        )
    );
    let r = emu
        .http
        .get(format!("{}/services/oauth2/token", emu.base))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.1, "invalid_request");
}

#[tokio::test]
async fn expired_code_and_long_verifier() {
    let emu = start(|c| c.code_ttl = Duration::from_millis(50)).await;
    let code = emu.code(&[]).await;
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(
        error_of(emu.exchange(&code, &pkce().0).await).await.2,
        "expired authorization code"
    );
    // Salesforce's own SDKs send ~171-character verifiers: accepted.
    use base64::Engine as _;
    use sha2::Digest as _;
    let long = "A".repeat(171);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(long.as_bytes()));
    let emu = start(|_| {}).await;
    let code = emu
        .code(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", ""),
        ])
        .await;
    assert_eq!(emu.exchange(&code, &long).await.status(), 200);
}

#[tokio::test]
async fn refresh_without_rotation_keeps_the_token() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let rt = t["refresh_token"].as_str().unwrap();
    let r = emu.refresh(rt).await;
    assert_eq!(r.status(), 200);
    let n: serde_json::Value = r.json().await.unwrap();
    assert!(
        n.get("refresh_token").is_none(),
        "no refresh_token without rotation"
    );
    assert_ne!(n["access_token"], t["access_token"]);
    assert_eq!(n["instance_url"], emu.base.as_str());
    assert_eq!(
        emu.refresh(rt).await.status(),
        200,
        "the same refresh token keeps working"
    );
    assert_eq!(
        error_of(emu.refresh("5Aep861unknown").await).await,
        (
            400,
            "invalid_grant".into(),
            "expired access/refresh token".into()
        )
    );
}

#[tokio::test]
async fn rotation_and_reuse_revokes_the_family() {
    let emu = start(|c| c.rotate_refresh_tokens = true).await;
    let t = emu.tokens().await;
    let rt0 = t["refresh_token"].as_str().unwrap().to_owned();
    let n: serde_json::Value = emu.refresh(&rt0).await.json().await.unwrap();
    let rt1 = n["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rt0, rt1);
    let at1 = n["access_token"].as_str().unwrap().to_owned();
    assert_eq!(emu.rest("/services/data/v66.0/", &at1).await.status(), 200);
    assert_eq!(
        error_of(emu.refresh(&rt0).await).await.1,
        "invalid_grant",
        "a stale refresh token is refused"
    );
    assert_eq!(
        error_of(emu.refresh(&rt1).await).await.1,
        "invalid_grant",
        "reuse revoked the current refresh token too"
    );
    assert_eq!(
        emu.rest("/services/data/v66.0/", &at1).await.status(),
        401,
        "and its access tokens"
    );
}

#[tokio::test]
async fn no_refresh_token_without_the_scope() {
    let emu = start(|_| {}).await;
    let code = emu.code(&[("scope", "api")]).await;
    let t: serde_json::Value = emu.exchange(&code, &pkce().0).await.json().await.unwrap();
    assert!(t.get("refresh_token").is_none());
    assert!(t.get("id_token").is_none(), "no id_token without openid");
}

#[tokio::test]
async fn revocation() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let (at, rt) = (
        t["access_token"].as_str().unwrap(),
        t["refresh_token"].as_str().unwrap(),
    );
    let r = emu
        .post_form("/services/oauth2/revoke", &[("token", at)], None)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(emu.rest("/services/data/v66.0/", at).await.status(), 401);
    assert_eq!(
        error_of(
            emu.post_form("/services/oauth2/revoke", &[("token", at)], None)
                .await
        )
        .await,
        (400, "invalid_token".into(), "invalid token".into())
    );
    let n: serde_json::Value = emu.refresh(rt).await.json().await.unwrap();
    let at2 = n["access_token"].as_str().unwrap();
    let get = emu
        .http
        .get(format!(
            "{}/services/oauth2/revoke?token={}",
            emu.base,
            form_urlencoded::byte_serialize(rt.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200, "GET ?token= works");
    assert_eq!(
        emu.rest("/services/data/v66.0/", at2).await.status(),
        401,
        "revoking a refresh token revokes its access tokens"
    );
    assert_eq!(error_of(emu.refresh(rt).await).await.1, "invalid_grant");
    let jsonp = emu
        .http
        .get(format!(
            "{}/services/oauth2/revoke?token=nope&callback=cb",
            emu.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(jsonp, r#"cb({"error":"invalid_token"})"#);
    assert_eq!(
        error_of(emu.post_form("/services/oauth2/revoke", &[], None).await)
            .await
            .0,
        400
    );
}

#[tokio::test]
async fn a_verifier_with_a_tilde_is_refused_as_salesforce_does() {
    // RFC 7636 §4.1 allows `~`; Salesforce answers "invalid code verifier" (docs/SALESFORCE.md
    // §4). The challenge matches this verifier, so only the `~` is refused.
    let emu = start(|_| {}).await;
    let verifier = format!("{}~{}", "a".repeat(30), "b".repeat(20));
    let challenge = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        <sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()),
    );
    let code = emu.code(&[("code_challenge", &challenge)]).await;
    assert_eq!(
        error_of(emu.exchange(&code, &verifier).await).await,
        (400, "invalid_grant".into(), "invalid code verifier".into())
    );
    let safe = verifier.replace('~', "-");
    let challenge = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        <sha2::Sha256 as sha2::Digest>::digest(safe.as_bytes()),
    );
    let code = emu.code(&[("code_challenge", &challenge)]).await;
    assert_eq!(
        emu.exchange(&code, &safe).await.status(),
        200,
        "the same verifier without `~` is fine"
    );
}

/// Salesforce's "Revoke OAuth Tokens": revoking a refresh token revokes every access token
/// issued with it — the code exchange's and the refreshes' — so a client that revokes the
/// refresh token has nothing left to revoke (a second revocation would answer 400).
#[tokio::test]
async fn revoking_the_refresh_token_revokes_every_access_token_of_its_grant() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let (at, rt) = (
        t["access_token"].as_str().unwrap().to_owned(),
        t["refresh_token"].as_str().unwrap().to_owned(),
    );
    let n: serde_json::Value = emu.refresh(&rt).await.json().await.unwrap();
    let at2 = n["access_token"].as_str().unwrap().to_owned();
    for a in [&at, &at2] {
        assert_eq!(emu.rest("/services/data/v66.0/", a).await.status(), 200);
    }
    let r = emu
        .post_form("/services/oauth2/revoke", &[("token", &rt)], None)
        .await;
    assert_eq!(r.status(), 200);
    for a in [&at, &at2] {
        assert_eq!(
            emu.rest("/services/data/v66.0/", a).await.status(),
            401,
            "an access token of the revoked grant is dead"
        );
        assert_eq!(
            error_of(
                emu.post_form("/services/oauth2/revoke", &[("token", a)], None)
                    .await
            )
            .await
            .0,
            400,
            "its revocation would meet a dead token"
        );
    }
    // Another grant of the same user is untouched.
    let other = emu.tokens().await;
    let other_at = other["access_token"].as_str().unwrap();
    assert_eq!(
        emu.rest("/services/data/v66.0/", other_at).await.status(),
        200
    );
}
