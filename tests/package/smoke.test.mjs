// Imports the packed npm package (installed into a scratch project by run.sh) and checks the
// JS surface: init, AuthError as a real Error subclass, option validation naming the field,
// the doctor, and signed-out behaviour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { initSync, AuthClient, AuthError } from "salesforce-pkce";
import * as tabsEntry from "salesforce-pkce/tabs";
import * as dpopEntry from "salesforce-pkce/dpop";

const require = createRequire(import.meta.url);
const wasmPath = require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm");
initSync({ module: readFileSync(wasmPath) });
tabsEntry.initSync({ module: readFileSync(require.resolve("salesforce-pkce/tabs/salesforce_pkce_bg.wasm")) });
dpopEntry.initSync({ module: readFileSync(require.resolve("salesforce-pkce/dpop/salesforce_pkce_bg.wasm")) });

const good = { clientId: "3MVG9x", redirectUri: "https://app.example.com/callback", loginHost: "https://acme.my.salesforce.com" };

function rejects(fn, code, fieldText, ErrorClass = AuthError) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ErrorClass, "an AuthError (of the entry that threw it)");
    assert.ok(e instanceof Error, "a real Error");
    assert.equal(e.name, "AuthError");
    assert.equal(e.code, code);
    if (fieldText) assert.match(e.message, fieldText);
    return e;
  }
  assert.fail("expected a throw");
}

test("a valid Salesforce client starts signed out", () => {
  const auth = AuthClient.salesforce(good);
  assert.equal(auth.isAuthenticated, false);
  assert.equal(auth.session, null);
  assert.deepEqual(auth.stats, { logins: 0, refreshes: 0, refreshFailures: 0, retriedAfter401: 0, revocations: 0, errorsByCode: {} });
});

test("invalid options are invalid_config naming the field", () => {
  rejects(() => AuthClient.salesforce({ ...good, clientSecret: "s3cr3t" }), "invalid_config", /clientSecret/);
  rejects(() => AuthClient.salesforce({ ...good, loginHost: "https://login.salesforce.com" }), "invalid_config", /My Domain/);
  rejects(() => AuthClient.salesforce({ ...good, scopes: "api refresh_token" }), "invalid_config", /scopes/);
  rejects(() => AuthClient.salesforce({ ...good, clientID: "typo" }), "invalid_config", /clientID/);
  rejects(() => AuthClient.salesforce({ ...good, redirectUri: "http://app.example.com/cb" }), "invalid_config", /redirectUri/);
  rejects(() => AuthClient.salesforce("nope"), "invalid_config", /options/);
  const e = rejects(() => AuthClient.salesforce({ ...good, clientSecret: "s3cr3t" }), "invalid_config");
  assert.ok(!e.message.includes("s3cr3t"), "the secret is never echoed");
  rejects(() => new AuthClient({ clientId: "x", redirectUri: "http://localhost/cb" }), "invalid_config", /authorizationEndpoint/);
});

test("each option's type is checked, and null or undefined mean absent", () => {
  rejects(() => AuthClient.salesforce({ ...good, timeoutMs: "5000" }), "invalid_config", /^invalid configuration: timeoutMs: must be a number$/);
  rejects(() => AuthClient.salesforce({ ...good, scopes: ["api", 3] }), "invalid_config", /scopes: must be an array of strings/);
  rejects(() => AuthClient.salesforce({ ...good, clientId: 42 }), "invalid_config", /clientId: must be a string/);
  rejects(() => AuthClient.salesforce({ ...good, authorizationResponseIssParameterSupported: "yes" }), "invalid_config", /authorizationResponseIssParameterSupported: must be true or false/);
  rejects(() => AuthClient.salesforce([good]), "invalid_config", /options: must be an object/);
  const typo = rejects(() => AuthClient.salesforce({ ...good, redirectURI: "x" }), "invalid_config", /redirectURI: unknown option/);
  assert.match(typo.message, /redirectUri/, "the known options are listed");
  assert.equal(AuthClient.salesforce({ ...good, scopes: null, timeoutMs: undefined }).isAuthenticated, false);
});

test("discover with an issuer that is no string rejects invalid_config naming issuer", async () => {
  const options = { clientId: "web", redirectUri: "https://app.example.com/callback" };
  for (const issuer of [42, null, undefined, {}, ["https://id.example.com"]]) {
    await assert.rejects(AuthClient.discover(issuer, options), (e) => e instanceof AuthError && e.code === "invalid_config" && /^invalid configuration: issuer: must be a string$/.test(e.message));
  }
  await assert.rejects(AuthClient.discover("http://id.example.com", options), (e) => e instanceof AuthError && e.code === "invalid_config" && /issuer: must use https/.test(e.message));
});

