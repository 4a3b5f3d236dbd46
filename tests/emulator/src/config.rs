//! Emulator configuration: one org, one connected app, two users.

use std::time::Duration;

/// A demo user.
#[derive(Debug, Clone)]
pub struct User {
    /// Login name.
    pub username: String,
    /// Password (demo only).
    pub password: String,
    /// 18-character user id (005…).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Email.
    pub email: String,
}

/// What the end-session endpoint (`/services/auth/idp/oidc/logout`) does after ending the
/// browser session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSession {
    /// As Salesforce documents it: front-channel single logout only; `post_logout_redirect_uri`,
    /// `state` and `id_token_hint` are ignored and the browser goes to the configured logout URL
    /// (the app's Single Logout URL or the org's Logout URL), else a "logged out" page.
    Salesforce,
    /// OpenID Connect RP-Initiated Logout 1.0: a registered `post_logout_redirect_uri` gets a
    /// redirect with `state`; `client_id` and `id_token_hint` are checked when sent.
    Oidc,
}

/// The app's DPoP setting (RFC 9449; Salesforce's "OAuth 2.0 DPoP" guide, docs/SALESFORCE.md
/// §8: per app, allowed by default, "Require DPoP" to insist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dpop {
    /// No DPoP at all: the `DPoP` header is ignored, every token is a Bearer token.
    Off,
    /// A token request with a valid proof gets DPoP-bound tokens; one without gets Bearer.
    Allowed,
    /// Every token request needs a valid proof ("Require DPoP").
    Required,
}

/// How id_tokens are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenAlg {
    /// RS256 with the key published at `/id/keys`, as Salesforce signs them.
    Rs256,
    /// HS256 with the app's secret (the emulator's old signing; for testing a client that
    /// refuses symmetric signatures).
    Hs256,
}

/// How the emulator behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The URL the emulator advertises (its My Domain): issuer, instance_url, identity host.
    pub public_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The app's consumer secret (not required; validated when sent).
    pub client_secret: String,
    /// Registered callback URLs (exact match).
    pub callbacks: Vec<String>,
    /// CORS allowlist (Setup > CORS).
    pub cors_origins: Vec<String>,
    /// "Enable CORS for OAuth endpoints" (off: behaves like login.salesforce.com for token/revoke).
    pub oauth_cors: bool,
    /// "Require PKCE".
    pub require_pkce: bool,
    /// Access-token (session) lifetime.
    pub access_token_ttl: Duration,
    /// Authorization-code lifetime (Salesforce: 15 minutes).
    pub code_ttl: Duration,
    /// Refresh-token rotation.
    pub rotate_refresh_tokens: bool,
    /// The connected app is installed in the org. Off: since Sept 2025 Salesforce blocks the
    /// users of an uninstalled app at the authorize redirect (`invalid_client`, docs/SALESFORCE.md §3).
    pub app_installed: bool,
    /// Refresh grants (logins that gave a refresh token) kept per user per app; issuing one more
    /// revokes the oldest with its access tokens (Salesforce: 5). 0 = unlimited.
    pub max_refresh_grants: usize,
    /// JWT-based access tokens (docs/SALESFORCE.md §4): the access token is a JWT and token responses carry
    /// `token_format: "jwt"`.
    pub jwt_access_tokens: bool,
    /// With JWT-based access tokens, `api_instance_url` for grants with the `sfap_api` scope
    /// (Salesforce: `https://api.salesforce.com`); `None`: the emulator's own `public_url`, which
    /// it serves, so loopback tests can call it.
    pub api_instance_url: Option<String>,
    /// REST query batch size (Salesforce: 2000).
    pub batch_size: usize,
    /// The end-session endpoint's behaviour (default: Salesforce's).
    pub end_session: EndSession,
    /// In `Salesforce` mode, where end-session redirects: the app's "Single Logout URL" or the
    /// org's Logout URL (Salesforce requires absolute https). `None`: the "logged out" page.
    pub logout_url: Option<String>,
    /// In `Oidc` mode, the registered `post_logout_redirect_uri` values (exact match).
    pub post_logout_uris: Vec<String>,
    /// Send `Cross-Origin-Opener-Policy: same-origin` on the authorize flow's HTML pages (login,
    /// consent, errors), as real providers do: a popup then loses its `window.opener`.
    pub coop: bool,
    /// DPoP (RFC 9449) for this app.
    pub dpop: Dpop,
    /// Demand a server nonce in DPoP proofs (`use_dpop_nonce`, RFC 9449 §8, §9).
    pub dpop_nonce: bool,
    /// CORS preflights allow the `DPoP` request header (off: a browser cannot send proofs).
    pub cors_dpop_header: bool,
    /// Methods CORS preflights allow beside the usual upper-case ones (`--cors-allow-method`:
    /// a server that allows `patch` as an app writes it; a browser compares them exactly).
    pub cors_extra_methods: Vec<String>,
    /// id_token signing.
    pub id_token_alg: IdTokenAlg,
    /// Expose `/__emulator/` (log, faults, expiry, reset).
    pub test_control: bool,
    /// The app's selected OAuth scopes.
    pub scopes: Vec<String>,
    /// The org id (00D…).
    pub org_id: String,
    /// Users.
    pub users: Vec<User>,
}

