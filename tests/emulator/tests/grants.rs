//! At most 5 refresh grants per user per app (docs/SALESFORCE.md §4): a sixth login revokes
//! the oldest grant and its access tokens; `max_refresh_grants` changes or lifts the limit.
mod common;
use common::*;

/// `n` logins of `user`: (access token, refresh token) of each, oldest first.
async fn logins(emu: &Emu, user: usize, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let (loc, _) = emu.login(&[], user).await;
        let code = param(&loc, "code").unwrap();
        let t: serde_json::Value = emu.exchange(&code, &pkce().0).await.json().await.unwrap();
        out.push((
            t["access_token"].as_str().unwrap().to_owned(),
            t["refresh_token"].as_str().unwrap().to_owned(),
        ));
    }
    out
}

async fn alive(emu: &Emu, (at, rt): &(String, String)) -> (bool, bool) {
    let rest = emu.rest("/services/data/v66.0/", at).await.status() == 200;
    let refresh = emu.refresh(rt).await.status() == 200;
    (rest, refresh)
}

#[tokio::test]
async fn a_sixth_login_revokes_the_oldest_grant_and_its_access_tokens() {
    let emu = start(|_| {}).await;
    let five = logins(&emu, 0, 5).await;
    let state = emu.get_json("/__emulator/state").await;
    assert_eq!(state["activeRefreshTokens"], 5, "five grants are kept");
    // A refresh of the oldest grant before the sixth login: its new access token dies with it.
    let refreshed: serde_json::Value = emu.refresh(&five[0].1).await.json().await.unwrap();
    let refreshed_at = refreshed["access_token"].as_str().unwrap().to_owned();
    let sixth = logins(&emu, 0, 1).await;
    assert_eq!(
        alive(&emu, &five[0]).await,
        (false, false),
        "the oldest is revoked"
    );
    assert_eq!(
        emu.rest("/services/data/v66.0/", &refreshed_at)
            .await
            .status(),
        401,
        "with every access token issued from it"
    );
    let r = emu.refresh(&five[0].1).await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "expired access/refresh token");
    for grant in five[1..].iter().chain(&sixth) {
        assert_eq!(
            alive(&emu, grant).await,
            (true, true),
            "the newer five live"
        );
    }
    let state = emu.get_json("/__emulator/state").await;
    assert_eq!(state["activeRefreshTokens"], 5);
}

#[tokio::test]
async fn the_limit_is_per_user_and_a_revoked_grant_frees_its_place() {
    let emu = start(|_| {}).await;
    let ada = logins(&emu, 0, 5).await;
    let sam = logins(&emu, 1, 3).await;
    for grant in ada.iter().chain(&sam) {
        assert_eq!(
            alive(&emu, grant).await,
            (true, true),
            "another user's logins don't count"
        );
    }
    let r = emu
        .post_form("/services/oauth2/revoke", &[("token", &ada[2].1)], None)
        .await;
    assert_eq!(r.status(), 200);
    logins(&emu, 0, 1).await;
    assert_eq!(
        alive(&emu, &ada[0]).await,
        (true, true),
        "a revoked grant is no longer counted: the oldest stays"
    );
}

#[tokio::test]
async fn rotation_keeps_one_grant_per_login() {
    let emu = start(|c| c.rotate_refresh_tokens = true).await;
    let mut five = logins(&emu, 0, 5).await;
    for _ in 0..3 {
        let t: serde_json::Value = emu.refresh(&five[4].1).await.json().await.unwrap();
        five[4] = (
            t["access_token"].as_str().unwrap().to_owned(),
            t["refresh_token"].as_str().unwrap().to_owned(),
        );
    }
    let t: serde_json::Value = emu.refresh(&five[0].1).await.json().await.unwrap();
    assert!(
        t["refresh_token"].is_string(),
        "rotated, still the oldest login"
    );
    let oldest = (
        t["access_token"].as_str().unwrap().to_owned(),
        t["refresh_token"].as_str().unwrap().to_owned(),
    );
    let state = emu.get_json("/__emulator/state").await;
    assert_eq!(
        state["activeRefreshTokens"], 5,
        "rotations are not new grants"
    );
    logins(&emu, 0, 1).await;
    assert_eq!(
        emu.refresh(&oldest.1).await.status(),
        400,
        "the oldest login's rotated token goes with its grant"
    );
    assert_eq!(emu.refresh(&five[1].1).await.status(), 200);
}

#[tokio::test]
async fn the_limit_can_be_changed_or_lifted() {
    let emu = start(|c| c.max_refresh_grants = 2).await;
    let three = logins(&emu, 0, 3).await;
    assert_eq!(alive(&emu, &three[0]).await, (false, false));
    assert_eq!(alive(&emu, &three[1]).await, (true, true));
    assert_eq!(alive(&emu, &three[2]).await, (true, true));

    let emu = start(|c| c.max_refresh_grants = 0).await;
    let seven = logins(&emu, 0, 7).await;
    for grant in &seven {
        assert_eq!(alive(&emu, grant).await, (true, true), "0 = unlimited");
    }
}
