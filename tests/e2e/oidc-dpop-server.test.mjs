// The DPoP (RFC 9449) side of tests/e2e/oidc-server.mjs checked without our client: a node-side
// DPoP client (WebCrypto P-256 key, proofs signed with jose) runs the authorization-code + PKCE
// flow headlessly through oidc-provider's devInteractions, then calls the token endpoint, the
// resource server and userinfo, with both nonce dances, and checks what must be refused.
// Run: node --test tests/e2e/oidc-dpop-server.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { startOidc } from "./oidc-server.mjs";

// Nothing is ever fetched from the app's origin: only its /callback URL is compared.
const origin = "http://127.0.0.1:1";
const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const sha256 = (text) => createHash("sha256").update(text).digest("base64url");

/** A non-extractable P-256 signing key and its public JWK, as a browser would hold it. */
async function newKey() {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", publicKey);
  const jwk = { kty, crv, x, y };
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

/** A DPoP proof for `htm` `htu`; `token` adds ath; `claims` overrides or (undefined) drops claims. */
function proof(key, htm, htu, { token, nonce, claims = {} } = {}) {
  const payload = { htm, htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...(token ? { ath: sha256(token) } : {}), ...(nonce ? { nonce } : {}), ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk }).sign(key.privateKey);
}

/** Is this answer a server asking for a DPoP nonce (token endpoint: 400 body; resources: 401 header)? */
async function asksNonce(r) {
  if (!r.headers.get("dpop-nonce")) return false;
  if (r.status === 401) return /^DPoP\b.*error="use_dpop_nonce"/.test(r.headers.get("www-authenticate") || "");
  if (r.status === 400) return (await r.clone().json().catch(() => ({}))).error === "use_dpop_nonce";
  return false;
}

/** A DPoP client: one key, the last nonce per server origin, and how many nonce dances it did. */
function dpopClient(key) {
  const nonces = new Map();
  const client = {
    key, nonces, dances: 0,
    /** fetch with a fresh proof (ath when `token`); one retry when the server asks for a nonce. */
    async fetch(url, { method = "GET", token, headers = {}, body } = {}) {
      const u = new URL(url);
      const htu = `${u.origin}${u.pathname}`;
      for (let attempt = 0; ; attempt++) {
        const dpop = await proof(key, method, htu, { token, nonce: nonces.get(u.origin) });
        const r = await fetch(url, { method, body, headers: { ...headers, ...(token ? { authorization: `DPoP ${token}` } : {}), dpop } });
        const asked = await asksNonce(r);
        if (r.headers.get("dpop-nonce")) nonces.set(u.origin, r.headers.get("dpop-nonce"));
        if (!asked || attempt > 0) return r;
        client.dances++;
      }
    },
  };
  return client;
}

/** A tiny cookie jar: name+path -> value, sent where the path matches. */
function cookieJar() {
  const jar = new Map();
  return {
    store(r) {
      for (const line of r.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(";").map((s) => s.trim());
        const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
        const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) || "/";
        const gone = !value || attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
        if (gone) jar.delete(`${name};${path}`);
        else jar.set(`${name};${path}`, { name, value, path });
      }
    },
    header(url) {
      const { pathname } = new URL(url);
      return [...jar.values()].filter((c) => pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join("; ");
    },
  };
}

const unescapeHtml = (s) => s.replace(/&amp;/g, "&").replace(/&#x2F;|&#47;/g, "/").replace(/&quot;/g, '"');

/** Authorization code + PKCE through devInteractions (login form, then consent) by hand. */
async function authorize(oidc, login = "alice") {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(8));
  const jar = cookieJar();
  let url = `${oidc.issuer}/auth?${new URLSearchParams({
    client_id: "spa", response_type: "code", redirect_uri: `${origin}/callback`, scope: "openid offline_access profile",
    prompt: "consent", state, code_challenge: sha256(verifier), code_challenge_method: "S256",
  })}`;
  let init = {};
  for (let step = 0; step < 12; step++) {
    const r = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: jar.header(url) } });
    jar.store(r);
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get("location"), url).href;
      init = {};
      if (url.startsWith(`${origin}/callback`)) {
        const params = new URL(url).searchParams;
        assert.equal(params.get("state"), state);
        assert.ok(params.get("code"), `no code in the callback: ${[...params.keys()]}`);
        return { code: params.get("code"), verifier };
      }
      continue;
    }
    const html = await r.text();
    assert.equal(r.status, 200, `interaction page: ${r.status}`);
    const action = unescapeHtml(html.match(/<form[^>]*action="([^"]+)"/)[1]);
    const prompt = html.match(/name="prompt" value="(\w+)"/)[1];
    url = new URL(action, url).href;
    init = {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt }).toString(),
    };
  }
  throw new Error("authorization did not reach the callback");
}

