// auth.fetch from JavaScript (the fast path in js/fetch.js) in headless Chromium against
// sf-emulator: the caller's init is kept, a body is sent again on the retry after a 401, a 403
// is delivered unless it says Bad_OAuth_Token, and bad input fails with stable codes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { USERS, emulatorSignIn, launch, signInOnTestPage, startTestPage, submitLogin } from "./helpers.mjs";

let app, browser, emulatorUrl, page;
const QUERY = "/services/data/v66.0/query?q=SELECT+Id+FROM+Account";
before(async () => {
  app = await startTestPage({ emulatorArgs: ["--test-control"] });
  emulatorUrl = app.emulatorUrl;
  browser = await launch();
  page = await (await browser.newContext()).newPage();
  await signInOnTestPage(page, app.origin);
});
after(async () => {
  await browser?.close();
  app?.stop();
});

const control = (path, body) => app.control(path, body ? { method: "POST", body: JSON.stringify(body) } : { method: path === "log" ? "GET" : "POST" });
const refreshes = async () => (await control("log")).filter((e) => e.grantType === "refresh_token").length;
const call = (url, init) => page.evaluate(([url, init]) => window.outcome(window.auth.fetch(url, init)), [url, init]);

test("the caller's method, headers and body are sent with the Bearer, and again on the retry after a 401", async () => {
  const sent = [];
  const listener = (r) => r.url().includes("/query") && sent.push({ method: r.method(), headers: r.headers(), body: r.postData() });
  page.on("request", listener);
  const before = await refreshes();
  await control("expire-access-tokens");
  const r = await call(QUERY, { method: "POST", headers: { "X-Trace": "t-1", "Content-Type": "text/plain" }, body: "payload" });
  page.off("request", listener);
  // Like Salesforce, the emulator allows only GET on query (after the token check): the retried
  // answer is delivered whatever its status.
  assert.deepEqual(r, { ok: true, status: 405 });
  assert.equal(await refreshes(), before + 1);
  const posts = sent.filter((s) => s.method === "POST");
  assert.equal(posts.length, 2, "the first attempt and the retry");
  for (const p of posts) {
    assert.equal(p.headers["x-trace"], "t-1");
    assert.match(p.headers.authorization, /^Bearer /);
    assert.equal(p.body, "payload");
  }
  assert.notEqual(posts[0].headers.authorization, posts[1].headers.authorization, "the retry carries the new token");
});

test("a path with a tab and a newline (the browser drops them from what it sends): a 401 refreshes once and the retry is answered; a request that fails names its origin", async () => {
  const odd = QUERY.replace("/services/", "/serv\tices/").replace("/v66.0/", "/\nv66.0/");
  const before = await refreshes();
  await control("expire-access-tokens");
  assert.deepEqual(await call(odd), { ok: true, status: 200 });
  assert.equal(await refreshes(), before + 1, "one refresh, then the retry");
  await control("faults", { endpoint: "rest", drop: true, count: 3 });
  const dropped = await call(odd);
  await app.control("faults", { method: "DELETE" });
  assert.equal(dropped.code, "network_error");
  assert.match(dropped.message, new RegExp(`the request to ${emulatorUrl.replace(/[.]/g, "\\.")} failed`));
});

test("a 403 is delivered as it is; a 403 Bad_OAuth_Token refreshes and retries", async () => {
  let before = await refreshes();
  await control("faults", { endpoint: "rest", status: 403, body: '[{"errorCode":"INSUFFICIENT_ACCESS"}]' });
  assert.deepEqual(await call(QUERY), { ok: true, status: 403 });
  assert.equal(await refreshes(), before, "no refresh for a plain 403");
  before = await refreshes();
  await control("faults", { endpoint: "rest", status: 403, body: "Bad_OAuth_Token" });
  assert.deepEqual(await call(QUERY), { ok: true, status: 200 });
  assert.equal(await refreshes(), before + 1);
});

