//! API versions as a current org serves them (docs/SALESFORCE.md §7): 31.0 through 67.0 listed without a
//! token, `latest` as an alias, auth before route-not-found, retired versions 410.
mod common;
use common::*;

#[tokio::test]
async fn versions_31_through_67_with_release_labels() {
    let emu = start(|_| {}).await;
    let list: serde_json::Value = emu.get_json("/services/data/").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 37, "31.0 ..= 67.0");
    let entry = |v: &str| {
        list.iter()
            .find(|e| e["version"] == v)
            .unwrap_or_else(|| panic!("{v} listed"))
            .clone()
    };
    // Salesforce's own examples (docs/SALESFORCE.md §7).
    for (v, label) in [
        ("31.0", "Summer '14"),
        ("32.0", "Winter '15"),
        ("33.0", "Spring '15"),
        ("62.0", "Winter '25"),
        ("63.0", "Spring '25"),
        ("64.0", "Summer '25"),
        ("65.0", "Winter '26"),
        ("66.0", "Spring '26"),
        ("67.0", "Summer '26"),
    ] {
        let e = entry(v);
        assert_eq!(e["label"], label, "{v}");
        assert_eq!(e["url"], format!("/services/data/v{v}"), "{v}");
    }
    assert_eq!(list[0]["version"], "31.0", "oldest first");
    assert_eq!(list[36]["version"], "67.0", "newest last");
}

#[tokio::test]
async fn every_served_version_works_and_latest_is_the_newest() {
    let emu = start(|_| {}).await;
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for v in ["v31.0", "v45.0", "v62.0", "v67.0", "latest"] {
        let r = emu
            .rest(
                &format!("/services/data/{v}/query?q=SELECT+Id+FROM+Account+LIMIT+1"),
                &at,
            )
            .await;
        assert_eq!(r.status(), 200, "{v}");
        let page: serde_json::Value = r.json().await.unwrap();
        let url = page["records"][0]["attributes"]["url"].as_str().unwrap();
        let expected = if v == "latest" { "v67.0" } else { v };
        assert!(
            url.starts_with(&format!("/services/data/{expected}/")),
            "{v}: {url}"
        );
    }
    let latest: serde_json::Value = emu
        .rest("/services/data/latest", &at)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(latest["query"], "/services/data/v67.0/query");
}

#[tokio::test]
async fn a_served_version_checks_the_token_before_the_route() {
    let emu = start(|_| {}).await;
    for path in [
        "/services/data/v62.0/query?q=SELECT+Id+FROM+Account",
        "/services/data/v62.0/",
        "/services/data/v31.0/sobjects/Account/describe",
        "/services/data/v62.0/no/such/resource",
        "/services/data/latest/limits",
    ] {
        let r = emu.get(&format!("{}{path}", emu.base), None).await;
        assert_eq!(r.status(), 401, "{path}");
        assert_eq!(
            r.text().await.unwrap(),
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#,
            "{path}"
        );
    }
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = emu.rest("/services/data/v62.0/no/such/resource", &at).await;
    assert_eq!(r.status(), 404, "with a live token: not found");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body[0]["errorCode"], "NOT_FOUND");
}

#[tokio::test]
async fn retired_versions_are_gone_and_unknown_ones_not_found() {
    let emu = start(|_| {}).await;
    let at = emu.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/services/data/v30.0/",
        "/services/data/v20.0/query?q=SELECT+Id+FROM+Account",
        "/services/data/v1.0/sobjects/Account/0015g00000000000AAQ",
    ] {
        for token in [at.as_str(), ""] {
            let r = emu.rest(path, token).await;
            assert_eq!(r.status(), 410, "{path} (token: {})", !token.is_empty());
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body[0]["errorCode"], "GONE", "{path}");
            assert!(body[0]["message"].is_string());
        }
    }
    for path in [
        "/services/data/v68.0/",
        "/services/data/v62/",
        "/services/data/v062.0/",
        "/services/data/nonsense/query",
    ] {
        let r = emu.rest(path, &at).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(
            r.text().await.unwrap(),
            r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#,
            "{path}"
        );
    }
}
