//! JWT-based access tokens (docs/SALESFORCE.md §4): with `jwt_access_tokens`, the access
//! token is a JWT with `tty: sfdc-core-token`, token responses carry `token_format: "jwt"`, and
//! grants with `sfap_api` carry `api_instance_url`.
mod common;
use base64::Engine as _;
use common::*;
use serde_json::Value;

fn part(jwt: &str, i: usize) -> Value {
    let raw = jwt.split('.').nth(i).expect("three parts");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .unwrap(),
    )
    .unwrap()
}

async fn login(emu: &Emu, scope: &str) -> Value {
    let code = emu.code(&[("scope", scope)]).await;
    let r = emu.exchange(&code, &pkce().0).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn jwt_access_tokens_on_code_and_refresh_responses() {
    let emu = start(|c| c.jwt_access_tokens = true).await;
    let t = login(&emu, "api refresh_token openid").await;
    assert_eq!(t["token_format"], "jwt");
    assert!(t.get("api_instance_url").is_none(), "only with sfap_api");
    let at = t["access_token"].as_str().unwrap();
    assert_eq!(at.split('.').count(), 3, "a JWT");
    let header = part(at, 0);
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["tty"], "sfdc-core-token");
    let claims = part(at, 1);
    assert_eq!(claims["iss"], emu.base.as_str());
    assert_eq!(claims["client_id"], emu.app.config.client_id.as_str());
    assert_eq!(claims["scope"], "api refresh_token openid");
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
    assert_eq!(emu.rest("/services/data/v66.0/", at).await.status(), 200);

    let r: Value = emu
        .refresh(t["refresh_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["token_format"], "jwt", "refresh responses too");
    let at2 = r["access_token"].as_str().unwrap();
    assert_eq!(part(at2, 0)["tty"], "sfdc-core-token");
    assert_ne!(at, at2);
    assert_eq!(emu.rest("/services/data/v66.0/", at2).await.status(), 200);

    let revoked = emu
        .post_form("/services/oauth2/revoke", &[("token", at2)], None)
        .await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(emu.rest("/services/data/v66.0/", at2).await.status(), 401);
}

#[tokio::test]
async fn api_instance_url_with_sfap_api_defaults_to_the_emulator_itself() {
    let emu = start(|c| c.jwt_access_tokens = true).await;
    let t = login(&emu, "api refresh_token sfap_api").await;
    assert_eq!(t["api_instance_url"], emu.base.as_str());
    let base = t["api_instance_url"].as_str().unwrap();
    let r = emu
        .http
        .get(format!("{base}/services/data/v66.0/"))
        .bearer_auth(t["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "a loopback test can call api_instance_url");
    let r: Value = emu
        .refresh(t["refresh_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["api_instance_url"], emu.base.as_str());
    assert_eq!(r["token_format"], "jwt");

    let emu = start(|c| {
        c.jwt_access_tokens = true;
        c.api_instance_url = Some("https://api.salesforce.com".into());
    })
    .await;
    let t = login(&emu, "api refresh_token sfap_api").await;
    assert_eq!(t["api_instance_url"], "https://api.salesforce.com");
    assert_eq!(
        t["instance_url"],
        emu.base.as_str(),
        "instance_url unchanged"
    );
}

#[tokio::test]
async fn opaque_tokens_by_default() {
    let emu = start(|_| {}).await;
    let t = login(&emu, "api refresh_token sfap_api").await;
    assert!(t.get("token_format").is_none());
    assert!(t.get("api_instance_url").is_none());
    assert!(
        t["access_token"]
            .as_str()
            .unwrap()
            .starts_with("00D5g00000DEMOA!")
    );
}
