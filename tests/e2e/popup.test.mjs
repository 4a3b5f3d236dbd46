// loginPopup() and logout({ endSession: true }) in headless Chromium, against sf-emulator (its
// login pages sent with Cross-Origin-Opener-Policy, so a window.opener design fails here) and
// against oidc-provider (RP-initiated logout). The app's own pages send COOP too (serve.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CLIENT_ID, USERS, awayAndBack, emulatorBinary, emulatorSignIn, freePort, launch, shot, start, startDemo } from "./helpers.mjs";
import { oidcSignIn, startOidc } from "./oidc-server.mjs";

let browser;
const stops = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of stops) s();
});

/** The emulator (with `emulatorArgs(origin)`) and the bare test page on free ports; `coop`:
 *  both send Cross-Origin-Opener-Policy: same-origin (the emulator on its login pages). */
async function emulatorPage(emulatorArgs = () => [], { coop = true } = {}) {
  const [port, emuPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${port}`;
  const emulatorUrl = `http://127.0.0.1:${emuPort}`;
  const emu = await start(emulatorBinary(), ["--port", String(emuPort), "--callback", `${origin}/callback`,
    "--cors-origin", origin, "--test-control", ...(coop ? ["--coop"] : []), ...emulatorArgs(origin)], /listening/);
  const web = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", "tests/e2e/generic",
    "--extra", JSON.stringify({ loginHost: emulatorUrl, clientId: CLIENT_ID }), ...(coop ? [] : ["--no-coop"])], /demo server/);
  stops.push(() => (emu.kill(), web.kill()));
  const log = async () => (await fetch(`${emulatorUrl}/__emulator/log`)).json();
  return { origin, emulatorUrl, log };
}

const codeExchanges = (log) => log.filter((e) => e.path === "/services/oauth2/token" && /authorization_code/.test(JSON.stringify(e)));

/** Opens the test page with a draft typed into it (the state a popup login must keep). */
async function openApp(context, origin) {
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.id = "draft";
    document.body.append(input);
  });
  await page.fill("#draft", "half-written note");
  return page;
}

/** Starts loginPopup() in the page (its outcome lands in window.popupOutcome) and returns the popup. */
async function startPopup(page, options) {
  const popup = page.waitForEvent("popup");
  await page.evaluate((o) => {
    window.popupOutcome = null;
    window.outcome(window.auth.loginPopup(o)).then((r) => (window.popupOutcome = r));
  }, options);
  return popup;
}

const outcome = async (page) => {
  await page.waitForFunction(() => window.popupOutcome !== null, null, { timeout: 20_000 });
  return page.evaluate(() => window.popupOutcome);
};

const pendingKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("salesforce-pkce:")));


test("popup login through COOP pages: the opener signs in with its page state intact; the popup never exchanges the code", async () => {
  const emu = await emulatorPage();
  const context = await browser.newContext();
  const page = await openApp(context, emu.origin);
  const popup = await startPopup(page, { returnTo: "/after" });
  const popupRequests = [];
  popup.on("request", (r) => popupRequests.push(r.url()));
  const forged = page.evaluate((id) => {
    // Another same-origin script sends a callback with a state that is not this login's.
    const bc = new BroadcastChannel(`salesforce-pkce:popup:${id}`);
    bc.postMessage({ state: "forged-state", query: "code=forged&state=forged-state" });
    bc.close();
  }, CLIENT_ID);
  await forged;
  await emulatorSignIn(popup);
  assert.deepEqual(await outcome(page), { ok: true, status: undefined });
  await popup.waitForEvent("close", { timeout: 5000 }).catch(() => {});
  assert.ok(popup.isClosed(), "the popup closed itself after handing over");
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true);
  assert.equal(await page.inputValue("#draft"), "half-written note", "the page kept its state");
  assert.deepEqual(await page.evaluate(() => window.events), ["login"]);
  assert.equal(popupRequests.filter((u) => u.includes("/services/oauth2/token")).length, 0, "the popup made no token request");
  assert.equal(codeExchanges(await emu.log()).length, 1, "one code exchange (the opener's); the forged message made none");
  assert.deepEqual(await pendingKeys(page), [], "the opener's pending record is consumed");
  const r = await page.evaluate(async () => (await window.auth.fetch("/services/data/v62.0/query?q=SELECT+Id+FROM+Account")).status);
  assert.equal(r, 200, "the opener's session calls the API");
  await context.close();
});

