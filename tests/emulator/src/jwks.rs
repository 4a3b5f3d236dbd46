//! The id_token signing key and `GET /id/keys` (its JWKS), as Salesforce publishes its keys
//! (docs/SALESFORCE.md §2: `jwks_uri` `…/id/keys`, CORS always on).
//!
//! The key is a fixed 2048-bit RSA test key embedded in the emulator (`id_token_key.pem`): this
//! is a test double, and generating a key at every start would cost seconds in a debug build.
//! It signs nothing but the emulator's own id_tokens.

use std::sync::OnceLock;

use axum::response::{IntoResponse, Response};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::util::b64url;

/// The key id in id_token headers and in the JWKS.
pub const KID: &str = "sf-emulator-rs256-1";

/// The test key (PKCS#8 PEM).
const PEM: &str = include_str!("id_token_key.pem");

/// The id_token key pair.
pub struct IdKey {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    jwk: Value,
}

/// The key, parsed once per process.
pub fn key() -> &'static IdKey {
    static KEY: OnceLock<IdKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let private = RsaPrivateKey::from_pkcs8_pem(PEM).expect("the embedded test key parses");
        let public = private.to_public_key();
        let jwk = json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
            "n": b64url(&public.n().to_bytes_be()), "e": b64url(&public.e().to_bytes_be()),
        });
        IdKey {
            verifying: VerifyingKey::new(public),
            signing: SigningKey::new(private),
            jwk,
        }
    })
}

impl IdKey {
    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message` (RS256).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing.sign(message).to_vec()
    }

    /// Whether `signature` is this key's RS256 signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        Signature::try_from(signature).is_ok_and(|s| self.verifying.verify(message, &s).is_ok())
    }
}

/// `GET /id/keys` (and `/services/oauth2/id/keys`): the JWKS with the public key.
pub async fn keys() -> Response {
    axum::Json(json!({ "keys": [key().jwk.clone()] })).into_response()
}
