// DPoP (RFC 9449) and id_token signature checks in headless Chromium against sf-emulator: the
// package's ./dpop entry (./tabs for the sharing cases) with `dpop: true`, every token request
// and resource request with a proof, both nonce dances, the leak audit of the key, replays of a
// token taken from the network log, the CORS refusal, and forged id_tokens.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { CompactSign, SignJWT, exportJWK, generateKeyPair, decodeProtectedHeader } from "jose";
import { emulatorSignIn, launch, startTestPage, submitLogin, watch, USERS } from "./helpers.mjs";

const REST = "/services/data/v66.0/";
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Wraps crypto.subtle.generateKey before the package loads, so that the test can try to export the
// private key the client made (it must refuse) — what a script injected into the page could do.
const captureKeys = () => {
  window.madeKeys = [];
  const generate = crypto.subtle.generateKey.bind(crypto.subtle);
  crypto.subtle.generateKey = async (...a) => {
    const k = await generate(...a);
    window.madeKeys.push(k);
    return k;
  };
};

// Records what this page posts to the other tabs (BroadcastChannel) and to the session worker
// (MessagePort): each message as JSON (a CryptoKey serialises as {}), and every CryptoKey in it.
const recordMessages = () => {
  window.posted = [];
  window.postedKeys = [];
  const keys = (v, seen = new Set()) => {
    if (!v || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (v instanceof CryptoKey) return window.postedKeys.push(v);
    for (const k of Object.keys(v)) keys(v[k], seen);
  };
  for (const proto of [BroadcastChannel.prototype, MessagePort.prototype]) {
    const post = proto.postMessage;
    proto.postMessage = function (m, ...rest) {
      try { window.posted.push(JSON.stringify(m)); keys(m); } catch {}
      return post.call(this, m, ...rest);
    };
  }
};

const optionsQuery = (o, extra = "") => `?options=${encodeURIComponent(JSON.stringify(o))}${extra}`;

async function signIn(page, origin, options, extra = "") {
  await page.goto(`${origin}/${optionsQuery(options, extra)}`);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => window.auth.login());
  await submitLogin(page, origin, USERS.ada);
  await page.waitForSelector("body[data-ready]");
}

