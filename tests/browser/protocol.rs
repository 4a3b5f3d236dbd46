//! The protocol core in this engine: PKCE and the authorization URL read by the engine's own
//! `URL`, with its `crypto.getRandomValues` randomness.

use super::*;
use salesforce_pkce::Millis;

#[wasm_bindgen_test]
fn core_runs_in_chromium() {
    let v = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    assert_eq!(
        v.s256_challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let mut bytes = [0u8; 96];
    window()
        .crypto()
        .unwrap()
        .get_random_values_with_u8_array(&mut bytes)
        .unwrap();
    let config = ClientConfig::salesforce(&options()).unwrap();
    let req = authorization_request(
        &config,
        &LoginOptions::default(),
        &LoginRandomness::from_bytes(&bytes),
        Millis(0.0),
        None,
    )
    .unwrap();
    let verifier = req.pending.verifier.secret();
    assert_eq!(verifier.len(), 43);
    assert!(
        verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let url = web_sys::Url::new(&req.url).expect("new URL() parses the authorize URL");
    let p = url.search_params();
    assert_eq!(url.origin(), HOST);
    assert_eq!(url.pathname(), "/services/oauth2/authorize");
    assert_eq!(
        p.get("redirect_uri").unwrap(),
        format!("{}/callback", origin())
    );
    assert_eq!(
        p.get("code_challenge").unwrap(),
        req.pending.verifier.s256_challenge()
    );
    assert_eq!(p.get("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(p.get("scope").as_deref(), Some("api refresh_token openid"));
}

#[wasm_bindgen_test]
async fn random_verifiers_differ_and_have_the_rfc_form() {
    let auth = setup("{}");
    let a = auth.authorization_url(&LoginOptions::default()).unwrap();
    let b = auth.authorization_url(&LoginOptions::default()).unwrap();
    assert_ne!(query_param(&a, "state"), query_param(&b, "state"));
    assert_ne!(
        query_param(&a, "code_challenge"),
        query_param(&b, "code_challenge")
    );
    assert_eq!(query_param(&a, "code_challenge").len(), 43);
}
