// The development build (export condition "development") against the production build (the
// default): the same exports and wasm, the doctor's explanations only in development, and in
// development the doctor's errors and warnings printed once when a client is made.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const entries = ["salesforce-pkce", "salesforce-pkce/dpop", "salesforce-pkce/tabs"];
const probe = (...flags) => Object.fromEntries(entries.map((name) =>
  [name, JSON.parse(execFileSync(process.execPath, [...flags, "development-probe.mjs", name], { encoding: "utf8" }))]));
const dev = probe("--conditions=development");
const prod = probe();

test("each entry resolves to its development file only under the development condition", () => {
  for (const name of entries) {
    assert.match(dev[name].resolved, /\/salesforce_pkce\.development\.js$/, name);
    assert.match(prod[name].resolved, /\/salesforce_pkce\.js$/, name);
    assert.deepEqual(dev[name].exports, prod[name].exports, `${name}: the same exports`);
    assert.ok(dev[name].instance && dev[name].genericInstance, `${name}: instanceof AuthClient holds`);
    assert.ok(dev[name].subclass && prod[name].subclass, `${name}: Sub.salesforce() is a Sub`);
  }
});

test("development warns once, at construction, for a misconfigured client and never for a clean one", () => {
  for (const name of entries) {
    const d = dev[name];
    assert.deepEqual(d.clean, [], `${name}: a clean client prints nothing`);
    assert.equal(d.misconfigured.length, 1, name);
    assert.match(d.misconfigured[0], /^salesforce-pkce config doctor \(development build\):\n- warning scope_full \(scopes\): the full scope grants administrative access\. It inflates the blast radius/);
    assert.doesNotMatch(d.misconfigured[0], /info|connected_app_settings/, `${name}: info findings are not printed`);
    assert.deepEqual(d.again, [], `${name}: the same findings are printed once`);
    assert.equal(d.generic.length, 1, name);
    assert.match(d.generic[0], /warning no_revocation_endpoint \(revocationEndpoint\): without a revocationEndpoint logout\(\) cannot revoke the tokens\. logout\(\) can only forget/);
    // An error finding: printed with its explanation, and the constructor still refuses.
    assert.equal(d.refused.code, "invalid_config");
    assert.ok(d.refused.isAuthError);
    assert.match(d.refusedWarning[0], /error login_host_no_cors \(loginHost\): .*Setup > My Domain/);
    // discover: judged before the request; the fields discovery fills are left out.
    assert.equal(d.discovered, "network_error");
    assert.equal(d.discoverWarning.length, 1);
    assert.match(d.discoverWarning[0], /error client_secret_in_browser \(clientSecret\)/);
    assert.doesNotMatch(d.discoverWarning[0], /Endpoint|issuer_missing/);
  }
});

test("production prints nothing and its doctor gives the one-line messages", () => {
  for (const name of entries) {
    const p = prod[name];
    for (const key of ["clean", "misconfigured", "again", "generic", "refusedWarning", "discoverWarning"]) {
      assert.deepEqual(p[key], [], `${name}: ${key}`);
    }
    assert.equal(p.refused.code, "invalid_config");
    assert.equal(p.discovered, "network_error");
  }
});