impl Config {
    /// Demo defaults for a server reachable at `public_url`.
    pub fn demo(public_url: &str) -> Self {
        Config {
            public_url: public_url.trim_end_matches('/').to_owned(),
            client_id: "3MVG9EMULATOR.demo.salesforce_pkce.client".into(),
            client_secret: "EMULATOR-SECRET-NOT-REQUIRED".into(),
            callbacks: vec!["http://localhost:8080/callback".into()],
            cors_origins: vec!["http://localhost:8080".into()],
            oauth_cors: true,
            require_pkce: true,
            access_token_ttl: Duration::from_secs(7200),
            code_ttl: Duration::from_secs(900),
            rotate_refresh_tokens: false,
            app_installed: true,
            max_refresh_grants: 5,
            jwt_access_tokens: false,
            api_instance_url: None,
            batch_size: 2000,
            end_session: EndSession::Salesforce,
            logout_url: None,
            post_logout_uris: Vec::new(),
            coop: false,
            dpop: Dpop::Off,
            dpop_nonce: false,
            cors_dpop_header: true,
            cors_extra_methods: Vec::new(),
            id_token_alg: IdTokenAlg::Rs256,
            test_control: false,
            scopes: [
                "api",
                "refresh_token",
                "offline_access",
                "openid",
                "id",
                "profile",
                "email",
                "address",
                "phone",
                "web",
                "full",
                "sfap_api",
            ]
            .map(String::from)
            .to_vec(),
            org_id: "00D5g00000DEMOAEAQ".into(),
            users: vec![
                User {
                    username: "ada@acme.demo".into(),
                    password: "demo-Ada-2026".into(),
                    id: "0055g00000ADAADAAQ".into(),
                    name: "Ada Admin".into(),
                    given_name: "Ada".into(),
                    family_name: "Admin".into(),
                    email: "ada@acme.demo".into(),
                },
                User {
                    username: "sam@acme.demo".into(),
                    password: "demo-Sam-2026".into(),
                    id: "0055g00000SAMSAMAQ".into(),
                    name: "Sam Sales".into(),
                    given_name: "Sam".into(),
                    family_name: "Sales".into(),
                    email: "sam@acme.demo".into(),
                },
            ],
        }
    }

    /// The origin part of `public_url`.
    pub fn public_origin(&self) -> String {
        origin_of(&self.public_url)
    }

    /// The identity URL of a user.
    pub fn identity_url(&self, user: &User) -> String {
        format!("{}/id/{}/{}", self.public_url, self.org_id, user.id)
    }
}

/// The origin part (`scheme://host[:port]`) of an absolute URL.
pub fn origin_of(url: &str) -> String {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find(['/', '?', '#']) {
        Some(p) => url[..after + p].to_owned(),
        None => url.to_owned(),
    }
}