test("bad input and no answer fail with stable codes, and the session is kept", async () => {
  const other = await call("https://evil.example/steal");
  assert.equal(other.code, "origin_not_allowed");
  assert.equal(other.isError, true);
  const badHeader = await call(QUERY, { headers: { "bad header": "x" } });
  assert.equal(badHeader.code, "invalid_config");
  // A fixed message: the browser's own text may quote a header value (Firefox quotes it whole).
  assert.match(badHeader.message, /could not be built: the browser refused .*its own message is not shown/);
  assert.doesNotMatch(badHeader.message, /TypeError|Headers/);
  // Chromium may retry a dropped request itself (once per reused connection): three drops make
  // the call fail whatever it does; what is left is cleared below.
  await control("faults", { endpoint: "rest", drop: true, count: 3 });
  const dropped = await call(QUERY);
  assert.equal(dropped.code, "network_error");
  assert.match(dropped.message, new RegExp(`the request to ${emulatorUrl.replace(/[.]/g, "\\.")} failed`));
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true, "a network error keeps the session");
  // Forget the drops Chromium did not use, so that the next call meets a healthy server.
  await app.control("faults", { method: "DELETE" });
  assert.deepEqual(await call(QUERY), { ok: true, status: 200 });
  const stats = await page.evaluate(() => window.auth.stats.errorsByCode);
  for (const code of ["origin_not_allowed", "invalid_config", "network_error"]) assert.ok(stats[code] >= 1, `${code} counted`);
});

test("init.method is read as fetch reads it: one fetch cannot send (\"\", a space, CONNECT/TRACE/TRACK in any case, a Symbol) is invalid_config naming method, nothing sent, on the fast path and the general one; a lowercase method goes as fetch sends it", async () => {
  const seen = [];
  const listener = (r) => r.url().includes("/query") && seen.push(r.method());
  page.on("request", listener);
  const bad = await page.evaluate(async ([q, abs]) => {
    const out = [];
    for (const url of [q, abs]) {
      for (const method of ["", " GET", "TRACE", "connect", "Track", "G\u00e9T", Symbol("GET")]) {
        out.push(await window.outcome(window.auth.fetch(url, { method })).then((o) => [String(method.toString()), o.code, o.isError, o.message]));
      }
    }
    return out;
  }, [QUERY, `${emulatorUrl}${QUERY}`]);
  for (const [method, code, isError, message] of bad) {
    assert.equal(code, "invalid_config", method);
    assert.equal(isError, true, method);
    assert.match(message, /^invalid configuration: method: /, method);
  }
  assert.deepEqual(seen, [], "none of them was sent");
  // Lowercase (fetch upper-cases the six it normalizes) and an absent method (GET) go as fetch sends them.
  assert.deepEqual(await call(QUERY, { method: "get" }), { ok: true, status: 200 });
  assert.deepEqual(await call(QUERY, { method: undefined }), { ok: true, status: 200 });
  assert.deepEqual(await page.evaluate((q) => window.outcome(window.auth.fetch(q, null)), QUERY), { ok: true, status: 200 });
  // A method getter that throws: rejected (a request that cannot be built), never thrown; a
  // method read from init's prototype (as fetch reads it) is the one checked and the one sent.
  const odd = await page.evaluate(async (q) => {
    let threw = false, getter;
    try {
      getter = await window.outcome(window.auth.fetch(q, { get method() { throw new Error("no"); } }));
    } catch {
      threw = true;
    }
    const inherited = await window.outcome(window.auth.fetch(q, Object.create({ method: "DELETE" })));
    return { threw, getter, inherited };
  }, QUERY);
  assert.equal(odd.threw, false, "auth.fetch rejects, it does not throw");
  assert.equal(odd.getter.code, "invalid_config");
  assert.match(odd.getter.message, /could not be built/);
  assert.equal(odd.inherited.ok, true);
  page.off("request", listener);
  assert.deepEqual(seen, ["GET", "GET", "GET", "DELETE"]);
  const stats = await page.evaluate(() => window.auth.stats.errorsByCode);
  assert.ok(stats.invalid_config >= bad.length, "each refusal counted");
});