test("doctor(): codes, severity and field alike in both builds; development adds the explanation", () => {
  for (const name of entries) {
    const d = dev[name].doctor;
    const p = prod[name].doctor;
    assert.deepEqual(d.map(({ code, severity, field }) => [code, severity, field]), p.map(({ code, severity, field }) => [code, severity, field]));
    // The end of a one-line message the production wasm leaves out (explained! in the Rust
    // sources), which development puts back before the explanation.
    const tail = { client_secret_in_browser: ": a browser app is a public client" };
    // A one-line message the production wasm words shorter (brief! in the Rust sources), which
    // development puts back whole.
    const whole = {
      connected_app_settings: "in the External Client App's OAuth settings: PKCE on, secrets off, CORS for OAuth endpoints on, and this origin in Setup > CORS",
      callback_url_exact: "register exactly https://app.example.com/callback as a Callback URL of the External Client App",
    };
    for (const [i, f] of p.entries()) {
      assert.doesNotMatch(f.message, /\n/, `${f.code}: one line`);
      assert.ok(d[i].message.startsWith(`${whole[f.code] ?? f.message}${tail[f.code] ?? ""}. `), `${f.code}: development appends to the production message`);
      assert.ok(d[i].message.length > f.message.length + 10, f.code);
    }
    assert.equal(p.find((f) => f.code === "client_secret_in_browser").message, "remove clientSecret");
    assert.equal(p.find((f) => f.code === "connected_app_settings").message, "External Client App: PKCE on, secrets off, CORS for OAuth endpoints on, this origin in Setup > CORS");
    const cors = p.find((f) => f.code === "login_host_no_cors");
    assert.equal(cors.message, "login.salesforce.com cannot be used from a browser app (no CORS on its token endpoint): use your org's My Domain URL");
    assert.match(d.find((f) => f.code === "login_host_no_cors").message, /Setup > My Domain$/);
  }
});

test("AuthError messages: the short text in production, explained in development (the Rust crate's text)", () => {
  for (const name of entries) {
    assert.equal(prod[name].noPending, "no login is pending in this browser tab", name);
    assert.equal(dev[name].noPending, "no login is pending in this browser tab: the callback was opened without a matching login() here (reload of an old callback, another tab, or storage cleared)", name);
  }
  // The default entry has no DPoP: its refusal names the entry, and development says how to import it.
  const entry = "invalid configuration: dpop: DPoP and id_token signature checks are in the salesforce-pkce/dpop entry";
  assert.equal(prod["salesforce-pkce"].dpopRefused, entry);
  assert.equal(dev["salesforce-pkce"].dpopRefused, `${entry} (and salesforce-pkce/tabs): import init and AuthClient from "salesforce-pkce/dpop" (the default entry leaves them out, so pages that do not use them load less)`);
  assert.equal(prod["salesforce-pkce/dpop"].dpopRefused, "made");
});

test("a split doctor message and an explanation inside a message: short in production, the Rust crate's text in development", () => {
  for (const name of entries) {
    assert.equal(prod[name].noRevocation, "without a revocationEndpoint", name);
    assert.ok(dev[name].noRevocation.startsWith("without a revocationEndpoint logout() cannot revoke the tokens. "), name);
    const short = "the session has ended: a refresh returned someone else's tokens (sub differs from the signed-in session's); sign in again";
    assert.equal(prod[name].identityChanged, short, name);
    assert.equal(dev[name].identityChanged, "the session has ended: a refresh returned someone else's tokens (the new id_token's sub differs from the signed-in session's, OpenID Connect Core 1.0 §12.2); they are not used and must be revoked; sign in again", name);
  }
});

test("a message whose production text is not a prefix of the Rust crate's (brief!): short in production, the Rust crate's text in development", () => {
  for (const name of entries) {
    assert.equal(prod[name].dpopIfSupported, "the provider lists no ES256 for DPoP: tokens stay Bearer", name);
    assert.ok(dev[name].dpopIfSupported.startsWith("dpop is \"if-supported\" but dpopSigningAlgValuesSupported does not list ES256, so tokens stay Bearer. "), name);
    const said = "; sign in again; the provider said: \"authentication failure\". ";
    assert.equal(prod[name].refreshCause, `session expired or revoked${said}The user was probably deactivated or changed their password`, name);
    assert.equal(dev[name].refreshCause, `the session has expired or was revoked${said}The provider no longer accepts this user's grant: the user was probably deactivated or changed their password`, name);
    const words = '; the provider said: "DPoP proof nonce mismatch $&"';
    assert.equal(prod[name].providerWords, `token endpoint: HTTP 400: invalid_dpop_proof${words}`, name);
    assert.equal(dev[name].providerWords, `the token endpoint answered HTTP 400: invalid_dpop_proof${words}`, name);
  }
  // The DPoP entries' CORS hint: the action in production, the whole hint in development.
  const reached = "network error: could not reach the token endpoint (https://idp.example.com): Failed to fetch";
  for (const name of ["salesforce-pkce/dpop", "salesforce-pkce/tabs"]) {
    assert.equal(prod[name].dpopCors, `${reached} (CORS must allow the request's method and headers, DPoP among them, and expose DPoP-Nonce, or use dpop: false)`, name);
    assert.equal(dev[name].dpopCors, `${reached} (this request carried a DPoP proof: the server's CORS must allow this page's origin, the request's method as it was written (Access-Control-Allow-Methods: a browser compares it exactly, patch is not PATCH) and its headers, DPoP among them (and Authorization, on API calls) (Access-Control-Allow-Headers), and expose DPoP-Nonce; where it does not, DPoP cannot work from a browser: use dpop: false)`, name);
  }
});

