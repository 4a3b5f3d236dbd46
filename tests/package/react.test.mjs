// salesforce-pkce/react from the installed package: server rendering and the package's shape
// under Node, and the provider's effects under <StrictMode> in headless Chromium (react-app.js,
// bundled with React's development build, where StrictMode replays every effect on mount).
// React, react-dom, esbuild and playwright-core resolve from the repository's node_modules
// (devDependencies): this scratch project lies inside the repository.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createElement as h, StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { AuthProvider, useAuth, useAuthEvent, useSession } from "salesforce-pkce/react";
import { FakeAuthClient } from "salesforce-pkce/testing";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgRoot = dirname(require.resolve("salesforce-pkce/package.json"));
const repo = process.env.REPO_ROOT ?? join(here, "..", "..");

function Status() {
  const { isLoading, isAuthenticated, error } = useAuth();
  const session = useSession();
  useAuthEvent("login", () => {});
  return h("p", null, `loading=${isLoading} authenticated=${isAuthenticated} session=${session?.userId ?? "none"} error=${error?.code ?? "none"}`);
}

test("server rendering: the provider renders its children loading, and calls nothing on the client", () => {
  const client = new FakeAuthClient({ session: {} });
  let listeners = 0;
  const on = client.on.bind(client);
  client.on = (...args) => (listeners++, on(...args));
  const html = renderToString(h(StrictMode, null, h(AuthProvider, { client }, h(Status))));
  assert.equal(html, "<p>loading=true authenticated=false session=none error=none</p>");
  assert.deepEqual(client.calls, [], "no handleRedirect() while rendering");
  assert.equal(listeners, 0, "no listener while rendering (effects alone subscribe)");
  const created = [];
  const lazy = renderToString(h(AuthProvider, { create: () => created.push(1) }, h(Status)));
  assert.match(lazy, /loading=true/);
  assert.deepEqual(created, [], "create() runs in an effect, never while rendering");
});

test("misuse is a clear error: a hook outside the provider, a provider with neither or both of client and create", () => {
  for (const hook of [useAuth, useSession]) {
    function Outside() {
      hook();
      return null;
    }
    assert.throws(() => renderToString(h(Outside)), new RegExp(`${hook.name}\\(\\) must be called inside <AuthProvider>`));
  }
  const client = new FakeAuthClient();
  assert.throws(() => renderToString(h(AuthProvider, null, "x")), /exactly one of `client`/);
  assert.throws(() => renderToString(h(AuthProvider, { client, create: () => client }, "x")), /exactly one of `client`/);
});

test("package.json: ./react exported with its typings, React an optional peer dependency", () => {
  const pkg = JSON.parse(readFileSync(join(pkgRoot, "package.json"), "utf8"));
  assert.deepEqual(pkg.exports["./react"], { types: "./react/index.d.ts", default: "./react/index.js" });
  assert.match(pkg.peerDependencies.react, /\^19/);
  assert.deepEqual(pkg.peerDependenciesMeta, { react: { optional: true } });
  assert.equal(pkg.dependencies, undefined, "no dependency: installing the package installs nothing else");
});

// What a bundler takes for an import: esbuild's list of the files it read (React left external).
async function inputs(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: here, loader: "js" }, bundle: true, write: false, format: "esm",
    platform: "browser", external: ["react", "react-dom"], metafile: true, logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs).filter((f) => f !== "<stdin>").map((f) => relative(pkgRoot, join(here, f)));
}

test("./react and ./testing add nothing to the default page, and ./react loads no entry of the package", async () => {
  const page = await inputs('import init, { AuthClient } from "salesforce-pkce"; console.log(init, AuthClient);');
  assert.ok(page.includes("salesforce_pkce.js"), page.join(", "));
  assert.deepEqual(page.filter((f) => !(f === "salesforce_pkce.js" || f.startsWith("snippets/"))), [], "the default page: its glue and snippets only");
  const react = await inputs('import { AuthProvider } from "salesforce-pkce/react"; console.log(AuthProvider);');
  assert.deepEqual(react, ["react/index.js"], "the bindings import React alone (the app's client brings its entry)");
});

