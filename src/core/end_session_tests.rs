use super::*;
use crate::core::config::ClientOptions;
use crate::core::doctor;
use crate::core::testing::{self, form_pairs, query_pairs as query};

const HINT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
const CLIENT_ID: &str = "3MVG9.client";

fn salesforce(post_logout: Option<&str>) -> ClientConfig {
    ClientConfig::salesforce(&ClientOptions {
        post_logout_redirect_uri: post_logout.map(Into::into),
        ..testing::salesforce_options(CLIENT_ID)
    })
    .unwrap()
}

fn generic(end_session: Option<&str>) -> ClientConfig {
    ClientConfig::generic(&ClientOptions {
        end_session_endpoint: end_session.map(Into::into),
        ..testing::generic_options()
    })
    .unwrap()
}

fn back(uri: &str) -> LogoutOptions {
    LogoutOptions {
        end_session: Some(true),
        post_logout_redirect_uri: Some(uri.into()),
        state: Some("app-42".into()),
        return_to: Some("/goodbye".into()),
    }
}

#[test]
fn salesforce_is_a_get_to_its_single_logout_endpoint_without_the_id_token() {
    let cfg = salesforce(Some("https://app.example.com/signed-out"));
    let req = end_session_request(
        &cfg,
        &LogoutOptions::default(),
        Some(HINT),
        &[3; 32],
        Millis(5_000.0),
        None,
    )
    .unwrap();
    assert!(
        req.url
            .starts_with("https://acme.my.salesforce.com/services/auth/idp/oidc/logout?")
    );
    assert!(
        !req.url.contains(HINT),
        "Salesforce does not read id_token_hint: no token in the URL"
    );
    let state = State::from_random_bytes(&[3; 32]).as_str().to_owned();
    assert_eq!(
        query(&req.url),
        [
            ("client_id".to_owned(), "3MVG9.client".to_owned()),
            (
                "post_logout_redirect_uri".to_owned(),
                "https://app.example.com/signed-out".to_owned()
            ),
            ("state".to_owned(), state.clone()),
        ]
    );
    let pending = req.pending.unwrap();
    assert_eq!(pending.state, state);
    assert_eq!(pending.return_to, "/");
    assert_eq!(pending.app_state, None);
}

#[test]
fn generic_sends_the_id_token_hint() {
    let cfg = generic(Some("https://id.example.com/session/end?x=1"));
    let req = end_session_request(
        &cfg,
        &back("https://app.example.com/"),
        Some(HINT),
        &[4; 32],
        Millis(5_000.0),
        Some("https://app.example.com"),
    )
    .unwrap();
    assert!(
        req.url
            .starts_with("https://id.example.com/session/end?x=1&client_id=spa&")
    );
    let q = query(&req.url);
    let names: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "x",
            "client_id",
            "id_token_hint",
            "post_logout_redirect_uri",
            "state"
        ]
    );
    assert_eq!(q[2].1, HINT);
    let pending = req.pending.unwrap();
    assert_eq!(pending.return_to, "/goodbye");
    assert_eq!(pending.app_state.as_deref(), Some("app-42"));
    assert_eq!(q[4].1, pending.state);
}

#[test]
fn without_a_way_back_no_state_and_no_record() {
    let cfg = generic(Some("https://id.example.com/session/end"));
    let opts = LogoutOptions {
        end_session: Some(true),
        ..Default::default()
    };
    let req = end_session_request(&cfg, &opts, None, &[4; 32], Millis(0.0), None).unwrap();
    assert!(req.pending.is_none());
    assert_eq!(req.url, "https://id.example.com/session/end?client_id=spa");
}

