// Shared sessions across tabs (sessionSharing "tabs" = SharedWorker, "tabs-locks" = Web Locks
// leader + BroadcastChannel) in headless Chromium against sf-emulator with refresh-token rotation
// on: leader hand-over, worker failures, deploys, replays, a stuck leader, a frozen leader taken
// over. The core flows (one
// login for every tab, one refresh, logout everywhere, each fallback, silent restore) are
// engines/scenarios.mjs, run in all three engines by engines.test.mjs. Events are awaited, never
// slept on.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { emulatorSignIn, launch, startTestPage, submitLogin, USERS } from "./helpers.mjs";

let app, browser, origin;
before(async () => {
  app = await startTestPage({ emulatorArgs: ["--test-control", "--rotate-refresh-tokens"] });
  origin = app.origin;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
});

const control = (path, method = "GET") => app.control(path, { method });
const refreshes = async () => (await control("log")).filter((e) => e.grantType === "refresh_token" && e.method === "POST");

async function open(context, query) {
  const page = await context.newPage();
  await page.goto(`${origin}/?${query}`);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
  return page;
}

async function signIn(page, [user, password] = USERS.ada) {
  await Promise.all([page.waitForURL((u) => !u.href.startsWith(origin)), page.evaluate(() => window.auth.login())]);
  const which = await Promise.race([
    page.waitForSelector("#username").then(() => "form"),
    page.waitForURL(`${origin}/`).then(() => "back"),
  ]);
  if (which === "form") await submitLogin(page, origin, [user, password]);
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
  assert.equal(await page.evaluate(() => window.redirectError || null), null);
}

/** login() while the provider session is live: the authorize redirect comes straight back. */
async function signInAgain(page) {
  await Promise.all([page.waitForURL((u) => u.pathname === "/callback"), page.evaluate(() => window.auth.login())]);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
  assert.equal(await page.evaluate(() => window.redirectError || null), null);
}

/** No token the emulator ever issued is in any storage, cookie or URL of these pages. */
async function assertNoTokenStored(context, pages) {
  const { everIssued } = await control("tokens");
  for (const page of pages) {
    const dump = await page.evaluate(async () => {
      const all = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name).join(",") : "";
      const caches_ = await caches.keys().then((k) => k.join(","), () => "");
      return [all(localStorage), all(sessionStorage), document.cookie, location.href, dbs, caches_].join("\n");
    });
    assert.deepEqual(everIssued.filter((t) => dump.includes(t)), [], "no token in storage, cookies or the URL");
  }
  const cookies = JSON.stringify(await context.cookies());
  assert.deepEqual(everIssued.filter((t) => cookies.includes(t)), [], "no token in any cookie");
}

const apiCall = (page, n) => page.evaluate(async (n) => {
  const calls = Array.from({ length: n }, () => window.auth.fetch("/services/data/v66.0/").then((r) => r.status, (e) => e.code));
  return Promise.all(calls);
}, n);

for (const mode of ["tabs", "tabs-locks"]) {
  test(`${mode}: closing the first tab (the leader) keeps the others working`, async () => {
    await control("reset", "POST");
    const context = await browser.newContext();
    const a = await open(context, `sharing=${mode}`);
    await signIn(a);
    const b = await open(context, `sharing=${mode}`);
    const c = await open(context, `sharing=${mode}`);
    await a.close();
    const before = (await refreshes()).length;
    await control("expire-access-tokens", "POST");
    const results = await Promise.all([b, c].map((p) => apiCall(p, 5)));
    assert.deepEqual(results.flat(), Array(10).fill(200));
    assert.equal((await refreshes()).length - before, 1, "one refresh by the new leader");
    const d = await open(context, `sharing=${mode}`);
    assert.equal(await d.textContent("#status"), "signed in", "a tab opened later joins the session");
    await assertNoTokenStored(context, [b, c, d]);
    await context.close();
  });
}