test("auth.fetch's input shapes: the app's own Authorization (Headers, pairs, record, Request) never wins nor leaves for another origin; a Request whose body was used, and an aborted signal (before the call, during the refresh before the retry), fail with stable codes", async () => {
  const seen = [];
  const listener = (r) => r.url().includes("/query") && seen.push({ url: r.url(), method: r.method(), authorization: r.headers().authorization });
  page.on("request", listener);
  const APP = "Bearer the-app's-own";
  const out = await page.evaluate(async ([q, abs, app]) => {
    const o = (p) => window.outcome(p);
    const r = {};
    r.headers = await o(window.auth.fetch(q, { headers: new Headers({ Authorization: app }) }));
    r.pairs = await o(window.auth.fetch(q, { headers: [["Authorization", app], ["authorization", app]] }));
    r.record = await o(window.auth.fetch(abs, { headers: { authorization: app } }));
    r.request = await o(window.auth.fetch(new Request(abs, { headers: { Authorization: app } })));
    r.requestInit = await o(window.auth.fetch(new Request(abs), { method: "post", body: "x", headers: { Authorization: app } }));
    r.url = await o(window.auth.fetch(new URL(abs), { headers: { Authorization: app } }));
    r.elsewhere = await o(window.auth.fetch("https://evil.example/x", { headers: { Authorization: app } }));
    const used = new Request(abs, { method: "POST", body: "once" });
    await used.text();
    r.usedBody = await o(window.auth.fetch(used));
    r.abortedBefore = await o(window.auth.fetch(q, { signal: AbortSignal.abort() }));
    return r;
  }, [QUERY, `${emulatorUrl}${QUERY}`, APP]);
  for (const k of ["headers", "pairs", "record", "request", "url"]) assert.deepEqual(out[k], { ok: true, status: 200 }, k);
  assert.deepEqual(out.requestInit, { ok: true, status: 405 }, "the Request's method from init, lowercase, sent as POST");
  assert.equal(out.elsewhere.code, "origin_not_allowed");
  assert.equal(out.usedBody.code, "invalid_config", "a Request whose body was used: could not be built, not a TypeError");
  assert.match(out.usedBody.message, /could not be built/);
  assert.equal(out.abortedBefore.code, "network_error");
  assert.match(out.abortedBefore.message, /AbortError/);
  assert.equal(seen.length, 6, "the six allowed calls, nothing to evil.example, nothing for the used body or the aborted signal");
  for (const s of seen) {
    assert.match(s.authorization, /^Bearer /);
    assert.notEqual(s.authorization, APP, "ours wins");
  }
  assert.deepEqual(seen.map((s) => s.method), ["GET", "GET", "GET", "GET", "POST", "GET"]);
  // Aborted while the session machine refreshes the dead token: the retry is not sent, the call
  // fails as an aborted call does, and the refresh serves the next call.
  const before = await refreshes();
  await control("expire-access-tokens");
  seen.length = 0;
  const mid = await page.evaluate(async (q) => {
    const c = new AbortController();
    const off = window.auth.on("token_refreshed", () => c.abort());
    const r = await window.outcome(window.auth.fetch(q, { signal: c.signal }));
    off();
    return r;
  }, QUERY);
  assert.equal(mid.code, "network_error");
  assert.match(mid.message, /AbortError/);
  assert.equal(await refreshes(), before + 1, "the one refresh");
  assert.equal(seen.length, 1, "the first send only: the retry's signal was aborted");
  assert.deepEqual(await call(QUERY), { ok: true, status: 200 }, "the session is kept");
  page.off("request", listener);
});

test("every URL form goes to the right origin: root-relative, absolute, relative, URL objects; //host and /\\host are refused", async () => {
  const seen = [];
  const listener = (r) => r.headers().authorization && seen.push(r.url());
  page.on("request", listener);
  const path = QUERY.slice(1);
  const ok = { ok: true, status: 200 };
  assert.deepEqual(await call(QUERY), ok, "root-relative (the JS fast path)");
  assert.deepEqual(await call(`${emulatorUrl}${QUERY}`), ok, "absolute, on the instance");
  assert.deepEqual(await call(path), ok, "relative without a leading slash");
  assert.deepEqual(await page.evaluate((u) => window.outcome(window.auth.fetch(new URL(u))), `${emulatorUrl}${QUERY}`), ok, "a URL object");
  assert.deepEqual(await page.evaluate((u) => window.outcome(window.auth.fetch(new Request(u))), `${emulatorUrl}${QUERY}`), ok, "a Request");
  for (const sneaky of ["//evil.example/steal", "/\\evil.example/steal", "\\\\evil.example/steal"]) {
    const r = await call(sneaky);
    assert.equal(r.code, "origin_not_allowed", sneaky);
    assert.match(r.message, /evil\.example/, sneaky);
  }
  page.off("request", listener);
  assert.equal(seen.length, 5, "only the five allowed calls carried a token");
  for (const u of seen) assert.equal(u, `${emulatorUrl}${QUERY}`);
});

