// DPoP and id_token signatures against oidc-provider (a server we did not write), with a resource
// server that checks every proof with npm jose against the token's cnf.jkt from introspection:
// discovery with dpop "if-supported" and verifyIdTokenSignature, both nonce dances, refresh,
// userinfo and logout with proofs, a replayed proof and a Bearer replay refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./helpers.mjs";
import { oidcSignIn, startOidcPage } from "./oidc-server.mjs";

let app, oidc, browser, origin;
before(async () => {
  app = await startOidcPage({ dpop: true, dpopNonce: true });
  ({ oidc, origin } = app);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
});

const options = encodeURIComponent(JSON.stringify({ dpop: "if-supported", verifyIdTokenSignature: true }));

test("oidc-provider with DPoP and nonces: login, auth.fetch, refresh, userinfo and logout all DPoP-bound, checked by jose; replays refused", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${origin}/?options=${options}`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => window.entry), "/pkg/dpop/salesforce_pkce.js");
  await page.evaluate(() => window.auth.login({ returnTo: "/", prompt: "consent" }));
  await oidcSignIn(page, "alice");
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => window.redirectError || null), null);
  assert.equal((await page.evaluate(() => window.auth.session)).tokenType, "DPoP", "discovery lists ES256: DPoP is used");
  const token = (g) => oidc.log.filter((e) => e.path === "/token" && e.method === "POST" && e.grantType === g);
  assert.deepEqual(token("authorization_code").map((e) => [e.status, e.dpop, e.error]), [[400, true, "use_dpop_nonce"], [200, true, null]], "the token endpoint's nonce dance");
  assert.equal(oidc.log.filter((e) => e.path === "/jwks").length, 1, "the JWKS fetched once, for the id_token signature");

  const call = () => page.evaluate(async () => {
    const r = await window.auth.fetch("/whoami");
    return { status: r.status, body: await r.json().catch(() => null) };
  });
  assert.deepEqual(await call(), { status: 200, body: { sub: "alice", scope: "openid offline_access profile" } });
  const api = () => oidc.log.filter((e) => e.path === "api/whoami" && e.method === "GET");
  assert.deepEqual(api().map((e) => [e.status, e.proof]), [[401, "no_nonce"], [200, "ok"]], "the resource's nonce dance, then a proof jose accepts");

  await fetch(`${oidc.api}/expire`, { method: "POST" });
  assert.equal((await call()).status, 200);
  assert.deepEqual(token("refresh_token").map((e) => [e.status, e.dpop]), [[200, true]], "exactly one refresh, with a proof");
  assert.equal((await page.evaluate(() => window.auth.userinfo())).sub, "alice", "userinfo with Authorization: DPoP and a proof");
  const userinfo = oidc.log.filter((e) => e.path === "/me" && e.method === "GET");
  assert.ok(userinfo.length >= 1 && userinfo.every((e) => e.scheme === "DPoP" && e.dpop), JSON.stringify(userinfo));
  assert.ok(api().every((e) => e.scheme === "DPoP" && e.dpop));

  // From the network log: the last resource request's token and proof, replayed.
  const last = seen.requests.filter((r) => r.url === `${oidc.api}/whoami` && r.headers.dpop).at(-1);
  const at = last.headers.authorization.replace(/^DPoP /, "");
  const status = (headers) => fetch(`${oidc.api}/whoami`, { headers }).then((r) => r.status);
  assert.equal(await status({ Authorization: `DPoP ${at}`, DPoP: last.headers.dpop }), 401, "a replayed proof");
  assert.equal(api().at(-1).proof, "replay");
  assert.equal(await status({ Authorization: `Bearer ${at}` }), 401, "the bound token as Bearer");
  assert.equal(api().at(-1).proof, "bearer_for_bound");
  assert.equal((await oidc.introspect(at)).cnf?.jkt?.length, 43, "the token is bound (cnf.jkt)");

  await page.evaluate(() => window.auth.logout());
  const revocations = oidc.log.filter((e) => e.path === "/token/revocation" && e.method === "POST");
  assert.deepEqual(revocations.map((e) => [e.status, e.dpop]), [[200, true], [200, true]], "both revocations, each with a proof");
  assert.equal((await oidc.introspect(at)).active, false, "revoked");
  for (const r of seen.requests) {
    if (r.headers.authorization) assert.ok(!r.headers.authorization.startsWith("Bearer "), `no Bearer token: ${r.url}`);
  }
  await context.close();
});
