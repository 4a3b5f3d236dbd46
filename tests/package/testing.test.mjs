// salesforce-pkce/testing under Node: the test double drives app code typed against
// AuthClientLike, with no provider, no browser and no wasm (this file never calls init()).
import { test } from "node:test";
import assert from "node:assert/strict";
import { AuthError } from "salesforce-pkce";
import { FakeAuthClient } from "salesforce-pkce/testing";

// A piece of app code as a user writes it: it only knows the client's interface.
async function accountNames(auth) {
  if (!auth.isAuthenticated) return [];
  const res = await auth.fetch("/services/data/v66.0/query?q=SELECT+Name+FROM+Account");
  return (await res.json()).records.map((r) => r.Name);
}

test("signed in: fetch is answered by the test's handler, with the URL resolved as the library does", async () => {
  const seen = [];
  const auth = new FakeAuthClient({
    session: { instanceUrl: "https://acme.my.salesforce.com" },
    fetch: (request) => (seen.push(request.url), Response.json({ records: [{ Name: "Acme" }, { Name: "Globex" }] })),
  });
  assert.deepEqual(await accountNames(auth), ["Acme", "Globex"]);
  assert.deepEqual(seen, ["https://acme.my.salesforce.com/services/data/v66.0/query?q=SELECT+Name+FROM+Account"]);
  assert.equal(auth.session.instanceUrl, "https://acme.my.salesforce.com");
  assert.equal(auth.calls[0].method, "fetch");
});

test("signed out: app code sees no session, and fetch rejects not_authenticated as the library does", async () => {
  const auth = new FakeAuthClient();
  assert.equal(auth.isAuthenticated, false);
  assert.deepEqual(await accountNames(auth), []);
  await assert.rejects(auth.fetch("/x"), (e) => e instanceof AuthError && e.code === "not_authenticated");
  assert.equal(auth.stats.errorsByCode.not_authenticated, 1);
});

test("events the test fires reach the listeners and change the session", async () => {
  const auth = new FakeAuthClient({ session: {} });
  const seen = [];
  const off = auth.on("session_expired", (e) => seen.push(e.error.code));
  auth.on("token_refreshed", (e) => seen.push(`refreshed ${e.session.orgId}`));
  auth.emit({ type: "token_refreshed", session: { orgId: "00Dtest" } });
  auth.emit({ type: "session_expired", error: new AuthError("session_expired", "refresh refused") });
  assert.deepEqual(seen, ["refreshed 00Dtest", "session_expired"]);
  assert.equal(auth.isAuthenticated, false);
  assert.equal(auth.stats.refreshes, 1);
  off();
  auth.emit({ type: "session_expired", error: new AuthError("session_expired", "again") });
  assert.equal(seen.length, 2, "an unsubscribed listener is not called");
});

test("login and logout sign in and out with their events; unknown names are AuthErrors", async () => {
  const auth = new FakeAuthClient();
  const events = [];
  auth.on("login", (e) => events.push(e.type));
  auth.on("logout", (e) => events.push(`${e.type} revoked=${e.revoked}`));
  await auth.login({ returnTo: "/accounts" });
  assert.equal(auth.isAuthenticated, true);
  assert.deepEqual(auth.calls.map((c) => c.method), ["login"]);
  assert.equal((await auth.userinfo()).name, "Test User");
  await auth.logout();
  assert.equal(auth.isAuthenticated, false);
  assert.deepEqual(events, ["login", "logout revoked=true"]);
  assert.deepEqual(auth.stats.logins, 1);
  assert.throws(() => auth.on("signed_in", () => {}), (e) => e instanceof AuthError && e.code === "invalid_config");
  assert.throws(() => new FakeAuthClient({ clientId: "x" }), (e) => e instanceof AuthError && /clientId/.test(e.message));
  assert.equal(await auth.handleRedirect(), null);
});

test("a freed fake throws not_initialized as a freed AuthClient does: every call, emit and free() again", async () => {
  const auth = new FakeAuthClient({ session: {} });
  const seen = [];
  auth.on("logout", (e) => seen.push(e.type));
  auth.free();
  const notInitialized = (e) => e instanceof AuthError && e.code === "not_initialized" && /freed/.test(e.message);
  for (const call of [
    () => auth.free(),
    () => auth.isAuthenticated,
    () => auth.session,
    () => auth.stats,
    () => auth.sharingMode,
    () => auth.fetch("/x"),
    () => auth.userinfo(),
    () => auth.login(),
    () => auth.logout(),
    () => auth.on("login", () => {}),
    () => auth.emit({ type: "logout", revoked: true, endSession: false }),
  ]) {
    assert.throws(call, notInitialized);
  }
  assert.deepEqual(seen, [], "no event reaches a freed client's listeners");
  const disposed = new FakeAuthClient();
  disposed[Symbol.dispose]();
  assert.throws(() => disposed.session, notInitialized);
});
