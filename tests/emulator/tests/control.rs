//! CORS, test control, fault injection and robustness against a real listening emulator.
mod common;
use common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn cors_by_endpoint_group() {
    let emu = start(|_| {}).await;
    let pre = |path: &str, origin: &str| {
        emu.http
            .request(reqwest::Method::OPTIONS, format!("{}{path}", emu.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let r = pre("/services/oauth2/token", ORIGIN).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], ORIGIN);
    assert_eq!(
        r.headers()["access-control-allow-headers"],
        "authorization,content-type"
    );
    assert_eq!(
        pre("/services/oauth2/token", "http://evil.example")
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        pre("/services/data/v66.0/query", "http://localhost:9999")
            .await
            .unwrap()
            .status(),
        403,
        "origins differ by port"
    );
    let r = emu
        .http
        .post(format!("{}/services/oauth2/revoke", emu.base))
        .header("origin", ORIGIN)
        .body("token=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], ORIGIN);
    let r = emu
        .http
        .get(format!("{}/services/data/", emu.base))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "REST from an origin not on the allowlist");
    let r = emu
        .http
        .get(format!("{}/.well-known/openid-configuration", emu.base))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "*",
        "discovery always allows CORS"
    );
    let r = emu
        .http
        .get(format!("{}/id/x/y", emu.base))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert!(
        r.headers().get("access-control-allow-origin").is_none(),
        "the identity URL has no CORS"
    );

    let login_like = start(|c| c.oauth_cors = false).await;
    let r = login_like
        .http
        .post(format!("{}/services/oauth2/token", login_like.base))
        .header("origin", ORIGIN)
        .body("grant_type=x")
        .send()
        .await
        .unwrap();
    assert!(
        r.headers().get("access-control-allow-origin").is_none(),
        "--no-oauth-cors: the browser blocks the token call"
    );
    let r = login_like
        .http
        .get(format!("{}/services/data/", login_like.base))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        ORIGIN,
        "REST keeps its allowlist"
    );
}

#[tokio::test]
async fn log_expiry_state_and_reset() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let rt = t["refresh_token"].as_str().unwrap();
    emu.refresh(rt).await;
    let log = emu.log().await;
    let grants: Vec<&str> = log.iter().filter_map(|e| e["grantType"].as_str()).collect();
    assert_eq!(grants, ["authorization_code", "refresh_token"]);
    emu.rest("/services/data/v66.0/", t["access_token"].as_str().unwrap())
        .await;
    let log = emu.log().await;
    let bearer: Vec<&str> = log
        .iter()
        .filter(|e| e["bearer"] == true)
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        bearer,
        ["/services/data/v66.0/"],
        "which requests presented a Bearer"
    );
    assert!(
        log.iter()
            .all(|e| !e["path"].as_str().unwrap().contains('?')),
        "no query strings in the log"
    );
    let log_text = serde_json::to_string(&log).unwrap();
    assert!(
        !log_text.contains(rt) && !log_text.contains("aPrx"),
        "no secrets in the log"
    );
    let state: serde_json::Value = emu.get_json("/__emulator/state").await;
    assert_eq!(
        (
            state["activeAccessTokens"].as_u64(),
            state["activeRefreshTokens"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let x: serde_json::Value = emu.post_json("/__emulator/expire-access-tokens").await;
    assert_eq!(x["expired"], 2);
    assert_eq!(
        emu.rest("/services/data/v66.0/", t["access_token"].as_str().unwrap())
            .await
            .status(),
        401
    );
    assert_eq!(
        emu.refresh(rt).await.status(),
        200,
        "expiry leaves refresh tokens alive"
    );
    emu.http
        .post(format!("{}/__emulator/reset", emu.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        emu.refresh(rt).await.status(),
        400,
        "reset forgets every token"
    );
    assert!(emu.log().await.len() <= 1);
    let off = start(|c| c.test_control = false).await;
    assert_eq!(
        off.http
            .get(format!("{}/__emulator/log", off.base))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "control only with --test-control"
    );
}

#[tokio::test]
async fn fault_injection() {
    let emu = start(|_| {}).await;
    let t = emu.tokens().await;
    let rt = t["refresh_token"].as_str().unwrap();
    let faults = |body: &str| {
        emu.http
            .post(format!("{}/__emulator/faults", emu.base))
            .body(body.to_owned())
            .send()
    };
    assert_eq!(
        faults(r#"{"endpoint":"token","status":500,"count":2}"#)
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(emu.refresh(rt).await.status(), 500);
    assert_eq!(emu.refresh(rt).await.status(), 500);
    assert_eq!(
        emu.refresh(rt).await.status(),
        200,
        "after count calls the endpoint is healthy"
    );
    faults(r#"{"endpoint":"token","drop":true}"#).await.unwrap();
    let cid = emu.app.config.client_id.clone();
    let body = format!("grant_type=refresh_token&client_id={cid}&refresh_token={rt}");
    let dropped = emu
        .http
        .post(format!("{}/services/oauth2/token", emu.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await;
    match dropped {
        Err(_) => {}
        Ok(r) => assert!(
            r.text().await.is_err(),
            "a dropped connection fails the read"
        ),
    }
    faults(r#"{"endpoint":"rest","delayMs":300}"#)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    emu.http
        .get(format!("{}/services/data/", emu.base))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        faults(r#"{"endpoint":"nope"}"#).await.unwrap().status(),
        400
    );
    assert_eq!(faults("not json").await.unwrap().status(), 400);
    faults(r#"{"endpoint":"rest","status":503,"count":5}"#)
        .await
        .unwrap();
    let cleared: serde_json::Value = emu
        .http
        .delete(format!("{}/__emulator/faults", emu.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["cleared"], 1, "one queued fault entry, cleared");
    assert_eq!(
        emu.http
            .get(format!("{}/services/data/", emu.base))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "no fault left after DELETE"
    );
    let statuses: Vec<u64> = emu
        .log()
        .await
        .iter()
        .filter(|e| e["grantType"] == "refresh_token")
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [500, 500, 200, 0],
        "the log shows faults, 0 for a dropped connection"
    );
}

#[tokio::test]
async fn garbage_never_breaks_the_server() {
    let emu = start(|_| {}).await;
    let addr = emu.base.trim_start_matches("http://").to_owned();
    let huge = "a".repeat(2 * 1024 * 1024);
    let raw: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02 garbage\r\n\r\n".to_vec(),
        b"GET /services/oauth2/authorize?client_id=%FF%FE&redirect_uri=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        format!("POST /services/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{huge}", huge.len()).into_bytes(),
        b"POST /services/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\nConnection: close\r\n\r\ncode=\xff\xfe\xfd".to_vec(),
        b"DELETE /services/oauth2/authorize HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET /services/data/v66.0/query?q=SELECT%20'%20FROM HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\r\nConnection: close\r\n\r\n".to_vec(),
    ];
    for bytes in raw {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let _ = s.write_all(&bytes).await;
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
        let head = String::from_utf8_lossy(&out);
        assert!(
            !head.starts_with("HTTP/1.1 5"),
            "no 5xx for garbage: {}",
            head.lines().next().unwrap_or("")
        );
    }
    let long_state = "s".repeat(30_000);
    let r = emu
        .get(&emu.authorize_url(&[("state", &long_state)]), None)
        .await;
    assert!(r.status().as_u16() < 500);
    let t = emu.tokens().await;
    assert!(
        t["access_token"].is_string(),
        "a valid flow still works after garbage"
    );
}
