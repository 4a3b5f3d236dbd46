// The flow every example app (examples/vite-react, webpack, leptos) is driven through, in
// headless Chromium against sf-emulator with refresh-token rotation on. The apps render the
// same elements: main[data-ready], #status, #sharing, #login, #load, #logout, #count, #loads
// (how many loads have finished), #accounts li, #events li, #error. Events are awaited, never slept on.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { CLIENT_ID, emulatorBinary, freePort, start, submitLogin } from "../e2e/helpers.mjs";

export const ACCOUNTS = 300; // the emulator's seeded Accounts, answered in batches of 25

/** One emulator with `apps` app origins registered (callback and CORS), handed out by
 *  `emu.nextPort()`; each app is served on 127.0.0.1 and called `http://localhost:<port>`. */
export async function startEmulator(apps) {
  const ports = [];
  for (let i = 0; i < apps; i++) ports.push(await freePort());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["--port", String(port), "--test-control", "--rotate-refresh-tokens", "--batch-size", "25"];
  for (const p of ports) args.push("--callback", `${originOf(p)}/callback`, "--cors-origin", originOf(p));
  const child = await start(emulatorBinary(), args, /listening/);
  const control = async (path, method = "GET") => (await fetch(`${url}/__emulator/${path}`, { method })).json();
  return { url, clientId: CLIENT_ID, control, nextPort: () => ports.shift(), stop: () => child.kill() };
}

const originOf = (port) => `http://localhost:${port}`;

/** Runs a command to its end (a build), printing how long it took; rejects with its output
 *  when it fails. */
