// The generic AuthClient in headless Chromium against oidc-provider, a server we did not write:
// discovery, login with PKCE, an API call, refresh with rotation, logout with revocation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./helpers.mjs";
import { oidcSignIn, startOidcPage } from "./oidc-server.mjs";

let app, oidc, browser, origin;
before(async () => {
  app = await startOidcPage();
  ({ oidc, origin } = app);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
});

const grants = (g) => oidc.log.filter((e) => e.path === "/token" && e.grantType === g && e.method === "POST");

test("login, API call, refresh with rotation and logout through the generic AuthClient", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => window.auth.login({ returnTo: "/", prompt: "consent" })); // OIDC Core 11: offline_access needs prompt=consent
  await oidcSignIn(page, "alice");
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => window.redirectError || null), null);
  assert.deepEqual(await page.evaluate(() => window.redirect), { returnTo: "/" });
  const session = await page.evaluate(() => window.auth.session);
  assert.ok(session.scopes.includes("openid") && session.scopes.includes("offline_access"), JSON.stringify(session.scopes));
  assert.equal((await page.evaluate(() => window.auth.userinfo())).sub, "alice");
  assert.equal(grants("authorization_code").length, 1);

  const call = () => page.evaluate(async () => {
    const r = await window.auth.fetch("/whoami");
    return { status: r.status, body: await r.json().catch(() => null) };
  });
  assert.deepEqual(await call(), { status: 200, body: { sub: "alice", scope: "openid offline_access profile" } });

  for (const round of [1, 2]) {
    await fetch(`${oidc.api}/expire`, { method: "POST" });
    const r = await call();
    assert.equal(r.status, 200, `round ${round}: the call succeeds after a refresh`);
    assert.equal(grants("refresh_token").length, round, `round ${round}: exactly one refresh`);
    assert.ok(grants("refresh_token").every((e) => e.status === 200), "each rotated refresh token was accepted");
  }
  const events = await page.evaluate(() => window.events);
  assert.deepEqual(events.filter((e) => e !== "error"), ["login", "token_refreshed", "token_refreshed"]);

  await page.evaluate(() => window.auth.logout());
  const revocations = oidc.log.filter((e) => e.path === "/token/revocation");
  assert.deepEqual(revocations.map((e) => e.status), [200, 200], "refresh token, then access token");
  const after = await page.evaluate(() => window.auth.fetch("/whoami").then(() => "resolved", (e) => e.code));
  assert.equal(after, "not_authenticated");
  for (const r of seen.requests) {
    if (r.headers.authorization) assert.ok(r.url.startsWith(oidc.api) || r.url.startsWith(oidc.issuer), `Bearer only where allowed: ${r.url}`);
  }
  await context.close();
});

test("oidc-provider: a first visit is not sent to the provider; two tabs share one session and one refresh; reload restores with prompt=none; without a provider session, restore_failed (login_required)", async () => {
  const context = await browser.newContext();
  const open = async (path = "/?sharing=tabs-locks&restore=auto") => {
    const p = await context.newPage();
    await p.goto(`${origin}${path}`); // restore=auto may first try a silent login and come back
    await p.waitForSelector("body[data-ready]", { state: "attached" });
    return p;
  };
  const authorizations = () => oidc.log.filter((e) => e.path === "/auth").length;
  const firstVisit = authorizations();
  const a = await open();
  assert.equal(await a.textContent("#status"), "signed out");
  assert.deepEqual(await a.evaluate(() => window.events), [], "a first visit is not sent through the provider");
  assert.equal(authorizations(), firstVisit, "no silent attempt without a session before");
  await Promise.all([a.waitForURL((u) => !u.href.startsWith(origin)), a.evaluate(() => window.auth.login({ prompt: "consent" }))]);
  await oidcSignIn(a, "bob");
  await a.waitForURL(`${origin}/`);
  await a.waitForSelector("body[data-ready]", { state: "attached" });
  assert.equal(await a.textContent("#status"), "signed in");

  const b = await open();
  assert.equal(await b.textContent("#status"), "signed in", "the second tab is signed in at once");
  const codeGrants = grants("authorization_code").length;
  const before = grants("refresh_token").length;
  assert.equal(await b.evaluate(() => window.auth.fetch("/whoami").then((r) => r.status)), 200, "the shared token works in tab B");
  await fetch(`${oidc.api}/expire`, { method: "POST" }); // expires the tokens the API has seen
  const statuses = await Promise.all([a, b].map((p) => p.evaluate(() =>
    Promise.all(Array.from({ length: 10 }, () => window.auth.fetch("/whoami").then((r) => r.status, (e) => e.code))))));
  assert.deepEqual(statuses.flat(), Array(20).fill(200));
  assert.equal(grants("refresh_token").length - before, 1, "one refresh for both tabs");

  await b.close();
  await a.reload();
  await a.waitForURL(`${origin}/`);
  await a.waitForSelector("body[data-ready]", { state: "attached" });
  assert.equal(await a.textContent("#status"), "signed in", "restored silently");
  assert.equal(grants("authorization_code").length, codeGrants + 1, "with a new code, no login form");
  assert.equal(await a.$("input[name=password]"), null);

  await context.clearCookies();
  await a.reload();
  await a.waitForURL(`${origin}/`);
  await a.waitForSelector("body[data-ready]", { state: "attached" });
  assert.equal(await a.textContent("#status"), "signed out");
  assert.deepEqual(await a.evaluate(() => window.events), ["restore_failed:login_required"], "prompt=none answered login_required: no error event");
  await context.close();
});
