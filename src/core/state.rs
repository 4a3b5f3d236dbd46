//! `state` and `nonce` values and the randomness a login needs, injected so tests are
//! deterministic (the browser fills it from `crypto.getRandomValues`).

#[allow(unused_imports)]
use crate::core::prelude::*;

use crate::core::base64url;
use subtle::ConstantTimeEq;

use crate::core::pkce::CodeVerifier;

/// The random bytes one login consumes: 32 each for verifier, state and nonce.
#[derive(Clone)]
pub struct LoginRandomness {
    /// Bytes for the PKCE verifier.
    pub verifier: [u8; 32],
    /// Bytes for `state`.
    pub state: [u8; 32],
    /// Bytes for `nonce`.
    pub nonce: [u8; 32],
}

impl LoginRandomness {
    /// Splits 96 random bytes.
    pub fn from_bytes(bytes: &[u8; 96]) -> Self {
        let mut r = LoginRandomness {
            verifier: [0; 32],
            state: [0; 32],
            nonce: [0; 32],
        };
        r.verifier.copy_from_slice(&bytes[..32]);
        r.state.copy_from_slice(&bytes[32..64]);
        r.nonce.copy_from_slice(&bytes[64..]);
        r
    }

    /// The verifier these bytes make.
    pub fn code_verifier(&self) -> CodeVerifier {
        CodeVerifier::from_random_bytes(&self.verifier)
    }
}

/// The CSRF `state` of one login (RFC 6749 §10.12): 32 random bytes, base64url.
#[derive(Clone, Eq)]
pub struct State(String);

/// The OpenID Connect `nonce` of one login: 32 random bytes, base64url.
#[derive(Clone, PartialEq, Eq)]
pub struct Nonce(String);

impl State {
    /// A state from 32 random bytes.
    pub fn from_random_bytes(bytes: &[u8; 32]) -> Self {
        State(base64url::encode(bytes))
    }
    /// Wraps a state read back from storage or a callback.
    pub fn new(value: impl Into<String>) -> Self {
        State(value.into())
    }
    /// The value (it goes in the authorize URL and the storage key).
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The value, owned.
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl State {
    /// Whether `other` is this state, compared in constant time.
    pub(crate) fn is(&self, other: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), other.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        // subtle's byte comparison over an index loop (what its slice `ct_eq` does over a
        // `zip`, an iterator adaptor the wasm keeps as its own code): every byte compared, each
        // through subtle's optimisation barrier.
        let mut same = subtle::Choice::from(1);
        let mut i = 0;
        while i < a.len() {
            same &= a[i].ct_eq(&b[i]);
            i += 1;
        }
        bool::from(same)
    }
}

impl PartialEq for State {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        self.is(&other.0)
    }
}

impl core::fmt::Debug for State {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("State([redacted])")
    }
}

impl Nonce {
    /// A nonce from 32 random bytes.
    pub fn from_random_bytes(bytes: &[u8; 32]) -> Self {
        Nonce(base64url::encode(bytes))
    }
    /// Wraps a nonce read back from storage.
    pub fn new(value: impl Into<String>) -> Self {
        Nonce(value.into())
    }
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Nonce {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Nonce([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_and_nonce_are_43_char_base64url() {
        let s = State::from_random_bytes(&[7; 32]);
        let n = Nonce::from_random_bytes(&[9; 32]);
        assert_eq!(s.as_str().len(), 43);
        assert_eq!(n.as_str().len(), 43);
        assert_ne!(s.as_str(), n.as_str());
        assert!(
            s.as_str()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn state_equality_is_exact() {
        assert_eq!(State::new("abc"), State::new("abc"));
        assert_ne!(State::new("abc"), State::new("abd"));
        assert_ne!(State::new("abc"), State::new("abcd"));
        assert_eq!(format!("{:?}", State::new("abc")), "State([redacted])");
    }

    /// `State::is` by an index loop answers as the slice `ct_eq` it replaced (with the length
    /// test before it), on equal, different and differently long states, the difference at
    /// every position.
    #[test]
    fn is_answers_as_the_slice_ct_eq_did() {
        let before =
            |a: &str, b: &str| a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()));
        let base = State::from_random_bytes(&[0x5a; 32]);
        let s = base.as_str();
        let mut others = vec![
            String::new(),
            s.to_owned(),
            s[..42].to_owned(),
            [s, "x"].concat(),
            "é".repeat(21),
        ];
        for i in 0..s.len() {
            let mut b = s.as_bytes().to_vec();
            b[i] ^= 1;
            others.push(String::from_utf8(b).unwrap());
        }
        for state in [State::new(""), State::new("a"), base] {
            for other in &others {
                assert_eq!(state.is(other), before(state.as_str(), other), "{other:?}");
            }
            assert!(state.is(state.as_str()));
        }
    }

    #[test]
    fn randomness_is_split_in_three() {
        let mut b = [0u8; 96];
        b[..32].fill(1);
        b[32..64].fill(2);
        b[64..].fill(3);
        let r = LoginRandomness::from_bytes(&b);
        assert_eq!((r.verifier[0], r.state[0], r.nonce[31]), (1, 2, 3));
    }
}