const call = (page, url = REST) => page.evaluate((u) => window.outcome(window.auth.fetch(u)), url);
const b64json = (s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8"));

test("dpop: true against the emulator (Require DPoP, server nonce): every token-bearing request is DPoP-bound; both nonce dances; one refresh; the key never leaves memory; replays are refused", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required", "--dpop-nonce"] });
  const context = await browser.newContext();
  await context.addInitScript(captureKeys);
  const page = await context.newPage();
  const seen = watch(page);
  try {
    await signIn(page, app.origin, { dpop: true });
    assert.equal(await page.evaluate(() => window.entry), "/pkg/dpop/salesforce_pkce.js");
    assert.equal(await page.evaluate(() => window.redirectError || null), null);
    assert.equal((await page.evaluate(() => window.auth.session)).tokenType, "DPoP");
    let log = await app.control("log");
    const exchanges = log.filter((e) => e.grantType === "authorization_code");
    assert.deepEqual(exchanges.map((e) => [e.status, e.dpop]), [[400, true], [200, true]], `the token endpoint's nonce dance: exactly one retry ${JSON.stringify(exchanges)} ${await page.evaluate(() => JSON.stringify(window.errorMessages))}`);
    assert.equal(exchanges[1].tokenType, "DPoP");

    assert.deepEqual(await call(page), { ok: true, status: 200 });
    // A new server nonce: the next resource request gets 401 use_dpop_nonce, one retry, no refresh.
    await app.control("dpop-nonce/rotate", { method: "POST" });
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    log = await app.control("log");
    const rest = log.filter((e) => e.path === REST && e.method === "GET");
    assert.deepEqual(rest.map((e) => e.status), [200, 401, 200], "the resource's nonce dance");
    assert.equal(log.filter((e) => e.grantType === "refresh_token").length, 0, "a nonce 401 is not a dead token");
    // A path with a newline and a tab (the browser drops them from what it sends): the proofs,
    // the first and the nonce retry's, are for the URL sent.
    await app.control("dpop-nonce/rotate", { method: "POST" });
    assert.deepEqual(await call(page, "/services/data/\nv66.0/\t"), { ok: true, status: 200 });
    log = await app.control("log");
    assert.deepEqual(log.filter((e) => e.path === REST && e.method === "GET").map((e) => e.status), [200, 401, 200, 401, 200], "the nonce dance of the URL as sent");

    await app.control("expire-access-tokens", { method: "POST" });
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    const userinfo = await page.evaluate(() => window.auth.userinfo().then((u) => u.preferred_username, (e) => e.code));
    assert.equal(userinfo, "ada@acme.demo");
    log = await app.control("log");
    const refreshes = log.filter((e) => e.grantType === "refresh_token");
    assert.equal(refreshes.filter((e) => e.status === 200).length, 1, "exactly one refresh");
    assert.ok(refreshes.every((e) => e.dpop && e.tokenType !== "Bearer"), "the refresh carried a proof and got a bound token");
    const withToken = log.filter((e) => e.authScheme && e.authScheme !== "Basic");
    assert.ok(withToken.length >= 5);
    assert.ok(withToken.every((e) => e.authScheme === "DPoP" && e.dpop && !e.bearer), "no request carried a Bearer token");

    // The key: non-extractable, its private part readable by nobody; no `d` anywhere.
    const key = await page.evaluate(async () => {
      const pair = window.madeKeys.find((k) => k.privateKey);
      const tries = await Promise.all(["jwk", "pkcs8"].map((f) => crypto.subtle.exportKey(f, pair.privateKey).then(() => "exported", (e) => e.name)));
      return { extractable: pair.privateKey.extractable, tries, count: window.madeKeys.length };
    });
    assert.equal(key.extractable, false);
    assert.deepEqual(key.tries, ["InvalidAccessError", "InvalidAccessError"], "exportKey of the private key rejects");
    const stored = await page.evaluate(async () => ({
      storage: JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
      databases: (await indexedDB.databases()).map((d) => d.name),
    }));
    assert.deepEqual(stored.databases, [], "nothing in IndexedDB");
    assert.ok(!/"d"/.test(stored.storage), "no private key member in storage");
    const proofs = seen.requests.map((r) => r.headers.dpop).filter(Boolean);
    assert.ok(proofs.length >= 8, `proofs seen: ${proofs.length}`);
    for (const p of proofs) {
      const header = decodeProtectedHeader(p);
      assert.equal(header.typ, "dpop+jwt");
      assert.equal(header.alg, "ES256");
      assert.deepEqual(Object.keys(header.jwk).sort(), ["crv", "kty", "x", "y"], "the proof's jwk is public: no d");
    }
    for (const r of seen.requests) assert.ok(!/"d":/.test(JSON.stringify(r.headers)), "no d in any request header");

    // Replays of what the network log shows: the same proof again, the token as Bearer, the
    // token with another key's proof.
    const last = seen.requests.filter((r) => r.url === `${app.emulatorUrl}${REST}` && r.headers.dpop).at(-1);
    const token = last.headers.authorization.replace(/^DPoP /, "");
    const send = (headers) => fetch(`${app.emulatorUrl}${REST}`, { headers }).then((r) => r.status);
    assert.equal(await send({ Authorization: `DPoP ${token}`, DPoP: last.headers.dpop }), 401, "a replayed proof is refused");
    assert.equal(await send({ Authorization: `Bearer ${token}` }), 401, "a bound token is refused as Bearer");
    const other = await generateKeyPair("ES256");
    const claims = b64json(last.headers.dpop.split(".")[1]);
    const foreign = await new SignJWT({ ...claims, jti: webcrypto.randomUUID(), iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: await exportJWK(other.publicKey) })
      .sign(other.privateKey);
    assert.equal(await send({ Authorization: `DPoP ${token}`, DPoP: foreign }), 401, "another key's proof is refused");
    assert.equal(await call(page).then((r) => r.status), 200, "the client's own next request still works");

    // Logout: the refresh token alone is revoked (Salesforce revokes its access tokens with it),
    // with a proof; the key is dropped and a new one is made for next time.
    await page.evaluate(() => window.auth.logout());
    log = await app.control("log");
    const revokes = log.filter((e) => e.path === "/services/oauth2/revoke" && e.method === "POST");
    assert.deepEqual(revokes.map((e) => [e.status, e.dpop]), [[200, true]], "one revocation, live, with a proof");
    const live = await app.control("tokens");
    assert.deepEqual([live.access, live.refresh].map((l) => l.length), [0, 0], "no live token after logout");
  } finally {
    await context.close();
    app.stop();
  }
});

