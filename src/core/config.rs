//! The validated [`ClientConfig`] (the options themselves are `core::options`).
//!
//! Options arrive as a plain object (JS) or a struct (Rust). [`ClientConfig::salesforce`] and
//! [`ClientConfig::generic`] run the [config doctor](crate::core::doctor) and refuse every
//! finding of severity `error` with `invalid_config`, naming the field and the fix.

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::doctor::{self, Severity};
use crate::core::dpop::DpopMode;
use crate::core::error::AuthError;
use crate::core::options::requested_scopes;
pub use crate::core::options::{ClientOptions, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT_MS};
use crate::core::profile::{Endpoints, GENERIC, Profile, SALESFORCE};
use crate::core::url::{HttpUrl, Origin};

/// How the session is shared between the tabs of one origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Each tab has its own session (default).
    Off,
    /// A SharedWorker holds the session; `TabsLocks` where SharedWorker is missing.
    Tabs,
    /// A Web Locks leader tab refreshes; tokens travel over BroadcastChannel.
    TabsLocks,
}

/// Where the pending-login record is kept between `login()` and the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStorage {
    /// `sessionStorage` (default): the callback must open in the same tab.
    Session,
    /// `localStorage`: the callback may open in another tab (same TTL, single use).
    Local,
}

/// A validated client configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The provider profile: everything this provider does differently (`core::profile`).
    pub(crate) profile: &'static dyn Profile,
    /// OAuth client id.
    pub client_id: String,
    /// Registered redirect URI, exactly as given.
    pub redirect_uri: String,
    /// The redirect URI, parsed.
    pub(crate) redirect_url: HttpUrl,
    /// Endpoints.
    pub(crate) endpoints: Endpoints,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// Origins allowed to receive the Bearer token besides `instance_url`'s.
    pub(crate) allowed_origins: Vec<Origin>,
    /// Base for relative `auth.fetch` URLs (generic).
    pub(crate) api_base: Option<HttpUrl>,
    /// Timeout for token/revoke/userinfo calls.
    pub timeout_ms: u32,
    /// Where the pending login lives.
    pub pending_storage: PendingStorage,
    /// Extra trusted `instance_url` hosts.
    pub trusted_instance_hosts: Vec<String>,
    /// Audiences an id_token may list besides `client_id`.
    pub trusted_audiences: Vec<String>,
    /// Session timeout used as the access-token lifetime when the provider gives none.
    pub session_timeout_seconds: Option<u32>,
    /// `iss` must be present on callbacks (RFC 9207).
    pub require_iss: bool,
    /// Session sharing between tabs.
    pub(crate) sharing: Sharing,
    /// Restore silently after a reload (`restore: "auto"`).
    pub restore_auto: bool,
    /// The session worker script URL, if not the default.
    pub worker_url: Option<String>,
    /// Where the provider sends the browser after ending its session, if set.
    pub post_logout_redirect_uri: Option<String>,
    /// The popup login's callback page, when not `redirect_uri` (as given, and parsed).
    pub(crate) popup_redirect: Option<(String, HttpUrl)>,
    /// The `dpop` option.
    pub dpop: DpopMode,
    /// Whether the provider supports DPoP with ES256 (the Salesforce profile: yes; a generic
    /// provider: its `dpop_signing_alg_values_supported` lists `ES256`).
    pub dpop_supported: bool,
    /// Check id_token signatures against the provider's JWKS.
    pub verify_id_token_signature: bool,
    /// At most this many `auth.fetch` calls handed to the browser at a time (`0`: no limit):
    /// the executor's gate (js/executor.js) counts and queues as the core tells it.
    pub max_in_flight: u32,
}

impl ClientConfig {
    /// Validates options for Salesforce (`AuthClient.salesforce`).
    pub fn salesforce(options: &ClientOptions) -> Result<Self, AuthError> {
        Self::new(&SALESFORCE, options)
    }

    /// Validates options for any provider (`new AuthClient`).
    pub fn generic(options: &ClientOptions) -> Result<Self, AuthError> {
        Self::new(&GENERIC, options)
    }