export function run(label, cmd, args, opts = {}) {
  const begin = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${label} failed (${code}): ${out}`));
      console.log(`${label}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

/** Builds an app (`run`), then serves its output folder with scripts/serve.mjs on the next
 *  registered origin (`config`, if given, is served as /demo-config.json). */
export async function buildAndServe(emu, label, cmd, args, out, opts, config) {
  await run(label, cmd, args, opts);
  const port = emu.nextPort();
  const extra = config ? ["--extra", JSON.stringify(config)] : [];
  const server = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", out, ...extra], /demo server/);
  return { origin: originOf(port), stop: () => server.kill() };
}

/** Starts a dev server on the next registered origin (`args(port)`), ready when it prints `ready`. */
export async function startDevServer(emu, cmd, args, ready, opts) {
  const port = emu.nextPort();
  const server = await start(cmd, args(port), ready, opts);
  return { origin: originOf(port), stop: () => server.kill() };
}

const text = (page, sel) => page.locator(sel).textContent();
const events = (page) => page.locator("#events li").allTextContents();

async function ready(page, origin) {
  await page.goto(`${origin}/`);
  await page.waitForSelector("main[data-ready]");
}

async function signIn(page, origin) {
  await page.click("#login");
  await submitLogin(page, origin);
  await page.waitForSelector("main[data-ready] #logout");
  assert.match(await text(page, "#status"), /^signed in as 005/);
}

async function loadAccounts(page) {
  const loads = Number(await text(page, "#loads"));
  await page.click("#load");
  await page.waitForFunction((n) => Number(document.querySelector("#loads").textContent) > n || document.querySelector("#error"), loads);
  assert.equal(await page.locator("#error").count(), 0, "no error shown");
  assert.equal(Number(await text(page, "#count")), ACCOUNTS);
  assert.equal(await page.locator("#accounts li").count(), ACCOUNTS);
}

const byOrigin = (log, origin) => log.filter((e) => e.origin === origin);
const grants = async (emu, origin, grantType) =>
  byOrigin(await emu.control("log"), origin).filter((e) => e.grantType === grantType && e.method === "POST").length;
const refreshes = (emu, origin) => grants(emu, origin, "refresh_token");
// One code exchange per login: an app that calls handleRedirect() twice (React's StrictMode
// replays effects in development) would send the code a second time.
const codeExchanges = (emu, origin) => grants(emu, origin, "authorization_code");

/** After a logout: the emulator holds no live access or refresh token (the tests run one at a
 *  time and each ends signed out). */
async function assertNothingLive(emu) {
  const state = await emu.control("state");
  assert.deepEqual([state.activeAccessTokens, state.activeRefreshTokens], [0, 0], "every token revoked");
}

/** Sign in (one code exchange), list every Account (all 12 batches), expire the token, list again
 *  through exactly one refresh, log out (both tokens revoked), with the events the app saw. */
export async function signInListRefreshLogout(browser, emu, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const failures = [];
  page.on("pageerror", (e) => failures.push(e.message));
  try {
    await ready(page, origin);
    assert.equal(await text(page, "#status"), "signed out");
    assert.equal(await text(page, "#sharing"), "off");
    await signIn(page, origin);
    assert.equal(await codeExchanges(emu, origin), 1, "the callback's code exchanged once");

    await loadAccounts(page);
    const queries = byOrigin(await emu.control("log"), origin).filter((e) => e.method === "GET" && e.path.startsWith("/services/data/v66.0/query"));
    assert.equal(queries.length, ACCOUNTS / 25, "one request per batch of 25 (nextRecordsUrl followed)");

    await emu.control("expire-access-tokens", "POST");
    await loadAccounts(page);
    assert.equal(await refreshes(emu, origin), 1, "exactly one refresh after expiry");

    await page.click("#logout");
    await page.waitForSelector("#login");
    assert.equal(await text(page, "#status"), "signed out");
    const revokes = byOrigin(await emu.control("log"), origin).filter((e) => e.method === "POST" && e.path === "/services/oauth2/revoke");
    // At Salesforce the refresh token alone: revoking it revokes its access tokens (checked below).
    assert.equal(revokes.length, 1, "the refresh token alone");
    assert.equal(revokes[0].status, 200);
    await assertNothingLive(emu);
    // The apps listen before handleRedirect() emits "login"; each event once (React: one listener
    // set after StrictMode's unmount and remount).
    assert.deepEqual(await events(page), ["login", "token_refreshed", "logout"], "each event once");
    assert.equal(await codeExchanges(emu, origin), 1);
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
}

/** Two tabs of one browser share the session: the second is signed in at once, both list the
 *  Accounts after expiry through one refresh, and logout in one signs out both. */
export async function twoTabs(browser, emu, origin, mode) {
  const context = await browser.newContext();
  try {
    const first = await context.newPage();
    await ready(first, origin);
    assert.equal(await text(first, "#sharing"), mode, "no fallback: the bundled worker/lock works");
    await signIn(first, origin);
    const second = await context.newPage();
    await ready(second, origin);
    assert.equal(await text(second, "#sharing"), mode);
    assert.match(await text(second, "#status"), /^signed in as 005/, "the new tab is signed in at once");

    await emu.control("expire-access-tokens", "POST");
    await Promise.all([loadAccounts(first), loadAccounts(second)]);
    assert.equal(await refreshes(emu, origin), 1, "one refresh across both tabs");
    assert.equal(await codeExchanges(emu, origin), 1, "one code exchange: the second tab joined the session");

    await first.click("#logout");
    await Promise.all([first.waitForSelector("#login"), second.waitForSelector("#login")]);
    assert.equal(await text(second, "#status"), "signed out");
    await assertNothingLive(emu);
    assert.ok((await events(second)).includes("logout"), "the other tab heard the logout");
    assert.deepEqual((await events(first)).filter((e) => e.startsWith("error")), []);
    assert.deepEqual((await events(second)).filter((e) => e.startsWith("error")), []);
  } finally {
    await context.close();
  }
}

/** Which build of the package the app at `origin` loaded: the development one (its module has the
 *  doctor's explanations and the warning's heading) or the production one; and what the console
 *  showed of the doctor (the examples' options are clean: nothing, in either build). */
export async function packageBuild(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = [];
  const warnings = [];
  page.on("console", (m) => m.text().includes("salesforce-pkce config doctor") && warnings.push(m.text()));
  page.on("response", (r) => {
    if (/javascript/.test(r.headers()["content-type"] || "")) scripts.push(r.text().catch(() => ""));
  });
  await ready(page, origin);
  const bodies = await Promise.all(scripts);
  await context.close();
  const has = (s) => bodies.some((b) => b.includes(s));
  const development = has("config doctor (development build)");
  assert.equal(has("It inflates the blast radius of a leaked token"), development, "the explanations ship with the development build only");
  return { development, warnings };
}
