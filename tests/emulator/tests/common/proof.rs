//! DPoP proofs made the way a client makes them (p256 ECDSA, raw r||s), independently of the
//! emulator's code, and requests that carry them.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use reqwest::Response;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Emu;

pub const TOKEN: &str = "/services/oauth2/token";
pub const USERINFO: &str = "/services/oauth2/userinfo";
pub const REST: &str = "/services/data/v66.0/";

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A fresh `jti` (unique in this process).
pub fn jti() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "jti-{}-{}-{}",
        std::process::id(),
        now(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// `ath`: base64url(SHA-256(access token)).
pub fn ath(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes()))
}

/// A P-256 key with a fixed private scalar (so a test failure is reproducible).
pub struct Key {
    pub sk: SigningKey,
    pub x: String,
    pub y: String,
}

impl Key {
    pub fn new(seed: u8) -> Key {
        let sk = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
        let point = sk.verifying_key().to_encoded_point(false);
        Key {
            x: b64(point.x().unwrap()),
            y: b64(point.y().unwrap()),
            sk,
        }
    }

    pub fn jwk(&self) -> Value {
        json!({ "kty": "EC", "crv": "P-256", "x": self.x, "y": self.y })
    }

    /// RFC 7638 thumbprint, computed here (not by the emulator): SHA-256 of the required members
    /// in lexicographic order, no whitespace.
    pub fn jkt(&self) -> String {
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            self.x, self.y
        );
        b64(&Sha256::digest(canonical.as_bytes()))
    }

    /// The usual header for this key.
    pub fn header(&self) -> Value {
        json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk() })
    }

    /// Signs `header.claims` with this key (ES256, raw r||s).
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let sig: Signature = self.sk.sign(input.as_bytes());
        format!("{input}.{}", b64(&sig.to_bytes()))
    }

    /// The claims of a proof for `htm` `htu`, with `ath` and `nonce` when given.
    pub fn claims(htm: &str, htu: &str, token: Option<&str>, nonce: Option<&str>) -> Value {
        let mut c = json!({ "jti": jti(), "htm": htm, "htu": htu, "iat": now() });
        if let Some(t) = token {
            c["ath"] = json!(ath(t));
        }
        if let Some(n) = nonce {
            c["nonce"] = json!(n);
        }
        c
    }

    /// A valid proof for `htm` on the emulator's `path`.
    pub fn proof(&self, emu: &Emu, htm: &str, path: &str, token: Option<&str>) -> String {
        self.proof_n(emu, htm, path, token, None)
    }

    /// A valid proof carrying `nonce`.
    pub fn proof_n(
        &self,
        emu: &Emu,
        htm: &str,
        path: &str,
        token: Option<&str>,
        nonce: Option<&str>,
    ) -> String {
        let htu = format!("{}{path}", emu.base);
        self.sign(&self.header(), &Key::claims(htm, &htu, token, nonce))
    }
}

impl Emu {
    /// POST a form to `path`, with a `DPoP` header when `proof` is given.
    pub async fn post_dpop(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        proof: Option<&str>,
    ) -> Response {
        let proof = proof.map(|p| ("dpop", p));
        self.post_with(path, pairs, proof.as_slice()).await
    }

    /// The code exchange with an optional proof.
    pub async fn exchange_dpop(&self, code: &str, proof: Option<&str>) -> Response {
        let cid = self.app.config.client_id.clone();
        let verifier = super::pkce().0;
        let pairs = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", cid.as_str()),
            ("redirect_uri", super::CALLBACK),
            ("code_verifier", verifier.as_str()),
        ];
        self.post_dpop(TOKEN, &pairs, proof).await
    }

    /// A refresh with an optional proof.
    pub async fn refresh_dpop(&self, refresh_token: &str, proof: Option<&str>) -> Response {
        let cid = self.app.config.client_id.clone();
        let pairs = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", cid.as_str()),
        ];
        self.post_dpop(TOKEN, &pairs, proof).await
    }

    /// A login whose code exchange carries a proof by `key`; the token response.
    pub async fn dpop_tokens(&self, key: &Key) -> Value {
        let code = self.code(&[]).await;
        let proof = key.proof(self, "POST", TOKEN, None);
        let r = self.exchange_dpop(&code, Some(&proof)).await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// GET `path` with `Authorization: <authorization>` and an optional proof.
    pub async fn get_auth(&self, path: &str, authorization: &str, proof: Option<&str>) -> Response {
        let mut r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("authorization", authorization);
        if let Some(p) = proof {
            r = r.header("dpop", p);
        }
        r.send().await.unwrap()
    }

    /// GET `path` as a DPoP client does: `Authorization: DPoP <token>` and a proof by `key`.
    pub async fn get_dpop(&self, path: &str, token: &str, key: &Key) -> Response {
        let proof = key.proof(self, "GET", path, Some(token));
        self.get_auth(path, &format!("DPoP {token}"), Some(&proof))
            .await
    }

    /// Introspection with the app's credentials.
    pub async fn introspect(&self, token: &str) -> Value {
        let cid = self.app.config.client_id.clone();
        let secret = self.app.config.client_secret.clone();
        let pairs = [
            ("token", token),
            ("client_id", &cid),
            ("client_secret", &secret),
        ];
        let r = self
            .post_dpop("/services/oauth2/introspect", &pairs, None)
            .await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

/// A response's header as text ("" when absent).
pub fn header(r: &Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The OAuth `error` of a JSON error answer.
pub async fn error_of(r: Response) -> String {
    let v: Value = r.json().await.unwrap();
    v["error"].as_str().unwrap_or_default().to_owned()
}