test("a popup closed while on our own origin → popup_closed (where no COOP cuts the opener off)", async () => {
  const emu = await emulatorPage(() => [], { coop: false });
  const context = await browser.newContext();
  const page = await openApp(context, emu.origin);
  const popup = await startPopup(page, {});
  await popup.waitForSelector("#username");
  // The user went back to the app's origin in the popup (a link, not the address bar: Chromium
  // cuts the opener off on a browser-initiated cross-site navigation).
  await popup.evaluate((url) => location.assign(url), `${emu.origin}/`);
  await popup.waitForSelector("body[data-ready]");
  await page.waitForTimeout(500); // the opener's watch sees the popup on our origin
  await popup.close();
  assert.equal((await outcome(page)).code, "popup_closed");
  assert.deepEqual(await pendingKeys(page), [], "the pending record is deleted");
  assert.equal(codeExchanges(await emu.log()).length, 0);
  await context.close();
});

test("a client freed while its popup is open: loginPopup() rejects with not_initialized at once; the popup's end throws nothing in the page", async () => {
  const emu = await emulatorPage(() => [], { coop: false });
  const context = await browser.newContext();
  const page = await openApp(context, emu.origin);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const popup = await startPopup(page, {});
  await popup.waitForSelector("#username");
  await page.evaluate(() => window.auth.free());
  const r = await outcome(page);
  assert.equal(r.code, "not_initialized", JSON.stringify(r));
  assert.match(r.message, /freed/);
  await popup.close();
  await page.waitForTimeout(1500); // the opener's watch sees the popup closed and hands it on
  assert.deepEqual(errors, [], "nothing thrown (no unhandled rejection) once the client is gone");
  assert.equal(codeExchanges(await emu.log()).length, 0);
  await context.close();
});

test("under COOP a popup closed at the provider → popup_timeout; a blocked popup → popup_blocked", async () => {
  const emu = await emulatorPage();
  const context = await browser.newContext();
  const page = await openApp(context, emu.origin);
  let popup;

  popup = await startPopup(page, { popupTimeoutMs: 2000 });
  await popup.waitForSelector("#username");
  await popup.close(); // at the provider: under COOP the opener cannot tell closed from cut off
  const timedOut = await outcome(page);
  assert.equal(timedOut.code, "popup_timeout", JSON.stringify(timedOut));
  assert.match(timedOut.message, /popupTimeoutMs/);

  const blocked = await page.evaluate(() => {
    window.open = () => null; // a popup blocker
    return window.outcome(window.auth.loginPopup());
  });
  assert.equal(blocked.code, "popup_blocked");
  assert.match(blocked.message, /user gesture/);
  assert.deepEqual(await pendingKeys(page), []);
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
  // Each rejection is its one report: counted, and no error event as well.
  assert.deepEqual(await page.evaluate(() => window.events), []);
  const counted = await page.evaluate(() => window.auth.stats.errorsByCode);
  assert.deepEqual([counted.popup_timeout, counted.popup_blocked], [1, 1]);
  assert.equal(codeExchanges(await emu.log()).length, 0);
  await context.close();
});

test("popupRedirectUri: the popup comes back to a small page of its own, the opener exchanges with that redirect_uri", async () => {
  const emu = await emulatorPage((origin) => ["--callback", `${origin}/popup-callback.html`]);
  const context = await browser.newContext();
  const page = await context.newPage();
  const options = JSON.stringify({ popupRedirectUri: `${emu.origin}/popup-callback.html` });
  await page.goto(`${emu.origin}/?options=${encodeURIComponent(options)}`);
  await page.waitForSelector("body[data-ready]");
  const popup = await startPopup(page, {});
  const visited = [];
  popup.on("request", (r) => r.isNavigationRequest() && visited.push(new URL(r.url()).pathname));
  await emulatorSignIn(popup);
  assert.equal((await outcome(page)).ok, true);
  assert.ok(visited.includes("/popup-callback.html"), JSON.stringify(visited));
  const exchange = codeExchanges(await emu.log());
  assert.equal(exchange.length, 1);
  assert.equal(exchange[0].status, 200, "the token endpoint accepted the popup's redirect_uri");
  await context.close();
});

