//! PKCE code verifier and S256 challenge ([RFC 7636](https://www.rfc-editor.org/rfc/rfc7636)).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::base64url;

use crate::core::error::AuthError;
use crate::core::text::decimal;

/// A PKCE code verifier (RFC 7636 §4.1): 43–128 characters of `[A-Za-z0-9-._~]`.
///
/// Deliberately not `Clone`: one verifier serves one login. `Debug` is redacted.
#[derive(PartialEq, Eq)]
pub struct CodeVerifier(String);

impl core::fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

impl CodeVerifier {
    /// A verifier from 32 random bytes: 43 characters of base64url without padding (RFC 7636 §4.1).
    pub fn from_random_bytes(bytes: &[u8; 32]) -> Self {
        CodeVerifier(base64url::encode(bytes))
    }

    /// Validates a verifier from elsewhere (a stored pending login, or a caller).
    pub fn parse(value: &str) -> Result<Self, AuthError> {
        if !matches!(value.len(), 43..=128) {
            return Err(AuthError::config(
                "codeVerifier",
                [
                    concat!(
                        aside!("must be 43 to 128 characters long", " (RFC 7636 §4.1)"),
                        ", got "
                    ),
                    &decimal(value.len() as u64),
                ]
                .cat(),
            ));
        }
        if !value.all_bytes(is_unreserved) {
            return Err(AuthError::config(
                "codeVerifier",
                explained!("may contain only A-Z a-z 0-9 - . _ ~", " (RFC 7636 §4.1)"),
            ));
        }
        Ok(CodeVerifier(value.to_owned()))
    }

    /// A verifier read back from a stored record: `None` unless it has the RFC 7636 §4.1 form.
    pub(crate) fn from_stored(value: String) -> Option<Self> {
        (matches!(value.len(), 43..=128) && value.all_bytes(is_unreserved))
            .then_some(CodeVerifier(value))
    }

    /// The S256 challenge: `BASE64URL(SHA256(ASCII(verifier)))` (RFC 7636 §4.2).
    pub fn s256_challenge(&self) -> String {
        sha256_base64url(self.0.as_bytes())
    }

    /// The verifier value.
    ///
    /// # Security Warning
    /// Send it only in the token request; never log it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// base64url (no padding) of SHA-256 of `data`: the S256 challenge, and DPoP's thumbprint and
/// `ath`.
pub(crate) fn sha256_base64url(data: &[u8]) -> String {
    base64url::encode(sha256(data))
}

/// SHA-256 of `data` (FIPS 180-4): the padding written here over `sha2`'s block function, not
/// `Digest`'s buffered hasher (smaller in the wasm; `sha256_agrees_with_digest` compares them).
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let whole = data.len() / 64 * 64;
    blocks(&mut state, &data[..whole]);
    // The rest, the `0x80` byte, zeros and the length in bits: one block or two.
    let rest = &data[whole..];
    let mut last = [0u8; 128];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    let end = if rest.len() < 56 { 64 } else { 128 };
    // The length in bits big-endian, byte by byte (as the words below).
    let bits = data.len() as u64 * 8;
    let mut k = 0;
    while k < 8 {
        last[end - 1 - k] = (bits >> (8 * k)) as u8;
        k += 1;
    }
    blocks(&mut state, &last[..end]);
    // The words big-endian, one byte at a time (a loop over words and `to_be_bytes` is
    // unrolled into eight byte swaps in the wasm).
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (state[i / 4] >> (24 - 8 * (i % 4))) as u8;
        i += 1;
    }
    out
}

/// Runs SHA-256's block function over `data` (a multiple of 64 bytes).
fn blocks(state: &mut [u32; 8], data: &[u8]) {
    for block in data.chunks_exact(64) {
        sha2::compress256(
            state,
            core::slice::from_ref(sha2::digest::generic_array::GenericArray::from_slice(block)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn sha256_agrees_with_digest() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in 0..data.len() {
            let want: [u8; 32] = Sha256::digest(&data[..n]).into();
            assert_eq!(sha256(&data[..n]), want, "length {n}");
        }
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        let v = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            v.s256_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn rfc7636_appendix_b_bytes_give_the_vector_verifier() {
        let bytes: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(
            CodeVerifier::from_random_bytes(&bytes).secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn random_verifier_has_the_rfc_form() {
        let v = CodeVerifier::from_random_bytes(&[0xff; 32]);
        assert_eq!(v.secret().len(), 43);
        assert!(CodeVerifier::parse(v.secret()).is_ok());
    }

    #[test]
    fn rejects_short_long_and_reserved_verifiers() {
        for bad in [
            "a".repeat(42),
            "a".repeat(129),
            format!("{}+", "a".repeat(42)),
            format!("{}=", "a".repeat(43)),
        ] {
            assert_eq!(
                CodeVerifier::parse(&bad).unwrap_err().code(),
                "invalid_config"
            );
        }
        assert!(CodeVerifier::parse(&"~".repeat(128)).is_ok());
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", CodeVerifier::from_random_bytes(&[1; 32])),
            "CodeVerifier([redacted])"
        );
    }
}