test("tabs: while the worker's refresh is in flight, no tab's call carries the dead token again", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs");
  await signIn(a);
  const b = await open(context, "sharing=tabs");
  assert.equal(await b.textContent("#status"), "signed in");
  const start = (await control("log")).length;
  await control("expire-access-tokens", "POST");
  // The refresh waits 1.5 s at the emulator before its real answer.
  await app.control("faults", { method: "POST", body: JSON.stringify({ endpoint: "token", delayMs: 1500 }) });
  const storm = apiCall(a, 5);
  // The refresh reached the emulator (its fault was taken): the first 401 came back and joined it.
  for (let i = 0; i < 500 && (await control("state")).faults > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal((await control("state")).faults, 0, "the refresh started");
  const madeAt = Date.now();
  const storms = await Promise.all([storm, apiCall(a, 5), apiCall(b, 5)]);
  assert.deepEqual(storms.flat(), Array(15).fill(200));
  const log = (await control("log")).slice(start);
  const grants = log.filter((e) => e.grantType === "refresh_token");
  assert.equal(grants.length, 1, "one refresh");
  assert.ok(grants[0].time > madeAt, "the two later storms were made while it was in flight");
  const api = log.filter((e) => e.path.startsWith("/services/data/"));
  const dead = api.filter((e) => e.status === 401).length;
  // Each of the first storm's calls in flight when the first 401 came back sent it once; none
  // of the later storms' calls did: they waited for the refresh.
  assert.ok(dead >= 1 && dead <= 5, `${dead} requests with the dead token`);
  assert.equal(api.filter((e) => e.status === 200).length, 15, "each call once with the new token");
  await context.close();
});

test("tabs: auth.fetch with a method fetch cannot send is invalid_config naming method, as in the other modes, and nothing is sent", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs");
  await signIn(a);
  const start = (await control("log")).length;
  const out = await a.evaluate(async () => {
    const o = (p) => window.outcome(p);
    const url = "/services/data/v66.0/";
    const bad = [];
    for (const method of ["CONNECT", "bad method", "", "trace", Symbol("GET")]) bad.push(await o(window.auth.fetch(url, { method })));
    let threw = false, getter;
    try {
      getter = await o(window.auth.fetch(url, { get method() { throw new Error("no"); } }));
    } catch {
      threw = true;
    }
    const good = await o(window.auth.fetch(url, { method: "get" }));
    const none = await o(window.auth.fetch(url));
    // The input's kind is checked first, as in the other modes.
    const input = await o(window.auth.fetch(42, { method: "CONNECT" }));
    return { bad, threw, getter, good, none, input };
  });
  assert.equal(out.input.code, "invalid_config");
  assert.match(out.input.message, /^invalid configuration: input: /);
  for (const b of out.bad) {
    assert.equal(b.code, "invalid_config");
    assert.equal(b.isError, true);
    assert.match(b.message, /^invalid configuration: method: /);
  }
  // A method getter that throws: a request that cannot be built (rejected, never thrown).
  assert.equal(out.threw, false);
  assert.equal(out.getter.code, "invalid_config");
  assert.match(out.getter.message, /could not be built/);
  assert.deepEqual([out.good.status, out.none.status], [200, 200]);
  // (Preflights aside.)
  const api = (await control("log")).slice(start).filter((e) => e.path.startsWith("/services/data/") && e.method !== "OPTIONS");
  assert.deepEqual(api.map((e) => e.method), ["GET", "GET"], "only the two good calls were sent");
  await context.close();
});

test("tabs: a second logout() while the first waits in the worker for its revocations settles with it, also when this tab already sees no session", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs");
  await signIn(a);
  // The first revocation is answered after 2 s.
  await app.control("faults", { method: "POST", body: JSON.stringify({ endpoint: "revoke", delayMs: 2000 }) });
  const out = await a.evaluate(async () => {
    const t0 = Date.now();
    const settled = [];
    const first = window.auth.logout().then(() => settled.push(["first", Date.now() - t0]));
    // A call answered meanwhile tells this tab that the worker holds no session.
    const fetched = await window.outcome(window.auth.fetch("/services/data/v66.0/"));
    const seen = window.auth.isAuthenticated;
    // A double click.
    const second = window.auth.logout().then(() => settled.push(["second", Date.now() - t0]));
    await Promise.all([first, second]);
    return { fetched, seen, settled };
  });
  assert.equal(out.fetched.code, "not_authenticated");
  assert.equal(out.seen, false, "this tab's view is signed out");
  assert.deepEqual(out.settled.map(([n]) => n), ["second", "first"], "the first settles last");
  assert.ok(out.settled[0][1] >= 1500, `the second waited for the revocations (${out.settled[0][1]} ms)`);
  assert.deepEqual(await a.evaluate(() => window.events.filter((e) => e === "logout")), ["logout"], "one logout event");
  await context.close();
});

