//! id_tokens signed RS256 with the key published at `/id/keys` (as Salesforce), checked here
//! with the `rsa` crate from the JWKS alone; `--id-token-alg hs256`; the end-session hint check.
mod common;
use base64::Engine as _;
use common::*;
use hmac::Mac;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::{Value, json};
use sf_emulator::{EndSession, IdTokenAlg};

fn b64d(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

fn part(jwt: &str, i: usize) -> Value {
    serde_json::from_slice(&b64d(jwt.split('.').nth(i).unwrap())).unwrap()
}

/// Verifies `jwt` against the JWKS's key with its `kid`, as a relying party does.
fn verify_rs256(jwks: &Value, jwt: &str) -> bool {
    let kid = &part(jwt, 0)["kid"];
    let Some(jwk) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| &k["kid"] == kid)
    else {
        return false;
    };
    let n = BigUint::from_bytes_be(&b64d(jwk["n"].as_str().unwrap()));
    let e = BigUint::from_bytes_be(&b64d(jwk["e"].as_str().unwrap()));
    let key = VerifyingKey::<sha2::Sha256>::new(RsaPublicKey::new(n, e).unwrap());
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let sig = Signature::try_from(b64d(sig).as_slice()).unwrap();
    key.verify(input.as_bytes(), &sig).is_ok()
}

#[tokio::test]
async fn id_tokens_verify_against_the_published_key() {
    let emu = start(|_| {}).await;
    let d = emu.get_json("/.well-known/openid-configuration").await;
    assert_eq!(d["jwks_uri"], format!("{}/id/keys", emu.base));
    assert_eq!(d["id_token_signing_alg_values_supported"], json!(["RS256"]));
    let r = emu.get_from("/id/keys", "http://anywhere.example").await;
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "*",
        "CORS always on"
    );
    let jwks: Value = r.json().await.unwrap();
    let k = &jwks["keys"][0];
    assert_eq!(
        (k["kty"].clone(), k["use"].clone(), k["alg"].clone()),
        (json!("RSA"), json!("sig"), json!("RS256"))
    );
    assert_eq!(b64d(k["n"].as_str().unwrap()).len(), 256, "2048 bits");
    assert!(k.get("d").is_none() && k.get("p").is_none(), "public only");
    assert_eq!(emu.get_json("/services/oauth2/id/keys").await, jwks);

    let t = emu.tokens().await;
    let id_token = t["id_token"].as_str().unwrap();
    let header = part(id_token, 0);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], k["kid"]);
    assert!(verify_rs256(&jwks, id_token));
    let claims = part(id_token, 1);
    assert_eq!(claims["iss"], emu.base.as_str());
    assert_eq!(claims["aud"], emu.app.config.client_id.as_str());
    assert_eq!(claims["nonce"], "n-1");

    // A changed claim breaks the signature.
    let mut parts: Vec<String> = id_token.split('.').map(str::to_owned).collect();
    let mut c = claims.clone();
    c["preferred_username"] = json!("sam@acme.demo");
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(c.to_string());
    assert!(!verify_rs256(&jwks, &parts.join(".")));

    // A second login's id_token verifies too.
    let t = emu.tokens().await;
    assert!(verify_rs256(&jwks, t["id_token"].as_str().unwrap()));
}

#[tokio::test]
async fn hs256_on_request() {
    let emu = start(|c| c.id_token_alg = IdTokenAlg::Hs256).await;
    let id_token = emu.tokens().await["id_token"].as_str().unwrap().to_owned();
    assert_eq!(part(&id_token, 0)["alg"], "HS256");
    let (input, sig) = id_token.rsplit_once('.').unwrap();
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(emu.app.config.client_secret.as_bytes())
            .unwrap();
    mac.update(input.as_bytes());
    assert!(
        mac.verify_slice(&b64d(sig)).is_ok(),
        "HS256 with the app's secret"
    );
    let jwks = emu.get_json("/id/keys").await;
    assert!(!verify_rs256(&jwks, &id_token));
}

#[tokio::test]
async fn end_session_checks_the_hint_with_the_signing_in_force() {
    const BYE: &str = "http://localhost:8080/logged-out";
    let hint_status = |emu: &Emu, hint: String| {
        let url = format!(
            "{}/services/auth/idp/oidc/logout?{}",
            emu.base,
            form_urlencoded::Serializer::new(String::new())
                .append_pair("id_token_hint", &hint)
                .append_pair("post_logout_redirect_uri", BYE)
                .finish()
        );
        let http = emu.http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    let oidc = |alg: IdTokenAlg| {
        move |c: &mut sf_emulator::Config| {
            c.end_session = EndSession::Oidc;
            c.post_logout_uris = vec![BYE.into()];
            c.id_token_alg = alg;
        }
    };
    let rs = start(oidc(IdTokenAlg::Rs256)).await;
    let rs_hint = rs.tokens().await["id_token"].as_str().unwrap().to_owned();
    assert_eq!(hint_status(&rs, rs_hint.clone()).await, 302);
    let mut bad = rs_hint.clone();
    bad.truncate(bad.len() - 4);
    bad.push_str("AAAA");
    assert_eq!(hint_status(&rs, bad).await, 400, "a broken RS256 signature");

    let base = rs.base.clone();
    let hs = start(move |c| {
        oidc(IdTokenAlg::Hs256)(c);
        c.public_url = base;
    })
    .await;
    let hs_hint = hs.tokens().await["id_token"].as_str().unwrap().to_owned();
    assert_eq!(hint_status(&hs, hs_hint.clone()).await, 302);
    assert_eq!(
        hint_status(&rs, hs_hint).await,
        400,
        "HS256 where RS256 is in force"
    );
    assert_eq!(
        hint_status(&hs, rs_hint).await,
        400,
        "RS256 where HS256 is in force"
    );
}
