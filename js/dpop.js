// WebCrypto for DPoP (RFC 9449) and id_token signatures; only the salesforce-pkce/dpop and
// salesforce-pkce/tabs entries load this. Rust builds every proof's signing input and decides
// everything; this file only makes the key, signs (appending the signature, base64url, to the
// signing input it was given), and verifies.
//
// The private key is made with extractable: false, so no script (ours included) can ever read
// it: exportKey refuses it. It lives in this page's (or the session worker's) memory only; a
// same-origin tab may receive the CryptoKey object itself by structured clone, never its bits.
import { describe, live } from "./executor.js";

// ES256: ECDSA P-256 with SHA-256, one dictionary for making, importing, signing and verifying
// (each WebCrypto call reads the members it takes and ignores the others, as WebIDL dictionaries
// do).
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const bytes = (text) => new TextEncoder().encode(text);

// A new P-256 key pair and its public coordinates: the promise of { pair, x, y }; given such a
// key (k), its public coordinates "x\ny" instead (in the ./dpop entry no other key comes in;
// ./tabs checks a key another tab posts with tabs.js's receivedKey): one import for both. A
// failure rejects with its description (executor.js), never more (a message may echo data);
// the body runs in an async arrow, so a sync throw rejects too (as in dpopSign).
export const dpopKey = (k) => k ? `${k.x}\n${k.y}` : (async () => {
  const pair = await crypto.subtle.generateKey(EC, false, ["sign"]);
  const { x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { pair, x, y };
})().catch((e) => { throw describe(e); });

// The DPoP proof of a signing input (the wasm built it): the input, ".", and its ES256 signature
// (r || s, 64 bytes: 86 base64 characters before the "==" cut off) base64url; given the
// client's `dispatch`, auth.fetch's headers "DPoP access\nproof\nstate" (the form the
// executor's `authorized` reads). A failure rejects
// with its description or, given `dispatch`, with the AuthError the wasm makes of it
// (dispatch 19; not_initialized when the client was freed meanwhile).
export const dpopSign = (key, input, access, state, dispatch) => (async () => {
  const proof = input + "." + btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign(EC, key.pair.privateKey, bytes(input)))))
    .slice(0, 86).replace(/\+/g, "-").replace(/\//g, "_");
  return dispatch ? `DPoP ${access}\n${proof}\n${state}` : proof;
})().catch((e) => { throw dispatch ? live(dispatch, true)(19, 0, 0, describe(e)) : describe(e); });

// Whether `signature` over `input` verifies with the public key `kty`, true or false (only
// WebCrypto's true is true: a shimmed verify's "false" or 1 is false): `a`
// and `b` are RSA's n and e (RS256), or EC's x and y (ES256; the Rust side pairs each alg with
// its key type).
export async function verifyJws(kty, a, b, input, signature) {
  // A view into wasm memory: copied before the first await (memory may grow meanwhile).
  const sig = signature.slice();
  const es = kty === "EC";
  const alg = es ? EC : RS256;
  const jwk = es ? { kty, crv: "P-256", x: a, y: b } : { kty, n: a, e: b };
  const key = await crypto.subtle.importKey("jwk", jwk, alg, false, ["verify"]);
  return (await crypto.subtle.verify(alg, key, sig, bytes(input))) === true;
}