    /// Validates options for a client of `profile`: every `error` finding of the doctor is
    /// refused, then the profile finds its endpoints.
    pub(crate) fn new(
        profile: &'static dyn Profile,
        options: &ClientOptions,
    ) -> Result<Self, AuthError> {
        if let Err(e) = refuse_errors(&doctor::findings(profile, options, None)) {
            return Err(e);
        }
        // The doctor refused above every value the choices below do not name (`pendingStorage`,
        // `sessionSharing`, `restore`), every invalid URL option and every bad number.
        // Each value matched out of its result, not moved by `?` (the whole result copied).
        let endpoints = match profile.endpoints(options) {
            Ok(e) => e,
            Err(e) => return Err(e),
        };
        let redirect_uri = options
            .redirect_uri
            .as_deref()
            .unwrap_or_default()
            .to_owned();
        let redirect_url = match HttpUrl::parse(&redirect_uri, "redirectUri") {
            Ok(u) => u,
            Err(e) => return Err(e),
        };
        let mut allowed_origins = Vec::new();
        for o in options.allowed_origins.as_deref().unwrap_or_default() {
            match Origin::parse(o, "allowedOrigins") {
                Ok(o) => allowed_origins.push(o),
                Err(e) => return Err(e),
            }
        }
        let api_base = match options.api_base.as_deref() {
            Some(b) => match HttpUrl::parse(b, "apiBase") {
                Ok(u) => Some(u),
                Err(e) => return Err(e),
            },
            None => None,
        };
        let popup_redirect = match options.popup_redirect_uri.as_deref() {
            Some(u) => match HttpUrl::parse(u, "popupRedirectUri") {
                Ok(url) => Some((u.to_owned(), url)),
                Err(e) => return Err(e),
            },
            None => None,
        };
        let pending_storage = match options.pending_storage.as_deref() {
            Some("local") => PendingStorage::Local,
            _ => PendingStorage::Session,
        };
        let sharing = match options.session_sharing.as_deref() {
            Some("tabs") => Sharing::Tabs,
            Some("tabs-locks") => Sharing::TabsLocks,
            _ => Sharing::Off,
        };
        let verify_id_token_signature = options.verify_id_token_signature.unwrap_or(false);
        if verify_id_token_signature && endpoints.jwks.is_none() {
            return Err(AuthError::config(
                "jwksUri",
                explained!(
                    "verifyIdTokenSignature needs the provider's keys",
                    ": give jwksUri (discovery fills it in)"
                ),
            ));
        }
        let mut trusted_instance_hosts = Vec::new();
        for h in options
            .trusted_instance_hosts
            .as_deref()
            .unwrap_or_default()
        {
            trusted_instance_hosts.push(h.to_ascii_lowercase());
        }
        Ok(ClientConfig {
            profile,
            client_id: options.client_id.as_deref().unwrap_or_default().to_owned(),
            redirect_uri,
            redirect_url,
            endpoints,
            scopes: requested_scopes(options),
            allowed_origins,
            api_base,
            timeout_ms: options.timeout_ms.map_or(DEFAULT_TIMEOUT_MS, |t| t as u32),
            pending_storage,
            trusted_instance_hosts,
            trusted_audiences: options
                .trusted_audiences
                .as_deref()
                .unwrap_or_default()
                .to_vec(),
            session_timeout_seconds: options.session_timeout_seconds.map(|s| s as u32),
            require_iss: options
                .authorization_response_iss_parameter_supported
                .unwrap_or(false),
            sharing,
            restore_auto: options.restore.as_deref() == Some("auto"),
            worker_url: options.worker_url.clone(),
            post_logout_redirect_uri: options.post_logout_redirect_uri.clone(),
            popup_redirect,
            dpop: options.dpop.unwrap_or(DpopMode::Off),
            dpop_supported: profile.dpop_supported(options),
            verify_id_token_signature,
            max_in_flight: options
                .max_in_flight
                .map_or(DEFAULT_MAX_IN_FLIGHT, |n| n as u32),
        })
    }

    /// The redirect URI a login sends: `popupRedirectUri` for a popup login when it is set.
    pub fn redirect_uri_for(&self, popup: bool) -> &str {
        match &self.popup_redirect {
            Some((uri, _)) if popup => uri,
            _ => &self.redirect_uri,
        }
    }

    /// Whether this client signs DPoP proofs: `dpop: true`, or `"if-supported"` with a provider
    /// that supports it.
    pub fn uses_dpop(&self) -> bool {
        match self.dpop {
            DpopMode::Off => false,
            DpopMode::Required => true,
            DpopMode::IfSupported => self.dpop_supported,
        }
    }

    /// The provider's login host, when it has one (Salesforce's My Domain).
    pub(crate) fn login_host(&self) -> Option<&HttpUrl> {
        self.endpoints.login_host.as_ref()
    }

    /// The provider profile: everything this provider does differently (`core::profile`).
    pub(crate) fn profile(&self) -> &'static dyn Profile {
        self.profile
    }

    /// Whether the token may be sent to `origin`: the instance origin (given by the caller,
    /// from the current token set), `apiBase`'s origin, or one of `allowedOrigins`.
    pub(crate) fn origin_allowed(&self, origin: &Origin, instance: Option<&Origin>) -> bool {
        instance.is_some_and(|i| i == origin)
            || self.api_base.as_ref().is_some_and(|b| b.origin() == origin)
            || self.allowed_origins.iter().any(|o| o == origin)
    }
}

