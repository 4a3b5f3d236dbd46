//! `loginPopup()`: the popup's options, the name of the channel its callback comes back on, and
//! the rule for what the opener may conclude from a closed popup.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;

/// Default `popupTimeoutMs`: 5 minutes.
pub const DEFAULT_POPUP_TIMEOUT_MS: f64 = 300_000.0;
/// Default `popupFeatures`.
pub const DEFAULT_POPUP_FEATURES: &str = "popup,width=500,height=700";

/// The popup's own options of `loginPopup()` (besides the login's).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PopupOptions {
    /// The third argument of `window.open`.
    pub popup_features: Option<String>,
    /// How long to wait for the callback, in ms (default 300000).
    pub popup_timeout_ms: Option<f64>,
}

impl PopupOptions {
    /// The option names of the JS API, in field order (beside `LoginOptions::JS_FIELDS`).
    pub const JS_FIELDS: [&'static str; 2] = ["popupFeatures", "popupTimeoutMs"];

    /// The timeout in ms: from 1 s to 1 hour.
    pub fn timeout_ms(&self) -> Result<f64, AuthError> {
        match self.popup_timeout_ms {
            None => Ok(DEFAULT_POPUP_TIMEOUT_MS),
            Some(t) if t.is_finite() && (1_000.0..=3_600_000.0).contains(&t) => Ok(t),
            Some(_) => Err(AuthError::config(
                "popupTimeoutMs",
                "must be a number of milliseconds from 1000 to 3600000 (default 300000)",
            )),
        }
    }

    /// The `window.open` features.
    pub fn features(&self) -> &str {
        self.popup_features
            .as_deref()
            .unwrap_or(DEFAULT_POPUP_FEATURES)
    }
}

/// The BroadcastChannel a popup's callback page hands its callback to the opener on: same
/// origin by construction (never `window.opener`, which providers' `Cross-Origin-Opener-Policy`
/// severs). Every opener of this client id listens; each takes only its own `state`.
pub fn channel_name(client_id: &str) -> String {
    ["salesforce-pkce:popup:", client_id].concat()
}

/// What the opener saw of its popup at one look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupSight {
    /// Open, on this app's origin (a page the opener can read, not the initial `about:blank`).
    OwnOrigin,
    /// Open elsewhere (the provider), or not yet navigated.
    Elsewhere,
    /// `popup.closed` reads true.
    Closed,
}

/// Whether a closed popup ends the login with `popup_closed`: only when it was last seen on
/// this app's own origin. Under `Cross-Origin-Opener-Policy` at the provider, `popup.closed`
/// reads true as soon as the popup gets there although it is open: that must not end the login
/// (a popup closed at the provider ends in `popup_timeout`).
pub fn closed_by_user(last_seen: PopupSight, now: PopupSight) -> bool {
    now == PopupSight::Closed && last_seen == PopupSight::OwnOrigin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_popup_counts_only_when_last_seen_on_our_origin() {
        use PopupSight::*;
        assert!(closed_by_user(OwnOrigin, Closed));
        assert!(
            !closed_by_user(Elsewhere, Closed),
            "COOP severs the handle: not a close"
        );
        assert!(!closed_by_user(Closed, Closed));
        assert!(!closed_by_user(OwnOrigin, OwnOrigin));
        assert!(!closed_by_user(OwnOrigin, Elsewhere));
    }

    #[test]
    fn timeouts_and_features() {
        let o = PopupOptions::default();
        assert_eq!(o.timeout_ms(), Ok(DEFAULT_POPUP_TIMEOUT_MS));
        assert_eq!(o.features(), DEFAULT_POPUP_FEATURES);
        for bad in [0.0, 999.0, f64::NAN, f64::INFINITY, 3_600_001.0] {
            let o = PopupOptions {
                popup_timeout_ms: Some(bad),
                ..Default::default()
            };
            assert_eq!(o.timeout_ms().unwrap_err().code(), "invalid_config");
        }
        assert_eq!(channel_name("abc"), "salesforce-pkce:popup:abc");
    }
}
