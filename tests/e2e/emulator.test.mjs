// The demo in real headless Chromium against sf-emulator: sign-in, REST with pagination,
// transparent refresh, logout with revocation, consent denied, callback mismatch, reload,
// and a leak audit. Screenshots go to build/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launch, shot, watch, USERS } from "./helpers.mjs";

const ACCESS = /00D5g00000DEMOA!/; // the emulator's access-token prefix
const REFRESH = /5Aep861/; // its refresh-token prefix

let demo, browser;
before(async () => {
  demo = await startDemo();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  demo?.stop();
});

async function signIn(page, [user, password] = USERS.ada, { consent = "allow", keep = false } = {}) {
  await page.goto(`${demo.origin}/`);
  await page.waitForSelector("#login:not([disabled])");
  if (keep) await page.check("#keep");
  await page.click("#login");
  await page.waitForSelector("#username");
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#Login");
  const which = await Promise.race([
    page.waitForSelector("#oaapprove").then(() => "consent"),
    page.waitForSelector("#signed-in:not([hidden])").then(() => "in"),
  ]);
  if (which === "consent") {
    await shot(page, "emulator-consent");
    await page.click(consent === "allow" ? "#oaapprove" : "#oadeny");
  }
}

async function storageDump(page) {
  return page.evaluate(() => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
    return [dump(localStorage), dump(sessionStorage), document.cookie, location.href, String(history.length)].join("\n");
  });
}

test("sign in, see the user, page through Accounts, refresh once after expiry, log out with revocation", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${demo.origin}/`);
  await page.waitForSelector("#findings li");
  assert.ok(await page.isHidden("#signed-in"), "only one view at a time");
  assert.ok(await page.isHidden("#org-fields"), "org fields only for the org target");
  await shot(page, "signed-out");
  await page.click("#login");
  await page.waitForSelector("#username");
  await shot(page, "emulator-login");
  await page.goto(`${demo.origin}/`);
  await signIn(page);
  await page.waitForSelector("#signed-in", { state: "visible" });
  assert.ok(await page.isHidden("#signed-out"), "only one view at a time");
  await page.waitForFunction(() => document.querySelector("#user-name").textContent === "Ada Admin");
  assert.equal(await page.textContent("#org-id"), "00D5g00000DEMOAEAQ");
  assert.equal(await page.textContent("#instance-url"), demo.emulatorUrl);
  assert.equal(new URL(page.url()).pathname, "/", "back on the app, callback parameters gone");
  assert.ok(!page.url().includes("code="));

  await page.waitForFunction(() => document.querySelectorAll("#accounts tbody tr").length === 25);
  assert.equal(await page.textContent("#account-count"), "25 of 300");
  await page.click("#load-more");
  await page.waitForFunction(() => document.querySelectorAll("#accounts tbody tr").length === 50);
  assert.equal(await page.textContent("#account-count"), "50 of 300");
  await shot(page, "signed-in");

  // Expire every access token at the emulator; the next call succeeds after exactly one refresh.
  const before = (await demo.control("log")).length;
  await page.click("#expire");
  await page.waitForFunction(() => document.querySelector("#api-result").textContent.startsWith("Expired"));
  await page.click("#call-api");
  await page.waitForFunction(() => document.querySelector("#api-result").textContent.includes("HTTP 200"));
  assert.match(await page.textContent("#api-result"), /after 1 refresh/);
  const log = (await demo.control("log")).slice(before);
  assert.equal(log.filter((e) => e.grantType === "refresh_token").length, 1, "exactly one refresh");
  const rest = log.filter((e) => e.path === "/services/data/v66.0/" && e.method === "GET").map((e) => e.status);
  assert.deepEqual(rest, [401, 200], "a 401, then the retried call");
  await shot(page, "refreshed");

  // Leak audit after login and refresh, with the real token values.
  const { everIssued } = await demo.control("tokens");
  assert.ok(everIssued.length >= 3, "access, refresh and the refreshed access token");
  const leaks = (text) => everIssued.filter((t) => text.includes(t));
  assert.deepEqual(leaks(await storageDump(page)), [], "no token in storage, cookies or the URL");
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send("Page.getNavigationHistory");
  const history = entries.map((e) => e.url).join("\n");
  assert.deepEqual(leaks(history), [], "no token in any history entry");
  assert.ok(!entries.some((e) => e.url.startsWith(demo.origin) && /[?&](code|state)=/.test(e.url)), "the callback URL was replaced");
  assert.deepEqual(leaks(seen.console.join("\n")), [], "no token in the console");
  for (const r of seen.requests) {
    assert.deepEqual(leaks(r.url), [], `no token in a request URL: ${r.url.slice(0, 80)}`);
    const referer = r.headers.referer || "";
    assert.deepEqual(leaks(referer), [], "no token in a Referer");
    if (referer.startsWith(demo.origin)) assert.ok(!/code=|state=/.test(referer), `no code or state in the app's Referer: ${r.url}`);
    if (r.headers.authorization) assert.ok(r.url.startsWith(demo.emulatorUrl), `Bearer only to the instance: ${r.url}`);
  }
  assert.ok(seen.requests.some((r) => r.headers.authorization), "the audit saw authorized requests");

  // Logout revokes: the log shows the revocations and no refresh token is left alive.
  await page.click("#logout");
  await page.waitForSelector("#signed-out:not([hidden])");
  const revokes = (await demo.control("log")).filter((e) => e.path === "/services/oauth2/revoke");
  // Salesforce revokes a refresh token's access tokens with it: the client revokes the refresh
  // token alone (a second revocation would meet a dead access token, HTTP 400), and nothing is
  // left alive.
  assert.deepEqual(revokes.map((e) => e.status), [200], "the refresh token alone, revoked live");
  const state = await demo.control("state");
  assert.equal(state.activeRefreshTokens, 0);
  assert.equal(state.activeAccessTokens, 0);
  await context.close();
});

