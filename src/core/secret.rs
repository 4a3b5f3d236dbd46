//! Secret newtypes. `Debug` prints `Name([redacted])`; there is no `Display`; the value is
//! reachable only through `secret()`.

#[allow(unused_imports)]
use crate::core::prelude::*;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident $(, $derive:ident)*) => {
        $(#[$doc])*
        #[derive(PartialEq, Eq $(, $derive)*)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value received from the server or generated locally.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret value.
            ///
            /// # Security Warning
            /// Never log, print, store outside memory, or put the value in a URL.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// An OAuth access token (for Salesforce, the session id).
    AccessToken, Clone
);
secret_type!(
    /// An OAuth refresh token: a long-lived credential, kept in memory only.
    RefreshToken, Clone
);
secret_type!(
    /// A one-time authorization code from the callback.
    AuthorizationCode
);
secret_type!(
    /// An OpenID Connect id_token (a JWT).
    IdToken, Clone
);
/// A `"tabs-locks"` message carrying this tab's token set (its text holds the tokens). As the
/// types above, but its text is read only in a build with the `sharing` feature (the only one
/// that posts it).
#[derive(Clone, PartialEq, Eq)]
pub struct TokensMessage(String);

impl TokensMessage {
    /// Wraps a message written from this tab's token set.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The message's text.
    ///
    /// # Security Warning
    /// Never log, print, store outside memory, or put the value in a URL.
    #[cfg(feature = "sharing")]
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for TokensMessage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("TokensMessage([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = AccessToken::new("00Dxx!secret-value");
        assert_eq!(format!("{t:?}"), "AccessToken([redacted])");
        let r = RefreshToken::new("5Aep-secret");
        assert_eq!(format!("{r:?}"), "RefreshToken([redacted])");
        assert!(!format!("{:?}", AuthorizationCode::new("aPrx==")).contains("aPrx"));
        assert_eq!(t.secret(), "00Dxx!secret-value");
        let m = TokensMessage::new("v=1&t=tokens&at=00Dxx!secret-value");
        assert_eq!(format!("{m:?}"), "TokensMessage([redacted])");
        #[cfg(feature = "sharing")]
        assert_eq!(m.secret(), "v=1&t=tokens&at=00Dxx!secret-value");
    }
}