for (const mode of ["tabs", "tabs-locks"]) {
  test(`sessionSharing: "${mode}": a popup login serves the other tab; ending the session signs out every tab`, async () => {
    const emu = await emulatorPage((origin) => ["--end-session", "oidc", "--post-logout-uri", `${origin}/`]);
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${emu.origin}/?sharing=${mode}`);
    await other.waitForSelector("body[data-ready]");
    const page = await context.newPage();
    await page.goto(`${emu.origin}/?sharing=${mode}`);
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.evaluate(() => window.auth.sharingMode), mode);
    const popup = await startPopup(page, {});
    await emulatorSignIn(popup);
    assert.equal((await outcome(page)).ok, true);
    await other.waitForFunction(() => window.auth.isAuthenticated, null, { timeout: 10_000 });
    assert.equal(codeExchanges(await emu.log()).length, 1);
    await awayAndBack(page, emu.origin, () => void window.auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/` }));
    await other.waitForFunction(() => !window.auth.isAuthenticated && window.events.includes("logout"), null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.redirect?.loggedOut), true);
    const log = await emu.log();
    assert.ok(log.some((e) => e.path === "/services/auth/idp/oidc/logout"), "the provider's session was ended");
    assert.ok(log.some((e) => e.path === "/services/oauth2/revoke"), "revoked");
    await context.close();
  });
}

/** Signs in with a redirect login on the test page. */
async function redirectSignIn(page, origin) {
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => window.auth.login());
  await emulatorSignIn(page);
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true);
}

test("end session (emulator following RP-initiated logout): revoked, back with state, the next login asks for the password, restore finds no session", async () => {
  const emu = await emulatorPage((origin) => ["--end-session", "oidc", "--post-logout-uri", `${origin}/`]);
  const context = await browser.newContext();
  const page = await context.newPage();
  const urls = [];
  page.on("request", (r) => urls.push(r.url()));
  await redirectSignIn(page, emu.origin);
  await awayAndBack(page, emu.origin, () =>
    void window.auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/`, state: "app-7", returnTo: "/bye" }));
  assert.deepEqual(await page.evaluate(() => window.redirect), { returnTo: "/bye", loggedOut: true, state: "app-7" });
  assert.deepEqual(await page.evaluate(() => window.events), ["logout"]);
  assert.equal(new URL(page.url()).search, "", "state is gone from the address bar");
  const log = await emu.log();
  assert.ok(log.some((e) => e.path === "/services/oauth2/revoke"), "revoked before leaving");
  const endSession = urls.filter((u) => u.includes("/services/auth/idp/oidc/logout"));
  assert.equal(endSession.length, 1);
  assert.ok(!/id_token_hint|00D5g00000DEMOA!|5Aep861/.test(endSession[0]), "no token in the end-session URL");
  assert.deepEqual(await pendingKeys(page), [], "the pending-logout record is consumed");

  await page.evaluate(() => window.auth.login());
  await page.waitForSelector("#username", { timeout: 10_000 }); // the provider's session is gone
  await page.goto(`${emu.origin}/`);
  await page.waitForSelector("body[data-ready]");
  await awayAndBack(page, emu.origin, () => window.auth.restore());
  assert.deepEqual(await page.evaluate(() => window.events), ["restore_failed:login_required"]);
  await context.close();
});

test("end session (emulator following Salesforce: post_logout_redirect_uri and state ignored, the app's Single Logout URL)", async () => {
  const emu = await emulatorPage((origin) => ["--logout-url", `${origin}/`]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await redirectSignIn(page, emu.origin);
  await awayAndBack(page, emu.origin, () => void window.auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/`, state: "x" }));
  assert.equal(await page.evaluate(() => window.redirect), null, "no state came back: a plain signed-out page");
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
  const live = await (await fetch(`${emu.emulatorUrl}/__emulator/tokens`)).json();
  assert.equal(JSON.stringify(live).match(/"active":true/g)?.length ?? 0, 0, "no live token at the emulator");
  await page.evaluate(() => window.auth.login());
  await page.waitForSelector("#username", { timeout: 10_000 });
  await context.close();
});

// oidc-provider and the generic test app on a free port of localhost, stopped after the tests,
// and a new browser context.
const oidcApp = async () => {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const oidc = await startOidc(origin);
  const web = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", "tests/e2e/generic",
    "--extra", JSON.stringify({ issuer: oidc.issuer, api: oidc.api })], /demo server/);
  stops.push(() => (web.kill(), oidc.stop()));
  return { origin, oidc, context: await browser.newContext() };
};