#[test]
fn no_endpoint_and_bad_uris_are_invalid_config() {
    let e = end_session_request(
        &generic(None),
        &back("https://app.example.com/"),
        None,
        &[1; 32],
        Millis(0.0),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_config");
    assert!(e.message().contains("end_session_endpoint"), "{e}");
    for bad in [
        "http://app.example.com/",
        "https://app.example.com/#x",
        "javascript:alert(1)",
        "/relative",
    ] {
        let e = end_session_request(
            &salesforce(None),
            &back(bad),
            None,
            &[1; 32],
            Millis(0.0),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{bad}");
        assert!(e.message().contains("postLogoutRedirectUri"), "{bad}: {e}");
    }
    assert!(
        end_session_request(
            &salesforce(None),
            &back("http://localhost:5173/"),
            None,
            &[1; 32],
            Millis(0.0),
            None
        )
        .is_ok()
    );
    let mut off_origin = back("https://app.example.com/");
    off_origin.return_to = Some("https://evil.example/".into());
    let e = end_session_request(
        &salesforce(None),
        &off_origin,
        None,
        &[1; 32],
        Millis(0.0),
        Some("https://app.example.com"),
    )
    .unwrap_err();
    assert!(e.message().contains("returnTo"), "{e}");
}

#[test]
fn the_record_round_trips_and_expires() {
    let p = PendingLogout {
        state: "s-1".into(),
        return_to: "/a?b=c&d".into(),
        app_state: Some("x=y&z".into()),
        created_at_ms: Millis(1_000.0),
    };
    assert_eq!(p.storage_key(), "salesforce-pkce:logout:s-1");
    let back = PendingLogout::from_storage(&p.to_storage()).unwrap();
    assert_eq!(back, p);
    assert!(!p.expired(Millis(1_000.0) + PENDING_TTL_MS));
    assert!(p.expired(Millis(1_001.0) + PENDING_TTL_MS));
    for corrupt in [
        "",
        "v=2&state=s&return_to=/&created_at=1",
        "v=1&state=s&return_to=/",
        "v=1&state=s&state=t&return_to=/&created_at=1",
    ] {
        assert_eq!(PendingLogout::from_storage(corrupt), None, "{corrupt}");
    }
}

#[test]
fn only_a_state_without_code_or_error_may_be_a_logout_return() {
    assert_eq!(logout_return_state("state=abc").as_deref(), Some("abc"));
    assert_eq!(
        logout_return_state("x=1&state=a%2Bb").as_deref(),
        Some("a+b")
    );
    assert_eq!(logout_return_state("code=1&state=abc"), None);
    assert_eq!(logout_return_state("state=abc&error=access_denied"), None);
    assert_eq!(logout_return_state("state=a&state=b"), None);
    assert_eq!(logout_return_state("state="), None);
    assert_eq!(logout_return_state(""), None);
    assert_eq!(
        logout_return_state(&["state=", &"a".repeat(129)].concat()),
        None
    );
}

/// An end-session return's query, the cases the golden table leaves out: every pair decoded
/// (names too), only `state` refused when repeated, a `%` without two hex digits kept. Written
/// on the code before the query was read by `form::read_pairs` (core23), passing on both.
#[test]
fn logout_return_queries_decode_every_pair() {
    for (q, want) in [
        ("x=1&x=2&state=a", Some("a")),
        ("x&x&state=a&x=", Some("a")),
        ("x=%FF&state=a", None),
        ("%FF=1&state=a", None),
        ("state=a&x=%C3", None),
        ("st%61te=a", Some("a")),
        ("state=a&st%61te=b", None),
        ("state=a&state=", None),
        ("c%6Fde=1&state=a", None),
        ("code&state=a", None),
        ("state=a&error=", None),
        ("code=1&code=2&state=a", None),
        ("state=a%zz", Some("a%zz")),
        ("state=100%", Some("100%")),
        ("state=%e2%9c%93", Some("\u{2713}")),
        ("state=a=b", Some("a=b")),
    ] {
        assert_eq!(logout_return_state(q).as_deref(), want, "{q}");
    }
}

#[test]
fn the_doctor_flags_post_logout_uris() {
    let options = |uri: &str| ClientOptions {
        post_logout_redirect_uri: Some(uri.into()),
        ..testing::salesforce_options(CLIENT_ID)
    };
    let codes = |uri: &str| -> Vec<&'static str> {
        doctor::salesforce(&options(uri), Some("https://app.example.com"))
            .into_iter()
            .filter(|f| f.field == "postLogoutRedirectUri")
            .map(|f| f.code)
            .collect()
    };
    assert_eq!(codes("https://app.example.com/bye"), Vec::<&str>::new());
    assert_eq!(
        codes("http://app.example.com/bye"),
        ["post_logout_redirect_uri_invalid"]
    );
    assert_eq!(
        codes("http://localhost:8080/bye"),
        ["post_logout_redirect_uri_origin_differs"]
    );
    assert_eq!(
        codes("https://other.example.com/bye"),
        ["post_logout_redirect_uri_origin_differs"]
    );
    assert!(
        ClientConfig::salesforce(&options("http://app.example.com/bye")).is_err(),
        "an error finding refuses the options"
    );
}

#[test]
fn a_popup_login_sends_and_exchanges_with_popup_redirect_uri() {
    use crate::core::authorize::{LoginOptions, authorization_request};
    use crate::core::callback::{PendingLookup, parse_callback, validate_callback};
    use crate::core::state::LoginRandomness;
    use crate::core::token::token_request;
    let options = ClientOptions {
        popup_redirect_uri: Some("https://app.example.com/popup-callback.html".into()),
        ..testing::salesforce_options(CLIENT_ID)
    };
    let cfg = ClientConfig::salesforce(&options).unwrap();
    assert!(crate::core::callback::is_callback_url(
        &cfg,
        "https://app.example.com/popup-callback.html?code=x"
    ));
    assert!(crate::core::callback::is_callback_url(
        &cfg,
        "https://app.example.com/callback?code=x"
    ));
    for (popup, uri) in [
        (true, "https://app.example.com/popup-callback.html"),
        (false, "https://app.example.com/callback"),
    ] {
        let login = LoginOptions {
            popup,
            ..Default::default()
        };
        let req = authorization_request(
            &cfg,
            &login,
            &LoginRandomness::from_bytes(&[5; 96]),
            Millis(0.0),
            None,
        )
        .unwrap();
        assert_eq!(
            query(&req.url)
                .iter()
                .find(|(k, _)| k == "redirect_uri")
                .unwrap()
                .1,
            uri
        );
        let state = req.pending.state.as_str().to_owned();
        let params = parse_callback(&["code=c1&state=", &state].concat())
            .unwrap()
            .unwrap();
        let back =
            crate::core::authorize::PendingLogin::from_storage(&req.pending.to_storage()).unwrap();
        let validated =
            validate_callback(&cfg, params, PendingLookup::Found(back), Millis(1.0)).unwrap();
        let body = token_request(&cfg, &validated).body.unwrap();
        let sent = form_pairs(&body);
        assert!(
            sent.contains(&("redirect_uri".to_owned(), uri.to_owned())),
            "{popup}: {body}"
        );
    }
    let mut other = options.clone();
    other.popup_redirect_uri = Some("https://evil.example/popup".into());
    assert!(
        ClientConfig::salesforce(&other).is_err(),
        "another origin is refused"
    );
    other.popup_redirect_uri = Some("http://app.example.com/popup".into());
    assert!(ClientConfig::salesforce(&other).is_err(), "http is refused");
}
