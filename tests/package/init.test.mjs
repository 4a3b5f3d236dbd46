// Misuse of the module is an AuthError with a code, never a TypeError: before init() (in a
// process of its own, so the module is not initialised yet) and after a client's free().
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { initSync, AuthClient, AuthError } from "salesforce-pkce";

const require = createRequire(import.meta.url);
const good = { clientId: "3MVG9x", redirectUri: "https://app.example.com/callback", loginHost: "https://acme.my.salesforce.com" };

function notInitialized(fn, text) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof AuthError, `an AuthError, not ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, "not_initialized");
    assert.match(e.message, text);
    return true;
  });
}

test("before init(): AuthError is usable, and every call is not_initialized", () => {
  const e = new AuthError("network_error", "made before init");
  assert.ok(e instanceof Error);
  assert.equal(e.code, "network_error");
  notInitialized(() => AuthClient.salesforce(good), /await init\(\)/);
  notInitialized(() => AuthClient.doctor(good), /await init\(\)/);
  notInitialized(() => new AuthClient({ ...good, authorizationEndpoint: "https://x/a", tokenEndpoint: "https://x/t" }), /await init\(\)/);
});

test("after init(): a client works, and after free() it is not_initialized", () => {
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  // A second initSync keeps the same module (no second instance).
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  const auth = AuthClient.salesforce(good);
  assert.equal(auth.isAuthenticated, false);
  auth.free();
  notInitialized(() => auth.isAuthenticated, /freed/);
  notInitialized(() => auth.session, /freed/);
  // Another client is unaffected.
  assert.equal(AuthClient.salesforce(good).isAuthenticated, false);
});

test("each getter answers its own kind (the class's operation numbers agree with the wasm's)", () => {
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  const auth = AuthClient.salesforce(good);
  // An operation number the wasm does not know answers a function: each getter would pass
  // silently with the wrong number, so each is held to its type and value here.
  assert.equal(auth.isAuthenticated, false);
  assert.equal(auth.session, null);
  assert.equal(auth.sharingMode, "off");
  const stats = auth.stats;
  assert.deepEqual(stats, { logins: 0, refreshes: 0, refreshFailures: 0, retriedAfter401: 0, revocations: 0, errorsByCode: {} });
  assert.equal(typeof auth.on("login", () => {}), "function");
  auth.free();
});

test("free() again is not_initialized as every call of a freed client, and Symbol.dispose frees", () => {
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  const auth = AuthClient.salesforce(good);
  auth.free();
  notInitialized(() => auth.free(), /freed/);
  notInitialized(() => auth.stats, /freed/);
  const disposed = AuthClient.salesforce(good);
  disposed[Symbol.dispose]();
  notInitialized(() => disposed.session, /freed/);
  notInitialized(() => disposed.login(), /freed/);
});

test("a client freed while one of its calls runs (an option's getter): the call ends as it would, later calls are not_initialized", async () => {
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  // What an unfreed client's login gives in Node (no page: the pending login cannot be
  // stored), not "options could not be read" (what a getter that threw would give).
  const control = AuthClient.salesforce(good);
  const expected = await control.login({ prompt: "login" }).then(() => null, (e) => `${e.code}: ${e.message}`);
  control.free();
  assert.match(expected, /^invalid_config: .*no window/);
  const auth = AuthClient.salesforce(good);
  const dispatch = auth.__k();
  let read = 0;
  let freeThrew = null;
  let aliveWithin = null;
  const options = {
    get prompt() {
      read++;
      try {
        auth.free();
      } catch (e) {
        freeThrew = e;
      }
      // The client is dropped only once its call returns: its dispatch function still answers.
      aliveWithin = dispatch(99, 0, 0) === undefined;
      return "login";
    },
  };
  await assert.rejects(auth.login(options), (e) => e instanceof AuthError && `${e.code}: ${e.message}` === expected);
  assert.equal(read, 1, "the options were read within the call");
  assert.equal(freeThrew, null, "free() within the call does not throw");
  assert.equal(aliveWithin, true, "the client lives until its call returns");
  // Then it is dropped: its dispatch function throws as a dropped closure's, and calls are
  // not_initialized.
  assert.throws(() => dispatch(99, 0, 0), /dropped|invoked/);
  notInitialized(() => auth.stats, /freed/);
});

test("a garbage-collected client frees its wasm state: its dispatch function then throws as a dropped closure's", async () => {
  initSync({ module: readFileSync(require.resolve("salesforce-pkce/salesforce_pkce_bg.wasm")) });
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  let auth = AuthClient.salesforce(good);
  const dispatch = auth.__k();
  // Alive: an event number the client does not know is ignored.
  assert.equal(dispatch(99, 0, 0), undefined);
  auth = null;
  let dropped = false;
  for (let i = 0; i < 200 && !dropped; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
    try {
      dispatch(99, 0, 0);
    } catch (e) {
      assert.match(e.message, /after being dropped/);
      dropped = true;
    }
  }
  assert.ok(dropped, "the collected client's wasm state was dropped");
  // Another client is unaffected.
  assert.equal(AuthClient.salesforce(good).isAuthenticated, false);
});
