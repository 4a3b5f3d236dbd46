//! Refresh policy: when to refresh before expiry (whether an answer means "the token is dead"
//! is the provider profile's: `core::profile`). Salesforce gives no `expires_in`: there the 401 (and `sessionTimeoutSeconds`) drive it.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::http::JsonDecoder;
use crate::core::json::Json;
use crate::core::token::TokenSet;

/// One element of a Salesforce REST error body: `[{"message":…,"errorCode":…}]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesforceApiError {
    /// Human message, e.g. "Session expired or invalid".
    pub message: String,
    /// Error code, e.g. `INVALID_SESSION_ID`.
    pub error_code: String,
}

/// Parses Salesforce's REST error array; anything else gives an empty list.
pub fn parse_salesforce_errors(body: &str, json: &impl JsonDecoder) -> Vec<SalesforceApiError> {
    let Some(Json::Array(items)) = json.parse(body) else {
        return Vec::new();
    };
    let read = |item: &Json| -> Option<SalesforceApiError> {
        Some(SalesforceApiError {
            message: item.str_field("message").ok()??,
            error_code: item.str_field("errorCode").ok()??,
        })
    };
    items
        .iter()
        .map(read)
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// `true` for `401 [{"errorCode":"INVALID_SESSION_ID",…}]`.
pub fn is_invalid_session(status: u16, body: &str, json: &impl JsonDecoder) -> bool {
    status == 401
        && parse_salesforce_errors(body, json)
            .iter()
            .any(|e| e.error_code == "INVALID_SESSION_ID")
}

/// When to refresh proactively: shortly before `expires_at` (10% of the lifetime, at least
/// 5 s and at most 60 s early). `None` when the lifetime is unknown.
pub fn proactive_refresh_at(tokens: &TokenSet) -> Option<f64> {
    let expires = tokens.expires_at_ms?;
    let lifetime = (expires - tokens.issued_at_ms).max(0.0);
    let lead = (lifetime * 0.1)
        .clamp(5_000.0, 60_000.0)
        .min(lifetime / 2.0);
    Some(expires - lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::SerdeJson;
    use crate::core::secret::AccessToken;

    #[test]
    fn parses_invalid_session_body() {
        let body = r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;
        assert!(is_invalid_session(401, body, &SerdeJson));
        assert!(!is_invalid_session(401, "[]", &SerdeJson));
        assert!(!is_invalid_session(401, "<html>", &SerdeJson));
        assert_eq!(
            parse_salesforce_errors(body, &SerdeJson)[0].message,
            "Session expired or invalid"
        );
    }

    #[test]
    fn proactive_refresh_schedule() {
        let mut t = TokenSet {
            access_token: AccessToken::new("a"),
            refresh_token: None,
            id_token: None,
            identity: None,
            instance_url: None,
            api_instance_url: None,
            token_format: None,
            id: None,
            user_id: None,
            org_id: None,
            scopes: vec![],
            issued_at_ms: 0.0,
            expires_at_ms: None,
            dpop: false,
        };
        assert_eq!(proactive_refresh_at(&t), None);
        t.expires_at_ms = Some(3_600_000.0);
        assert_eq!(proactive_refresh_at(&t), Some(3_540_000.0));
        t.expires_at_ms = Some(20_000.0);
        assert_eq!(proactive_refresh_at(&t), Some(15_000.0));
        t.expires_at_ms = Some(4_000.0);
        assert_eq!(proactive_refresh_at(&t), Some(2_000.0));
    }
}
