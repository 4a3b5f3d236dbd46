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

/// The wasm's SHA-256 (sha2's compact rounds, the npm build's choice) against Python's
/// `hashlib` (`base64.urlsafe_b64encode(hashlib.sha256(v).digest())`, unpadded): verifiers
/// of every length around the padding (55/56) and block (64) boundaries, up to the longest
/// (128).
#[wasm_bindgen_test]
fn s256_challenge_at_every_block_boundary() {
    let text = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.~".repeat(3);
    for (len, want) in [
        (43, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        (55, "30_dhncOWFi5DjtSPAf2Nh4zOkJFNHRpOs10Ov_bpP4"),
        (56, "v6N3lhgw_nNC_zOxTcq0PAUHPh1s1yd3m8Ax09G-Iv4"),
        (63, "g0oNwC1n8kK2tT8EB_RGAR8kCrWFBt6PLtHKlqX8U20"),
        (64, "_up7P3i1LNV2ZdrWGcd-xvC81KACdpWB7Kz_RhauTT0"),
        (65, "XQkiueQSxf7CvMVE_I_ODWDQHkKe-HnI4rCstgw2wsk"),
        (119, "iMX3WcDAwSHSByKedgoYXwJlez2zP6YSD--X6-9JPR4"),
        (120, "UWpN_2L20SpuKAe5uLzqK6vIjIOaVIg45OtB0bpuwGk"),
        (128, "57L7-7rlhPPvAI6K19XXsumVQV7othFQFLWbRZ3wu10"),
    ] {
        let v = CodeVerifier::parse(&text[..len]).unwrap();
        assert_eq!(v.s256_challenge(), want, "{len}");
    }
}