test("a 401 to user A's slow request after A logged out and B signed in is delivered, never sent again as B (JS fast path)", async () => {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await signInOnTestPage(p, app.origin, USERS.sam); // A (first sign-in of this user: consent)
    const sent = [];
    p.on("request", (r) => r.url().includes("/query") && sent.push(r.headers().authorization));
    const refreshesBefore = await refreshes();
    await control("faults", { endpoint: "rest", delayMs: 3000 }); // A's next API call is slow
    const onWire = p.waitForRequest((r) => r.url().includes("/query"));
    await p.evaluate((q) => {
      window.slow = null;
      window.outcome(window.auth.fetch(q)).then((r) => (window.slow = r));
    }, QUERY);
    await onWire;
    // A signs out (at Salesforce that revokes A's access token with the refresh token) and B
    // signs in through a popup, in the same page, while A's request is still on the wire.
    assert.equal((await p.evaluate(() => window.outcome(window.auth.logout()))).ok, true);
    const popup = p.waitForEvent("popup");
    await p.evaluate(() => {
      window.popupOutcome = null;
      window.outcome(window.auth.loginPopup({ prompt: "login consent" })).then((r) => (window.popupOutcome = r));
    });
    await emulatorSignIn(await popup, USERS.ada); // B
    await p.waitForFunction(() => window.popupOutcome !== null, null, { timeout: 20_000 });
    assert.equal((await p.evaluate(() => window.popupOutcome)).ok, true, "B signed in");
    await p.waitForFunction(() => window.slow !== null, null, { timeout: 20_000 });
    const slow = await p.evaluate(() => window.slow);
    assert.deepEqual([slow.ok, slow.status], [true, 401], "A's caller gets A's 401");
    assert.equal(sent.length, 1, "one request, sent as A: none as B");
    assert.equal(await refreshes(), refreshesBefore, "no refresh for it");
    assert.deepEqual(await p.evaluate((q) => window.outcome(window.auth.fetch(q)).then((r) => r.status), QUERY), 200, "B's session works");
  } finally {
    await context.close();
  }
});

test("the executor's fast path follows the session: the new token after a refresh, nothing after logout or free()", async () => {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    const signIn = () => signInAt(p, `${app.origin}/`);
    await signIn();
    const sent = [];
    p.on("request", (r) => r.url().includes("/query") && sent.push(r.headers().authorization));
    const status = () => p.evaluate((q) => window.outcome(window.auth.fetch(q)), QUERY);
    assert.deepEqual(await status(), { ok: true, status: 200 });
    // A refresh replaces the token the fast path sends.
    await control("expire-access-tokens");
    assert.deepEqual(await status(), { ok: true, status: 200 });
    assert.deepEqual(await status(), { ok: true, status: 200 });
    assert.equal(sent.length, 4, "the first call, the expired one and its retry, then one with the new token");
    assert.equal(sent[3], sent[2], "after the refresh, the fast path sends the retry's token");
    assert.notEqual(sent[3], sent[0]);
    // Logged out: a root-relative call is refused and nothing is sent.
    assert.equal((await p.evaluate(() => window.outcome(window.auth.logout()))).ok, true);
    const out = await status();
    assert.equal(out.code, "not_authenticated");
    assert.equal(sent.length, 4, "nothing is sent after logout");
    // Signed in again, then the client freed: its fast path is gone with it.
    await signIn();
    assert.deepEqual(await status(), { ok: true, status: 200 });
    const before = sent.length;
    const freed = await p.evaluate((q) => {
      const auth = window.auth;
      auth.free();
      try {
        return window.outcome(auth.fetch(q));
      } catch (e) {
        return { code: e.code, isError: e instanceof Error };
      }
    }, QUERY);
    assert.equal(freed.code, "not_initialized");
    assert.equal(sent.length, before, "a freed client sends nothing");
  } finally {
    await context.close();
  }
});

