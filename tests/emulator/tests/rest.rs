//! Identity, userinfo and the REST API against a real listening emulator.
mod common;
use common::*;
use std::time::Duration;

#[tokio::test]
async fn userinfo_and_identity() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let at = t["access_token"].as_str().unwrap();
    let info: serde_json::Value = emu
        .rest("/services/oauth2/userinfo", at)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["preferred_username"], "ada@acme.demo");
    assert_eq!(info["organization_id"], "00D5g00000DEMOAEAQ");
    assert_eq!(info["user_id"], "0055g00000ADAADAAQ");
    let id_path = t["id"].as_str().unwrap().replace(&emu.base, "");
    let id: serde_json::Value = emu.rest(&id_path, at).await.json().await.unwrap();
    assert_eq!(id["username"], "ada@acme.demo");
    let q = emu
        .http
        .get(format!(
            "{}{id_path}?oauth_token={}",
            emu.base,
            form_urlencoded::byte_serialize(at.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(q.status(), 200, "oauth_token= works too");
    for path in ["/services/oauth2/userinfo", id_path.as_str()] {
        let r = emu.rest(path, "00Dbad!token").await;
        assert_eq!(r.status(), 403, "{path}");
        assert_eq!(r.text().await.unwrap(), "Bad_OAuth_Token");
    }
    let d: serde_json::Value = emu.get_json("/.well-known/openid-configuration").await;
    assert_eq!(d["issuer"], emu.base.as_str());
    assert!(
        d.get("code_challenge_methods_supported").is_none(),
        "as Salesforce: not advertised"
    );
}

#[tokio::test]
async fn rest_query_pagination_and_records() {
    let emu = start(|c| c.batch_size = 120).await;
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let versions: serde_json::Value = emu.get_json("/services/data/").await;
    assert_eq!(
        versions[0]["url"], "/services/data/v31.0",
        "versions need no token"
    );
    let mut url = "/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Account".to_owned();
    let mut seen = 0;
    let mut pages = 0;
    loop {
        let page: serde_json::Value = emu.rest(&url, &at).await.json().await.unwrap();
        assert_eq!(page["totalSize"], 300);
        let records = page["records"].as_array().unwrap();
        seen += records.len();
        pages += 1;
        assert_eq!(records[0]["attributes"]["type"], "Account");
        assert!(
            records[0]["attributes"]["url"]
                .as_str()
                .unwrap()
                .starts_with("/services/data/v66.0/sobjects/Account/001")
        );
        assert!(records[0].get("Industry").is_none(), "only selected fields");
        if page["done"] == true {
            assert!(page.get("nextRecordsUrl").is_none());
            break;
        }
        url = page["nextRecordsUrl"].as_str().unwrap().to_owned();
        assert!(url.starts_with("/services/data/v66.0/query/01g"));
    }
    assert_eq!((seen, pages), (300, 3));
    let acme: serde_json::Value = emu.rest("/services/data/v67.0/query?q=SELECT+Name+FROM+Account+WHERE+Name+LIKE+'Acme%25'+LIMIT+3", &at).await.json().await.unwrap();
    assert_eq!(acme["totalSize"], 3);
    assert!(
        acme["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["Name"].as_str().unwrap().starts_with("Acme"))
    );
    let one: serde_json::Value = emu
        .rest(
            "/services/data/latest/sobjects/Account/0015g00000000000AAQ",
            &at,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["Name"], "Acme Corp");
    let r = emu
        .http
        .get(format!("{}/services/data/v66.0/", emu.base))
        .header("authorization", format!("OAuth {at}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the OAuth scheme is accepted too");
}

#[tokio::test]
async fn rest_errors() {
    let emu = start(|_| {}).await;
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (
            "/services/data/v66.0/query?q=SELECT+Nope+FROM+Account",
            400,
            "INVALID_FIELD",
        ),
        (
            "/services/data/v66.0/query?q=SELECT+Id+FROM+Lead",
            400,
            "INVALID_TYPE",
        ),
        (
            "/services/data/v66.0/query?q=DROP+TABLE",
            400,
            "MALFORMED_QUERY",
        ),
        ("/services/data/v66.0/query?q=%zz", 400, "MALFORMED_QUERY"),
        (
            "/services/data/v66.0/query/01gnope-2000",
            400,
            "INVALID_QUERY_LOCATOR",
        ),
        (
            "/services/data/v66.0/sobjects/Account/001000000000000AAA",
            404,
            "NOT_FOUND",
        ),
        (
            "/services/data/v66.0/sobjects/Lead/00Q000000000000AAA",
            404,
            "NOT_FOUND",
        ),
        ("/services/data/v99.0/", 404, "NOT_FOUND"),
    ];
    for (path, status, code) in cases {
        let r = emu.rest(path, &at).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body[0]["errorCode"], code, "{path}");
    }
}

#[tokio::test]
async fn dead_tokens_get_invalid_session_id() {
    // A lifetime long enough for the first call to arrive in time on a loaded machine (400 ms
    // was seen to run out before it under a parallel build), short enough to wait out.
    let emu = start(|c| c.access_token_ttl = Duration::from_millis(2500)).await;
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(emu.rest("/services/data/v66.0/", &at).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2600)).await;
    for token in [at.as_str(), "garbage", ""] {
        let r = emu
            .rest("/services/data/v66.0/query?q=SELECT+Id+FROM+Account", token)
            .await;
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.text().await.unwrap(),
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#
        );
    }
    let r = emu
        .http
        .get(format!("{}/services/data/v66.0/", emu.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no token at all");
    let code = emu.code(&[("scope", "openid refresh_token")]).await;
    let t: serde_json::Value = emu.exchange(&code, &pkce().0).await.json().await.unwrap();
    let r = emu
        .rest("/services/data/v66.0/", t["access_token"].as_str().unwrap())
        .await;
    assert_eq!(
        r.status(),
        401,
        "a token without the api scope is not valid for REST"
    );
}
