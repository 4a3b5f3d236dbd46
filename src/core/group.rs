//! The name of a session group: the tabs (and the session worker) that share one session. It
//! carries the message-protocol version and a hash of the client's options, so tabs of another
//! deploy — another protocol or any other option — form their own group and never meet this
//! one: strict decoding only ever sees its own version, and a new deploy never locks users out.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::config::ClientOptions;
use crate::core::profile::{self, Profile};
use crate::core::wire::{BadMessage, Fields, Writer};
// The validated callback's form for the session worker (cargo feature `sharing`).
#[cfg(feature = "sharing")]
use crate::core::{
    callback::ValidatedCallback, pkce::CodeVerifier, secret::AuthorizationCode, state::Nonce,
};

/// The version of the tab and worker message forms (every message's `v`, `core::wire`); bump it
/// with any change to them.
pub const MESSAGE_PROTOCOL: &str = crate::core::wire::VERSION;

/// `salesforce-pkce:<client id>|p<protocol>|<SHA-256(options)'s first 8 bytes, base64url>` (11
/// characters: the PKCE challenge's encoder, no hex writer of its own), where `options` is the
/// client's options in their wire form ([`encode_options`]).
pub fn group_name(client_id: &str, options: &str) -> String {
    let digest = crate::core::pkce::sha256(options.as_bytes());
    [
        "salesforce-pkce:",
        client_id,
        "|p",
        MESSAGE_PROTOCOL,
        "|",
        &crate::core::base64url::encode(&digest[..8]),
    ]
    .cat()
}

/// The options the session worker needs to build the same client as the page: the provider
/// profile's name, and every option of the `ClientOptions::OPTIONS` table but the page-only ones
/// (`sessionSharing` and `restore`: the worker does neither; never a client secret), under its
/// JS name.
pub fn encode_options(mut o: ClientOptions, profile: &dyn Profile) -> String {
    let mut w = Writer::new();
    w.put("profile", profile.name());
    for entry in ClientOptions::OPTIONS.iter().filter(|e| e.to_worker) {
        w.opt(entry.name, entry.wire_text(&mut o).as_deref());
    }
    w.finish()
}

/// Reads [`encode_options`]'s form: the options and their profile (one of
/// `core::profile::PROFILES`).
pub fn decode_options(text: &str) -> Result<(ClientOptions, &'static dyn Profile), BadMessage> {
    let f = Fields::parse(text)?;
    let mut o = ClientOptions::default();
    for entry in ClientOptions::OPTIONS.iter().filter(|e| e.to_worker) {
        if let Some(v) = f.get(entry.name)
            && !entry.read_wire(&mut o, v)
        {
            return Err(BadMessage);
        }
    }
    let profile = profile::named(f.need("profile")?).ok_or(BadMessage)?;
    Ok((o, profile))
}

/// [`write_callback`] alone in a form (tests, fuzzing, the core probe).
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn encode_callback(c: &ValidatedCallback) -> String {
    Writer::form(|w| write_callback(c, w))
}

/// A validated callback's fields, for the session worker to exchange (the page never sees the
/// tokens): a `complete` message's own.
#[cfg(feature = "sharing")]
pub(crate) fn write_callback(c: &ValidatedCallback, w: &mut Writer) {
    w.put("code", c.code.secret())
        .put("verifier", c.verifier.secret())
        .opt("nonce", c.nonce.as_ref().map(Nonce::as_str))
        .put("return_to", &c.return_to)
        .opt("popup", c.popup.then_some("1"));
}

/// [`read_callback`] of a text (tests, fuzzing).
#[cfg(all(feature = "sharing", any(test, feature = "internals")))]
pub fn decode_callback(text: &str) -> Result<ValidatedCallback, BadMessage> {
    read_callback(&Fields::parse(text)?)
}

/// Reads [`write_callback`]'s fields. The session worker trusts them: the tab validated the
/// callback against its pending record (see docs/DECISIONS.md); only same-origin scripts can
/// reach the worker. Out of line (the `./tabs` page 25 B smaller, share23).
#[cfg(feature = "sharing")]
#[inline(never)]
pub(crate) fn read_callback(f: &Fields) -> Result<ValidatedCallback, BadMessage> {
    Ok(ValidatedCallback {
        code: AuthorizationCode::new(f.need("code")?),
        // The RFC 7636 §4.1 form, as a stored pending login's (no reason: a refusal is a
        // `BadMessage`).
        verifier: CodeVerifier::from_stored(f.need("verifier")?.to_owned()).ok_or(BadMessage)?,
        nonce: f.get("nonce").map(Nonce::new),
        return_to: f.need("return_to")?.to_owned(),
        popup: f.get("popup") == Some("1"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ClientOptions;
    use crate::core::profile::{GENERIC, SALESFORCE};

    fn options(timeout: f64) -> ClientOptions {
        ClientOptions {
            timeout_ms: Some(timeout),
            ..crate::core::testing::salesforce_options("cid")
        }
    }

    #[test]
    fn same_options_same_group_any_change_another() {
        let a = group_name("cid", &encode_options(options(15_000.0), &SALESFORCE));
        assert_eq!(
            a,
            group_name("cid", &encode_options(options(15_000.0), &SALESFORCE))
        );
        let prefix = ["salesforce-pkce:cid|p", MESSAGE_PROTOCOL, "|"].concat();
        assert!(a.starts_with(&prefix), "{a}");
        assert_eq!(a.len(), prefix.len() + 11);
        let other = group_name("cid", &encode_options(options(15_001.0), &SALESFORCE));
        assert_ne!(a, other, "a changed timeoutMs is another deploy");
        let mut scopes = options(15_000.0);
        scopes.scopes = Some(vec!["api".into()]);
        assert_ne!(
            a,
            group_name("cid", &encode_options(scopes.clone(), &SALESFORCE))
        );
        assert_ne!(
            a,
            group_name("cid", &encode_options(options(15_000.0), &GENERIC))
        );
    }
}