test("tabs-locks: a logout() in a tab that another tab's logout signed out waits for that logout's revocations", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs-locks");
  await signIn(a);
  const b = await open(context, "sharing=tabs-locks");
  await b.waitForFunction(() => window.auth.isAuthenticated);
  // The revocation is answered after 2 s.
  await app.control("faults", { method: "POST", body: JSON.stringify({ endpoint: "revoke", delayMs: 2000 }) });
  await a.evaluate(() => { window.first = window.auth.logout().then(() => Date.now()); });
  // Tab B hears of it (signed out), and its user signs out too.
  await b.waitForFunction(() => !window.auth.isAuthenticated);
  const second = await b.evaluate(async () => {
    const t0 = Date.now();
    const out = await window.outcome(window.auth.logout());
    return { out, t0, at: Date.now() };
  });
  const first = await a.evaluate(() => window.first);
  assert.equal(second.out.ok, true);
  assert.ok(second.at - second.t0 >= 1000, `B's logout waited for A's revocation (${second.at - second.t0} ms)`);
  assert.ok(second.at >= first, "and settled after A's");
  // Signed out, nothing waiting: a logout settles at once.
  const again = await b.evaluate(async () => {
    const t0 = Date.now();
    await window.auth.logout();
    return Date.now() - t0;
  });
  assert.ok(again < 1000, `${again} ms`);
  assert.deepEqual(await b.evaluate(() => window.events.filter((e) => e === "logout")), ["logout"], "one logout event in B");
  await context.close();
});

test("tabs-locks: a logout with endSession whose page stays (beforeunload answered Stay) holds the logout lock at most twice timeoutMs", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const opts = `sharing=tabs-locks&options=${encodeURIComponent(JSON.stringify({ timeoutMs: 1000 }))}`;
  const a = await open(context, opts);
  await signIn(a);
  const b = await open(context, opts);
  await b.waitForFunction(() => window.auth.isAuthenticated);
  // Unsaved changes: the page asks before it leaves, and its user stays.
  await a.evaluate(() => addEventListener("beforeunload", (e) => { e.preventDefault(); e.returnValue = ""; }));
  await a.click("body");
  let dialogs = 0;
  a.on("dialog", (d) => { dialogs++; d.dismiss(); });
  await a.evaluate(() => { window.auth.logout({ endSession: true }); });
  await b.waitForFunction(() => !window.auth.isAuthenticated);
  // A's logout promise never settles (it navigated, and the page stayed); after 2 x timeoutMs
  // its hold is gone, and B's logout, with nothing to revoke, settles at once (it waited the
  // whole timeoutMs for every later logout before).
  await a.waitForTimeout(2500);
  assert.equal(dialogs, 1, "the page asked, and stayed");
  assert.ok(a.url().startsWith(origin), a.url());
  const took = await b.evaluate(async () => {
    const t0 = Date.now();
    const out = await window.outcome(window.auth.logout());
    return [Date.now() - t0, out.ok];
  });
  assert.equal(took[1], true);
  assert.ok(took[0] < 500, `B's logout took ${took[0]} ms`);
  await context.close();
});

test("tabs: auth.fetch reads an init's inherited members as fetch does (the request the worker sends)", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs");
  await signIn(a);
  const out = await a.evaluate(async () => {
    const url = "/services/data/v66.0/";
    // An integrity the answer cannot match: fetch refuses the answer, whether the member is the
    // init's own or inherited.
    const integrity = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    // (With a method: the init is copied then.)
    const own = await window.outcome(window.auth.fetch(url, { method: "GET", integrity }));
    const inherited = await window.outcome(window.auth.fetch(url, Object.create({ method: "GET", integrity })));
    class Init {
      get method() { return "GET"; }
      get integrity() { return integrity; }
    }
    const getter = await window.outcome(window.auth.fetch(url, new Init()));
    const plain = await window.outcome(window.auth.fetch(url));
    return [own, inherited, getter, plain].map((o) => o.status || o.code);
  });
  assert.deepEqual(out, ["network_error", "network_error", "network_error", 200]);
  await context.close();
});