test("reload signs out: tokens were only in memory", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await page.waitForSelector("#signed-in:not([hidden])");
  await page.reload();
  await page.waitForSelector("#signed-out:not([hidden])");
  const dump = await storageDump(page);
  assert.ok(!ACCESS.test(dump) && !REFRESH.test(dump));
  await context.close();
});

test("'stay signed in across tabs and reloads': a second tab is signed in at once, a reload restores, logout in one tab signs out the other", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, USERS.ada, { keep: true });
  await page.waitForSelector("#signed-in:not([hidden])");
  const second = await context.newPage();
  await second.goto(`${demo.origin}/`);
  await second.waitForSelector("#signed-in:not([hidden])");
  await second.waitForFunction(() => document.querySelector("#account-count").textContent.includes("of"));
  await shot(second, "second-tab-signed-in");

  await second.close();
  const authorizations = async () => (await demo.control("log")).filter((e) => e.path === "/services/oauth2/authorize").map((e) => e.status);
  const before = (await authorizations()).length;
  await page.reload(); // the only tab: the session worker ends with it; restore: "auto" signs in silently
  await page.waitForSelector("#signed-in:not([hidden])");
  assert.deepEqual((await authorizations()).slice(before), [302], "one silent authorize, no login page");
  const third = await context.newPage();
  await third.goto(`${demo.origin}/`);
  await third.waitForSelector("#signed-in:not([hidden])");
  await third.click("#logout");
  await page.waitForSelector("#signed-out:not([hidden])");
  const dump = await storageDump(page) + (await storageDump(third));
  assert.ok(!ACCESS.test(dump) && !REFRESH.test(dump), "no token in storage");
  await context.close();
});

test("consent denied shows a clear error", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, USERS.sam, { consent: "deny" });
  await page.waitForSelector("#error:not([hidden])");
  const text = await page.textContent("#error");
  assert.match(text, /authorization_denied/);
  assert.match(text, /access_denied/);
  assert.match(text, /not granted/);
  assert.ok(await page.isVisible("#signed-out"));
  await shot(page, "consent-denied");
  await context.close();
});

test("the doctor explains why login.salesforce.com cannot work from a browser", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.origin}/`);
  await page.check("#target-org");
  await page.waitForSelector("#login-host", { state: "visible" });
  await page.fill("#login-host", "https://login.salesforce.com");
  await page.fill("#client-id", "3MVG9example");
  await page.waitForSelector("li[data-code=login_host_no_cors]");
  assert.match(await page.textContent("li[data-code=login_host_no_cors]"), /My Domain/);
  assert.ok(await page.isDisabled("#login"));
  await shot(page, "doctor-login-host");
  await context.close();
});

test("a redirect URI that differs from the registered one gets the emulator's error page", async () => {
  // The emulator registers ".../callback/" (trailing slash); the app sends ".../callback".
  const mismatched = await startDemo({ callbackSuffix: "/" });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${mismatched.origin}/`);
    await page.waitForSelector("#login:not([disabled])");
    await page.click("#login");
    await page.waitForSelector("#oauth-error");
    assert.match(await page.textContent("#oauth-error"), /error=redirect_uri_mismatch/);
    assert.match(await page.textContent("body"), /character for character/);
    assert.ok(page.url().startsWith(mismatched.emulatorUrl), "no redirect back to the app");
    await shot(page, "redirect-uri-mismatch");
  } finally {
    await context.close();
    mismatched.stop();
  }
});
