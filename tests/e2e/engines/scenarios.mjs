// The core E2E flows, written once over the engine-neutral interface of browsers.mjs and run in
// Chromium (Playwright) and in Firefox and WebKit (WebDriver) by ../engines.test.mjs, on the bare
// test page (../generic) against sf-emulator (test control, refresh-token rotation, 25 records a
// page). Events are awaited, never slept on. No token value is ever printed: a leak is reported
// by count and place.
import assert from "node:assert/strict";
import { USERS } from "../helpers.mjs";

export const EMULATOR_ARGS = ["--test-control", "--rotate-refresh-tokens", "--batch-size", "25"];
const QUERY = "/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Account";
const PREFIXES = ["00D5g00000DEMOA!", "5Aep861"]; // the emulator's access and refresh tokens

/** What the window shows: the emulator's login form or consent page, or the test page once its
 *  handleRedirect() settled; false while loading or while the old page is still there. */
const pageState = () =>
  !window.leaving && (document.querySelector("#username") ? "form"
    : document.querySelector("#oaapprove") ? "consent"
      : document.body && document.body.dataset.ready ? "ready" : false);

/** Does `act` (which navigates) and resolves with the state of the page it leads to. */
async function leave(w, act) {
  await w.eval(() => { window.leaving = true; });
  await act();
  return w.waitFor(pageState, null, 20_000);
}

async function open(s, url) {
  const w = await s.newWindow();
  await w.goto(url);
  assert.equal(await w.waitFor(pageState, null, 20_000), "ready");
  return w;
}

const status = (w) => w.eval(() => document.getElementById("status").textContent);
const events = (w) => w.eval(() => window.events);

/** login() through the emulator's form and consent page (each only if shown) back to the page. */
async function signIn(w, [user, password] = USERS.ada) {
  let state = await leave(w, () => w.eval(() => { window.auth.login(); }));
  for (let steps = 0; state !== "ready"; steps++) {
    assert.ok(steps < 3, `sign-in stuck on the emulator's ${state} page`);
    if (state === "form") {
      await w.fill("#username", user);
      await w.fill("#password", password);
      state = await leave(w, () => w.click("#Login"));
    } else {
      state = await leave(w, () => w.click("#oaapprove"));
    }
  }
  assert.equal(await w.eval(() => window.redirectError || null), null);
  assert.equal(await status(w), "signed in");
}

/** `n` concurrent auth.fetch calls started in each window before any is awaited; their statuses. */
async function concurrentCalls(windows, n) {
  for (const w of windows) {
    await w.eval((n) => {
      window.calls = Promise.all(Array.from({ length: n }, () =>
        window.auth.fetch("/services/data/v66.0/").then((r) => r.status, (e) => e.code)));
    }, n);
  }
  const out = [];
  for (const w of windows) out.push(...(await w.eval(() => window.calls)));
  return out;
}

/** The leak audit: no token the emulator ever issued (nor either token prefix) in any storage,
 *  cookie, the URL, history.state, IndexedDB or Cache Storage of these windows; handleRedirect
 *  added no history entry; the page's requests went only to the app and the emulator; and in the
 *  emulator's request log a Bearer went only to the REST API and userinfo, from the app. */