test("a subclass's salesforce() and discover() make clients of the subclass; called detached or off another object, of AuthClient", async () => {
  class Sub extends AuthClient {
    hello() { return "sub"; }
  }
  const made = Sub.salesforce(good);
  assert.ok(made instanceof Sub && made instanceof AuthClient);
  assert.equal(made.hello(), "sub");
  assert.equal(made.isAuthenticated, false);
  const { salesforce } = AuthClient;
  const detached = salesforce(good);
  assert.equal(Object.getPrototypeOf(detached), AuthClient.prototype);
  assert.equal(Object.getPrototypeOf(AuthClient.salesforce(good)), AuthClient.prototype);
  // Called off another object, or with a null `this`: an AuthClient, not a TypeError.
  assert.equal(Object.getPrototypeOf({ make: AuthClient.salesforce }.make(good)), AuthClient.prototype);
  assert.equal(Object.getPrototypeOf(AuthClient.salesforce.call(null, good)), AuthClient.prototype);
  // discover: a loopback issuer (plain http is allowed there) answering its discovery document.
  const server = createServer((req, res) => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token` }));
  });
  await new Promise((go) => server.listen(0, "127.0.0.1", go));
  try {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const options = { clientId: "web", redirectUri: "https://app.example.com/callback" };
    const found = await Sub.discover(issuer, options);
    assert.ok(found instanceof Sub);
    assert.equal(found.hello(), "sub");
    assert.equal(found.sharingMode, "off");
    const { discover } = AuthClient;
    assert.equal(Object.getPrototypeOf(await discover(issuer, options)), AuthClient.prototype);
    assert.equal(Object.getPrototypeOf(await AuthClient.discover.call(null, issuer, options)), AuthClient.prototype);
  } finally {
    server.close();
  }
});

test("new AuthClient is the generic client whatever else it is given; only AuthClient.salesforce makes a Salesforce one", () => {
  for (const extra of [1, true, "1", [1]]) {
    rejects(() => new AuthClient(good, extra), "invalid_config", /loginHost: Salesforce only$/);
  }
  assert.equal(AuthClient.salesforce(good).isAuthenticated, false);
  rejects(() => new AuthClient(good), "invalid_config", /loginHost: Salesforce only$/);
});

test("AuthClient can be extended: new on a subclass gives that subclass's client", () => {
  class Mine extends AuthClient {
    signedIn() { return this.isAuthenticated; }
  }
  const auth = new Mine({ clientId: good.clientId, redirectUri: good.redirectUri, authorizationEndpoint: "https://idp.example.com/authorize", tokenEndpoint: "https://idp.example.com/token" });
  assert.ok(auth instanceof Mine);
  assert.ok(auth instanceof AuthClient);
  assert.equal(auth.signedIn(), false);
  assert.equal(auth.sharingMode, "off");
  auth.free();
  assert.equal(Object.getPrototypeOf(AuthClient.salesforce(good)), AuthClient.prototype);
});

test("options that cannot be read are invalid_config, never the thrown value", () => {
  const throwing = { ...good };
  Object.defineProperty(throwing, "clientId", { enumerable: true, get() { throw new TypeError("boom"); } });
  rejects(() => AuthClient.salesforce(throwing), "invalid_config", /^invalid configuration: options: could not be read$/);
  const trap = new Proxy({ ...good }, { ownKeys() { throw new Error("no keys"); } });
  rejects(() => AuthClient.salesforce(trap), "invalid_config", /options: could not be read/);
  // A cycle is cut at the depth cap; the key that closes it is still an unknown option.
  const cyclic = { ...good };
  cyclic.self = cyclic;
  rejects(() => AuthClient.salesforce(cyclic), "invalid_config", /self: unknown option/);
  // So many shared values that walking them would not end: refused, not a hang.
  let fan = ["x"];
  for (let i = 0; i < 7; i++) fan = Array(8).fill(fan);
  rejects(() => AuthClient.salesforce({ ...good, nested: fan }), "invalid_config", /options: could not be read/);
  rejects(() => AuthClient.salesforce(() => good), "invalid_config", /options: must be an object/);
  // An object without a prototype is an object.
  assert.equal(AuthClient.salesforce(Object.assign(Object.create(null), good)).isAuthenticated, false);
});

test("doctor explains login.salesforce.com and the other pitfalls", () => {
  const findings = AuthClient.doctor({ ...good, loginHost: "https://login.salesforce.com", scopes: ["full"] });
  const byCode = Object.fromEntries(findings.map((f) => [f.code, f]));
  assert.equal(byCode.login_host_no_cors.severity, "error");
  assert.match(byCode.login_host_no_cors.message, /CORS/);
  assert.equal(byCode.scope_full.severity, "warning");
  assert.equal(byCode.scope_missing_refresh_token.severity, "warning");
  for (const f of findings) assert.deepEqual(Object.keys(f).sort(), ["code", "field", "message", "severity"]);
  rejects(() => AuthClient.doctor("not an object"), "invalid_config", /options: must be an object/);
});

test("signed out: fetch rejects not_authenticated, logout is a no-op", async () => {
  const auth = AuthClient.salesforce(good);
  await assert.rejects(auth.fetch("https://evil.example/"), (e) => e instanceof AuthError && e.code === "not_authenticated");
  await auth.logout();
  assert.equal(auth.stats.errorsByCode.not_authenticated, 1);
  // Counted failures by code, in the order of each code's first failure (no page in Node: the
  // pending login cannot be stored).
  await assert.rejects(auth.restore(), (e) => e instanceof AuthError && e.code === "invalid_config");
  assert.deepEqual(Object.entries(auth.stats.errorsByCode), [["not_authenticated", 1], ["invalid_config", 1]]);
});

test("a method's refused options reject its promise naming the field, and are counted like every failure", async () => {
  const auth = AuthClient.salesforce(good);
  const refused = (p, text) => assert.rejects(p, (e) => e instanceof AuthError && e.code === "invalid_config" && text.test(e.message));
  await refused(auth.login("not an object"), /options: must be an object/);
  await refused(auth.authorizationUrl({ returnTo: 5 }), /returnTo/);
  await refused(auth.loginPopup({ popupTimeoutMs: "soon" }), /popupTimeoutMs/);
  await refused(auth.logout({ endSession: "yes" }), /endSession/);
  await refused(auth.login({ clientID: "x" }), /clientID/);
  assert.deepEqual(auth.stats.errorsByCode, { invalid_config: 5 });
});

test("events: unknown names are refused, listeners can unsubscribe", () => {
  const auth = AuthClient.salesforce(good);
  rejects(() => auth.on("nope", () => {}), "invalid_config", /unknown event/);
  rejects(() => auth.on("error", "not a function"), "invalid_config", /listener/);
  const off = auth.on("error", () => {});
  assert.equal(typeof off, "function");
  off();
  off();
});

test("the session worker ships beside the tabs entry and imports it", () => {
  const worker = readFileSync(require.resolve("salesforce-pkce/tabs/session-worker.js"), "utf8");
  assert.match(worker, /from ?"\.\/salesforce_pkce\.js"/);
  assert.match(worker, /sessionHost/);
  assert.equal(typeof tabsEntry.sessionHost, "function", "the tabs entry has the worker's host");
});

test("no entry ships an async runtime: the glue of the three entries never queues a microtask (wasm-bindgen-futures' task queue)", () => {
  for (const entry of ["salesforce-pkce", "salesforce-pkce/dpop", "salesforce-pkce/tabs"]) {
    const wasm = require.resolve(`${entry}/salesforce_pkce_bg.wasm`);
    const glue = readFileSync(wasm.replace(/_bg\.wasm$/, ".js"), "utf8");
    assert.doesNotMatch(glue, /queueMicrotask/, `${entry}: no futures runtime in its glue`);
  }
});

test("the default entry has no session sharing and says where it is", () => {
  const e = rejects(() => AuthClient.salesforce({ ...good, sessionSharing: "tabs" }), "invalid_config", /salesforce-pkce\/tabs/);
  assert.equal(e.message.includes("sessionSharing"), true);
  assert.equal(AuthClient.salesforce(good).sharingMode, "off");
  assert.equal(AuthClient.salesforce({ ...good, sessionSharing: "off" }).sharingMode, "off");
});

test("sessionSharing and restore are validated, and sharing falls back to off without browser support", () => {
  const Shared = tabsEntry.AuthClient;
  const sharedRejects = (fn, field) => {
    try { fn(); } catch (e) { assert.ok(e instanceof tabsEntry.AuthError); assert.equal(e.code, "invalid_config"); assert.match(e.message, field); return; }
    assert.fail("expected a throw");
  };
  sharedRejects(() => Shared.salesforce({ ...good, sessionSharing: "yes" }), /sessionSharing/);
  sharedRejects(() => Shared.salesforce({ ...good, restore: "always" }), /restore/);
  // Node has neither SharedWorker nor Web Locks + BroadcastChannel in a window: no sharing.
  const auth = Shared.salesforce({ ...good, sessionSharing: "tabs" });
  assert.ok(["off", "tabs-locks"].includes(auth.sharingMode), auth.sharingMode);
});

test("the default entry has no DPoP or signature checks and says where they are; ./dpop and ./tabs take the options", () => {
  for (const extra of [{ dpop: true }, { dpop: "if-supported" }, { verifyIdTokenSignature: true }]) {
    rejects(() => AuthClient.salesforce({ ...good, ...extra }), "invalid_config", /salesforce-pkce\/dpop/);
  }
  rejects(() => dpopEntry.AuthClient.salesforce({ ...good, dpop: "yes" }), "invalid_config", /dpop/, dpopEntry.AuthError);
  rejects(() => dpopEntry.AuthClient.salesforce({ ...good, dpop: 1 }), "invalid_config", /dpop/, dpopEntry.AuthError);
  for (const entry of [dpopEntry, tabsEntry]) {
    const auth = entry.AuthClient.salesforce({ ...good, dpop: true, verifyIdTokenSignature: true });
    assert.equal(auth.isAuthenticated, false);
  }
  assert.equal(AuthClient.salesforce({ ...good, dpop: false }).isAuthenticated, false, "dpop: false is the default everywhere");
  assert.equal(typeof dpopEntry.sessionHost, "undefined", "./dpop has no session sharing");
});

// The session worker's `serve` (js/tabs.js, the shipped source; the tabs entry bundles it)
// answers a tab's ping in JS. A host that failed (a wasm trap on a tab's message) must stop
// being ponged, or its tabs would believe it alive and wait on calls it can no longer answer;
// a working host keeps being ponged. (In a child process: the trap is rethrown to the event
// loop, as in the worker, where Firefox reports it to the tabs.)
test("the session worker's serve: a host that trapped answers no more pings, a working one does", async () => {
  const { pathToFileURL } = await import("node:url");
  const { execFileSync } = await import("node:child_process");
  const repo = process.env.REPO_ROOT ?? new URL("../..", import.meta.url).pathname;
  const script = `
    import { serve } from ${JSON.stringify(pathToFileURL(`${repo}/js/tabs.js`).href)};
    import { readFileSync } from "node:fs";
    // The protocol as js/tabs.js writes its ping (held to core::liveness by a host test).
    const v = readFileSync(${JSON.stringify(`${repo}/js/tabs.js`)}, "utf8").match(/"(v=\\d+)&op=ping"/)[1];
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const thrown = [];
    process.on("uncaughtException", (e) => thrown.push(e.constructor.name));
    const tab = (host) => {
      const { port1, port2 } = new MessageChannel();
      serve(port1, host);
      const heard = [];
      port2.onmessage = (e) => heard.push(e.data[0]);
      return { heard, say: (text) => port2.postMessage([text]), close: () => (port1.close(), port2.close()) };
    };
    const working = tab(() => undefined);
    const trapped = tab(() => { throw new WebAssembly.RuntimeError("unreachable"); });
    working.say(v + "&op=fetch&id=5");
    trapped.say(v + "&op=ping");
    await sleep(50);
    const before = trapped.heard.length;
    trapped.say(v + "&op=fetch&id=6");
    trapped.say(v + "&op=ping");
    working.say(v + "&op=ping");
    await sleep(50);
    console.log(JSON.stringify({ v, before, trapped: trapped.heard, working: working.heard, thrown }));
    working.close();
    trapped.close();
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.match(out.v, /^v=\d+$/);
  assert.equal(out.before, 1, "ponged while it has not failed");
  assert.deepEqual(out.trapped, [`${out.v}&op=pong`], "no pong once the host trapped");
  assert.deepEqual(out.thrown, ["RuntimeError"], "the trap is not swallowed");
  assert.deepEqual(out.working, [`${out.v}&op=pong`], "a working host's tab is ponged");
});