// auth.fetch's in-flight limit (`maxInFlight`, js/executor.js `gate`). `fetch` is wrapped in the
// page for the calls to /query: how many are in the browser's hands at once (called and not yet
// answered), and each one's `n` and Authorization value, in the order they were handed over.
const stormIn = (p, n, init) => p.evaluate(async ([q, n, init]) => {
  const real = window.fetch;
  let now = 0, max = 0;
  const sent = [];
  window.fetch = function (input, options) {
    const url = typeof input === "string" ? input : input.url;
    if (!url.includes("/query")) return real.apply(this, arguments);
    const headers = typeof input === "string" ? new Headers(options && options.headers) : input.headers;
    sent.push([+new URL(url, location.href).searchParams.get("n"), headers.get("authorization")]);
    max = Math.max(max, ++now);
    const answer = real.apply(this, arguments);
    answer.then(() => now--, () => now--);
    return answer;
  };
  try {
    const calls = Array.from({ length: n }, (_, i) => window.auth.fetch(`${q}&n=${i}`, init).then((r) => r.status, (e) => e.code || e.name));
    return { statuses: await Promise.all(calls), max, sent };
  } finally {
    window.fetch = real;
  }
}, [QUERY, n, init]);

/** Signs `p` in from the test page at `url`: the emulator asks for the login form (and consent)
 * only when it does not know the browser (and the user) yet. */
async function signInAt(p, url) {
  await p.goto(url);
  await p.waitForSelector("body[data-ready]");
  const loaded = p.waitForEvent("load");
  await p.evaluate(() => window.auth.login());
  await loaded;
  if (new URL(p.url()).origin !== app.origin) await submitLogin(p, app.origin);
  await p.waitForURL(`${app.origin}/`);
  await p.waitForSelector("body[data-ready]");
  assert.equal(await p.evaluate(() => window.auth.isAuthenticated), true, "signed in");
}

/** A page of its own signed in with the client options `options`. */
async function signedInWith(options) {
  const context = await browser.newContext();
  const p = await context.newPage();
  await signInAt(p, `${app.origin}/?options=${encodeURIComponent(JSON.stringify(options))}`);
  return [context, p];
}

test("maxInFlight: at most that many calls in the browser's hands, all answered, started in call order", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 3 });
  try {
    const { statuses, max, sent } = await stormIn(p, 12);
    assert.deepEqual(statuses, Array(12).fill(200));
    assert.equal(max, 3, "three at once, never more");
    assert.deepEqual(sent.map(([n]) => n), [...Array(12).keys()], "started in call order");
  } finally {
    await context.close();
  }
  // The default is 16.
  const { statuses, max } = await stormIn(page, 20);
  assert.deepEqual(statuses, Array(20).fill(200));
  assert.equal(max, 16);
});

test("maxInFlight: a refresh storm larger than the limit makes one refresh and sends the dead token at most that many times", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 3 });
  try {
    const before = await refreshes();
    await control("expire-access-tokens");
    const { statuses, max, sent } = await stormIn(p, 20);
    assert.deepEqual(statuses, Array(20).fill(200), "every call answered");
    assert.equal(await refreshes(), before + 1, "one refresh");
    assert.ok(max <= 3, `at most three in flight (${max})`);
    const dead = sent[0][1];
    const deadSends = sent.filter(([, a]) => a === dead).length;
    assert.ok(deadSends >= 1 && deadSends <= 3, `the dead token was sent ${deadSends} times`);
    assert.equal(sent.length, 20 + deadSends, "each call sent once, and those refused once more");
    const firsts = sent.map(([n]) => n).filter((n, i, all) => all.indexOf(n) === i);
    assert.deepEqual(firsts, [...Array(20).keys()], "first sends in call order");
    // A call made while the refresh a 401 started is in flight (the held set known dead: no fast
    // path, the gate closed) waits for it, and goes once, with the new token: one made after
    // the wasm's step that sends the refresh, and one made inside it (the app's `fetch` wrapper,
    // called synchronously by the refresh's send: the gate is closed before the send).
    await control("expire-access-tokens");
    const late = await p.evaluate(async (q) => {
      const real = window.fetch;
      const sent = [];
      let lateCall, syncCall;
      const status = (r) => r.status;
      window.fetch = function (input, options) {
        const url = String(input);
        if (url.includes("/token") && !lateCall) {
          syncCall = window.auth.fetch(`${q}&sync`).then(status);
          lateCall = new Promise((resolve) => queueMicrotask(() => resolve(window.auth.fetch(`${q}&late`).then(status))));
        }
        if (url.includes("/query")) sent.push([url.includes("late") || url.includes("sync"), new Headers(options && options.headers).get("authorization")]);
        return real.apply(this, arguments);
      };
      try {
        const first = await window.auth.fetch(q).then(status);
        return { first, late: await lateCall, sync: await syncCall, sent };
      } finally {
        window.fetch = real;
      }
    }, QUERY);
    assert.deepEqual([late.first, late.late, late.sync], [200, 200, 200]);
    const lateSends = late.sent.filter(([isLate]) => isLate);
    assert.equal(lateSends.length, 2, `each sent once (${lateSends.length} sends)`);
    for (const [, authorization] of lateSends) {
      assert.notEqual(authorization, late.sent[0][1], "not with the dead token");
      assert.equal(authorization, late.sent[1][1], "with the refreshed one");
    }
  } finally {
    await context.close();
  }
});