async function auditLeaks(app, windows) {
  const { everIssued } = await app.control("tokens");
  assert.ok(everIssued.length >= 2, "the audit knows the issued tokens");
  for (const [i, w] of windows.entries()) {
    const seen = await w.eval(async () => {
      const all = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`);
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
      return {
        text: [...all(localStorage), ...all(sessionStorage), document.cookie, location.href,
          JSON.stringify(history.state), window.historyStateAfterRedirect].join("\n"),
        dbs, caches: await caches.keys(),
        historyLength: history.length, historyLengthAtLoad: window.historyLengthAtLoad,
        requests: performance.getEntriesByType("resource").map((e) => e.name),
      };
    });
    const where = `window ${i + 1}`;
    const leaked = everIssued.filter((t) => seen.text.includes(t) || seen.requests.some((u) => u.includes(t))).length;
    assert.equal(leaked, 0, `${leaked} token(s) in storage, cookies, the URL, history.state or a request URL of ${where}`);
    for (const p of PREFIXES) assert.ok(!seen.text.includes(p), `a token prefix in ${where}`);
    assert.deepEqual(seen.dbs, [], `no IndexedDB database in ${where}`);
    assert.deepEqual(seen.caches, [], `no Cache Storage in ${where}`);
    assert.equal(seen.historyLength, seen.historyLengthAtLoad, `handleRedirect and the calls since added no history entry (${where})`);
    const origins = new Set(seen.requests.map((u) => new URL(u).origin));
    assert.deepEqual([...origins].filter((o) => o !== app.origin && o !== app.emulatorUrl), [], `requests only to the app and the emulator (${where})`);
  }
  const log = await app.control("log");
  const bearer = log.filter((e) => e.bearer);
  assert.ok(bearer.length > 0, "the log saw Bearer requests");
  const stray = bearer.filter((e) => !(e.path.startsWith("/services/data/") || e.path === "/services/oauth2/userinfo"));
  assert.deepEqual(stray.map((e) => e.path), [], "a Bearer only to the REST API and userinfo");
  const from = new Set(log.map((e) => e.origin).filter((o) => o && o !== app.emulatorUrl)); // its own forms aside
  assert.deepEqual([...from], [app.origin], "calls to the emulator only from the app");
}

const refreshGrants = async (app) => (await app.control("log")).filter((e) => e.grantType === "refresh_token" && e.method === "POST");
const authorizeCalls = async (app) => (await app.control("log")).filter((e) => e.path === "/services/oauth2/authorize");
const expire = (app) => app.control("expire-access-tokens", { method: "POST" });
const notAuthenticated = (w) => w.eval(() => window.auth.fetch("/services/data/v66.0/").then(() => "resolved", (e) => e.code));

/** Logout in `w` revokes everything at the emulator: no live access or refresh token. */
async function logoutRevokes(app, w) {
  const out = await w.eval(() => window.outcome(window.auth.logout()));
  assert.equal(out.ok, true, out.code);
  assert.equal(await notAuthenticated(w), "not_authenticated");
  const s = await app.control("state");
  assert.deepEqual([s.activeAccessTokens, s.activeRefreshTokens], [0, 0], "logout revoked every token");
}

/** Sign-in, expiry, one refresh, the leak audit and logout in a tab whose sharing fell back to
 *  `mode` because `deleted` APIs are missing; with "off", a second tab is not signed in. */
function fallback(sharing, deleted, mode) {
  return async (s, app) => {
    const query = `${app.origin}/?sharing=${sharing}&delete=${deleted}`;
    const a = await open(s, query);
    const left = await a.eval((names) => names.split(",").filter((n) => (n === "locks" ? navigator.locks : window[n]) !== undefined), deleted);
    assert.deepEqual(left, [], "the APIs are gone");
    assert.equal(await a.eval(() => window.auth.sharingMode), mode);
    assert.deepEqual(await events(a), [], "no error at construction");
    await signIn(a);
    const b = await open(s, query);
    assert.equal(await status(b), mode === "off" ? "signed out" : "signed in", mode === "off" ? "not shared" : "shared");
    const before = (await refreshGrants(app)).length;
    await expire(app);
    const signedIn = mode === "off" ? [a] : [a, b];
    assert.deepEqual(await concurrentCalls(signedIn, 5), Array(5 * signedIn.length).fill(200));
    assert.equal((await refreshGrants(app)).length - before, 1, "exactly one refresh");
    await auditLeaks(app, [a, b]);
    if (mode !== "off") await b.eval(() => { window.heard = window.nextEvent("logout"); });
    await logoutRevokes(app, a);
    if (mode !== "off") assert.equal(await b.eval(() => window.heard), "logout", "logout everywhere");
    assert.equal(await notAuthenticated(b), "not_authenticated");
  };
}

export const scenarios = {
  "sign in, relative auth.fetch with pagination, forced expiry -> one refresh, leak audit, logout -> 0 live tokens": async (s, app) => {
    const w = await open(s, `${app.origin}/`);
    assert.equal(await w.eval(() => window.entry), "/pkg/salesforce_pkce.js", "the default entry");
    await signIn(w);
    const session = await w.eval(() => window.auth.session);
    assert.equal(session.instanceUrl, app.emulatorUrl);
    assert.equal(session.orgId, "00D5g00000DEMOAEAQ");
    const url = new URL(await w.url());
    assert.deepEqual([url.pathname, url.search], ["/", ""], "callback parameters gone");

    const pages = await w.eval(async (query) => {
      const out = [];
      for (let url = query; out.length < 3;) {
        const r = await window.auth.fetch(url);
        const j = await r.json();
        out.push({ status: r.status, n: j.records.length, total: j.totalSize, done: j.done, ids: j.records.map((x) => x.Id) });
        url = j.nextRecordsUrl; // relative: resolved against instance_url
      }
      return out;
    }, QUERY);
    assert.deepEqual(pages.map((p) => [p.status, p.n, p.total, p.done]), Array(3).fill([200, 25, 300, false]));
    assert.equal(new Set(pages.flatMap((p) => p.ids)).size, 75, "three different pages of Accounts");

    const before = (await app.control("log")).length;
    await expire(app);
    await w.eval(() => { window.refreshed = window.nextEvent("token_refreshed"); });
    assert.deepEqual(await concurrentCalls([w], 5), Array(5).fill(200), "every call succeeds after the refresh");
    assert.equal(await w.eval(() => window.refreshed), "token_refreshed");
    const log = (await app.control("log")).slice(before);
    assert.equal(log.filter((e) => e.grantType === "refresh_token").length, 1, "exactly one refresh");
    const rest = log.filter((e) => e.path === "/services/data/v66.0/" && e.method === "GET").map((e) => e.status);
    assert.deepEqual(rest.sort(), [...Array(5).fill(200), ...Array(5).fill(401)], "each call: a 401, then its retry");
    assert.equal((await w.eval(() => window.auth.userinfo())).preferred_username, USERS.ada[0]);
    assert.equal(await w.eval(() => window.auth.stats.refreshes), 1);

    await auditLeaks(app, [w]);
    await logoutRevokes(app, w);
    // auth.fetch after logout (logoutRevokes checks it) rejects: that is its one report, counted
    // in stats.errorsByCode and no error event as well.
    assert.deepEqual(await events(w), ["login", "token_refreshed", "logout"]);
    assert.equal(await w.eval(() => window.auth.stats.errorsByCode.not_authenticated), 1);
  },

  ...Object.fromEntries(["tabs", "tabs-locks"].map((mode) => [
    `sessionSharing "${mode}": one login serves three windows, 3 x 20 concurrent 401s refresh once, logout everywhere`,
    async (s, app) => {
      const a = await open(s, `${app.origin}/?sharing=${mode}`);
      assert.equal(await a.eval(() => window.auth.sharingMode), mode);
      await signIn(a);
      const b = await open(s, `${app.origin}/?sharing=${mode}`);
      const c = await open(s, `${app.origin}/?sharing=${mode}`);
      for (const w of [b, c]) assert.equal(await status(w), "signed in", "a new window is signed in at once");
      assert.equal((await authorizeCalls(app)).length, 1, "one login for all windows");
      assert.equal((await c.eval(() => window.auth.userinfo())).preferred_username, USERS.ada[0], "userinfo from another window");
      if (mode === "tabs") assert.equal(await c.eval(() => window.auth.stats.logins), 1, "the worker's counters");

      const before = (await refreshGrants(app)).length;
      await expire(app);
      assert.deepEqual(await concurrentCalls([a, b, c], 20), Array(60).fill(200), "every call succeeds after the refresh");
      const after = await refreshGrants(app);
      assert.equal(after.length - before, 1, "exactly one refresh across the browser");
      assert.ok(after.every((e) => e.status === 200), "no rotated refresh token was reused");
      await auditLeaks(app, [a, b, c]);

      for (const w of [b, c]) await w.eval(() => { window.heard = window.nextEvent("logout"); });
      await logoutRevokes(app, a);
      for (const w of [b, c]) {
        assert.equal(await w.eval(() => window.heard), "logout", "logout everywhere");
        assert.equal(await notAuthenticated(w), "not_authenticated");
      }
    },
  ])),

  // README "Many tabs and reloads": where SharedWorker is missing, "tabs" shares as "tabs-locks";
  // where Web Locks or BroadcastChannel are missing, tabs do not share at all.
  'fallback: no SharedWorker -> "tabs" shares as "tabs-locks"': fallback("tabs", "SharedWorker", "tabs-locks"),
  'fallback: no navigator.locks -> "tabs-locks" is "off"': fallback("tabs-locks", "locks", "off"),
  'fallback: no BroadcastChannel -> "tabs-locks" is "off"': fallback("tabs-locks", "BroadcastChannel", "off"),
  'fallback: none of the three -> "tabs" is "off"': fallback("tabs", "SharedWorker,locks,BroadcastChannel", "off"),

  "restore: a first visit is not sent to the provider; a reload with a live provider session signs in silently; without one, restore_failed (login_required), and no retry loop": async (s, app) => {
    const first = (await authorizeCalls(app)).length;
    const w = await open(s, `${app.origin}/?restore=auto`);
    assert.equal(await status(w), "signed out");
    assert.equal((await authorizeCalls(app)).length, first, "a browser that never held a session is not sent through the provider");
    assert.deepEqual(await events(w), [], "and sees no event");
    await signIn(w);
    const logins = (await authorizeCalls(app)).length;

    assert.equal(await leave(w, () => w.reload()), "ready");
    assert.equal(await status(w), "signed in", "signed in again after the reload");
    assert.deepEqual((await authorizeCalls(app)).slice(logins).map((c) => c.status), [302], "straight back with a code: no login page");
    assert.deepEqual(await events(w), ["login"], "no password prompt, no error");
    assert.deepEqual(await concurrentCalls([w], 1), [200], "the restored session works");
    await auditLeaks(app, [w]);

    await s.clearCookies(app.emulatorUrl); // the provider session ends
    assert.equal(await leave(w, () => w.reload()), "ready");
    assert.equal(await status(w), "signed out");
    // immediate=true was sent: without a session the emulator answers immediate_unsuccessful, not
    // its form: login_required (not a denial), and no error event.
    assert.deepEqual(await events(w), ["restore_failed:login_required"]);
    assert.equal(await w.eval(() => window.auth.stats.errorsByCode.login_required), 1, "counted");
    assert.equal(await w.eval(() => window.redirectError || null), null, "no error page");

    const n = (await authorizeCalls(app)).length;
    assert.equal(await leave(w, () => w.reload()), "ready");
    assert.equal((await authorizeCalls(app)).length, n, "no new attempt within a minute");
  },
  "authorizationUrl(): resolves with the authorize URL, its pending record stored under its state; a write the storage refuses rejects with invalid_config and stores nothing": async (s, app) => {
    const w = await open(s, `${app.origin}/`);
    const r = await w.eval(async () => {
      const p = window.auth.authorizationUrl();
      const url = new URL(await p);
      const state = url.searchParams.get("state");
      const record = sessionStorage.getItem(`salesforce-pkce:pending:${state}`) || "";
      const stored = sessionStorage.length;
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); };
      let refused = null;
      try {
        await window.auth.authorizationUrl();
      } catch (e) {
        refused = [e.name, e.code, e.message.includes("refused to store the pending login")];
      } finally {
        Storage.prototype.setItem = setItem;
      }
      return {
        promise: typeof p.then === "function", state: state.length > 0, pkce: url.searchParams.get("code_challenge_method"),
        record: record.includes(`state=${state}`) && record.includes("verifier="), refused, same: sessionStorage.length === stored,
      };
    });
    assert.deepEqual(r, { promise: true, state: true, pkce: "S256", record: true, refused: ["AuthError", "invalid_config", true], same: true });
  },
};
