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
    }
}
