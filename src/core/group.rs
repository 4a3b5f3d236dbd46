//! The name of a session group: the tabs (and the session worker) that share one session. It
//! carries the message-protocol version and a hash of the client's options, so tabs of another
//! deploy — another protocol or any other option — form their own group and never meet this
//! one: strict decoding only ever sees its own version, and a new deploy never locks users out.

#[allow(unused_imports)]
use crate::core::prelude::*;

/// The version of the tab and worker message forms; bump it with any change to them.
pub const MESSAGE_PROTOCOL: &str = "5";

/// `salesforce-pkce:<client id>|p<protocol>|<16 hex digits of SHA-256(options)>`, where
/// `options` is the client's options in their wire form (`wire::encode_options`).
pub fn group_name(client_id: &str, options: &str) -> String {
    let digest = crate::core::pkce::sha256(options.as_bytes());
    let mut hex = String::with_capacity(16);
    for b in &digest[..8] {
        for nibble in [b >> 4, b & 0xf] {
            hex.push(char::from(b"0123456789abcdef"[usize::from(nibble)]));
        }
    }
    [
        "salesforce-pkce:",
        client_id,
        "|p",
        MESSAGE_PROTOCOL,
        "|",
        &hex,
    ]
    .cat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ClientOptions;
    use crate::core::profile::{GENERIC, SALESFORCE};
    use crate::core::wire::encode_options;

    fn options(timeout: f64) -> ClientOptions {
        ClientOptions {
            timeout_ms: Some(timeout),
            ..crate::core::testing::salesforce_options("cid")
        }
    }

    #[test]
    fn same_options_same_group_any_change_another() {
        let a = group_name("cid", &encode_options(&options(15_000.0), &SALESFORCE));
        assert_eq!(
            a,
            group_name("cid", &encode_options(&options(15_000.0), &SALESFORCE))
        );
        assert!(a.starts_with("salesforce-pkce:cid|p5|"), "{a}");
        assert_eq!(a.len(), "salesforce-pkce:cid|p5|".len() + 16);
        let other = group_name("cid", &encode_options(&options(15_001.0), &SALESFORCE));
        assert_ne!(a, other, "a changed timeoutMs is another deploy");
        let mut scopes = options(15_000.0);
        scopes.scopes = Some(vec!["api".into()]);
        assert_ne!(a, group_name("cid", &encode_options(&scopes, &SALESFORCE)));
        assert_ne!(
            a,
            group_name("cid", &encode_options(&options(15_000.0), &GENERIC))
        );
    }
}
