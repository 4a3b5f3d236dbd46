//! Every `AuthError` message, pinned whole: each variant with no, an empty, a plain and a
//! known (`authentication failure`) provider description, with and without a hint, and the
//! HTTP statuses and optional fields each carries. The expected lines
//! (`tests/golden/error_messages.txt`) were generated on the code before `message` read the
//! description and the hint once for every arm; a rewrite must keep every line
//! (`ERROR_GOLDEN_WRITE=1` rewrites the file).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

fn tokens() -> ForeignTokens {
    ForeignTokens {
        access_token: Some(AccessToken::new("at")),
        refresh_token: None,
    }
}

fn every_error() -> Vec<AuthError> {
    let descriptions = [
        None,
        Some(String::new()),
        Some("the user said no".to_owned()),
        Some("authentication failure".to_owned()),
        Some("Authentication Failure".to_owned()),
    ];
    let hints = [None, Some("a hint")];
    let mut all = vec![
        AuthError::config("redirectUri", "must use https"),
        AuthError::NoPendingLogin,
        AuthError::StateMismatch,
        AuthError::LoginExpired,
        AuthError::InvalidCallback {
            reason: "the callback has neither code nor error".into(),
        },
        AuthError::IssuerMismatch,
        AuthError::InvalidTokenResponse {
            reason: "access_token is missing or empty".into(),
            tokens_to_revoke: None,
        },
        AuthError::IdentityChanged {
            claim: "sub",
            tokens_to_revoke: tokens(),
        },
        AuthError::InvalidTabMessage {
            reason: "bad".into(),
        },
        AuthError::Network {
            reason: "offline".into(),
        },
        AuthError::OriginNotAllowed {
            origin: "https://evil.example".into(),
        },
        AuthError::NotAuthenticated,
        AuthError::UserinfoFailed { status: 403 },
        AuthError::InvalidUserinfo {
            status: 200,
            reason: "the body is not a JSON object",
        },
        AuthError::RevocationFailed {
            status: Some(400),
            reason: "the revocation endpoint answered HTTP 400".into(),
        },
        AuthError::PopupBlocked,
        AuthError::PopupClosed,
        AuthError::PopupTimeout,
        AuthError::Relayed {
            code: ErrorCode::NetworkError,
            message: "relayed text".into(),
            error: Some("e".into()),
            description: Some("d".into()),
            status: Some(500),
        },
    ];
    for description in &descriptions {
        all.push(AuthError::LoginRequired {
            error: "login_required".into(),
            description: description.clone(),
        });
        for error in [None, Some("invalid_grant".to_owned())] {
            all.push(AuthError::SessionExpired {
                error: error.clone(),
                description: description.clone(),
            });
        }
        for hint in hints {
            all.push(AuthError::AuthorizationDenied {
                error: "access_denied".into(),
                description: description.clone(),
                hint,
            });
            for (status, error) in [(400, Some("invalid_client")), (502, None)] {
                all.push(AuthError::TokenEndpoint {
                    status,
                    error: error.map(str::to_owned),
                    description: description.clone(),
                    hint,
                });
            }
        }
    }
    all
}

#[test]
fn every_message_is_as_pinned() {
    let got: String = every_error()
        .iter()
        .map(|e| [e.code(), " | ", &e.message(), "\n"].concat())
        .collect();
    let want = include_str!("../../tests/golden/error_messages.txt");
    crate::core::testing::golden_file("error_messages.txt", "ERROR_GOLDEN_WRITE", &got, want);
}