// In the page: an instrumentation wrapper that reads the client whenever the time is read
// (`window.nowCalls` counts the reads); `window.unwrapNow()` puts Date.now back.
function wrapNow() {
  const now = Date.now;
  window.nowCalls = 0;
  Date.now = () => {
    window.nowCalls += 1;
    void window.auth.isAuthenticated;
    void window.auth.stats;
    return now.call(Date);
  };
  window.unwrapNow = () => { Date.now = now; };
}
test("a page whose Date.now calls the client: logout() and the client's timer never trap", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "x=1");
  await signIn(a);
  const errors = [];
  a.on("pageerror", (e) => errors.push(String(e)));
  await a.evaluate(wrapNow);
  const out = await a.evaluate(async () => {
    try {
      const loggedOut = await window.outcome(window.auth.logout());
      return { entry: window.entry, loggedOut, calls: window.nowCalls, authenticated: window.auth.isAuthenticated };
    } finally {
      window.unwrapNow();
    }
  });
  assert.equal(out.entry, "/pkg/salesforce_pkce.js", "the default entry");
  assert.ok(out.calls > 0, "the client read the time");
  assert.deepEqual(errors, [], "nothing trapped");
  assert.equal(out.loggedOut.ok, true);
  assert.equal(out.authenticated, false);
  // The client's timer: a logout whose revocation is answered after 3 s ends at its 1 s
  // `timeoutMs` deadline, which only the timer can reach, while Date.now calls the client.
  // (Another context: the emulator's sign-in cookie would skip the form `signIn` waits for.)
  const other = await browser.newContext();
  const b = await open(other, `x=2&options=${encodeURIComponent(JSON.stringify({ timeoutMs: 1000 }))}`);
  await signIn(b);
  b.on("pageerror", (e) => errors.push(String(e)));
  await app.control("faults", { method: "POST", body: JSON.stringify({ endpoint: "revoke", delayMs: 3000 }) });
  await b.evaluate(wrapNow);
  const timed = await b.evaluate(async () => {
    try {
      const t0 = performance.now();
      const loggedOut = await window.outcome(window.auth.logout());
      return { loggedOut, took: performance.now() - t0, calls: window.nowCalls, authenticated: window.auth.isAuthenticated };
    } finally {
      window.unwrapNow();
    }
  });
  assert.ok(timed.took >= 900 && timed.took < 2900, `settled at the deadline (${timed.took} ms)`);
  assert.ok(timed.calls > 0, "the client read the time");
  assert.deepEqual(errors, [], "nothing trapped");
  assert.equal(timed.loggedOut.code, "revocation_failed", "the deadline's outcome");
  assert.equal(timed.authenticated, false);
  await other.close();
  await context.close();
});

test("tabs: a session worker that cannot start falls back to tabs-locks with one network_error; sign-in and sharing work", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const page = await open(context, "sharing=tabs&worker=/no-such-worker.js");
  assert.equal(await page.evaluate(() => window.auth.sharingMode), "tabs-locks", "sharingMode tells the truth");
  const errors = await page.evaluate(() => window.errorMessages);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  // Chromium reports the failed load (error event); when it does not in time, the join's
  // timeoutMs gives the worker up: either way, one network_error and the fallback.
  assert.match(errors[0], /^network error: the session worker .*(could not be started|did not answer within timeoutMs).*"tabs-locks" instead$/);
  assert.deepEqual(await page.evaluate(() => window.events), ["error:network_error"]);
  await signIn(page);
  assert.equal(await page.textContent("#status"), "signed in");
  const b = await open(context, "sharing=tabs&worker=/no-such-worker.js");
  assert.equal(await b.textContent("#status"), "signed in", "the fallback still shares the session");
  await context.close();
});

