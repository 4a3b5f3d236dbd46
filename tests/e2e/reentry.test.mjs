// The page's own code called while the client reads the session: a wrapped JSON.parse (the code
// exchange's answer, userinfo's, auth.stats) or a Request's url getter (auth.fetch) that reads or
// signs out the client. Such a call back must neither trap (wasm `unreachable`, which would
// leave the session borrowed for good: every later call traps) nor lose the session.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { awayAndBack, launch, startTestPage, submitLogin, USERS } from "./helpers.mjs";

let app, browser, origin;
before(async () => {
  app = await startTestPage({ emulatorArgs: ["--test-control"] });
  origin = app.origin;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
});

// Signs in on the test page (the emulator asks for consent only the first time).
async function signIn(page) {
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
  await Promise.all([page.waitForURL((u) => !u.href.startsWith(origin)), page.evaluate(() => window.auth.login())]);
  await submitLogin(page, origin, USERS.ada);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
}

const trapped = (errors) => errors.filter((e) => /unreachable|already borrowed|RuntimeError/i.test(e));

// A signed-in page in a context of its own, and the page errors it reports.
async function signedIn() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page);
  return { context, page, errors };
}

// In the page: JSON.parse wrapped so that its first call signs out (`window.parseArmed` is true
// until it has); `window.unwrapParse()` puts the browser's back.
function armParseLogout() {
  const parse = JSON.parse;
  window.parseArmed = true;
  JSON.parse = function (...a) {
    if (window.parseArmed) { window.parseArmed = false; window.auth.logout(); }
    return parse.apply(this, a);
  };
  window.unwrapParse = () => { JSON.parse = parse; };
}

test("a JSON.parse wrapper that reads auth.isAuthenticated during the code exchange: the sign-in completes", async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const parse = JSON.parse;
    window.parseCalls = 0;
    window.inner = [];
    let busy = false;
    JSON.parse = function (...a) {
      // (Not again from the read itself: the getter may parse too.)
      if (window.auth && !busy) {
        busy = true;
        window.parseCalls++;
        try { void window.auth.isAuthenticated; } catch (e) { window.inner.push(String(e)); }
        busy = false;
      }
      return parse.apply(this, a);
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page);
  const out = await page.evaluate(() => ({
    auth: (() => { try { return window.auth.isAuthenticated; } catch (e) { return String(e); } })(),
    redirectError: window.redirectError ? String(window.redirectError.code || window.redirectError) : null,
    inner: window.inner,
    calls: window.parseCalls,
  }));
  assert.deepEqual(trapped(errors), []);
  assert.equal(out.redirectError, null);
  assert.equal(out.auth, true, "signed in");
  assert.deepEqual(out.inner, [], "the wrapper's reads did not throw");
  assert.ok(out.calls > 0, "the wrapper ran");
  await context.close();
});

test("a Request whose url getter signs out, given to auth.fetch: no trap, and the client still answers (logout, fetch)", async () => {
  const { context, page, errors } = await signedIn();
  const out = await page.evaluate(async () => {
    const d = Object.getOwnPropertyDescriptor(Request.prototype, "url");
    let calls = 0;
    Object.defineProperty(Request.prototype, "url", { ...d, get() { calls++; if (calls === 1) window.auth.logout(); return d.get.call(this); } });
    const base = window.auth.session.instanceUrl;
    let r;
    try { r = await window.outcome(window.auth.fetch(new Request(base + "/services/data/v66.0/"))); } catch (e) { r = "threw " + e; }
    Object.defineProperty(Request.prototype, "url", d);
    let after;
    try { after = window.auth.isAuthenticated; } catch (e) { after = "threw " + e; }
    let later;
    try { later = await window.outcome(window.auth.logout()); } catch (e) { later = "threw " + e; }
    let fetched;
    try { fetched = await window.outcome(window.auth.fetch("/services/data/v66.0/")); } catch (e) { fetched = "threw " + e; }
    return { r, calls, after, later, fetched };
  });
  assert.deepEqual(trapped(errors), []);
  assert.ok(out.calls >= 1, "the getter ran");
  assert.equal(typeof out.r, "object", `auth.fetch settled: ${JSON.stringify(out.r)}`);
  assert.equal(out.r.code, "not_authenticated", "signed out by the getter: nothing sent");
  assert.equal(out.after, false);
  assert.equal(out.later.ok, true, "logout still answers");
  assert.equal(out.fetched.code, "not_authenticated");
  await context.close();
});