test("maxInFlight: a waiting call whose signal aborts fails unsent as an aborted call does (network_error) and holds no slot; a waiting call after logout is refused", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 2 });
  try {
    const out = await p.evaluate(async (q) => {
      const sent = [];
      const real = window.fetch;
      // What reaches the network: a fetch whose signal is aborted already is refused unsent.
      window.fetch = function (input, init) {
        if (String(input).includes("/query") && !(init && init.signal && init.signal.aborted)) sent.push(String(input));
        return real.apply(this, arguments);
      };
      const c = new AbortController();
      const calls = [window.auth.fetch(q), window.auth.fetch(q), window.auth.fetch(`${q}&aborted`, { signal: c.signal })];
      c.abort();
      const settled = await Promise.all(calls.map((x) => x.then((r) => r.status, (e) => ({ code: e.code, isDom: e instanceof DOMException }))));
      // Already aborted when it would wait: the same.
      const busy = [window.auth.fetch(q), window.auth.fetch(q)];
      const early = await window.auth.fetch(q, { signal: AbortSignal.abort() }).then(() => "sent", (e) => e.code);
      await Promise.all(busy);
      window.fetch = real;
      return { settled, early, aborted: sent.filter((u) => u.includes("aborted")).length };
    }, QUERY);
    assert.deepEqual(out.settled, [200, 200, { code: "network_error", isDom: false }]);
    assert.equal(out.aborted, 0, "the aborted call was never sent");
    assert.equal(out.early, "network_error");
    // The aborted call took no slot: two at once still, and no more.
    const { statuses, max } = await stormIn(p, 6);
    assert.deepEqual(statuses, Array(6).fill(200));
    assert.equal(max, 2);
    // Calls waiting when the session ends are refused as calls made then would be.
    const afterLogout = await p.evaluate(async (q) => {
      const calls = Array.from({ length: 4 }, () => window.auth.fetch(q).then((r) => r.status, (e) => e.code));
      const out = window.auth.logout();
      return [await Promise.all(calls), (await window.outcome(out)).ok];
    }, QUERY);
    assert.deepEqual(afterLogout[0].slice(2), ["not_authenticated", "not_authenticated"], JSON.stringify(afterLogout));
    // A call waiting when the client is freed fails as a freed client's call does.
    const afterFree = await p.evaluate(async (q) => {
      const calls = Array.from({ length: 3 }, () => window.auth.fetch(q).then((r) => r.status, (e) => e.code));
      window.auth.free();
      return Promise.all(calls);
    }, QUERY);
    assert.deepEqual(afterFree, ["not_authenticated", "not_authenticated", "not_initialized"]);
  } finally {
    await context.close();
  }
});

test("a client freed while userinfo() is in flight: the call rejects with not_initialized (an AuthError, not the raw error of a dropped function)", async () => {
  const [context, p] = await signedInWith({});
  try {
    const out = await p.evaluate(async () => {
      const call = window.auth.userinfo();
      window.auth.free();
      return call.then(() => "resolved", (e) => ({ code: e.code, name: e.name, freed: /freed/.test(e.message) }));
    });
    assert.deepEqual(out, { code: "not_initialized", name: "AuthError", freed: true });
  } finally {
    await context.close();
  }
});