test("tabs: a session worker that never answers is given up after timeoutMs; the callback cleans the address bar before any wait", async () => {
  const slow = await startTestPage({ emulatorArgs: ["--test-control"], config: { timeoutMs: 1500 } });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${slow.origin}/?sharing=tabs&worker=/silent-worker.js`);
    await page.waitForSelector("body[data-ready]", { state: "attached" });
    assert.ok(Date.now() - started < 10_000, "no hang");
    assert.equal(await page.evaluate(() => window.auth.sharingMode), "tabs-locks");
    const errors = await page.evaluate(() => window.errorMessages);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], /did not answer within timeoutMs/);
    await Promise.all([page.waitForURL((u) => !u.href.startsWith(slow.origin)), page.evaluate(() => window.auth.login())]);
    await emulatorSignIn(page);
    // The callback page waits up to 1.5 s for the silent worker: the code is gone from the
    // address bar before that wait ends.
    let cleanWhileWaiting = false;
    for (let i = 0; i < 400 && !cleanWhileWaiting; i++) {
      const seen = await page.evaluate(() => ({
        path: location.pathname, search: location.search, ready: !!document.body?.dataset.ready,
      })).catch(() => null);
      if (seen?.ready) break;
      cleanWhileWaiting = !!seen && seen.path === "/callback" && !seen.search.includes("code=");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(cleanWhileWaiting, "code and state were gone from the address bar while the join waited");
    await page.waitForSelector("body[data-ready]", { state: "attached" });
    assert.equal(await page.evaluate(() => window.redirectError || null), null);
    assert.equal(await page.textContent("#status"), "signed in", "the fallback completes the sign-in");
    const url = new URL(page.url());
    assert.ok(!url.search.includes("code=") && !url.search.includes("state="), url.href);
    assert.equal(await page.evaluate(() => window.auth.sharingMode), "tabs-locks");
  } finally {
    await context.close();
    slow.stop();
  }
});

test("tabs: free() while the callback waits for the session worker rejects handleRedirect with not_initialized and sends no code exchange", async () => {
  const slow = await startTestPage({ emulatorArgs: ["--test-control"], config: { timeoutMs: 3000 } });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${slow.origin}/?sharing=tabs&worker=/silent-worker.js`);
    await page.waitForSelector("body[data-ready]", { state: "attached" });
    await Promise.all([page.waitForURL((u) => !u.href.startsWith(slow.origin)), page.evaluate(() => window.auth.login())]);
    await emulatorSignIn(page);
    // The callback page cleans the address bar, then waits (up to 3 s) for the silent worker:
    // the client is freed during that wait.
    let freed = false;
    for (let i = 0; i < 400 && !freed; i++) {
      freed = await page.evaluate(() => {
        if (location.pathname !== "/callback" || location.search.includes("code=") || !window.auth) return false;
        window.auth.free();
        return true;
      }).catch(() => false);
      if (!freed) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(freed, "the client was freed while its callback waited");
    await page.waitForFunction(() => window.redirectError, null, { timeout: 10_000 });
    assert.match(await page.evaluate(() => window.redirectError), /^not_initialized: /);
    const exchanges = (await slow.control("log")).filter((e) => e.grantType === "authorization_code");
    assert.deepEqual(exchanges, [], "no code exchange after free()");
  } finally {
    await context.close();
    slow.stop();
  }
});

test("tabs: a deploy with other options starts its own session group instead of being refused", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const a = await open(context, "sharing=tabs");
  await signIn(a);
  // A new deploy of the app, open beside the old one: one option changed.
  const b = await open(context, `sharing=tabs&options=${encodeURIComponent(JSON.stringify({ timeoutMs: 14000 }))}`);
  assert.equal(await b.evaluate(() => window.auth.sharingMode), "tabs");
  assert.deepEqual(await b.evaluate(() => window.events), [], "not refused, no error");
  assert.equal(await b.textContent("#status"), "signed out", "its own session group");
  await signInAgain(b);
  assert.equal(await b.textContent("#status"), "signed in");
  assert.equal(await a.evaluate(() => window.auth.isAuthenticated), true, "the old deploy keeps its session");
  await context.close();
});

test("tabs-locks: after logout, a replayed token set of that login never signs a tab in again; a new login does", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const { a, b } = await recordedRefresh(context);
  await a.evaluate(() => window.auth.logout());
  await b.waitForFunction(() => !window.auth.isAuthenticated);
  // A late answer or a proactive refresh of the ended login, arriving now.
  await b.evaluate(() => {
    for (const m of window.recorded.filter(window.isTokens)) window.recorder.postMessage(m);
  });
  await a.waitForTimeout(300);
  assert.equal(await a.evaluate(() => window.auth.isAuthenticated), false, "logout sticks in the tab that logged out");
  assert.equal(await b.evaluate(() => window.auth.isAuthenticated), false, "and in the other");
  assert.ok(!(await b.evaluate(() => window.events)).slice(-2).includes("login"));
  await signInAgain(a);
  await b.waitForFunction(() => window.auth.isAuthenticated);
  await context.close();
});

