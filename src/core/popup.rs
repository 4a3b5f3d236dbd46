//! `loginPopup()`: the popup's options and the name of the channel its callback comes back on
//! (js/executor.js's `openPopup` watches the window; the callback is validated as a redirect's is).

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
    /// The timeout in ms: from 1 s to 1 hour.
    pub fn timeout_ms(&self) -> Result<f64, AuthError> {
        match self.popup_timeout_ms {
            None => Ok(DEFAULT_POPUP_TIMEOUT_MS),
            Some(t @ 1_000.0..=3_600_000.0) => Ok(t),
            Some(_) => Err(AuthError::config(
                "popupTimeoutMs",
                brief!(
                    "must be 1000..3600000 ms",
                    "must be a number of milliseconds from 1000 to 3600000 (default 300000)"
                ),
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
    ["salesforce-pkce:popup:", client_id].cat()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Both ends of the range are taken (a range pattern, inclusive).
        for good in [1_000.0, 1_000.5, 3_600_000.0] {
            let o = PopupOptions {
                popup_timeout_ms: Some(good),
                ..Default::default()
            };
            assert_eq!(o.timeout_ms(), Ok(good));
        }
        assert_eq!(channel_name("abc"), "salesforce-pkce:popup:abc");
    }
}