test("oidc-provider: popup login, then end session by a GET with id_token_hint (the one token in a URL), back with state", async () => {
  const { origin, oidc, context } = await oidcApp();
  const page = await openApp(context, origin);
  const popup = await startPopup(page, { prompt: "consent" });
  await oidcSignIn(popup, "alice");
  assert.equal((await outcome(page)).ok, true);
  assert.equal(await page.inputValue("#draft"), "half-written note");
  const markers = () => page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith("salesforce-pkce:signed-in:")).map((k) => localStorage.getItem(k)));
  assert.deepEqual(await markers(), ["1"], "a popup login sets the signed-in marker (restore: \"auto\" may try), a flag");
  assert.equal((await page.evaluate(() => window.auth.userinfo())).sub, "alice");

  const urls = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.evaluate(() => void window.auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/`, state: "s-1" }));
  await page.waitForSelector("button[autofocus]", { timeout: 10_000 }); // the provider's "sign out?" prompt
  const end = urls.filter((u) => u.startsWith(`${oidc.issuer}/session/end?`));
  assert.equal(end.length, 1, JSON.stringify(urls.map((u) => new URL(u).pathname))); // paths only: a URL may carry the id_token
  assert.match(end[0], /[?&]id_token_hint=ey/, "the one URL that carries a token: the id_token, as RP-Initiated Logout asks");
  assert.equal(urls.filter((u) => /id_token_hint|ey[A-Za-z0-9_-]{20,}\./.test(u)).length, 1, "no other URL carries a token");
  await page.click("button[autofocus]");
  await page.waitForURL(`${origin}/`, { timeout: 10_000 });
  await page.waitForSelector("body[data-ready]");
  assert.deepEqual(await page.evaluate(() => window.redirect), { returnTo: "/", loggedOut: true, state: "s-1" });
  assert.ok(oidc.log.some((e) => e.path === "/token/revocation"), "revoked before leaving");
  assert.deepEqual(await markers(), [], "logout removed the marker");
  await awayAndBack(page, origin, () => window.auth.restore(), { timeout: 10_000 });
  assert.deepEqual(await page.evaluate(() => window.events), ["restore_failed:login_required"], "no provider session to restore");
  await page.evaluate(() => window.auth.login({ prompt: "consent" }));
  await page.waitForSelector("input[name=login]", { timeout: 10_000 }); // signed out at the provider: the password page
  await context.close();
});

test('oidc-provider, sessionSharing: "tabs": the session worker hands the tab the id_token_hint for the end-session GET', async () => {
  const { origin, oidc, context } = await oidcApp();
  const page = await context.newPage();
  await page.goto(`${origin}/?sharing=tabs`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.evaluate(() => window.auth.sharingMode), "tabs", "the tokens are the worker's");
  const popup = await startPopup(page, { prompt: "consent" });
  await oidcSignIn(popup, "alice");
  assert.equal((await outcome(page)).ok, true);
  const urls = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.evaluate(() => void window.auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/`, state: "s-2" }));
  await page.waitForSelector("button[autofocus]", { timeout: 10_000 }); // the provider's "sign out?" prompt
  const end = urls.filter((u) => u.startsWith(`${oidc.issuer}/session/end?`));
  assert.equal(end.length, 1, JSON.stringify(urls.map((u) => new URL(u).pathname)));
  assert.match(end[0], /[?&]id_token_hint=ey/, "the worker's id_token, passed to this tab for the one URL that carries it");
  await context.close();
});

test("the demo: Log in in a popup keeps the page; Log out everywhere ends the emulator session", async () => {
  const demo = await startDemo();
  stops.push(() => demo.stop());
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.origin}/`);
  await page.waitForSelector("#login-popup:not([disabled])");
  const popup = page.waitForEvent("popup");
  await page.click("#login-popup");
  const p = await popup;
  await p.waitForSelector("#username");
  await shot(p, "popup-login");
  await emulatorSignIn(p);
  await page.waitForSelector("#signed-in:not([hidden])", { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector("#user-name").textContent === "Ada Admin");
  assert.equal(new URL(page.url()).pathname, "/", "the opener never navigated");
  await page.click("#logout-everywhere");
  await page.waitForSelector("#logged-out", { timeout: 10_000 }); // no logout URL registered: Salesforce's own page
  await shot(page, "emulator-logged-out");
  const log = await demo.control("log");
  assert.ok(log.some((e) => e.path === "/services/oauth2/revoke"), "revoked before leaving");
  await page.goto(`${demo.origin}/`);
  await page.waitForSelector("#login:not([disabled])");
  await page.click("#login");
  await page.waitForSelector("#username", { timeout: 10_000 }); // the password page again
  await context.close();
});
