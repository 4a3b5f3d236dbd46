//! Provider profiles: everything a provider does differently, behind one trait ([`Profile`]).
//! Shared code asks the configuration's profile (`ClientConfig::profile`) and never checks
//! which provider it is.
//!
//! A new provider is one file here implementing [`Profile`] and its line in `profiles!` below;
//! `tests.rs` runs the properties every profile must have over each registered one
//! (`example.rs`, a test-only provider, shows the whole of it).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::error::AuthError;
use crate::core::finding::Findings;
use crate::core::json::Json;
use crate::core::options::ClientOptions;
use crate::core::url::HttpUrl;

mod extras;
mod trust;

pub use extras::{API_INSTANCE_URL, INSTANCE_URL, ORG_ID, TokenExtras, TokenField, USER_ID};
pub use generic::GENERIC;
pub use salesforce::SALESFORCE;
pub use trust::check_bearer_url;

/// Declares each profile's module and lists the profile in [`PROFILES`]: one line a profile.
macro_rules! profiles {
    ($($(#[$attr:meta])* $file:ident::$profile:ident,)*) => {
        $($(#[$attr])* pub mod $file;)*

        /// Every provider profile (the session worker finds its page's by name, [`named`]).
        #[cfg(any(test, feature = "sharing"))]
        pub static PROFILES: &[&dyn Profile] = &[$($(#[$attr])* &$file::$profile,)*];
    };
}

profiles! {
    salesforce::SALESFORCE,
    generic::GENERIC,
    #[cfg(test)] example::EXAMPLE,
}

/// How much of a 403's body the dead-token rule ([`Profile::dead_token`]) sees: the executor
/// (`js/executor.js`, the `auth.fetch` path, with a Bearer or a DPoP-bound token) reads this
/// many characters and no more (`profile/tests.rs` judges each rule's samples on as much, and
/// checks the executor's slice against it: no runtime code reads it).
#[cfg(test)]
pub const DEAD_BODY_CHARS: usize = 64;

/// The registered profile called `name` ([`Profile::name`]).
#[cfg(feature = "sharing")]
pub fn named(name: &str) -> Option<&'static dyn Profile> {
    // A loop, not `iter().copied().find` (its own generic fold in the wasm).
    let mut i = 0;
    while i < PROFILES.len() && PROFILES[i].name() != name {
        i += 1;
    }
    PROFILES.get(i).copied()
}

/// The endpoints a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Expected `iss` (RFC 9207 and id_token), when known.
    pub issuer: Option<String>,
    /// Authorization endpoint (the browser navigates there).
    pub authorization: String,
    /// Token endpoint.
    pub token: String,
    /// Revocation endpoint (RFC 7009), if any.
    pub revocation: Option<String>,
    /// UserInfo endpoint, if any.
    pub userinfo: Option<String>,
    /// End-session endpoint (OpenID Connect RP-Initiated Logout 1.0), if any.
    pub end_session: Option<String>,
    /// The provider's signing keys (`jwks_uri`), if known.
    pub jwks: Option<String>,
    /// The provider's login host, when the client is configured with one (Salesforce's My
    /// Domain): its origin may always receive the token ([`check_bearer_url`]).
    pub login_host: Option<HttpUrl>,
}

/// How a provider is asked for a sign-in that shows the user no page (silent restore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SilentLogin {
    /// Salesforce's `immediate=true`.
    Immediate,
    /// OpenID Connect's `prompt=none`.
    PromptNone,
}

/// What a provider does differently from the standards' defaults.
pub trait Profile: Sync {
    /// The profile's name (`"salesforce"`, `"generic"`): how the session worker's options form
    /// names it ([`named`]).
    fn name(&self) -> &'static str;

    /// The endpoints, from the options the doctor accepted (`invalid_config` naming the
    /// option otherwise).
    fn endpoints(&self, options: &ClientOptions) -> Result<Endpoints, AuthError>;

    /// The provider's own configuration findings, after the checks every client gets
    /// (`core::doctor`): an `Error` makes the constructor refuse the options.
    fn doctor(&self, options: &ClientOptions, findings: &mut Findings);

    /// How a silent sign-in is asked for.
    fn silent_login(&self) -> SilentLogin;

    /// The provider's own `error` codes, beyond OpenID Connect's, that say a silent sign-in
    /// found no session (`callback::no_provider_session`).
    fn no_session_errors(&self) -> &'static [&'static str];

    /// Parameters the provider adds to the callback, removed from the address bar with `code`,
    /// `state`, `error`, `error_description` and `iss`.
    fn callback_extras(&self) -> &'static [&'static str];

    /// Whether an API answer says the access token is dead (refresh once, then retry). `body_start`
    /// is the first characters of a 403's body (peeked at only for a 403).
    fn dead_token(&self, status: u16, body_start: Option<&str>) -> bool;

    /// The values the provider's token responses carry beyond RFC 6749's, and those the profile
    /// derives from them ([`TokenExtras`], checked by each field's rule).
    fn token_fields(&self) -> &'static [TokenField];

    /// Sets the derived [`TokenField`]s from the values read (on a refresh, merged over the
    /// set's) and the answer's id_token claims (checked), when it carried one. Each value goes
    /// through [`TokenExtras::derive`] with its field of [`Self::token_fields`], which checks
    /// its bounds (the profiles' shared test asks it of every profile).
    fn derive_extras(&self, _extras: &mut TokenExtras, _id_token: Option<&Json>) {}

    /// Issuers an id_token may name besides the configured one (Salesforce's shared login
    /// hosts).
    fn extra_issuers(&self) -> &'static [&'static str];

    /// The likely cause added to a network error at the token or revocation endpoint.
    fn token_network_hint(&self) -> Option<&'static str>;

    /// How to fix a provider error whose cause the profile knows (the provider's own text is
    /// reported beside it).
    fn error_hint(&self, error: &str, description: Option<&str>) -> Option<&'static str>;

    /// Whether the end-session navigation carries `id_token_hint` (in its URL: the one token
    /// that is ever put in a URL, and only where the provider reads it).
    fn end_session_id_token_hint(&self) -> bool;

    /// Whether revoking a refresh token revokes the access tokens issued from it, so that a
    /// logout revokes the refresh token alone (and the access token only when there is no
    /// refresh token). RFC 7009 §2.1 lets a server keep access tokens alive: other providers
    /// get both revocations.
    fn refresh_revocation_ends_access(&self) -> bool;

    /// Whether the provider binds tokens with DPoP and ES256, the one algorithm this client
    /// signs with (what `dpop: "if-supported"` goes by).
    fn dpop_supported(&self, options: &ClientOptions) -> bool;

    /// The hosts (`*.domain` for its subdomains, else exact) that the provider serves API
    /// instances from: a token response's `instance_url` on one of them may receive the token,
    /// besides the login host and `trustedInstanceHosts` ([`check_bearer_url`]).
    fn instance_hosts(&self) -> &'static [&'static str];

    /// Tests: options the profile accepts (the property suite of `tests.rs` builds a client
    /// of every profile from them).
    #[cfg(test)]
    fn example_options(&self) -> ClientOptions;
}

/// A profile prints as its name (a configuration's `Debug`).
impl core::fmt::Debug for dyn Profile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Profiles are the same when their names are (names are unique: `tests.rs`).
impl PartialEq for dyn Profile {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn Profile {}

#[cfg(test)]
mod tests;
