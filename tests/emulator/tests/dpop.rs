//! DPoP (RFC 9449) at the token, revocation and introspection endpoints, with proofs made by
//! the test (p256) against a real listening emulator.
mod common;
use common::proof::*;
use common::*;
use serde_json::{Value, json};
use sf_emulator::Dpop;

fn allowed(c: &mut sf_emulator::Config) {
    c.dpop = Dpop::Allowed;
}

#[tokio::test]
async fn a_valid_proof_binds_the_access_and_refresh_tokens_to_the_key() {
    let emu = start(allowed).await;
    let key = Key::new(7);
    let t = emu.dpop_tokens(&key).await;
    assert_eq!(t["token_type"], "DPoP");
    let (at, rt) = (
        t["access_token"].as_str().unwrap(),
        t["refresh_token"].as_str().unwrap(),
    );
    for (token, kind) in [(at, "access_token"), (rt, "refresh_token")] {
        let i = emu.introspect(token).await;
        assert_eq!(i["active"], true);
        assert_eq!(i["token_type"], kind);
        assert_eq!(i["client_id"], emu.app.config.client_id.as_str());
        assert_eq!(i["cnf"]["jkt"], key.jkt().as_str(), "{kind}: cnf.jkt");
    }
    let i = emu.introspect(at).await;
    assert!(i["exp"].as_u64().unwrap() > now());
    assert!(i["sub"].as_str().unwrap().contains("/id/00D"));
    assert_eq!(emu.get_dpop(REST, at, &key).await.status(), 200);
    assert_eq!(emu.get_dpop(USERINFO, at, &key).await.status(), 200);

    // A refresh with the same key: a new bound access token.
    let proof = key.proof(&emu, "POST", TOKEN, None);
    let r = emu.refresh_dpop(rt, Some(&proof)).await;
    assert_eq!(r.status(), 200);
    let r: Value = r.json().await.unwrap();
    assert_eq!(r["token_type"], "DPoP");
    let at2 = r["access_token"].as_str().unwrap();
    assert_eq!(emu.introspect(at2).await["cnf"]["jkt"], key.jkt().as_str());
    assert_eq!(emu.get_dpop(REST, at2, &key).await.status(), 200);

    let log = emu.log().await;
    let token_entries: Vec<&Value> = log.iter().filter(|e| e["path"] == TOKEN).collect();
    assert_eq!(token_entries.len(), 2);
    for e in token_entries {
        assert_eq!(e["tokenType"], "DPoP");
        assert_eq!(e["dpop"], true);
        assert_eq!(e["authScheme"], Value::Null);
    }
    let rest = log.iter().find(|e| e["path"] == REST).unwrap();
    assert_eq!(rest["authScheme"], "DPoP");
    assert_eq!(rest["dpop"], true);
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        !text.contains(at) && !text.contains(&proof),
        "no token or proof in the log"
    );
}

#[tokio::test]
async fn allowed_without_a_proof_is_bearer_and_required_refuses_it() {
    let emu = start(allowed).await;
    let t = emu.tokens().await;
    assert_eq!(t["token_type"], "Bearer");
    let at = t["access_token"].as_str().unwrap();
    assert!(emu.introspect(at).await.get("cnf").is_none());
    assert_eq!(emu.rest(REST, at).await.status(), 200);
    let log = emu.log().await;
    let e = log.iter().find(|e| e["path"] == TOKEN).unwrap();
    assert_eq!(
        (e["tokenType"].clone(), e["dpop"].clone()),
        (json!("Bearer"), json!(false))
    );

    let emu = start(|c| c.dpop = Dpop::Required).await;
    let code = emu.code(&[]).await;
    let r = emu.exchange_dpop(&code, None).await;
    assert_eq!(r.status(), 400);
    assert_eq!(error_of(r).await, "invalid_dpop_proof");
    // The refusal came before the grant: the code still works, with a proof.
    let key = Key::new(8);
    let proof = key.proof(&emu, "POST", TOKEN, None);
    let r = emu.exchange_dpop(&code, Some(&proof)).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "DPoP");
    let r = emu
        .refresh_dpop(t["refresh_token"].as_str().unwrap(), None)
        .await;
    assert_eq!(
        error_of(r).await,
        "invalid_dpop_proof",
        "required: refresh too"
    );
}

