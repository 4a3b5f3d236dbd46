use super::*;
use crate::core::config::ClientConfig;
use crate::core::testing::{self, query_pairs as params};

/// A client id that needs encoding in a URL.
fn config() -> ClientConfig {
    testing::salesforce("3MVG9 demo&id")
}

#[test]
fn authorize_url_has_every_parameter_once_and_encoded() {
    let mut bytes = [0u8; 96];
    bytes.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
    let r = LoginRandomness::from_bytes(&bytes);
    let req = authorization_request(
        &config(),
        &LoginOptions {
            return_to: Some("/accounts?x=1".into()),
            prompt: Some("login consent".into()),
            login_hint: Some("a+b@x.com".into()),
            immediate: None,
            silent: false,
            popup: false,
            dpop_jkt: None,
        },
        &r,
        Millis(1_000.0),
        Some("https://app.example.com"),
    )
    .unwrap();
    assert!(req.url.starts_with(
        "https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&"
    ));
    assert!(req.url.contains("client_id=3MVG9+demo%26id"));
    assert!(
        req.url
            .contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback")
    );
    let p = params(&req.url);
    let get = |k: &str| {
        p.iter()
            .filter(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("scope"), ["api refresh_token openid"]);
    assert_eq!(get("code_challenge_method"), ["S256"]);
    assert_eq!(
        get("code_challenge"),
        [req.pending.verifier.s256_challenge().as_str()]
    );
    assert_eq!(get("state"), [req.pending.state.as_str()]);
    assert_eq!(get("nonce"), [req.pending.nonce.as_ref().unwrap().as_str()]);
    assert_eq!(get("prompt"), ["login consent"]);
    assert_eq!(get("login_hint"), ["a+b@x.com"]);
    assert!(get("immediate").is_empty());
    assert_eq!(req.pending.return_to, "/accounts?x=1");
    assert!(
        !req.url.contains(req.pending.verifier.secret()),
        "the verifier never goes in the URL"
    );
}

#[test]
fn no_nonce_without_openid_and_immediate_flag() {
    let mut c = config();
    c.scopes = vec!["api".into()];
    let req = authorization_request(
        &c,
        &LoginOptions {
            immediate: Some(true),
            ..Default::default()
        },
        &LoginRandomness::from_bytes(&[1; 96]),
        Millis(0.0),
        None,
    )
    .unwrap();
    assert!(req.pending.nonce.is_none());
    assert!(!req.url.contains("nonce="));
    assert!(req.url.ends_with("&immediate=true"));
}

#[test]
fn return_to_must_stay_on_origin() {
    let o = Origin::parse("https://app.example.com", "x").unwrap();
    assert_eq!(same_origin_path("/a/b?c#d", &o).unwrap(), "/a/b?c#d");
    assert_eq!(
        same_origin_path("https://app.example.com/x?y", &o).unwrap(),
        "/x?y"
    );
    for bad in [
        "//evil.com/x",
        "/\\evil.com",
        "https://evil.com/",
        "javascript:alert(1)",
        "http://app.example.com/",
        "evil",
        "/\n/evil",
    ] {
        let e = same_origin_path(bad, &o).unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{bad}");
        assert!(e.to_string().contains("returnTo") && e.to_string().contains("open redirect"));
    }
    let e = authorization_request(
        &config(),
        &LoginOptions {
            return_to: Some("https://evil.com".into()),
            ..Default::default()
        },
        &LoginRandomness::from_bytes(&[0; 96]),
        Millis(0.0),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_config");
}

#[test]
fn prompt_is_validated() {
    for bad in ["", "bogus", "none login", "login  consent"] {
        let o = LoginOptions {
            prompt: Some(bad.into()),
            ..Default::default()
        };
        assert_eq!(
            authorization_request(
                &config(),
                &o,
                &LoginRandomness::from_bytes(&[0; 96]),
                Millis(0.0),
                None
            )
            .unwrap_err()
            .code(),
            "invalid_config",
            "{bad:?}"
        );
    }
}

#[test]
fn pending_record_round_trips_and_rejects_corruption() {
    let req = authorization_request(
        &config(),
        &LoginOptions::default(),
        &LoginRandomness::from_bytes(&[5; 96]),
        Millis(1_700_000_000_123.0),
        None,
    )
    .unwrap();
    let stored = req.pending.to_storage();
    let back = PendingLogin::from_storage(&stored).unwrap();
    assert_eq!(back.state, req.pending.state);
    assert_eq!(back.verifier.secret(), req.pending.verifier.secret());
    assert_eq!(back.nonce, req.pending.nonce);
    assert_eq!(back.return_to, "/");
    assert_eq!(back.created_at_ms, Millis(1_700_000_000_123.0));
    assert_eq!(
        req.pending.storage_key(),
        format!("salesforce-pkce:pending:{}", req.pending.state.as_str())
    );
    assert!(!format!("{:?}", back).contains(back.verifier.secret()));
    for bad in [
        "",
        "v=2",
        "v=1&state=a",
        &format!("{stored}&state=dup"),
        &stored.replace("created_at=", "created_at=x"),
    ] {
        assert_eq!(
            PendingLogin::from_storage(bad).unwrap_err().code(),
            "invalid_callback",
            "{bad}"
        );
    }
}

#[test]
fn restore_is_silent_immediate_for_salesforce_and_prompt_none_elsewhere() {
    let r = LoginRandomness::from_bytes(&[3; 96]);
    let sf = config();
    let o = restore_options(&sf, "/accounts?page=2".into());
    let req = authorization_request(&sf, &o, &r, Millis(1_000.0), None).unwrap();
    assert!(req.url.contains("&immediate=true"));
    assert!(!req.url.contains("prompt="));
    assert!(req.pending.silent);
    let back = PendingLogin::from_storage(&req.pending.to_storage()).unwrap();
    assert!(back.silent);
    assert_eq!(back.return_to, "/accounts?page=2");

    let generic = testing::generic();
    let req = authorization_request(
        &generic,
        &restore_options(&generic, "/".into()),
        &r,
        Millis(1_000.0),
        None,
    )
    .unwrap();
    assert!(req.url.contains("&prompt=none"));
    assert!(!req.url.contains("immediate"));

    let plain =
        authorization_request(&sf, &LoginOptions::default(), &r, Millis(1_000.0), None).unwrap();
    assert!(!plain.pending.silent);
    assert!(
        !PendingLogin::from_storage(&plain.pending.to_storage())
            .unwrap()
            .silent
    );
}

#[test]
fn dpop_jkt_binds_the_code_only_when_asked() {
    let r = LoginRandomness::from_bytes(&[7u8; 96]);
    let url = |jkt: Option<&str>| {
        let o = LoginOptions {
            dpop_jkt: jkt.map(Into::into),
            ..Default::default()
        };
        authorization_request(&config(), &o, &r, Millis(1_000.0), None)
            .unwrap()
            .url
    };
    assert!(
        !url(None).contains("dpop_jkt"),
        "a redirect login never sends it"
    );
    let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    let with = params(&url(Some(jkt)));
    assert_eq!(
        with.iter()
            .filter(|(k, _)| k == "dpop_jkt")
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>(),
        [jkt]
    );
}

#[test]
fn the_scope_parameter_is_the_scopes_joined_and_absent_when_that_is_empty() {
    for scopes in [
        &[][..],
        &[""],
        &["", ""],
        &["openid"],
        &["api", "refresh_token", "openid"],
        &["a b", "", "x"],
    ] {
        let mut c = config();
        c.scopes = scopes.iter().map(|s| s.to_string()).collect();
        let req = authorization_request(
            &c,
            &LoginOptions::default(),
            &LoginRandomness::from_bytes(&[2; 96]),
            Millis(0.0),
            None,
        )
        .unwrap();
        let joined = scopes.join(" ");
        let got: Vec<String> = params(&req.url)
            .into_iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v)
            .collect();
        let want: Vec<String> = if joined.is_empty() {
            vec![]
        } else {
            vec![joined]
        };
        assert_eq!(got, want, "{scopes:?}");
    }
}

/// A login's one text (what the browser stores and crosses to JS) is the storage key, the
/// record and the URL of [`authorization_request`], a line break between them, for every
/// shape of the record (nonce or none, silent, popup; a returnTo that needs encoding) and a
/// fractional time (the record keeps whole milliseconds, the request the time given); the 96
/// random bytes are the verifier's, the state's and the nonce's, in that order.
#[test]
fn the_login_text_is_the_key_the_record_and_the_url_joined_by_line_breaks() {
    let mut bytes = [0u8; 96];
    bytes
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = (i * 7) as u8);
    let r = LoginRandomness::from_bytes(&bytes);
    // An endpoint with a query of its own, no openid (no nonce).
    let generic = ClientConfig::generic(&crate::core::config::ClientOptions {
        authorization_endpoint: Some("https://id.example.com/auth?tenant=a%20b".into()),
        scopes: Some(vec!["api".into()]),
        ..testing::generic_options()
    })
    .unwrap();
    for (c, silent, popup, return_to) in [
        (config(), false, false, None),
        (config(), true, false, Some("/a b?x=1&y=%2F#f")),
        (config(), false, true, Some("https://app.example.com/p")),
        (generic, true, true, Some("/\u{e9}")),
    ] {
        let o = LoginOptions {
            return_to: return_to.map(str::to_owned),
            silent,
            popup,
            ..LoginOptions::default()
        };
        let now = Millis(1_700_000_000_123.75);
        let origin = Some("https://app.example.com");
        let texts = login_texts(&c, &o, &bytes, now, origin).unwrap();
        let req = authorization_request(&c, &o, &r, now, origin).unwrap();
        let record = req.pending.to_storage();
        assert_eq!(
            texts.text(),
            [req.pending.storage_key(), record.clone(), req.url.clone()].join("\n")
        );
        assert_eq!(
            (texts.state(), texts.record(), texts.url()),
            (
                req.pending.state.as_str(),
                record.as_str(),
                req.url.as_str()
            )
        );
        assert!(record.contains("&created_at=1700000000123"), "{record}");
        assert_eq!(req.pending.created_at_ms, now);
        assert_eq!((req.pending.silent, req.pending.popup), (silent, popup));
    }
    // Every refusal of the request is the text's.
    let bad = LoginOptions {
        prompt: Some("bogus".into()),
        ..LoginOptions::default()
    };
    let e = login_texts(&config(), &bad, &bytes, Millis(0.0), None)
        .err()
        .unwrap();
    assert_eq!(e.code(), "invalid_config");
}