test("dpop against an emulator without DPoP: true refuses Bearer tokens (invalid_token_response); \"if-supported\" accepts them as Bearer", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    assert.match(await page.evaluate(() => window.redirectError), /^invalid_token_response: .*token_type is Bearer/);
    assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
    const other = await browser.newContext(); // a fresh emulator session: the login form again
    const second = await other.newPage();
    await signIn(second, app.origin, { dpop: "if-supported" });
    assert.equal(await second.evaluate(() => window.redirectError || null), null);
    assert.equal((await second.evaluate(() => window.auth.session)).tokenType, "Bearer");
    assert.deepEqual(await call(second), { ok: true, status: 200 });
    const log = await app.control("log");
    const restCalls = log.filter((e) => e.path === REST && e.method === "GET");
    assert.deepEqual(restCalls.map((e) => [e.authScheme, e.dpop]), [["Bearer", false]], "a Bearer token goes as Bearer, without a proof");
    await other.close();
  } finally {
    await context.close();
    app.stop();
  }
});

test("\"if-supported\": a Bearer call's 401 whose refresh answers a DPoP-bound set is retried once with Authorization: DPoP and a proof for its URL and method", async () => {
  // A provider that binds tokens from a refresh on (the emulator with DPoP allowed: the code
  // exchange reaches it without its proof, so the first set is Bearer; the refresh carries one,
  // so the next set is DPoP-bound, and that token sent as Bearer is refused).
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "allowed"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.route(`${app.emulatorUrl}/services/oauth2/token`, async (route) => {
      const r = route.request();
      if (r.method() !== "POST" || !(r.postData() || "").includes("grant_type=authorization_code")) return route.continue();
      const headers = { ...r.headers() };
      delete headers.dpop;
      await route.continue({ headers });
    });
    await signIn(page, app.origin, { dpop: "if-supported" });
    assert.equal(await page.evaluate(() => window.redirectError || null), null);
    assert.equal((await page.evaluate(() => window.auth.session)).tokenType, "Bearer");
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    await app.control("expire-access-tokens", { method: "POST" });
    // A POST (the proof's htm) to a path the emulator answers 404 once the token is accepted.
    const url = `${REST}limits/x`;
    const posted = await page.evaluate((u) => window.outcome(window.auth.fetch(u, { method: "POST", body: "{}" })), url);
    assert.deepEqual(posted, { ok: true, status: 404 }, "the retry is accepted: the caller gets the resource's own answer, not the 401");
    assert.equal((await page.evaluate(() => window.auth.session)).tokenType, "DPoP");
    const log = await app.control("log");
    const refreshes = log.filter((e) => e.grantType === "refresh_token");
    assert.deepEqual(refreshes.map((e) => [e.status, e.dpop, e.tokenType]), [[200, true, "DPoP"]], "one refresh, answered DPoP-bound");
    const sends = log.filter((e) => e.path === `${REST}limits/x`);
    assert.deepEqual(sends.map((e) => [e.method, e.status, e.authScheme, e.dpop]), [["POST", 401, "Bearer", false], ["POST", 404, "DPoP", true]], "the Bearer send, then one retry with Authorization: DPoP and a proof");
    // The next call goes DPoP-bound from its first send.
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    const rest = (await app.control("log")).filter((e) => e.path === REST && e.method === "GET");
    assert.deepEqual(rest.map((e) => [e.status, e.authScheme, e.dpop]), [[200, "Bearer", false], [200, "DPoP", true]]);
  } finally {
    await context.close();
    app.stop();
  }
});

