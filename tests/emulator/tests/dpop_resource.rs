//! DPoP-bound tokens at the resources (REST, userinfo, the identity URL), server nonces, and the
//! CORS headers a browser needs for DPoP, against a real listening emulator.
mod common;
use common::proof::*;
use common::*;
use serde_json::{Value, json};
use sf_emulator::Dpop;

fn allowed(c: &mut sf_emulator::Config) {
    c.dpop = Dpop::Allowed;
}

fn challenge(r: &reqwest::Response) -> String {
    header(r, "www-authenticate")
}

/// 401, the REST body a dead token gets, and `WWW-Authenticate: DPoP error="<error>"…`.
async fn assert_rest_refused(r: reqwest::Response, error: &str, case: &str) {
    assert_eq!(r.status(), 401, "{case}");
    let c = challenge(&r);
    assert!(
        c.starts_with(&format!(r#"DPoP error="{error}""#)),
        "{case}: {c}"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body[0]["errorCode"], "INVALID_SESSION_ID", "{case}");
}

#[tokio::test]
async fn a_bound_token_needs_the_dpop_scheme_and_a_proof_with_its_key() {
    let emu = start(allowed).await;
    let key = Key::new(21);
    let at = emu.dpop_tokens(&key).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = Key::new(22);
    let dpop = format!("DPoP {at}");
    let get = |auth: String, proof: Option<String>| {
        let emu = &emu;
        async move { emu.get_auth(REST, &auth, proof.as_deref()).await }
    };
    let good = || key.proof(&emu, "GET", REST, Some(&at));
    assert_rest_refused(
        get(format!("Bearer {at}"), None).await,
        "invalid_token",
        "as Bearer",
    )
    .await;
    let r = get(format!("Bearer {at}"), Some(good())).await;
    assert_rest_refused(r, "invalid_token", "as Bearer with a proof").await;
    let r = get(
        dpop.clone(),
        Some(other.proof(&emu, "GET", REST, Some(&at))),
    )
    .await;
    assert_rest_refused(r, "invalid_dpop_proof", "another key's proof").await;
    assert_rest_refused(
        get(dpop.clone(), None).await,
        "invalid_dpop_proof",
        "no proof",
    )
    .await;
    let r = get(dpop.clone(), Some(key.proof(&emu, "GET", REST, None))).await;
    assert_rest_refused(r, "invalid_dpop_proof", "no ath").await;
    let r = get(
        dpop.clone(),
        Some(key.proof(&emu, "GET", REST, Some("other"))),
    )
    .await;
    assert_rest_refused(r, "invalid_dpop_proof", "wrong ath").await;
    let r = get(dpop.clone(), Some(key.proof(&emu, "POST", REST, Some(&at)))).await;
    assert_rest_refused(r, "invalid_dpop_proof", "htm POST on a GET").await;
    let proof = good();
    assert_eq!(get(dpop.clone(), Some(proof.clone())).await.status(), 200);
    assert_rest_refused(
        get(dpop.clone(), Some(proof)).await,
        "invalid_dpop_proof",
        "replayed",
    )
    .await;

    // htu has no query: a query call is proven for its path.
    let path = "/services/data/v66.0/query";
    let proof = key.proof(&emu, "GET", path, Some(&at));
    let url = format!("{path}?q=SELECT+Name+FROM+Account+LIMIT+1");
    assert_eq!(emu.get_auth(&url, &dpop, Some(&proof)).await.status(), 200);

    // A dead token keeps the usual answer, whatever the scheme.
    let r = emu.get_dpop(REST, "00Dnope", &key).await;
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("www-authenticate").is_none());
}

#[tokio::test]
async fn an_unbound_token_must_come_as_bearer() {
    let emu = start(allowed).await;
    let at = emu.access_token().await;
    let key = Key::new(23);
    let r = emu.get_dpop(REST, &at, &key).await;
    assert_rest_refused(r, "invalid_token", "a Bearer token with the DPoP scheme").await;
    let proof = key.proof(&emu, "GET", REST, Some(&at));
    let r = emu
        .get_auth(REST, &format!("Bearer {at}"), Some(&proof))
        .await;
    assert_eq!(r.status(), 200, "Bearer with a valid (needless) proof");
    let r = emu
        .get_auth(REST, &format!("Bearer {at}"), Some("junk"))
        .await;
    assert_rest_refused(r, "invalid_dpop_proof", "Bearer with a bad proof").await;
}

#[tokio::test]
async fn userinfo_and_identity_refuse_with_401_and_keep_403_for_dead_tokens() {
    let emu = start(allowed).await;
    let key = Key::new(24);
    let t = emu.dpop_tokens(&key).await;
    let at = t["access_token"].as_str().unwrap();
    let id_path = t["id"].as_str().unwrap().replace(&emu.base, "");
    for path in [USERINFO, id_path.as_str()] {
        assert_eq!(emu.get_dpop(path, at, &key).await.status(), 200, "{path}");
        let r = emu.get_auth(path, &format!("Bearer {at}"), None).await;
        assert_eq!(r.status(), 401, "{path}");
        assert!(challenge(&r).starts_with(r#"DPoP error="invalid_token""#));
        assert_eq!(error_of(r).await, "invalid_token");
        let r = emu.get_dpop(path, at, &Key::new(25)).await;
        assert_eq!(r.status(), 401, "{path}: another key");
        assert!(challenge(&r).starts_with(r#"DPoP error="invalid_dpop_proof""#));
        let r = emu.get_dpop(path, "00Ddead", &key).await;
        assert_eq!(r.status(), 403, "{path}: a dead token");
        assert_eq!(r.text().await.unwrap(), "Bad_OAuth_Token");
    }
}

#[tokio::test]
async fn the_nonce_dance_at_the_token_endpoint_and_at_a_resource() {
    let emu = start(|c| {
        c.dpop = Dpop::Allowed;
        c.dpop_nonce = true;
    })
    .await;
    let key = Key::new(26);
    let code = emu.code(&[]).await;
    let r = emu
        .exchange_dpop(&code, Some(&key.proof(&emu, "POST", TOKEN, None)))
        .await;
    assert_eq!(r.status(), 400);
    let nonce = header(&r, "dpop-nonce");
    assert!(!nonce.is_empty());
    assert_eq!(error_of(r).await, "use_dpop_nonce");
    let stale = key.proof_n(&emu, "POST", TOKEN, None, Some("stale"));
    let r = emu.exchange_dpop(&code, Some(&stale)).await;
    assert_eq!(header(&r, "dpop-nonce"), nonce);
    assert_eq!(error_of(r).await, "use_dpop_nonce", "a stale nonce");
    let proof = key.proof_n(&emu, "POST", TOKEN, None, Some(&nonce));
    let r = emu.exchange_dpop(&code, Some(&proof)).await;
    assert_eq!(r.status(), 200, "the code survived the dance");
    assert!(r.headers().get("dpop-nonce").is_none(), "no new nonce");
    let t: Value = r.json().await.unwrap();
    let at = t["access_token"].as_str().unwrap();

    let r = emu.get_dpop(REST, at, &key).await;
    assert_eq!(r.status(), 401);
    assert!(challenge(&r).starts_with(r#"DPoP error="use_dpop_nonce""#));
    assert_eq!(header(&r, "dpop-nonce"), nonce);
    let with_nonce = |n: &str| key.proof_n(&emu, "GET", REST, Some(at), Some(n));
    let dpop = format!("DPoP {at}");
    assert_eq!(
        emu.get_auth(REST, &dpop, Some(&with_nonce(&nonce)))
            .await
            .status(),
        200
    );

    // Rotation: the old nonce is stale, a second dance gives the new one.
    let r = emu.post_json("/__emulator/dpop-nonce/rotate").await;
    assert_eq!(r["rotated"], true);
    let r = emu.get_auth(REST, &dpop, Some(&with_nonce(&nonce))).await;
    assert_eq!(r.status(), 401);
    let fresh = header(&r, "dpop-nonce");
    assert_ne!(fresh, nonce);
    assert_eq!(
        emu.get_auth(REST, &dpop, Some(&with_nonce(&fresh)))
            .await
            .status(),
        200
    );

    // Rotation with grace: the old nonce still works, and the answer announces the new one.
    let r = emu
        .http
        .post(format!("{}/__emulator/dpop-nonce/rotate", emu.base))
        .body(json!({ "grace": true }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = emu.get_auth(REST, &dpop, Some(&with_nonce(&fresh))).await;
    assert_eq!(r.status(), 200);
    let newest = header(&r, "dpop-nonce");
    assert!(
        !newest.is_empty() && newest != fresh,
        "a success announces the new nonce"
    );
    let r = emu.get_auth(REST, &dpop, Some(&with_nonce(&newest))).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("dpop-nonce").is_none());
}

#[tokio::test]
async fn cors_allows_the_dpop_header_and_exposes_the_nonce() {
    let preflight = |emu: &Emu, path: &str| {
        emu.http
            .request(reqwest::Method::OPTIONS, format!("{}{path}", emu.base))
            .header("origin", ORIGIN)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,dpop")
            .send()
    };
    let emu = start(allowed).await;
    for path in [
        TOKEN,
        "/services/oauth2/revoke",
        USERINFO,
        REST,
        "/services/oauth2/introspect",
    ] {
        let r = preflight(&emu, path).await.unwrap();
        assert_eq!(r.status(), 204, "{path}");
        assert_eq!(
            header(&r, "access-control-allow-headers"),
            "content-type,dpop",
            "{path}"
        );
    }
    let token = emu.post_with(TOKEN, &[("grant_type", "x")], &[("origin", ORIGIN)]);
    for r in [token.await, emu.get_from(REST, ORIGIN).await] {
        assert_eq!(
            header(&r, "access-control-expose-headers"),
            "DPoP-Nonce, WWW-Authenticate"
        );
    }

    let emu = start(|c| {
        c.dpop = Dpop::Allowed;
        c.cors_dpop_header = false;
    })
    .await;
    for path in [TOKEN, REST] {
        let r = preflight(&emu, path).await.unwrap();
        let allowed = header(&r, "access-control-allow-headers");
        assert!(
            !allowed.to_ascii_lowercase().contains("dpop"),
            "{path}: {allowed}"
        );
        assert!(allowed.contains("content-type"), "{path}");
    }
}