/// Proofs that must be refused at the token endpoint (400 invalid_dpop_proof), each with a
/// fresh code so that nothing else can fail.
#[tokio::test]
async fn bad_proofs_are_refused_at_the_token_endpoint() {
    let emu = start(allowed).await;
    let key = Key::new(9);
    let other = Key::new(10);
    let htu = format!("{}{TOKEN}", emu.base);
    let claims = |htm: &str, htu: &str| Key::claims(htm, htu, None, None);
    let with = |mut c: Value, name: &str, v: Value| {
        c[name] = v;
        c
    };
    let mut header_d = key.header();
    header_d["jwk"]["d"] = json!(b64(&[1; 32]));
    let tampered = {
        let p = key.proof(&emu, "POST", TOKEN, None);
        let mut parts: Vec<&str> = p.split('.').collect();
        let other_sig = other.proof(&emu, "POST", TOKEN, None);
        let sig = other_sig.rsplit('.').next().unwrap().to_owned();
        parts[2] = &sig;
        parts.join(".")
    };
    let hs256 = {
        let h = json!({ "typ": "dpop+jwt", "alg": "HS256", "jwk": key.jwk() });
        key.sign(&h, &claims("POST", &htu))
    };
    let none = format!(
        "{}.{}.",
        b64(
            json!({ "typ": "dpop+jwt", "alg": "none", "jwk": key.jwk() })
                .to_string()
                .as_bytes()
        ),
        b64(claims("POST", &htu).to_string().as_bytes())
    );
    let mut no_jti = claims("POST", &htu);
    no_jti.as_object_mut().unwrap().remove("jti");
    let cases: Vec<(String, &str)> = vec![
        // First, and 302 s when signed: the server reads its clock (in seconds) after this
        // proof is made, so a second boundary may pass between; it is still over 300 s ahead.
        (
            key.sign(
                &key.header(),
                &with(claims("POST", &htu), "iat", json!(now() + 302)),
            ),
            "iat over 300 s ahead",
        ),
        (key.sign(&key.header(), &claims("GET", &htu)), "htm GET"),
        (
            key.sign(
                &key.header(),
                &claims("POST", &format!("{}/services/oauth2/revoke", emu.base)),
            ),
            "htu of another endpoint",
        ),
        (
            key.sign(
                &key.header(),
                &claims("POST", "http://127.0.0.1:1/services/oauth2/token"),
            ),
            "htu of another port",
        ),
        (
            key.sign(
                &key.header(),
                &with(claims("POST", &htu), "iat", json!(now() - 301)),
            ),
            "iat 301 s old",
        ),
        (key.sign(&key.header(), &no_jti), "no jti"),
        (
            key.sign(
                &json!({ "typ": "JWT", "alg": "ES256", "jwk": key.jwk() }),
                &claims("POST", &htu),
            ),
            "typ JWT",
        ),
        (
            key.sign(
                &json!({ "typ": "dpop+jwt", "alg": "ES256" }),
                &claims("POST", &htu),
            ),
            "no jwk",
        ),
        (key.sign(&header_d, &claims("POST", &htu)), "d in the jwk"),
        (none, "alg none"),
        (hs256, "alg HS256"),
        (tampered, "signature by another key"),
        ("not-a-jwt".to_owned(), "garbage"),
    ];
    for (proof, case) in cases {
        let code = emu.code(&[]).await;
        let r = emu.exchange_dpop(&code, Some(&proof)).await;
        assert_eq!(r.status(), 400, "{case}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "invalid_dpop_proof", "{case}: {body}");
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .starts_with("DPoP"),
            "{case}"
        );
    }

    // A replayed proof: the first use binds, the second is refused.
    let proof = key.proof(&emu, "POST", TOKEN, None);
    let code = emu.code(&[]).await;
    assert_eq!(emu.exchange_dpop(&code, Some(&proof)).await.status(), 200);
    let code = emu.code(&[]).await;
    let r = emu.exchange_dpop(&code, Some(&proof)).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_dpop_proof");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("replayed")
    );

    // Two DPoP headers.
    let code = emu.code(&[]).await;
    let r = emu
        .http
        .post(format!("{}{TOKEN}", emu.base))
        .header("dpop", key.proof(&emu, "POST", TOKEN, None))
        .header("dpop", key.proof(&emu, "POST", TOKEN, None))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={}&code={}",
            emu.app.config.client_id,
            code.replace('=', "%3D")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await, "invalid_dpop_proof");
}