test("a proof's htm is the method fetch sends: patch goes as patch (the emulator compares them exactly), PUT in any case as PUT", async () => {
  // A server whose preflight allows `patch` as the app writes it (a browser compares methods
  // exactly; the usual list names only PATCH, which would refuse `patch` before it is sent).
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required", "--cors-allow-method", "patch"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    assert.equal(await page.evaluate(() => window.redirectError || null), null);
    const url = `${REST}limits/x`;
    for (const method of ["patch", "Put", "PATCH"]) {
      const r = await page.evaluate(([u, m]) => window.outcome(window.auth.fetch(u, { method: m, body: "{}" })), [url, method]);
      assert.deepEqual(r, { ok: true, status: 404 }, `${method}: the proof is accepted, the caller gets the resource's own answer`);
    }
    const log = await app.control("log");
    const sends = log.filter((e) => e.path === url && e.method !== "OPTIONS");
    assert.deepEqual(sends.map((e) => [e.method, e.status, e.authScheme, e.dpop]), [["patch", 404, "DPoP", true], ["PUT", 404, "DPoP", true], ["PATCH", 404, "DPoP", true]], "each sent once, its proof accepted");
    assert.equal(log.filter((e) => e.grantType === "refresh_token").length, 0, "no refresh: no proof was refused");
  } finally {
    await context.close();
    app.stop();
  }
});

test("init.method as fetch reads it: null goes as null with htm null; one fetch cannot send is invalid_config before any proof; a method CORS refuses, and an abort, are network_errors whose hint is true", async () => {
  // The preflight allows `null` byte for byte (String(null) is a token fetch sends), not `patch`.
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required", "--cors-allow-method", "null"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    const url = `${REST}limits/x`;
    const signs = () => page.evaluate(() => window.signs);
    await page.evaluate(() => {
      window.signs = 0;
      const sign = crypto.subtle.sign.bind(crypto.subtle);
      crypto.subtle.sign = (...a) => (window.signs++, sign(...a));
    });
    const r = await page.evaluate((u) => window.outcome(window.auth.fetch(u, { method: null })), url);
    assert.deepEqual(r, { ok: true, status: 404 }, "sent as null with a proof for null: accepted, the resource's own answer");
    let log = await app.control("log");
    assert.deepEqual(log.filter((e) => e.path === url && e.method !== "OPTIONS").map((e) => [e.method, e.status, e.authScheme, e.dpop]), [["null", 404, "DPoP", true]]);
    assert.equal(log.filter((e) => e.grantType === "refresh_token").length, 0, "no refresh: the proof's htm was the method sent");
    const before = [log.length, await signs()];
    for (const method of ["", "TRACE", "connect", "a b"]) {
      const bad = await page.evaluate(([u, m]) => window.outcome(window.auth.fetch(u, { method: m })), [url, method]);
      assert.equal(bad.code, "invalid_config", method);
      assert.match(bad.message, /^invalid configuration: method: /, method);
      assert.doesNotMatch(bad.message, /CORS/, method);
    }
    assert.equal((await app.control("log")).length, before[0], "nothing sent");
    assert.equal(await signs(), before[1], "nothing signed");
    // `patch`: this server's preflight lists PATCH only, and the browser compares exactly.
    const refused = await page.evaluate((u) => window.outcome(window.auth.fetch(u, { method: "patch" })), url);
    assert.equal(refused.code, "network_error");
    assert.match(refused.message, /CORS must allow the request's method and headers, DPoP among them, and expose DPoP-Nonce/);
    const aborted = await page.evaluate((u) => window.outcome(window.auth.fetch(u, { signal: AbortSignal.abort() })), url);
    assert.equal(aborted.code, "network_error");
    assert.match(aborted.message, /AbortError/);
    assert.doesNotMatch(aborted.message, /CORS/, "the caller's own abort is no CORS refusal");
  } finally {
    await context.close();
    app.stop();
  }
});

