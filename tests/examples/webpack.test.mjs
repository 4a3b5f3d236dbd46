// examples/webpack: built by webpack 5 (production) and served statically, signed in to
// sf-emulator in headless Chromium with sharing off, "tabs" and "tabs-locks"; and built in
// development mode, which picks the package's development build (the "development" export
// condition), signed in with sharing off. The package comes
// from its tarball (make examples installs it); no workerUrl, no copy step.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { launch, repo } from "../e2e/helpers.mjs";
import assert from "node:assert/strict";
import { buildAndServe, packageBuild, signInListRefreshLogout, startEmulator, twoTabs } from "./flow.mjs";

const dir = join(repo, "examples", "webpack");
const webpack = join(dir, "node_modules", ".bin", "webpack");
// [sessionSharing, webpack mode]
const variants = [["", "production"], ["tabs", "production"], ["tabs-locks", "production"], ["", "development"]];
let emu, browser;
const apps = new Map();

before(async () => {
  emu = await startEmulator(variants.length);
  for (const [mode, how] of variants) {
    const out = join(repo, "build", "examples", "webpack", `${mode || "off"}-${how}`);
    apps.set(`${mode} ${how}`, await buildAndServe(emu, `webpack ${how} (sharing ${mode || "off"})`, webpack,
      // Development mode's default devtool evaluates strings, which the served page's CSP refuses.
      ["--mode", how, ...(how === "development" ? ["--devtool", "source-map"] : []), "--output-path", out], out,
      { cwd: dir, env: { ...process.env, SF_LOGIN_HOST: emu.url, SF_CLIENT_ID: emu.clientId, SF_SHARING: mode } }));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const app of apps.values()) app.stop();
  emu?.stop();
});

for (const how of ["production", "development"]) {
  test(`webpack ${how}: the ${how} build of the package, no doctor warning`, async () => {
    const { development, warnings } = await packageBuild(browser, apps.get(` ${how}`).origin);
    assert.equal(development, how === "development");
    assert.deepEqual(warnings, []);
  });
  test(`webpack ${how}: sign in, every Account through auth.fetch, one refresh on expiry, logout`, () =>
    signInListRefreshLogout(browser, emu, apps.get(` ${how}`).origin));
}
for (const mode of ["tabs", "tabs-locks"]) {
  test(`webpack, sessionSharing "${mode}": two tabs, one refresh, logout everywhere`, () =>
    twoTabs(browser, emu, apps.get(`${mode} production`).origin, mode));
}