test("a JSON.parse wrapper that signs out while userinfo() and auth.stats are read: no trap, both settle, the client still answers", async () => {
  const { context, page, errors } = await signedIn();
  await page.evaluate(armParseLogout);
  const out = await page.evaluate(async () => {
    let info;
    try { info = await window.outcome(window.auth.userinfo()); } catch (e) { info = "threw " + e; }
    let stats;
    try { stats = typeof window.auth.stats; } catch (e) { stats = "threw " + e; }
    window.unwrapParse();
    let after;
    try { after = window.auth.isAuthenticated; } catch (e) { after = "threw " + e; }
    let later;
    try { later = await window.outcome(window.auth.logout()); } catch (e) { later = "threw " + e; }
    return { info, stats, after, later, armed: window.parseArmed };
  });
  assert.deepEqual(trapped(errors), []);
  assert.equal(out.armed, false, "the wrapper ran");
  assert.equal(typeof out.info, "object", `userinfo settled: ${JSON.stringify(out.info)}`);
  assert.equal(out.stats, "object");
  assert.equal(out.after, false);
  assert.equal(out.later.ok, true, "logout still answers");

  await context.close();
});

test("a JSON.parse wrapper that signs out while auth.stats is read: no trap, stats read, the client still answers", async () => {
  const { context, page, errors } = await signedIn();
  await page.evaluate(armParseLogout);
  const again = await page.evaluate(async () => {
    let stats;
    try { stats = typeof window.auth.stats.logins; } catch (e) { stats = "threw " + e; }
    window.unwrapParse();
    let later;
    try { later = await window.outcome(window.auth.logout()); } catch (e) { later = "threw " + e; }
    return { stats, later, armed: window.parseArmed };
  });
  assert.deepEqual(trapped(errors), []);
  assert.equal(again.armed, false, "the wrapper ran");
  assert.equal(again.stats, "number");
  assert.equal(again.later.ok, true);
  await context.close();
});

test("auth.isAuthenticated runs none of the page's code (no JSON.parse) and answers true, then false once signed out", async () => {
  const { context, page, errors } = await signedIn();
  const out = await page.evaluate(async () => {
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = function (...a) {
      parses++;
      return parse.apply(this, a);
    };
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(window.auth.isAuthenticated);
    const whileIn = parses;
    // The session object is still built for `session` (its JSON parsed once per read).
    const session = typeof window.auth.session?.instanceUrl;
    JSON.parse = parse;
    const logout = await window.outcome(window.auth.logout());
    return { reads, whileIn, session, after: window.auth.isAuthenticated, logout };
  });
  assert.deepEqual(trapped(errors), []);
  assert.deepEqual(out.reads, [true, true, true]);
  assert.equal(out.whileIn, 0, "isAuthenticated built no session object");
  assert.equal(out.session, "string");
  assert.equal(out.logout.ok, true);
  assert.equal(out.after, false);
  await context.close();
});

// In the page, before the package loads: JSON.parse wrapped so that each text DPoP's requests
// read before the session machine does (a token answer's `use_dpop_nonce`, the JWKS, a token
// answer whose id_token's signature is checked) is first handed to `window.onParse(kind)`
// (the kinds seen in `window.parsedKinds`, what the hook threw in `window.inner`).
function wrapDpopParse() {
  const parse = JSON.parse;
  window.parsedKinds = [];
  window.inner = [];
  let busy = false;
  JSON.parse = function (text, ...a) {
    const kind = typeof text != "string" ? null
      : text.includes("use_dpop_nonce") ? "nonce"
      : text.includes('"keys"') ? "jwks"
      : text.includes('"id_token"') ? "token" : null;
    if (kind && window.auth && window.onParse && !busy) {
      busy = true;
      window.parsedKinds.push(kind);
      try { window.onParse(kind); } catch (e) { window.inner.push(String(e)); }
      busy = false;
    }
    return parse.call(this, text, ...a);
  };
}