test("tabs-locks: a DPoP key posted beside a Bearer token set never makes a client without dpop send proofs", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const { a, b } = await recordedRefresh(context);
  // A same-origin script posts the last (Bearer) set again, one version later, with a key pair
  // of its own beside it, as a tab with DPoP would post its key.
  await b.evaluate(async () => {
    const [text] = window.recorded.filter(window.isTokens).at(-1);
    const later = text.replace(/(^|&)n=(\d+)/, (_, lead, n) => `${lead}n=${Number(n) + 1}`);
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const { x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    window.recorder.postMessage([later, { pair, x, y }]);
  });
  await a.waitForTimeout(300);
  const before = (await control("log")).length;
  await control("expire-access-tokens", "POST");
  assert.deepEqual(await apiCall(a, 1), [200]);
  assert.deepEqual(await apiCall(b, 1), [200]);
  const log = (await control("log")).slice(before);
  assert.ok(log.some((e) => e.grantType === "refresh_token"), "the leader refreshed");
  assert.deepEqual(log.filter((e) => e.dpop).map((e) => e.path), [], "no request carried a DPoP proof");
  await context.close();
});

test("tabs-locks: a page whose CryptoKey getters call the client while another tab's key is read: no trap, the session kept", async () => {
  await control("reset", "POST");
  const context = await browser.newContext();
  const { a, b } = await recordedRefresh(context);
  const errors = [];
  a.on("pageerror", (e) => errors.push(String(e)));
  // In `a`, CryptoKey's getters read the client (an instrumentation wrapper, say): the posted
  // key's check calls into the client while the message is read.
  await a.evaluate(() => {
    window.calledBack = 0;
    for (const name of ["type", "algorithm", "usages", "extractable"]) {
      const d = Object.getOwnPropertyDescriptor(CryptoKey.prototype, name);
      Object.defineProperty(CryptoKey.prototype, name, {
        ...d,
        get() {
          window.calledBack += 1;
          void window.auth.isAuthenticated;
          void window.auth.stats;
          return d.get.call(this);
        },
      });
    }
  });
  // `b` posts the last set again, one version later, with a key pair beside it.
  await b.evaluate(async () => {
    const [text] = window.recorded.filter(window.isTokens).at(-1);
    const later = text.replace(/(^|&)n=(\d+)/, (_, lead, n) => `${lead}n=${Number(n) + 1}`);
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const { x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    window.recorder.postMessage([later, { pair, x, y }]);
  });
  await a.waitForFunction(() => window.calledBack > 0);
  await a.waitForTimeout(300);
  assert.deepEqual(errors, [], "nothing trapped");
  assert.equal(await a.evaluate(() => window.auth.isAuthenticated), true);
  assert.deepEqual(await apiCall(a, 1), [200]);
  assert.deepEqual(await apiCall(b, 1), [200]);
  await context.close();
});

/**
 * Two `"tabs-locks"` pages of `context`: `a` signed in (it leads), `b` joined it, with a
 * recorder on the group's channel (its name is the leader's lock name) that keeps every message,
 * and one refresh done, so that a token set message is recorded.
 */
async function recordedRefresh(context) {
  const a = await open(context, "sharing=tabs-locks");
  await signIn(a);
  const b = await open(context, "sharing=tabs-locks");
  assert.equal(await b.textContent("#status"), "signed in");
  await b.evaluate(async () => {
    const { held } = await navigator.locks.query();
    window.recorded = [];
    window.recorder = new BroadcastChannel(held[0].name);
    window.recorder.onmessage = (e) => window.recorded.push(e.data);
    // A message is its text (a form: `t` its type) and the value posted beside it.
    window.isTokens = (m) => Array.isArray(m) && new URLSearchParams(m[0]).get("t") === "tokens";
  });
  await control("expire-access-tokens", "POST");
  assert.deepEqual(await apiCall(b, 1), [200]);
  await b.waitForFunction(() => window.recorded.some(window.isTokens));
  return { a, b };
}

/** Two `"tabs-locks"` pages of one context on `app`: `a` signed in (it leads), `b` joined it. */
async function twoLockTabs(app, context) {
  const openOn = async (query) => {
    const p = await context.newPage();
    await p.goto(`${app.origin}/?${query}`);
    await p.waitForSelector("body[data-ready]", { state: "attached" });
    return p;
  };
  const a = await openOn("sharing=tabs-locks");
  await Promise.all([a.waitForURL((u) => !u.href.startsWith(app.origin)), a.evaluate(() => window.auth.login())]);
  await emulatorSignIn(a);
  await a.waitForURL(`${app.origin}/`);
  await a.waitForSelector("body[data-ready]", { state: "attached" });
  const b = await openOn("sharing=tabs-locks");
  assert.equal(await b.textContent("#status"), "signed in");
  return { a, b };
}

test("tabs-locks: a stuck leader makes a follower's refresh a network_error that keeps the session; once it wakes, one refresh serves both", async () => {
  const slow = await startTestPage({ emulatorArgs: ["--test-control", "--rotate-refresh-tokens"], config: { timeoutMs: 1500 } });
  const context = await browser.newContext();
  try {
    const { a, b } = await twoLockTabs(slow, context);

    // The leader's main thread is stuck for 3 s (a frozen or hung background tab).
    await slow.control("expire-access-tokens", { method: "POST" });
    const stuck = a.evaluate(() => { const end = Date.now() + 3000; while (Date.now() < end); });
    const frozen = await b.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.equal(frozen.code, "network_error");
    assert.match(frozen.message, /leader tab did not answer/);
    assert.equal(await b.evaluate(() => window.auth.isAuthenticated), true, "the session is kept");

    // The leader wakes up; the question queued while it was stuck is older than timeoutMs (its
    // asker gave up on it), so it is left unanswered, and the next one gets one refresh for both.
    await stuck;
    const thawed = await b.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.deepEqual(thawed, { ok: true, status: 200 });
    const refreshes = (await slow.control("log")).filter((e) => e.grantType === "refresh_token" && e.method === "POST");
    assert.equal(refreshes.length, 1, "one refresh, by the leader");
    assert.ok(refreshes.every((e) => e.status === 200), "no rotated token was reused");
  } finally {
    await context.close();
    slow.stop();
  }
});

test("tabs-locks: a frozen leader is taken over at the second timeout with exactly one refresh grant; when it wakes it follows", async () => {
  const slow = await startTestPage({ emulatorArgs: ["--test-control", "--rotate-refresh-tokens"], config: { timeoutMs: 1000 } });
  const context = await browser.newContext();
  try {
    const { a, b } = await twoLockTabs(slow, context);
    const grants = async () => (await slow.control("log")).filter((e) => e.grantType === "refresh_token" && e.method === "POST");

    // The leader's main thread is frozen for 6 s, its Web Lock held all along.
    await slow.control("expire-access-tokens", { method: "POST" });
    const frozen = a.evaluate(() => { const end = Date.now() + 6000; while (Date.now() < end); });
    const first = await b.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.equal(first.code, "network_error", "the first timeout keeps the session");
    assert.equal((await grants()).length, 0, "no refresh beside a leader that holds the lock");
    const second = await b.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.deepEqual(second, { ok: true, status: 200 }, "the second timeout takes the lock over and refreshes");
    assert.equal((await grants()).length, 1, "exactly one refresh grant");

    // The old leader wakes: it lost the lock, answers none of the questions queued meanwhile,
    // and takes the new leader's set.
    await frozen;
    const thawed = await a.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.deepEqual(thawed, { ok: true, status: 200 });
    assert.equal((await grants()).length, 1, "still one grant: the woken tab did not refresh");
    // Expiry again, asked by the old leader: the new leader refreshes, once, with the rotated token.
    await slow.control("expire-access-tokens", { method: "POST" });
    const again = await a.evaluate(() => window.outcome(window.auth.fetch("/services/data/v66.0/")));
    assert.deepEqual(again, { ok: true, status: 200 });
    const all = await grants();
    assert.equal(all.length, 2);
    assert.ok(all.every((e) => e.status === 200), "no rotated token was reused: no invalid_grant");
    assert.equal(await b.evaluate(() => window.auth.stats.refreshes), 2, "both by the new leader");
    assert.equal(await a.evaluate(() => window.auth.isAuthenticated), true);
    assert.equal(await b.evaluate(() => window.auth.isAuthenticated), true);
  } finally {
    await context.close();
    slow.stop();
  }
});