test("doctor findings, a constructor refusal and core refusals (brief!, text27): code, field and the short text in production, the Rust crate's text in development", () => {
  for (const name of entries) {
    const [p, d] = [prod[name], dev[name]];
    const pairs = [
      ["sessionTimeout", "must be 60..86400", "sessionTimeoutSeconds must be from 60 to 86400"],
      ["pendingLocal", "kept in localStorage", "the pending login is kept in localStorage"],
      ["workerUrl", "a path or same-origin http(s) URL", "workerUrl must be a path or an http(s) URL on this app's origin"],
      ["redirectSpaces", "has spaces, backslashes or control chars", "not a valid URL: it contains spaces, backslashes or control characters"],
    ];
    for (const [key, short, whole] of pairs) {
      assert.ok(p[key].startsWith(short) && !p[key].includes(whole), `${name}: ${key}: ${p[key]}`);
      assert.ok(d[key].startsWith(whole), `${name}: ${key}: ${d[key]}`);
    }
    assert.equal(p.genericLoginHost, "invalid configuration: loginHost: Salesforce only", name);
    assert.equal(d.genericLoginHost, "invalid configuration: loginHost: loginHost is a Salesforce option", name);
    // Core refusals (AuthError messages).
    assert.equal(p.bothCodeAndError, "invalid callback: both code and error", name);
    assert.equal(d.bothCodeAndError, "invalid callback: the callback carries both code and error", name);
    assert.equal(p.noEndSession, "invalid configuration: endSession: no end_session_endpoint: give endSessionEndpoint", name);
    assert.equal(d.noEndSession, "invalid configuration: endSession: this provider has no end_session_endpoint (its discovery document lists none): give endSessionEndpoint, or log out without endSession", name);
  }
});

test("a URL option without a scheme: no example in production, the Rust crate's example in development", () => {
  for (const name of entries) {
    const [p, d] = [prod[name], dev[name]];
    assert.equal(p.relativeRedirect, "must be an absolute URL (got a value of 9 characters)", name);
    assert.ok(d.relativeRedirect.startsWith("must be an absolute URL such as https://app.example.com/callback (got a value of 9 characters). "), `${name}: ${d.relativeRedirect}`);
    const host = "invalid configuration: loginHost: must be an absolute URL";
    assert.equal(p.relativeLoginHost, `${host} (got a value of 22 characters)`, name);
    assert.equal(d.relativeLoginHost, `${host} such as https://NAME.my.salesforce.com (got a value of 22 characters)`, name);
  }
});

test("the session worker's fallback: short in production, the Rust crate's text in development", () => {
  for (const name of entries) {
    const short = 'network error: the session worker could not be started; check workerUrl and the console; sharing as "tabs-locks" instead';
    assert.equal(prod[name].workerFallback, short, name);
    assert.equal(dev[name].workerFallback, 'network error: the session worker could not be started; check workerUrl and the console (sessionSharing: "tabs"); this tab shares its session as "tabs-locks" instead', name);
  }
});
