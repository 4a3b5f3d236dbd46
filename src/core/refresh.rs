//! Refresh policy: when to refresh before expiry (whether an answer means "the token is dead"
//! is the provider profile's: `core::profile`). Salesforce gives no `expires_in`: there the 401 (and `sessionTimeoutSeconds`) drive it.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::token::TokenSet;

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
    use crate::core::secret::AccessToken;

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