test("a page whose crypto.subtle.sign calls back into the client while a proof is signed: both calls answered, nothing traps", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    const out = await page.evaluate(async (u) => {
      const inner = [];
      const sign = crypto.subtle.sign.bind(crypto.subtle);
      let once = true;
      crypto.subtle.sign = (...a) => {
        // A failing call (it takes the session to count its error) and a good one (its own
        // proof signed within), inside the wasm's call into WebCrypto for the first proof.
        if (once) {
          once = false;
          inner.push(window.outcome(window.auth.fetch("https://evil.example/x")));
          inner.push(window.outcome(window.auth.fetch(u)));
        }
        return sign(...a);
      };
      const outer = await window.outcome(window.auth.fetch(u));
      return { outer, inner: await Promise.all(inner), after: await window.outcome(window.auth.fetch(u)) };
    }, REST);
    assert.deepEqual(out.outer, { ok: true, status: 200 });
    assert.equal(out.inner[0].code, "origin_not_allowed");
    assert.deepEqual(out.inner[1], { ok: true, status: 200 });
    assert.deepEqual(out.after, { ok: true, status: 200 }, "the client still works");
  } finally {
    await context.close();
    app.stop();
  }
});

test("a preflight that refuses the DPoP header: sign-in fails with a network_error naming CORS, never a silent Bearer downgrade", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "allowed", "--cors-no-dpop-header"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    const error = await page.evaluate(() => window.redirectError);
    assert.match(error, /^network_error: /);
    assert.match(error, /CORS must allow the request's method and headers, DPoP among them, and expose DPoP-Nonce/);
    const log = await app.control("log");
    assert.equal(log.filter((e) => e.path === "/services/oauth2/token" && e.method === "POST").length, 0, "no token request went without its proof");
  } finally {
    await context.close();
    app.stop();
  }
});

test("a proof WebCrypto cannot sign: auth.fetch and userinfo reject with an AuthError (invalid_config, \"signing the DPoP proof failed\"), no request goes without it", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, app.origin, { dpop: true });
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    const before = (await app.control("log")).length;
    await page.evaluate(() => { crypto.subtle.sign = () => Promise.reject(new TypeError("no signing here")); });
    for (const r of [
      await page.evaluate((u) => window.auth.fetch(u).then(() => "fulfilled", (e) => [e?.name, e.code, e.message]), REST),
      await page.evaluate(() => window.auth.userinfo().then(() => "fulfilled", (e) => [e?.name, e.code, e.message])),
    ]) {
      assert.equal(r[0], "AuthError");
      assert.equal(r[1], "invalid_config");
      assert.match(r[2], /signing the DPoP proof failed: TypeError: no signing here/);
    }
    const log = (await app.control("log")).slice(before);
    assert.equal(log.filter((e) => e.path.startsWith("/services/")).length, 0, "no request went without its proof");
  } finally {
    await context.close();
    app.stop();
  }
});

test("dpop in \"tabs-locks\": a follower tab sends its own DPoP requests with the leader's key; in \"tabs\" the session worker does", async () => {
  for (const sharing of ["tabs-locks", "tabs"]) {
    const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required"] });
    const context = await browser.newContext();
    await context.addInitScript(recordMessages);
    try {
      const first = await context.newPage();
      await signIn(first, app.origin, { dpop: true }, `&sharing=${sharing}`);
      assert.equal(await first.evaluate(() => window.redirectError || null), null, sharing);
      const second = await context.newPage();
      await second.goto(`${app.origin}/${optionsQuery({ dpop: true }, `&sharing=${sharing}`)}`);
      await second.waitForSelector("body[data-ready]");
      assert.equal(await second.evaluate(() => window.auth.sharingMode), sharing);
      assert.equal((await second.evaluate(() => window.auth.session)).tokenType, "DPoP", sharing);
      assert.deepEqual(await call(second), { ok: true, status: 200 }, `${sharing}: the second tab's request`);
      await app.control("expire-access-tokens", { method: "POST" });
      assert.deepEqual(await call(second), { ok: true, status: 200 });
      assert.deepEqual(await call(first), { ok: true, status: 200 });
      // What the tabs posted: no private key member anywhere; in "tabs-locks" the key travels as a
      // CryptoKey whose private part cannot be exported.
      let privateKeys = 0;
      for (const p of [first, second]) {
        const posted = await p.evaluate(async () => ({
          texts: window.posted,
          keys: await Promise.all(window.postedKeys.map(async (k) => ({
            type: k.type, extractable: k.extractable,
            exported: await crypto.subtle.exportKey("jwk", k).then((j) => Object.keys(j).sort().join(","), (e) => e.name),
          }))),
        }));
        assert.ok(posted.texts.length > 0, `${sharing}: messages were posted`);
        for (const t of posted.texts) assert.ok(!/"d":/.test(t), `${sharing}: no d in a posted message`);
        for (const k of posted.keys) {
          if (k.type === "private") assert.deepEqual([k.extractable, k.exported], [false, "InvalidAccessError"], sharing);
          else assert.equal(k.exported, "crv,ext,key_ops,kty,x,y", `${sharing}: a public key has no d`);
        }
        if (sharing === "tabs") assert.equal(posted.keys.length, 0, "tabs: the key stays in the worker");
        privateKeys += posted.keys.filter((k) => k.type === "private").length;
      }
      if (sharing === "tabs-locks") assert.ok(privateKeys >= 1, "tabs-locks: the key went with the token set");
      const log = await app.control("log");
      assert.equal(log.filter((e) => e.grantType === "refresh_token" && e.status === 200).length, 1, `${sharing}: one refresh for both tabs`);
      const rest = log.filter((e) => e.path === REST && e.method === "GET");
      assert.ok(rest.every((e) => e.authScheme === "DPoP" && e.dpop), `${sharing}: ${JSON.stringify(rest)}`);
      // The leader's and the follower's proofs name the same key: one session, one key.
      await first.evaluate(() => window.auth.logout());
      await second.waitForFunction(() => !window.auth.isAuthenticated);
    } finally {
      await context.close();
      app.stop();
    }
  }
});