test("DPoP's own reads of the token endpoint's and the JWKS's answers, with a JSON.parse wrapper that reads the client or signs out: no trap; a sign-out during the exchange ends that login (its tokens revoked), and the DPoP path then signs in and sends", async () => {
  const dpopApp = await startTestPage({ emulatorArgs: ["--test-control", "--dpop", "required", "--dpop-nonce"] });
  const options = `?options=${encodeURIComponent(JSON.stringify({ dpop: true, verifyIdTokenSignature: true }))}`;
  const signInHere = async (page) => {
    await page.goto(`${dpopApp.origin}/${options}`);
    await page.waitForSelector("body[data-ready]", { state: "attached" });
    await Promise.all([page.waitForURL((u) => !u.href.startsWith(dpopApp.origin)), page.evaluate(() => window.auth.login())]);
    await submitLogin(page, dpopApp.origin, USERS.ada);
    await page.waitForSelector("body[data-ready]", { state: "attached" });
  };
  const REST = "/services/data/v66.0/";
  try {
    for (const hook of ["read", "logout"]) {
      const context = await browser.newContext();
      await context.addInitScript(wrapDpopParse);
      // (Not once `window.noHook` is stored: the sign-in after.)
      await context.addInitScript((hook) => {
        if (sessionStorage.getItem("noHook")) return;
        window.onParse = hook == "read"
          ? () => { window.reads = (window.reads || []).concat([[window.auth.isAuthenticated, typeof window.auth.stats]]); }
          : () => { window.auth.logout(); };
      }, hook);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await signInHere(page);
      const out = await page.evaluate(() => ({
        kinds: window.parsedKinds, inner: window.inner, reads: window.reads || null,
        redirectError: window.redirectError ? String(window.redirectError.code || window.redirectError) : null,
        auth: window.auth.isAuthenticated,
      }));
      assert.deepEqual(trapped(errors), [], hook);
      assert.deepEqual(out.inner, [], `${hook}: the hook's calls did not throw`);
      // The nonce retry's 400, the id_token's check, the JWKS: each read by DPoP's path before
      // the session machine reads the answer (the last "token").
      assert.deepEqual(out.kinds, ["nonce", "token", "jwks", "token"], hook);
      if (hook == "read") {
        assert.equal(out.redirectError, null);
        assert.equal(out.auth, true);
        assert.deepEqual(out.reads, [[false, "object"], [false, "object"], [false, "object"], [false, "object"]]);
      } else {
        assert.match(out.redirectError, /^not_authenticated/, "logout() during the exchange ends it");
        assert.equal(out.auth, false);
        const revoked = async () => (await dpopApp.control("log")).filter((e) => e.path === "/services/oauth2/revoke" && e.status === 200);
        for (let i = 0; i < 50 && (await revoked()).length === 0; i++) await page.waitForTimeout(100);
        assert.ok((await revoked()).length >= 1, "the answer's tokens revoked");
        await page.evaluate(() => sessionStorage.setItem("noHook", "1"));
        // (The emulator knows the user: it answers at once.)
        await awayAndBack(page, dpopApp.origin, () => window.auth.login());
        assert.equal(await page.evaluate(() => window.auth.isAuthenticated), true, "signed in again");
      }
      assert.deepEqual(await page.evaluate((u) => window.outcome(window.auth.fetch(u)), REST), { ok: true, status: 200 }, hook);
      assert.deepEqual(trapped(errors), [], hook);
      await context.close();
    }
  } finally {
    dpopApp.stop();
  }
});
