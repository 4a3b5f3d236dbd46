//! All mutable state, in one struct behind one lock.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde::Serialize;

use crate::config::{Config, User};
use crate::data::Record;

/// A pending authorize request waiting for the login form or the consent page.
#[derive(Debug, Clone)]
pub struct AuthRequest {
    /// Client id.
    pub client_id: String,
    /// Redirect URI (validated).
    pub redirect_uri: String,
    /// `state` to echo.
    pub state: Option<String>,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// PKCE challenge (S256).
    pub code_challenge: Option<String>,
    /// OpenID nonce.
    pub nonce: Option<String>,
    /// `prompt=consent` was asked.
    pub force_consent: bool,
    /// `login_hint`.
    pub login_hint: String,
    /// `dpop_jkt` (RFC 9449 §10): the code is bound to this key thumbprint.
    pub dpop_jkt: Option<String>,
    /// When it was created.
    pub created: Instant,
}

/// An issued authorization code.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    /// The request it answers.
    pub request: AuthRequest,
    /// Index of the user in `Config::users`.
    pub user: usize,
    /// Issue time.
    pub issued: Instant,
    /// Already exchanged.
    pub used: bool,
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct AccessInfo {
    /// User index.
    pub user: usize,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Refresh-token family it came from, if any.
    pub family: Option<u64>,
    /// Expiry.
    pub expires: Instant,
    /// Issue time, seconds since the epoch (introspection's `iat`).
    pub issued_s: u64,
    /// Revoked.
    pub revoked: bool,
    /// DPoP binding: the RFC 7638 thumbprint of the key (`cnf.jkt`).
    pub jkt: Option<String>,
}

/// An issued refresh token.
#[derive(Debug, Clone)]
pub struct RefreshInfo {
    /// User index.
    pub user: usize,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Family: every refresh token rotated from one login shares it.
    pub family: u64,
    /// The client it was issued to (a refresh by another client is refused).
    pub client_id: String,
    /// Still usable.
    pub active: bool,
    /// Replaced by rotation (reuse revokes the family).
    pub rotated: bool,
    /// DPoP binding: a refresh needs a proof with this key (RFC 9449 §5).
    pub jkt: Option<String>,
}

/// One line of the request log (never a token, code or body).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// Sequence number.
    pub seq: u64,
    /// Milliseconds since the epoch.
    pub time: u128,
    /// HTTP method.
    pub method: String,
    /// Path (no query string).
    pub path: String,
    /// `grant_type` of token requests.
    pub grant_type: Option<String>,
    /// End-session requests only: where an `id_token_hint` came (`query`, `body` or
    /// `query+body`), never its value; absent from other entries and when none was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_hint: Option<&'static str>,
    /// The `Authorization` scheme (`Bearer`, `DPoP`, `OAuth`, `Basic`, `other`), never its value.
    pub auth_scheme: Option<&'static str>,
    /// Whether a `DPoP` proof header came (never its value).
    pub dpop: bool,
    /// Token endpoint: the `token_type` issued (`Bearer` or `DPoP`); absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// Response status (0 for a dropped connection).
    pub status: u16,
    /// Request Origin header, if any.
    pub origin: Option<String>,
    /// Whether the request carried an `Authorization: Bearer` header (never its value): the
    /// E2E leak audits check that a token is only ever presented where it belongs.
    pub bearer: bool,
}

/// An injected fault for the next `count` calls of an endpoint group.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// `authorize`, `token`, `revoke`, `userinfo`, `identity`, `rest` or `logout`.
    pub endpoint: String,
    /// How many calls (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Answer with this status instead of the real handler.
    pub status: Option<u16>,
    /// Body for `status` (default: a Salesforce-like error page).
    pub body: Option<String>,
    /// A `Location` header for `status` (a 307 or 308 that sends the client elsewhere).
    pub location: Option<String>,
    /// Delay before answering (or before the real handler).
    #[serde(default)]
    pub delay_ms: u64,
    /// Drop the connection (the client sees a network error).
    #[serde(default)]
    pub drop: bool,
}

fn one() -> u32 {
    1
}

/// A query cursor for `nextRecordsUrl`.
#[derive(Debug, Clone)]
pub struct Cursor {
    /// Remaining matched records (all of them; offset selects).
    pub records: Vec<Record>,
    /// Selected fields.
    pub fields: Vec<String>,
    /// API version of the original query.
    pub version: String,
}

/// Everything that changes.
#[derive(Debug, Default)]
pub struct Inner {
    /// Authorize requests awaiting login/consent, by id.
    pub requests: HashMap<String, AuthRequest>,
    /// Session cookie → user index.
    pub sessions: HashMap<String, usize>,
    /// (user, client) pairs that approved the app.
    pub consents: HashSet<(usize, String)>,
    /// Codes.
    pub codes: HashMap<String, CodeGrant>,
    /// Access tokens.
    pub access: HashMap<String, AccessInfo>,
    /// Refresh tokens.
    pub refresh: HashMap<String, RefreshInfo>,
    /// Next family id.
    pub next_family: u64,
    /// Request log.
    pub log: Vec<LogEntry>,
    /// Next log sequence number.
    pub next_seq: u64,
    /// Pending faults.
    pub faults: Vec<Fault>,
    /// Query cursors.
    pub cursors: HashMap<String, Cursor>,
    /// DPoP server nonce and replay cache.
    pub dpop: crate::sender::DpopState,
}

impl Inner {
    /// Revokes every refresh token of a family (one login and its rotations) and every access
    /// token issued from them.
    pub fn revoke_family(&mut self, family: u64) {
        self.refresh
            .values_mut()
            .filter(|r| r.family == family)
            .for_each(|r| r.active = false);
        self.access
            .values_mut()
            .filter(|a| a.family == Some(family))
            .for_each(|a| a.revoked = true);
    }

    /// Makes room for one more refresh grant of `user` for `client_id`: while `max` (> 0) or
    /// more of their grants (families with a live refresh token) are alive, revokes the oldest
    /// with its access tokens. Salesforce keeps at most 5 per user per app (docs/SALESFORCE.md §4).
    pub fn make_room_for_grant(&mut self, user: usize, client_id: &str, max: usize) {
        if max == 0 {
            return;
        }
        let mut live: Vec<u64> = self
            .refresh
            .values()
            .filter(|r| r.active && r.user == user && r.client_id == client_id)
            .map(|r| r.family)
            .collect();
        live.sort_unstable();
        live.dedup();
        let excess = (live.len() + 1).saturating_sub(max);
        for family in live.into_iter().take(excess) {
            self.revoke_family(family);
        }
    }
}

/// The emulator: configuration, seeded data and state.
pub struct App {
    /// Configuration.
    pub config: Config,
    /// Seeded records (Accounts and Contacts).
    pub data: Vec<Record>,
    inner: Mutex<Inner>,
}

/// Shared handle.
pub type Shared = Arc<App>;

impl App {
    /// A new emulator.
    pub fn new(config: Config) -> Shared {
        Arc::new(App {
            data: crate::data::seed(),
            config,
            inner: Mutex::new(Inner::default()),
        })
    }

    /// Locks the state (a poisoned lock is recovered: state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A user by index.
    pub fn user(&self, i: usize) -> &User {
        &self.config.users[i]
    }

    /// The live access token's info: known, not revoked, not expired.
    pub fn access(&self, token: &str) -> Option<AccessInfo> {
        let s = self.lock();
        s.access
            .get(token)
            .filter(|a| !a.revoked && a.expires > Instant::now())
            .cloned()
    }

    /// Resets all state except configuration and data.
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }
}