describe("in headless Chromium, React's development build", () => {
  let browser, page;
  before(async () => {
    const bundle = await build({
      entryPoints: [join(here, "react-app.js")], bundle: true, write: false, format: "esm", platform: "browser",
      define: { "process.env.NODE_ENV": '"development"' }, logLevel: "error",
    });
    const script = bundle.outputFiles[0].text;
    const webdriver = JSON.parse(readFileSync(join(repo, "webdriver.json"), "utf8"));
    const args = webdriver["goog:chromeOptions"].args.filter((a) => !a.startsWith("--headless"));
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args });
    page = await browser.newPage();
    const failures = [];
    page.on("pageerror", (e) => failures.push(e.message));
    page.failures = failures;
    // One origin, answered by the test: any path is the page, /app.js the bundle.
    await page.route("http://react.test/**", (route) =>
      new URL(route.request().url()).pathname === "/app.js"
        ? route.fulfill({ contentType: "text/javascript", body: script })
        : route.fulfill({ contentType: "text/html", body: '<!doctype html><div id="root"></div><script type="module" src="/app.js"></script>' }));
    await page.goto("http://react.test/");
    await page.waitForSelector("body[data-ready]", { state: "attached" });
  });
  after(async () => {
    assert.deepEqual(page?.failures ?? [], [], "no uncaught error in the page");
    await browser?.close();
  });
  const run = (name) => page.evaluate((n) => window.run(n), name);

  test("StrictMode, a client given: one handleRedirect(), one onRedirect, one listener set, none after unmount", async () => {
    const r = await run("client");
    assert.equal(r.first.isLoading, true, "loading until handleRedirect() settled");
    assert.deepEqual(r.ready, { isLoading: false, isAuthenticated: true, userId: "005000000000001AAA", error: null, hasClient: true });
    assert.equal(r.redirects, 1, "handleRedirect() once, though StrictMode replayed the effects");
    assert.equal(r.path, "/accounts?page=2", "the default onRedirect: the address bar shows returnTo");
    // The provider listens to the 7 events, the probe's useAuthEvent to 3.
    assert.equal(r.liveWhenReady, 10, "one listener set after StrictMode's unmount and remount");
    assert.equal(r.refreshed.userId, "005000000000002AAA", "the session follows the client's events");
    assert.deepEqual(r.log, ["mount effect 1", "mount effect 2", "login", "token_refreshed"], "StrictMode replayed the mount effect; each event heard once");
    assert.equal(r.liveAfterUnmount, 0, "every listener removed on unmount");
    assert.equal(r.remounted.isLoading, false, "a provider mounted again for the client starts ready");
    assert.equal(r.pathAfterRemount, "/elsewhere", "onRedirect is not called again");
    assert.equal(r.liveAtEnd, 0);
  });

  test("StrictMode, create: the client made once, a fetch from a mount effect waits for the redirect, a custom onRedirect once", async () => {
    const r = await run("create");
    assert.equal(r.creates, 1, "create() once, though StrictMode replayed the effect");
    assert.deepEqual(r.first, { isLoading: true, isAuthenticated: false, userId: null, error: null, hasClient: false });
    assert.equal(r.ready.isAuthenticated, true);
    assert.equal(r.redirects, 1);
    assert.deepEqual(r.redirected, [["/next", "/next"]], "onRedirect(returnTo, result) once");
    assert.equal(r.path, "/", "a custom onRedirect replaces the default");
    assert.deepEqual(r.order, ["handleRedirect", "fetch", "fetch"], "the mount effect's fetch (twice: StrictMode replays it) waited for handleRedirect()");
    assert.deepEqual(r.log.filter((e) => e.startsWith("fetch")), ["fetch 200", "fetch 200"]);
    assert.equal(r.liveWhenReady, 10);
    assert.equal(r.liveAfterUnmount, 0);
  });

  test("create fails: its AuthError is the provider's error, and the hook's methods reject with it", async () => {
    const r = await run("createFails");
    assert.deepEqual(r.state, { isLoading: false, isAuthenticated: false, userId: null, error: "invalid_config", hasClient: false });
    assert.equal(r.login, "invalid_config: invalid configuration: loginHost: missing");
  });

  test("handleRedirect() fails: error and no onRedirect; a login clears the error, session_expired sets it", async () => {
    const r = await run("redirectFails");
    assert.deepEqual(r.failed, { isLoading: false, isAuthenticated: false, userId: null, error: "state_mismatch", hasClient: true });
    assert.deepEqual(r.redirected, []);
    assert.deepEqual(r.signedIn, { isLoading: false, isAuthenticated: true, userId: "005000000000001AAA", error: null, hasClient: true });
    assert.deepEqual(r.expired, { isLoading: false, isAuthenticated: false, userId: null, error: "session_expired", hasClient: true });
    assert.deepEqual(r.log, ["mount effect 1", "mount effect 2", "login", "session_expired"]);
    assert.equal(r.liveAfterUnmount, 0);
  });
});
