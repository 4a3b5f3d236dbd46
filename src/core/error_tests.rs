//! Tests of `core/error.rs`.

use super::*;

#[test]
fn every_code_is_in_the_typings_and_the_error_guide() {
    let types = include_str!("../../js/types.d.ts");
    let readme = include_str!("../../docs/guides/errors-and-events.md");
    for code in AuthError::ALL_CODES {
        let quoted = ["\"", code, "\""].concat();
        assert!(types.contains(&quoted), "{code} missing in js/types.d.ts");
        let ticked = ["`", code, "`"].concat();
        assert!(
            readme.contains(&ticked),
            "{code} missing in docs/guides/errors-and-events.md"
        );
    }
}

#[test]
fn codes_are_stable_and_unique() {
    let mut codes = AuthError::ALL_CODES.to_vec();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), AuthError::ALL_CODES.len());
    assert_eq!(AuthError::NotAuthenticated.code(), "not_authenticated");
}

#[test]
fn every_message_reads_well() {
    let e = AuthError::TokenEndpoint {
        status: 503,
        error: None,
        description: None,
        hint: None,
    };
    assert_eq!(e.to_string(), "the token endpoint answered HTTP 503");
    let e = AuthError::AuthorizationDenied {
        error: "access_denied".into(),
        description: Some(String::new()),
        hint: None,
    };
    assert_eq!(
        e.to_string(),
        "the authorization server refused the login: access_denied"
    );
    let e = AuthError::SessionExpired {
        error: Some("invalid_grant".into()),
        description: Some("expired access/refresh token".into()),
    };
    assert_eq!(
        e.to_string(),
        "the session has expired or was revoked; sign in again; the provider said: \"expired access/refresh token\""
    );
    let e = AuthError::SessionExpired {
        error: Some("invalid_grant".into()),
        description: Some("authentication failure".into()),
    };
    assert!(
        e.to_string()
            .contains("deactivated or changed their password"),
        "{e}"
    );
    let e = AuthError::IdentityChanged {
        claim: "sub",
        tokens_to_revoke: ForeignTokens {
            access_token: Some(AccessToken::new("00D!theirs")),
            refresh_token: Some(RefreshToken::new("5Aep-theirs")),
        },
    };
    assert_eq!(e.code(), "session_expired");
    assert!(e.to_string().contains("someone else's tokens"), "{e}");
    assert!(!e.to_string().contains("theirs") && !format!("{e:?}").contains("theirs"));
    assert_eq!(
        e.tokens_to_revoke().and_then(|t| t.secrets().0),
        Some("00D!theirs")
    );
    assert_eq!(AuthError::StateMismatch.tokens_to_revoke(), None);
    let e = AuthError::InvalidTabMessage {
        reason: "version out of range".into(),
    };
    assert_eq!(e.code(), "invalid_tab_message");
    assert!(AuthError::ALL_CODES.contains(&e.code()));
    assert_eq!(
        AuthError::UserinfoFailed { status: 500 }.to_string(),
        "the userinfo endpoint answered HTTP 500"
    );
    assert_eq!(
        AuthError::config("timeoutMs", "must be a number").to_string(),
        "invalid configuration: timeoutMs: must be a number"
    );
}

#[test]
fn token_endpoint_error_keeps_server_fields() {
    let e = AuthError::TokenEndpoint {
        status: 400,
        error: Some("invalid_grant".into()),
        description: Some("expired authorization code".into()),
        hint: None,
    };
    assert_eq!(e.code(), "token_endpoint_error");
    assert_eq!(e.server_error(), Some("invalid_grant"));
    assert_eq!(e.error_description(), Some("expired authorization code"));
    assert_eq!(e.status(), Some(400));
    assert_eq!(
        e.to_string(),
        "the token endpoint answered HTTP 400: invalid_grant; the provider said: \"expired authorization code\""
    );
}

/// A second copy of an error in the npm build (`AuthError::copy`, a relayed one) shows all a JS
/// `AuthError` is made of (code, message, `error`, `error_description`, status) unchanged, for
/// errors of every shape.
#[test]
fn a_relayed_copy_shows_the_same_fields() {
    let every = [
        AuthError::config("timeoutMs", "must be a number"),
        AuthError::StateMismatch,
        AuthError::AuthorizationDenied {
            error: "access_denied".into(),
            description: Some("the user said no".into()),
            hint: Some("check the app's policies"),
        },
        AuthError::LoginRequired {
            error: "login_required".into(),
            description: None,
        },
        AuthError::TokenEndpoint {
            status: 400,
            error: Some("invalid_client".into()),
            description: Some("bad client".into()),
            hint: Some("check the consumer key"),
        },
        AuthError::token_response("no access_token"),
        AuthError::SessionExpired {
            error: Some("invalid_grant".into()),
            description: Some("authentication failure".into()),
        },
        AuthError::IdentityChanged {
            claim: "sub",
            tokens_to_revoke: ForeignTokens {
                access_token: Some(AccessToken::new("00D!theirs")),
                refresh_token: None,
            },
        },
        AuthError::Network {
            reason: "offline".into(),
        },
        AuthError::UserinfoFailed { status: 503 },
        AuthError::InvalidUserinfo {
            status: 200,
            reason: "not JSON",
        },
        AuthError::RevocationFailed {
            status: Some(500),
            reason: "the revocation endpoint answered HTTP 500".into(),
        },
        AuthError::PopupTimeout,
    ];
    for e in every {
        let copy = e.relayed();
        assert_eq!(copy.code(), e.code());
        assert_eq!(copy.message(), e.message());
        assert_eq!(copy.server_error(), e.server_error());
        assert_eq!(copy.error_description(), e.error_description());
        assert_eq!(copy.status(), e.status());
        assert_eq!(copy.relayed(), copy, "{}", e.code());
    }
}