test("a popup login binds the code to the opener's key (dpop_jkt)", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${app.origin}/${optionsQuery({ dpop: true })}`);
    await page.waitForSelector("body[data-ready]");
    const popupOpened = page.waitForEvent("popup");
    await page.evaluate(() => { window.popupOutcome = null; window.outcome(window.auth.loginPopup()).then((r) => (window.popupOutcome = r)); });
    const popup = await popupOpened;
    const jkt = new URL(popup.url()).searchParams.get("dpop_jkt");
    assert.match(jkt || "", /^[A-Za-z0-9_-]{43}$/, "dpop_jkt on the authorize request");
    await emulatorSignIn(popup);
    await page.waitForFunction(() => window.popupOutcome !== null, null, { timeout: 20_000 });
    assert.deepEqual(await page.evaluate(() => window.popupOutcome), { ok: true, status: undefined });
    assert.equal((await page.evaluate(() => window.auth.session)).tokenType, "DPoP");
    assert.deepEqual(await call(page), { ok: true, status: 200 });
  } finally {
    await context.close();
    app.stop();
  }
});

// Each authorize request's dpop_jkt in `context` (a popup the emulator answers at once is gone
// fast), and a popup login in one of its pages (`options`: loginPopup's): `form` signs in on the
// emulator's form; the login's dpop_jkt and how it settled.
const popupLogins = (context, app) => {
  const jkts = [];
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin === app.emulatorUrl && u.searchParams.has("code_challenge")) jkts.push(u.searchParams.get("dpop_jkt"));
  });
  return async (page, form, options) => {
    const popupOpened = form && page.waitForEvent("popup");
    const before = jkts.length;
    await page.evaluate((o) => { window.popupOutcome = null; window.outcome(window.auth.loginPopup(o)).then((r) => (window.popupOutcome = r)); }, options);
    if (form) await emulatorSignIn(await popupOpened);
    await page.waitForFunction(() => window.popupOutcome !== null, null, { timeout: 20_000 });
    assert.equal(jkts.length, before + 1, "one authorize request");
    return { jkt: jkts[before], outcome: await page.evaluate(() => window.popupOutcome) };
  };
};

test("a popup login completing while the last logout waits for its revocation keeps its DPoP key: the logout's early event forgets nothing the new session holds; a real logout then does", async () => {
  const app = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required"] });
  const context = await browser.newContext();
  const popupLogin = popupLogins(context, app);
  try {
    const page = await context.newPage();
    await page.goto(`${app.origin}/${optionsQuery({ dpop: true })}`);
    await page.waitForSelector("body[data-ready]");
    assert.deepEqual((await popupLogin(page, true)).outcome, { ok: true, status: undefined });
    assert.deepEqual(await call(page), { ok: true, status: 200 });
    // The logout's revocation is answered after 4 s; the next login completes before that.
    await app.control("faults", { method: "POST", body: JSON.stringify({ endpoint: "revoke", delayMs: 4000 }) });
    await page.evaluate(() => { window.loggedOut = null; window.outcome(window.auth.logout()).then((r) => (window.loggedOut = r)); });
    const second = await popupLogin(page, false);
    assert.deepEqual(second.outcome, { ok: true, status: undefined });
    assert.equal(await page.evaluate(() => window.loggedOut), null, "the logout still waits");
    assert.deepEqual(await page.evaluate(() => window.events.slice(-2)), ["logout", "login"]);
    assert.deepEqual(await call(page), { ok: true, status: 200 }, "the new session's key is kept");
    await page.waitForFunction(() => window.loggedOut !== null, null, { timeout: 20_000 });
    assert.deepEqual(await call(page), { ok: true, status: 200 }, "and still after the revocation is answered");
    assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true);
    // A real logout forgets the key: the next login binds a new one.
    assert.equal((await page.evaluate(() => window.outcome(window.auth.logout()))).ok, true);
    const third = await popupLogin(page, false);
    assert.deepEqual(third.outcome, { ok: true, status: undefined });
    assert.match(third.jkt || "", /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(third.jkt, second.jkt, "a new key after the logout");
    assert.deepEqual(await call(page), { ok: true, status: 200 });
  } finally {
    await context.close();
    app.stop();
  }
});

test("verifyIdTokenSignature: the emulator's RS256 id_token passes; HS256, and an id_token re-signed with another key, are invalid_token_response", async () => {
  for (const [args, expect] of [[[], null], [["--id-token-alg", "hs256"], /HS\* is refused/]]) {
    const app = await startTestPage({ emulatorArgs: ["--test-control", ...args] });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, app.origin, { verifyIdTokenSignature: true });
      const error = await page.evaluate(() => window.redirectError || null);
      if (expect) assert.match(error, expect);
      else {
        assert.equal(error, null);
        assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true);
        const keys = (await app.control("log")).filter((e) => e.path === "/id/keys");
        assert.equal(keys.length, 1, "the JWKS fetched once");
      }
    } finally {
      await context.close();
      app.stop();
    }
  }
  // A forged id_token: the token response's id_token re-signed (same header, same claims) with a
  // key that is not the provider's.
  const app = await startTestPage({ emulatorArgs: ["--test-control"] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const forger = await generateKeyPair("RS256");
    await page.route(`${app.emulatorUrl}/services/oauth2/token`, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      const [h, p] = body.id_token.split(".");
      body.id_token = await new CompactSign(Buffer.from(Buffer.from(p, "base64url")))
        .setProtectedHeader(b64json(h)).sign(forger.privateKey);
      await route.fulfill({ response, body: JSON.stringify(body) });
    });
    await signIn(page, app.origin, { verifyIdTokenSignature: true });
    assert.match(await page.evaluate(() => window.redirectError || ""), /^invalid_token_response: .*id_token signature: the signature does not verify/);
    assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
    // The refused answer's tokens are revoked (best effort), not just dropped.
    const revoked = async () => (await app.control("log")).filter((e) => e.path === "/services/oauth2/revoke" && e.status === 200).length;
    for (let i = 0; i < 100 && (await revoked()) === 0; i++) await page.waitForTimeout(50);
    assert.ok((await revoked()) >= 1, "the refused answer's tokens are revoked");
  } finally {
    await context.close();
    app.stop();
  }
  // A page whose WebCrypto verify was replaced by one answering a truthy non-boolean ("false"):
  // only WebCrypto's own true verifies.
  const shimmed = await startTestPage({ emulatorArgs: ["--test-control"] });
  const context2 = await browser.newContext();
  try {
    await context2.addInitScript(() => { SubtleCrypto.prototype.verify = async () => "false"; });
    const page = await context2.newPage();
    await signIn(page, shimmed.origin, { verifyIdTokenSignature: true });
    assert.match(await page.evaluate(() => window.redirectError || ""), /^invalid_token_response: .*id_token signature: the signature does not verify/);
    assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
  } finally {
    await context2.close();
    shimmed.stop();
  }
});