#[tokio::test]
async fn scheme_and_host_case_and_a_default_port_do_not_matter_in_htu() {
    let emu = start(allowed).await;
    let key = Key::new(11);
    let htu = format!(
        "{}{TOKEN}?ignored=1#frag",
        emu.base.replace("http://", "HTTP://")
    );
    let code = emu.code(&[]).await;
    let proof = key.sign(&key.header(), &Key::claims("POST", &htu, None, None));
    assert_eq!(emu.exchange_dpop(&code, Some(&proof)).await.status(), 200);
}

/// WebCrypto may sign with a high S (it does not normalise): such a signature is as valid.
#[tokio::test]
async fn a_high_s_signature_is_accepted() {
    let emu = start(allowed).await;
    let key = Key::new(12);
    let proof = key.proof(&emu, "POST", TOKEN, None);
    let (input, sig) = proof.rsplit_once('.').unwrap();
    let raw =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&raw).unwrap();
    let s = -*sig.s().as_ref();
    let flipped = p256::ecdsa::Signature::from_scalars(sig.r().to_bytes(), s.to_bytes()).unwrap();
    assert_ne!(flipped, sig);
    let proof = format!("{input}.{}", b64(&flipped.to_bytes()));
    let code = emu.code(&[]).await;
    assert_eq!(emu.exchange_dpop(&code, Some(&proof)).await.status(), 200);
}

#[tokio::test]
async fn a_bound_refresh_token_needs_a_proof_with_the_same_key() {
    let emu = start(allowed).await;
    let key = Key::new(13);
    let t = emu.dpop_tokens(&key).await;
    let rt = t["refresh_token"].as_str().unwrap();
    let other = Key::new(14).proof(&emu, "POST", TOKEN, None);
    for (proof, case) in [(Some(other.as_str()), "another key"), (None, "no proof")] {
        let r = emu.refresh_dpop(rt, proof).await;
        assert_eq!(r.status(), 400, "{case}");
        assert_eq!(error_of(r).await, "invalid_grant", "{case}");
    }
    let proof = key.proof(&emu, "POST", TOKEN, None);
    assert_eq!(
        emu.refresh_dpop(rt, Some(&proof)).await.status(),
        200,
        "still good"
    );
}

#[tokio::test]
async fn dpop_jkt_binds_the_code_to_the_key() {
    let emu = start(allowed).await;
    let key = Key::new(15);
    let jkt = key.jkt();
    let code = emu.code(&[("dpop_jkt", &jkt)]).await;
    let other = Key::new(16).proof(&emu, "POST", TOKEN, None);
    let r = emu.exchange_dpop(&code, Some(&other)).await;
    assert_eq!(error_of(r).await, "invalid_grant", "another key's proof");
    let code = emu.code(&[("dpop_jkt", &jkt)]).await;
    assert_eq!(
        error_of(emu.exchange_dpop(&code, None).await).await,
        "invalid_grant",
        "no proof"
    );
    let code = emu.code(&[("dpop_jkt", &jkt)]).await;
    let proof = key.proof(&emu, "POST", TOKEN, None);
    let r = emu.exchange_dpop(&code, Some(&proof)).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(
        emu.introspect(t["access_token"].as_str().unwrap()).await["cnf"]["jkt"],
        jkt.as_str()
    );

    let r = emu
        .get(&emu.authorize_url(&[("dpop_jkt", "short")]), None)
        .await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        param(&location(&r), "error_description").as_deref(),
        Some("invalid dpop_jkt")
    );
}