const form = (fields) => ({ headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: new URLSearchParams(fields).toString() });
const codeGrant = ({ code, verifier }) => ({ grant_type: "authorization_code", code, redirect_uri: `${origin}/callback`, client_id: "spa", code_verifier: verifier });
const refreshGrant = (refreshToken) => ({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "spa" });

test("DPoP with nonces: code + PKCE, token and resource nonce dances, refresh, userinfo, refusals", async () => {
  const oidc = await startOidc(origin, { dpop: true, dpopNonce: true });
  try {
    const client = dpopClient(await newKey());
    const tokenUrl = `${oidc.issuer}/token`;
    const grant = await authorize(oidc);

    // Token endpoint: the first proof has no nonce, oidc-provider answers 400 use_dpop_nonce.
    const r = await client.fetch(tokenUrl, { method: "POST", ...form(codeGrant(grant)) });
    assert.equal(r.status, 200, JSON.stringify(await r.clone().json()));
    assert.equal(client.dances, 1, "one nonce dance at the token endpoint");
    const codeTries = oidc.log.filter((e) => e.path === "/token" && e.grantType === "authorization_code");
    assert.deepEqual(codeTries.map((e) => [e.status, e.error, e.dpop]), [[400, "use_dpop_nonce", true], [200, null, true]]);
    const expose = r.headers.get("access-control-expose-headers").toLowerCase();
    assert.ok(expose.includes("dpop-nonce") && expose.includes("www-authenticate"), expose);
    assert.equal(r.headers.get("access-control-allow-origin"), origin);
    const tokens = await r.json();
    assert.equal(tokens.token_type, "DPoP");
    const info = await oidc.introspect(tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.cnf?.jkt, client.key.jkt, "the access token is bound to our key");
    assert.equal((await oidc.introspect(tokens.refresh_token)).cnf?.jkt, client.key.jkt, "so is the public client's refresh token");

    // The id_token: RS256, signed with a key from the provider's JWKS (which has CORS for us).
    const header = decodeProtectedHeader(tokens.id_token);
    assert.equal(header.alg, "RS256");
    const discovery = await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.jwks_uri, oidc.jwksUri);
    const jwks = await fetch(oidc.jwksUri, { headers: { origin } });
    assert.equal(jwks.headers.get("access-control-allow-origin"), origin);
    assert.ok((await jwks.json()).keys.some((k) => k.kid === header.kid));
    const { payload: idt } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(oidc.jwksUri)), { issuer: oidc.issuer, audience: "spa" });
    assert.equal(idt.sub, "alice");

    // Resource server: its own nonce, a second dance.
    const whoami = `${oidc.api}/whoami`;
    const call = () => client.fetch(whoami, { token: tokens.access_token });
    let res = await call();
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { sub: "alice", scope: "openid offline_access profile" });
    assert.equal(client.dances, 2, "one nonce dance at the resource server");
    const apiEntries = oidc.log.filter((e) => e.path === "api/whoami");
    assert.deepEqual(apiEntries.map((e) => [e.status, e.scheme, e.dpop, e.proof]), [[401, "DPoP", true, "no_nonce"], [200, "DPoP", true, "ok"]]);
    assert.ok(!JSON.stringify(oidc.log).includes(tokens.access_token), "no token in the log");
    assert.equal((await call()).status, 200);
    assert.equal(client.dances, 2, "the nonce is kept");

    // A rotated resource nonce forces another dance; the provider's nonce is a different one.
    await fetch(`${oidc.api}/rotate-nonce`, { method: "POST" });
    res = await call();
    assert.equal(res.status, 200);
    assert.equal(client.dances, 3);
    assert.notEqual(client.nonces.get(new URL(oidc.api).origin), client.nonces.get(new URL(oidc.issuer).origin));

    // The refusals, each with the current resource nonce so that only one thing is wrong.
    const apiNonce = () => client.nonces.get(new URL(oidc.api).origin);
    const raw = (headers) => fetch(whoami, { headers });
    const refused = async (r, error, proofResult) => {
      assert.equal(r.status, 401);
      assert.match(r.headers.get("www-authenticate"), new RegExp(`^DPoP error="${error}"`));
      assert.equal(oidc.log.findLast((e) => e.path === "api/whoami").proof, proofResult);
    };
    const good = await proof(client.key, "GET", whoami, { token: tokens.access_token, nonce: apiNonce() });
    assert.equal((await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: good })).status, 200);
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: good }), "invalid_dpop_proof", "replay");
    await refused(await raw({ authorization: `Bearer ${tokens.access_token}` }), "invalid_token", "bearer_for_bound");
    const other = await newKey();
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(other, "GET", whoami, { token: tokens.access_token, nonce: apiNonce() }) }), "invalid_dpop_proof", "wrong_key");
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(client.key, "GET", whoami, { nonce: apiNonce() }) }), "invalid_dpop_proof", "bad_ath");
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(client.key, "POST", whoami, { token: tokens.access_token, nonce: apiNonce() }) }), "invalid_dpop_proof", "bad_htm");
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(client.key, "GET", `${oidc.api}/other`, { token: tokens.access_token, nonce: apiNonce() }) }), "invalid_dpop_proof", "bad_htu");
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: await proof(client.key, "GET", whoami, { token: tokens.access_token, nonce: apiNonce(), claims: { iat: Math.floor(Date.now() / 1000) - 120 } }) }), "invalid_dpop_proof", "bad_iat");
    await refused(await raw({ authorization: `DPoP ${tokens.access_token}` }), "invalid_dpop_proof", "missing");
    // htu compares without the query; the log keeps the path as requested.
    const q = await fetch(`${whoami}?x=1`, { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: await proof(client.key, "GET", whoami, { token: tokens.access_token, nonce: apiNonce() }) } });
    assert.equal(q.status, 200);
    assert.equal(oidc.log.findLast((e) => e.path.startsWith("api/")).path, "api/whoami?x=1");
    const pre = await fetch(whoami, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization, dpop" } });
    assert.match(pre.headers.get("access-control-allow-headers"), /\bdpop\b/);
    assert.equal((await raw({ authorization: `DPoP ${tokens.access_token}`, dpop: good })).headers.get("access-control-expose-headers"), "DPoP-Nonce, WWW-Authenticate");

    // Refresh with a proof from the same key: a new DPoP access token. oidc-provider does not
    // rotate a sender-constrained refresh token of a public client (its rotateRefreshToken default).
    res = await client.fetch(tokenUrl, { method: "POST", ...form(refreshGrant(tokens.refresh_token)) });
    assert.equal(res.status, 200);
    const refreshed = await res.json();
    assert.equal(refreshed.token_type, "DPoP");
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.refresh_token, tokens.refresh_token, "bound refresh token not rotated");
    assert.equal((await oidc.introspect(refreshed.access_token)).cnf?.jkt, client.key.jkt);
    // The refresh token is bound: another key's proof is refused (and the token stays usable).
    const thief = dpopClient(other);
    thief.nonces.set(new URL(oidc.issuer).origin, client.nonces.get(new URL(oidc.issuer).origin));
    res = await thief.fetch(tokenUrl, { method: "POST", ...form(refreshGrant(tokens.refresh_token)) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, "invalid_grant");
    // Without a proof at all, oidc-provider refuses a bound refresh token too.
    res = await fetch(tokenUrl, { method: "POST", ...form(refreshGrant(tokens.refresh_token)) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, "invalid_grant");

    // Userinfo with Authorization: DPoP and a proof (the provider's nonce, already known).
    const dancesBefore = client.dances;
    res = await client.fetch(`${oidc.issuer}/me`, { token: refreshed.access_token, headers: { origin } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).sub, "alice");
    assert.equal(client.dances, dancesBefore, "the provider's nonce from the token endpoint serves userinfo");
    // Userinfo refuses the bound token as Bearer, with a DPoP challenge a browser can read.
    res = await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${refreshed.access_token}`, origin } });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate"), /^DPoP .*error="invalid_token"/);
    assert.match(res.headers.get("access-control-expose-headers"), /WWW-Authenticate/);
    // Userinfo without a nonce: 401 use_dpop_nonce in WWW-Authenticate, and a DPoP-Nonce.
    res = await fetch(`${oidc.issuer}/me`, { headers: { authorization: `DPoP ${refreshed.access_token}`, dpop: await proof(client.key, "GET", `${oidc.issuer}/me`, { token: refreshed.access_token }), origin } });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate"), /^DPoP .*error="use_dpop_nonce"/);
    assert.ok(res.headers.get("dpop-nonce"));

    // The /expire control still works for DPoP tokens: the ones the API has seen.
    assert.equal((await client.fetch(whoami, { token: refreshed.access_token })).status, 200);
    await fetch(`${oidc.api}/expire`, { method: "POST" });
    res = await client.fetch(whoami, { token: refreshed.access_token });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate"), /^DPoP error="invalid_token"/);
  } finally {
    oidc.stop();
  }
});

test("DPoP without nonces: no dance at either server", async () => {
  const oidc = await startOidc(origin, { dpop: true });
  try {
    const client = dpopClient(await newKey());
    const r = await client.fetch(`${oidc.issuer}/token`, { method: "POST", ...form(codeGrant(await authorize(oidc, "bob"))) });
    assert.equal(r.status, 200);
    const tokens = await r.json();
    assert.equal(tokens.token_type, "DPoP");
    assert.equal(r.headers.get("dpop-nonce"), null);
    const res = await client.fetch(`${oidc.api}/whoami`, { token: tokens.access_token });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("dpop-nonce"), null);
    assert.equal((await res.json()).sub, "bob");
    assert.equal(client.dances, 0);
  } finally {
    oidc.stop();
  }
});

test("Bearer as before: startOidc(origin) with no options; dpop: false ignores a DPoP header", async () => {
  for (const options of [undefined, { dpop: false }]) {
    const oidc = await startOidc(origin, options);
    try {
      const grant = await authorize(oidc, "carol");
      const key = await newKey();
      const headers = options ? { dpop: await proof(key, "POST", `${oidc.issuer}/token`) } : {};
      const r = await fetch(`${oidc.issuer}/token`, { method: "POST", ...form(codeGrant(grant)), headers: { ...form({}).headers, ...headers } });
      assert.equal(r.status, 200);
      const tokens = await r.json();
      assert.equal(tokens.token_type, "Bearer");
      assert.equal((await oidc.introspect(tokens.access_token)).cnf, undefined);
      const call = () => fetch(`${oidc.api}/whoami`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      let res = await call();
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { sub: "carol", scope: "openid offline_access profile" });
      // An unbound token is not accepted with the DPoP scheme.
      res = await fetch(`${oidc.api}/whoami`, { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: await proof(key, "GET", `${oidc.api}/whoami`, { token: tokens.access_token }) } });
      assert.equal(res.status, 401);
      // Refresh rotates the (unbound) refresh token, and /expire forces a 401 as before.
      res = await fetch(`${oidc.issuer}/token`, { method: "POST", ...form(refreshGrant(tokens.refresh_token)) });
      const refreshed = await res.json();
      assert.equal(res.status, 200);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
      await fetch(`${oidc.api}/expire`, { method: "POST" });
      res = await call();
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      const entries = oidc.log.filter((e) => e.path === "api/whoami");
      assert.deepEqual(entries.map((e) => [e.status, e.scheme, e.proof]), [[200, "Bearer", null], [401, "DPoP", "unbound"], [401, "Bearer", null]]);
    } finally {
      oidc.stop();
    }
  }
});