fn refuse_errors(findings: &[doctor::Finding]) -> Result<(), AuthError> {
    match findings.iter().find(|f| f.severity == Severity::Error) {
        Some(f) => Err(AuthError::InvalidConfig {
            field: f.field.to_owned(),
            reason: f.message.clone(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
#[path = "config_golden_tests.rs"]
mod golden_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn sf_options() -> ClientOptions {
        crate::core::testing::salesforce_options("3MVG9demo")
    }

    #[test]
    fn salesforce_config_defaults() {
        let c = ClientConfig::salesforce(&sf_options()).unwrap();
        assert_eq!(c.scopes, ["api", "refresh_token", "openid"]);
        assert_eq!(c.timeout_ms, 15_000);
        assert_eq!(c.pending_storage, PendingStorage::Session);
        assert_eq!(
            c.endpoints.token,
            "https://acme.my.salesforce.com/services/oauth2/token"
        );
        assert_eq!(c.profile().name(), "salesforce");
    }

    #[test]
    fn refuses_client_secret() {
        let o = ClientOptions {
            client_secret: Some("shh".into()),
            ..sf_options()
        };
        let e = ClientConfig::salesforce(&o).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert!(matches!(&e, AuthError::InvalidConfig { field, .. } if field == "clientSecret"));
        assert!(!e.to_string().contains("shh"));
    }

    #[test]
    fn refuses_login_salesforce_com_with_my_domain_advice() {
        let o = ClientOptions {
            login_host: Some("https://login.salesforce.com".into()),
            ..sf_options()
        };
        let e = ClientConfig::salesforce(&o).unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert!(e.to_string().contains("My Domain"), "{e}");
    }

    #[test]
    fn refuses_bad_pending_storage_and_missing_fields() {
        let o = ClientOptions {
            pending_storage: Some("cookie".into()),
            ..sf_options()
        };
        assert!(
            matches!(ClientConfig::salesforce(&o), Err(AuthError::InvalidConfig { field, .. }) if field == "pendingStorage")
        );
        let o = ClientOptions {
            client_id: None,
            ..sf_options()
        };
        assert!(
            matches!(ClientConfig::salesforce(&o), Err(AuthError::InvalidConfig { field, .. }) if field == "clientId")
        );
        let o = ClientOptions {
            redirect_uri: Some("https://app.example.com/cb#x".into()),
            ..sf_options()
        };
        assert!(
            matches!(ClientConfig::salesforce(&o), Err(AuthError::InvalidConfig { field, .. }) if field == "redirectUri")
        );
    }

    #[test]
    fn url_option_errors_name_the_field_once_with_an_example_of_it() {
        for (o, field, example) in [
            (
                ClientOptions {
                    redirect_uri: Some("/callback".into()),
                    ..sf_options()
                },
                "redirectUri",
                "https://app.example.com/callback",
            ),
            (
                ClientOptions {
                    login_host: Some("acme.my.salesforce.com".into()),
                    ..sf_options()
                },
                "loginHost",
                "https://NAME.my.salesforce.com",
            ),
        ] {
            let e = ClientConfig::salesforce(&o).unwrap_err();
            let m = e.message();
            assert_eq!(e.code(), "invalid_config");
            assert_eq!(m.matches(field).count(), 1, "{m}");
            assert_eq!(m.matches("invalid configuration").count(), 1, "{m}");
            assert!(m.contains(example), "{m}");
        }
    }

    #[test]
    fn each_generic_endpoint_that_does_not_parse_refuses_construction_naming_it() {
        // `Generic::endpoints` parses `jwksUri` alone: the doctor's review, which construction
        // runs first, refuses the other five (`endpoint_invalid`, `endpoint_missing`).
        type Set = fn(&mut ClientOptions, Option<String>);
        let setters: [(&str, Set); 6] = [
            ("authorizationEndpoint", |o, v| o.authorization_endpoint = v),
            ("tokenEndpoint", |o, v| o.token_endpoint = v),
            ("revocationEndpoint", |o, v| o.revocation_endpoint = v),
            ("userinfoEndpoint", |o, v| o.userinfo_endpoint = v),
            ("endSessionEndpoint", |o, v| o.end_session_endpoint = v),
            ("jwksUri", |o, v| o.jwks_uri = v),
        ];
        for (i, (name, set)) in setters.into_iter().enumerate() {
            // A line break too: a login's texts are split on them (`authorize::LoginTexts`).
            let bad = ["not a url", "https://a.example/\nb", "https://a.example/\r"];
            let mut values: Vec<_> = bad.map(|v| Some(v.to_owned())).into();
            if i < 2 {
                values.push(None);
            }
            for value in values {
                let mut o = crate::core::testing::generic_options();
                set(&mut o, value.clone());
                let e = ClientConfig::generic(&o).unwrap_err();
                assert!(
                    matches!(&e, AuthError::InvalidConfig { field, .. } if field == name),
                    "{name} {value:?}: {e:?}"
                );
            }
        }
    }

    #[test]
    fn generic_config_needs_endpoints() {
        let o = ClientOptions {
            client_id: Some("spa".into()),
            redirect_uri: Some("http://localhost:5173/callback".into()),
            issuer: Some("http://127.0.0.1:9000".into()),
            authorization_endpoint: Some("http://127.0.0.1:9000/auth".into()),
            token_endpoint: Some("http://127.0.0.1:9000/token".into()),
            api_base: Some("http://127.0.0.1:9001/api".into()),
            ..Default::default()
        };
        let c = ClientConfig::generic(&o).unwrap();
        assert_eq!(c.endpoints.revocation, None);
        let api = Origin::parse("http://127.0.0.1:9001", "x").unwrap();
        assert!(c.origin_allowed(&api, None));
        assert!(!c.origin_allowed(&Origin::parse("http://127.0.0.1:9002", "x").unwrap(), None));
        // The bearer's own origin (`instance`) is allowed; another instance is not.
        let other = Origin::parse("http://127.0.0.1:9003", "x").unwrap();
        assert!(c.origin_allowed(&other, Some(&other)));
        assert!(!c.origin_allowed(
            &Origin::parse("http://127.0.0.1:9004", "x").unwrap(),
            Some(&other)
        ));
        let o2 = ClientOptions {
            token_endpoint: None,
            ..o
        };
        assert!(
            matches!(ClientConfig::generic(&o2), Err(AuthError::InvalidConfig { field, .. }) if field == "tokenEndpoint")
        );
    }

    /// The field names serde's derive gives `T` (camelCase), read by a probing deserializer.
    fn serde_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
        use serde::de::{Error, Visitor, value::Error as E};
        struct Probe<'a>(&'a mut &'static [&'static str]);
        impl<'de> serde::Deserializer<'de> for Probe<'_> {
            type Error = E;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
                Err(E::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, E> {
                *self.0 = fields;
                Err(E::custom("probed"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(Probe(&mut fields));
        fields
    }

    #[test]
    fn js_field_names_match_the_structs_and_the_typings() {
        use crate::core::authorize::LoginOptions;
        use crate::core::end_session::LogoutOptions;
        use crate::core::method_options::{LOGIN, LOGOUT, POPUP, TABLE};
        use crate::core::popup::PopupOptions;
        fn names<T>(table: &[crate::core::option_table::OptionEntry<T>]) -> Vec<&'static str> {
            table.iter().map(|e| e.name).collect()
        }
        // Each struct's one option table lists exactly its fields (serde's camelCase names),
        // in order: an option missing from its table would be accepted and silently dropped.
        assert_eq!(
            serde_fields::<ClientOptions>(),
            names(ClientOptions::OPTIONS)
        );
        let of = |(from, to): (usize, usize)| names(&TABLE[from..to]);
        assert_eq!(serde_fields::<LoginOptions>(), of(LOGIN));
        assert_eq!(serde_fields::<LogoutOptions>(), of(LOGOUT));
        assert_eq!(serde_fields::<PopupOptions>(), of((LOGIN.1, POPUP.1)));
        let types = include_str!("../../js/types.d.ts");
        for name in names(ClientOptions::OPTIONS)
            .into_iter()
            .chain(names(TABLE))
        {
            let declared = [": ", "?: "]
                .iter()
                .any(|sep| types.contains(&format!("  {name}{sep}")));
            assert!(declared, "{name} is not declared in js/types.d.ts");
        }
    }

    #[test]
    fn every_client_option_is_in_the_api_guide() {
        // The options paragraph of docs/guides/api.md names each client option (a new option
        // forgotten there is documented nowhere but in the typings).
        let guide = include_str!("../../docs/guides/api.md");
        for entry in ClientOptions::OPTIONS {
            let quoted = ["`", entry.name, "`"].cat();
            assert!(
                guide.contains(&quoted),
                "{} is not in docs/guides/api.md",
                entry.name
            );
        }
    }
}