#[tokio::test]
async fn dpop_off_ignores_the_header() {
    let emu = start(|_| {}).await;
    let code = emu.code(&[("dpop_jkt", "short")]).await;
    let r = emu.exchange_dpop(&code, Some("not-a-jwt")).await;
    assert_eq!(r.status(), 200, "the DPoP header and dpop_jkt are ignored");
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    let at = t["access_token"].as_str().unwrap();
    assert_eq!(
        emu.get_auth(REST, &format!("Bearer {at}"), Some("junk"))
            .await
            .status(),
        200
    );
    let r = emu.get_auth(REST, &format!("DPoP {at}"), None).await;
    assert_eq!(r.status(), 401, "no DPoP scheme when off");
    assert!(r.headers().get("www-authenticate").is_none(), "as before");
    let d = emu.get_json("/.well-known/openid-configuration").await;
    assert!(d.get("dpop_signing_alg_values_supported").is_none());
    let d = start(allowed)
        .await
        .get_json("/.well-known/openid-configuration")
        .await;
    assert_eq!(d["dpop_signing_alg_values_supported"], json!(["ES256"]));
}

#[tokio::test]
async fn revocation_takes_a_proof_but_needs_none() {
    let emu = start(allowed).await;
    let key = Key::new(17);
    let t = emu.dpop_tokens(&key).await;
    let at = t["access_token"].as_str().unwrap();
    let rt = t["refresh_token"].as_str().unwrap();
    let path = "/services/oauth2/revoke";
    let bad = key.proof(&emu, "POST", TOKEN, None);
    let r = emu.post_dpop(path, &[("token", at)], Some(&bad)).await;
    assert_eq!(
        error_of(r).await,
        "invalid_dpop_proof",
        "a proof for another URL"
    );
    let good = key.proof(&emu, "POST", path, None);
    assert_eq!(
        emu.post_dpop(path, &[("token", at)], Some(&good))
            .await
            .status(),
        200
    );
    assert_eq!(
        emu.post_dpop(path, &[("token", rt)], None).await.status(),
        200,
        "no proof"
    );
    assert_eq!(emu.introspect(rt).await, json!({ "active": false }));
}

#[tokio::test]
async fn introspection_needs_the_client_secret() {
    let emu = start(allowed).await;
    let at = emu.access_token().await;
    let cid = emu.app.config.client_id.clone();
    let path = "/services/oauth2/introspect";
    let r = emu
        .post_dpop(path, &[("token", &at), ("client_id", &cid)], None)
        .await;
    assert_eq!(error_of(r).await, "invalid_client");
    let r = emu
        .post_dpop(
            path,
            &[
                ("token", &at),
                ("client_id", &cid),
                ("client_secret", "wrong"),
            ],
            None,
        )
        .await;
    assert_eq!(error_of(r).await, "invalid_client");
    let r = emu
        .http
        .post(format!("{}{path}", emu.base))
        .basic_auth(&cid, Some(&emu.app.config.client_secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={at}"))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["active"], true);
    assert_eq!(v["token_type"], "access_token");
    assert_eq!(emu.introspect("nope").await, json!({ "active": false }));
}

#[tokio::test]
async fn a_bound_jwt_access_token_carries_cnf_jkt() {
    let emu = start(|c| {
        c.dpop = Dpop::Allowed;
        c.jwt_access_tokens = true;
    })
    .await;
    let key = Key::new(18);
    let t = emu.dpop_tokens(&key).await;
    let at = t["access_token"].as_str().unwrap();
    let claims = at.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims).unwrap(),
    )
    .unwrap();
    assert_eq!(claims["cnf"]["jkt"], key.jkt().as_str());
    assert_eq!(emu.get_dpop(REST, at, &key).await.status(), 200);
    let plain = emu.access_token().await;
    assert!(!plain.split('.').nth(1).unwrap().is_empty());
    assert_eq!(emu.introspect(&plain).await.get("cnf"), None);
}