test("maxInFlight: a waiting call sends what it was given, though the caller changes its init meanwhile; one with headers no request can carry fails unsent as a call that does not wait does (invalid_config, not a TypeError thrown)", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 1 });
  try {
    const out = await p.evaluate(async (q) => {
      const seen = [];
      const real = window.fetch;
      window.fetch = function (input, init) {
        if (String(input).includes("/query")) seen.push(new Headers(init && init.headers).get("accept-language"));
        return real.apply(this, arguments);
      };
      // One options object reused, changed after each call, as app code does in a loop; the
      // second and third calls wait behind the first.
      const init = { headers: new Headers({ "Accept-Language": "da" }) };
      const calls = [window.auth.fetch(q), window.auth.fetch(q, init)];
      init.headers.set("Accept-Language", "fr");
      calls.push(window.auth.fetch(q, init));
      init.headers = new Headers({ "Accept-Language": "de" });
      const unbuildable = () => {
        try {
          return window.auth.fetch(q, { headers: { "Bad Name": "x" } }).then(() => "sent", (e) => `${e.name} ${e.code}`);
        } catch (e) {
          return `threw ${e.name}`;
        }
      };
      const bad = unbuildable();
      const statuses = await Promise.all(calls.map((x) => x.then((r) => r.status, (e) => e.code)));
      // The same call made when nothing waits (a slot free).
      const direct = await unbuildable();
      window.fetch = real;
      return { statuses, seen, bad: await bad, direct };
    }, QUERY);
    assert.deepEqual(out.statuses, [200, 200, 200]);
    assert.deepEqual(out.seen, [null, "da", "fr"], "nothing sent for the unbuildable calls");
    assert.deepEqual([out.bad, out.direct], ["AuthError invalid_config", "AuthError invalid_config"]);
  } finally {
    await context.close();
  }
});

test("auth.fetch reads an init's inherited members as fetch does (made with a prototype, a class's getters), on the fast path and while it waits for a slot", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 1 });
  try {
    const out = await p.evaluate(async (q) => {
      const seen = [];
      const real = window.fetch;
      window.fetch = function (input, init) {
        if (String(input).includes("/query")) {
          const r = new Request(input, init);
          seen.push(r.text().then((body) => [r.method, r.headers.get("x-test"), body]));
        }
        return real.apply(this, arguments);
      };
      class Init {
        get method() { return "POST"; }
        get body() { return "b=2"; }
        get headers() { return { "X-Test": "class" }; }
      }
      const proto = () => Object.create({ method: "POST", body: "a=1", headers: { "X-Test": "proto" } });
      // What fetch itself makes of them.
      const plain = await Promise.all([proto(), new Init()].map((init) => {
        const r = new Request(location.href, init);
        return r.text().then((body) => [r.method, r.headers.get("x-test"), body]);
      }));
      // The first takes the one slot (the fast path); the others wait for it.
      const calls = [window.auth.fetch(q, proto()), window.auth.fetch(q, new Init()), window.auth.fetch(q, proto())];
      await Promise.all(calls.map((c) => c.catch(() => {})));
      window.fetch = real;
      return { plain, seen: await Promise.all(seen) };
    }, QUERY);
    assert.deepEqual(out.plain, [["POST", "proto", "a=1"], ["POST", "class", "b=2"]]);
    assert.deepEqual(out.seen, [out.plain[0], out.plain[1], out.plain[0]], "sent as fetch reads the init");
  } finally {
    await context.close();
  }
});

test("maxInFlight: 0 turns the limit off; a value that is no whole number from 0 to 10000 is invalid_config", async () => {
  const [context, p] = await signedInWith({ maxInFlight: 0 });
  try {
    const { statuses, max } = await stormIn(p, 24);
    assert.deepEqual(statuses, Array(24).fill(200));
    assert.equal(max, 24, "every call handed to the browser at once");
    const refused = await p.evaluate(() => [-1, 1.5, 10001, "8"].map((maxInFlight) => {
      try {
        window.auth.constructor.salesforce({ clientId: "x", redirectUri: `${location.origin}/callback`, loginHost: "https://acme.my.salesforce.com", maxInFlight });
        return "made";
      } catch (e) {
        return `${e.code} ${e.message.includes("maxInFlight")}`;
      }
    }));
    assert.deepEqual(refused, Array(4).fill("invalid_config true"));
  } finally {
    await context.close();
  }
});
