// Faults against the emulator, with the real client in Chromium: a transient fault
// never loses the session; a refused refresh always ends it.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { launch, signInOnTestPage, startTestPage, CLIENT_ID } from "./helpers.mjs";

let app, browser, context, page, origin, emulatorUrl;
const control = (path, init) => app.control(path, init);
const fault = (f) => control("faults", { method: "POST", body: JSON.stringify(f) });
const call = () => page.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
const signedIn = () => page.evaluate(() => window.auth.isAuthenticated);
const refreshGrants = async () => (await control("log")).filter((e) => e.grantType === "refresh_token");

before(async () => {
  app = await startTestPage({ emulatorArgs: ["--test-control", "--rotate-refresh-tokens"], config: { timeoutMs: 1000 } });
  ({ origin, emulatorUrl } = app);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
});

beforeEach(async () => {
  await context?.close();
  await control("reset", { method: "POST" });
  context = await browser.newContext();
  page = await context.newPage();
  await signInOnTestPage(page, origin);
  assert.ok(await signedIn(), await page.evaluate(() => window.redirectError));
});

test("token endpoint 500 during refresh: token_endpoint_error, session kept, next call recovers", async () => {
  await control("expire-access-tokens", { method: "POST" });
  await fault({ endpoint: "token", status: 500 });
  const r = await call();
  assert.deepEqual([r.ok, r.code, r.status, r.isError], [false, "token_endpoint_error", 500, true]);
  assert.ok(await signedIn(), "a transient fault keeps the session");
  assert.deepEqual(await call(), { ok: true, status: 200 });
});

test("a slow token endpoint past timeoutMs: network_error, session kept", async () => {
  await control("expire-access-tokens", { method: "POST" });
  await fault({ endpoint: "token", delayMs: 3000 });
  const started = Date.now();
  const r = await call();
  assert.equal(r.code, "network_error");
  assert.match(r.message, /did not answer in time/);
  // Worded with the token endpoint's origin (the default entry words it from the endpoint).
  assert.ok(r.message.includes(`the token endpoint (${new URL(emulatorUrl).origin}) did not answer`), r.message);
  assert.ok(Date.now() - started < 2900, "gave up at timeoutMs, not at the server's pace");
  assert.ok(await signedIn());
  await new Promise((res) => setTimeout(res, 2200)); // let the slow answer land before retrying
  assert.deepEqual(await call(), { ok: true, status: 200 });
});

test("a dropped connection on the token endpoint: network_error, session kept", async () => {
  await control("expire-access-tokens", { method: "POST" });
  // Chromium retries a request once by itself when a reused connection drops (not when the
  // connection was new): drop both, then forget a drop that was not used.
  await fault({ endpoint: "token", drop: true, count: 2 });
  const r = await call();
  assert.equal(r.code, "network_error", JSON.stringify(r));
  assert.ok(r.message.includes(`could not reach the token endpoint (${new URL(emulatorUrl).origin}): `), r.message);
  const dropped = (await refreshGrants()).map((e) => e.status);
  assert.ok(dropped.length >= 1 && dropped.length <= 2 && dropped.every((s) => s === 0), JSON.stringify(dropped));
  await control("faults", { method: "DELETE" });
  assert.ok(await signedIn());
  assert.deepEqual(await call(), { ok: true, status: 200 });
});

test("a 307 from the token endpoint on refresh is not followed: network_error, the refresh token is sent once, session kept", async () => {
  await control("expire-access-tokens", { method: "POST" });
  // Back to the token endpoint itself: a client that followed it would send the refresh token
  // again and succeed there.
  await fault({ endpoint: "token", status: 307, body: "", location: `${emulatorUrl}/services/oauth2/token` });
  const before = (await refreshGrants()).length;
  const r = await call();
  assert.equal(r.code, "network_error", JSON.stringify(r));
  const sent = (await refreshGrants()).slice(before).map((e) => e.status);
  assert.deepEqual(sent, [307], "one refresh request, answered 307, and none after it");
  assert.ok(await signedIn(), "a redirect is a transient fault: the session is kept");
  assert.deepEqual(await call(), { ok: true, status: 200 });
});

test("invalid_grant on refresh (refresh token revoked by an admin): session_expired, memory cleared", async () => {
  const { refresh } = await control("tokens");
  assert.equal(refresh.length, 1);
  await fetch(`${emulatorUrl}/services/oauth2/revoke`, { method: "POST", body: new URLSearchParams({ token: refresh[0] }) });
  const r = await call();
  assert.equal(r.code, "session_expired");
  assert.equal(await signedIn(), false, "never kept after invalid_grant");
  assert.ok((await page.evaluate(() => window.events)).includes("session_expired:session_expired"));
  assert.equal((await call()).code, "not_authenticated");
});

test("a stale refresh token after rotation elsewhere: session_expired, and the family is revoked", async () => {
  const { refresh } = await control("tokens");
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh[0], client_id: CLIENT_ID });
  const other = await fetch(`${emulatorUrl}/services/oauth2/token`, { method: "POST", body });
  assert.equal(other.status, 200, "someone else rotated the token");
  await control("expire-access-tokens", { method: "POST" });
  const r = await call();
  assert.equal(r.code, "session_expired");
  assert.equal(await signedIn(), false);
  assert.equal((await control("state")).activeRefreshTokens, 0, "reuse revoked the whole family");
});

test("revocation of the access token mid-session: one refresh, then the call succeeds", async () => {
  const { access } = await control("tokens");
  await fetch(`${emulatorUrl}/services/oauth2/revoke`, { method: "POST", body: new URLSearchParams({ token: access[0] }) });
  const before = (await refreshGrants()).length;
  assert.deepEqual(await call(), { ok: true, status: 200 });
  assert.equal((await refreshGrants()).length - before, 1);
  assert.ok(await signedIn());
});

test("revocation failing at logout (5xx): revocation_failed, memory cleared anyway", async () => {
  await fault({ endpoint: "revoke", status: 503 }); // the one revocation: the refresh token
  const r = await page.evaluate(() => window.outcome(window.auth.logout()));
  assert.equal(r.code, "revocation_failed");
  assert.equal(r.status, 503);
  assert.equal(await signedIn(), false);
});

test("a userinfo answer naming another user (another sub) is userinfo_failed and never shown; session kept", async () => {
  const own = await page.evaluate(() => window.auth.userinfo());
  assert.match(own.sub, /\/id\/00D\w+\/005\w+$/, "the emulator's sub is the identity URL, as the id_token's");
  const other = own.sub.replace(/005\w+$/, "005xx0000000999AAA");
  await fault({ endpoint: "userinfo", status: 200, body: JSON.stringify({ ...own, sub: other, name: "Mallory Other" }) });
  const r = await page.evaluate(() => window.outcome(window.auth.userinfo()));
  assert.deepEqual([r.ok, r.code, r.status, r.isError], [false, "userinfo_failed", 200, true]);
  assert.match(r.message, /sub is not the signed-in user's/);
  assert.doesNotMatch(r.message, /Mallory|999AAA/);
  assert.ok(await signedIn(), "a refused answer keeps the session");
  assert.equal((await page.evaluate(() => window.auth.userinfo())).sub, own.sub);
});
