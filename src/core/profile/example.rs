//! A test-only provider, "Example ID": what adding a provider takes is this file and its line in
//! `profiles!` (`profile/mod.rs`). It keeps token extras of its own (the token response's
//! `tenant`, required, and the `region` it derives from it; the id_token's `oid` claim as the
//! session view's `userId`) and gives a doctor finding of its own (`example_scope_missing_tenant`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::{Endpoints, Profile, SilentLogin, TokenExtras, TokenField, USER_ID};
use crate::core::error::AuthError;
use crate::core::finding::{Findings, Severity};
use crate::core::json::Json;
use crate::core::options::{ClientOptions, requested_scopes};
use crate::core::url::HttpUrl;

const FIELDS: [TokenField; 3] = [
    TokenField::text("tenant", 64).required(),
    REGION_FIELD,
    USER_FIELD,
];
const REGION_FIELD: TokenField = TokenField::derived("region", 8);
const USER_FIELD: TokenField = TokenField::derived(USER_ID, 64);

/// The Example ID profile.
pub struct Example;

/// The Example ID profile.
pub static EXAMPLE: Example = Example;

impl Profile for Example {
    fn name(&self) -> &'static str {
        "example"
    }

    /// `/oauth/authorize`, `/oauth/token` and `/oauth/revoke` under `issuer`.
    fn endpoints(&self, options: &ClientOptions) -> Result<Endpoints, AuthError> {
        let issuer = HttpUrl::parse(options.issuer.as_deref().unwrap_or_default(), "issuer")?;
        let base = issuer.base_without_trailing_slash();
        let at = |path: &str| [&base, path].cat();
        Ok(Endpoints {
            issuer: Some(base.clone()),
            authorization: at("/oauth/authorize"),
            token: at("/oauth/token"),
            revocation: Some(at("/oauth/revoke")),
            userinfo: Some(at("/oauth/userinfo")),
            end_session: None,
            jwks: None,
            login_host: None,
        })
    }

    fn doctor(&self, options: &ClientOptions, f: &mut Findings) {
        if options.issuer.is_none() {
            f.add(
                Severity::Error,
                "example_issuer_missing",
                "issuer",
                &["issuer is required"],
            );
        }
        if !requested_scopes(options).iter().any(|s| s == "tenant") {
            f.add(
                Severity::Warning,
                "example_scope_missing_tenant",
                "scopes",
                &["without the tenant scope Example ID names no tenant and refuses the API calls"],
            );
        }
    }

    fn silent_login(&self) -> SilentLogin {
        SilentLogin::PromptNone
    }

    fn no_session_errors(&self) -> &'static [&'static str] {
        &[]
    }

    fn callback_extras(&self) -> &'static [&'static str] {
        &["tenant_hint"]
    }

    fn dead_token(&self, status: u16, _body_start: Option<&str>) -> bool {
        status == 401
    }

    fn token_fields(&self) -> &'static [TokenField] {
        &FIELDS
    }

    /// `region`: the tenant's prefix before `-`; `userId`: the id_token's `oid` claim.
    fn derive_extras(&self, extras: &mut TokenExtras, id_token: Option<&Json>) {
        if let Some(region) = extras.get("tenant").and_then(|t| t.cut(b'-')) {
            let region = region.0.to_owned();
            extras.derive(&REGION_FIELD, region);
        }
        if let Some(oid) = id_token.and_then(|c| c.str_field("oid").ok().flatten()) {
            extras.derive(&USER_FIELD, oid);
        }
    }

    fn extra_issuers(&self) -> &'static [&'static str] {
        &[]
    }

    fn token_network_hint(&self) -> Option<&'static str> {
        None
    }

    fn error_hint(&self, _error: &str, _description: Option<&str>) -> Option<&'static str> {
        None
    }

    fn end_session_id_token_hint(&self) -> bool {
        true
    }

    fn refresh_revocation_ends_access(&self) -> bool {
        false
    }

    fn dpop_supported(&self, _options: &ClientOptions) -> bool {
        false
    }

    fn instance_hosts(&self) -> &'static [&'static str] {
        &[]
    }

    fn example_options(&self) -> ClientOptions {
        ClientOptions {
            client_id: Some("example-spa".into()),
            redirect_uri: Some("https://app.example.com/callback".into()),
            issuer: Some("https://id.example.net".into()),
            scopes: Some(vec!["openid".into(), "tenant".into(), "offline_access".into()]),
            ..Default::default()
        }
    }
}
