// examples/webpack: built by webpack 5 (production) and served statically, signed in to
// sf-emulator in headless Chromium with sharing off, "tabs" and "tabs-locks". The package comes
// from its tarball (make examples installs it); no workerUrl, no copy step.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { launch, repo } from "../e2e/helpers.mjs";
import { buildAndServe, signInListRefreshLogout, startEmulator, twoTabs } from "./flow.mjs";

const dir = join(repo, "examples", "webpack");
const webpack = join(dir, "node_modules", ".bin", "webpack");
const modes = ["", "tabs", "tabs-locks"];
let emu, browser;
const apps = new Map();

before(async () => {
  emu = await startEmulator(modes.length);
  for (const mode of modes) {
    const out = join(repo, "build", "examples", "webpack", mode || "off");
    apps.set(mode, await buildAndServe(emu, `webpack (sharing ${mode || "off"})`, webpack,
      ["--mode", "production", "--output-path", out], out,
      { cwd: dir, env: { ...process.env, SF_LOGIN_HOST: emu.url, SF_CLIENT_ID: emu.clientId, SF_SHARING: mode } }));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const app of apps.values()) app.stop();
  emu?.stop();
});

test("webpack: sign in, every Account through auth.fetch, one refresh on expiry, logout", () =>
  signInListRefreshLogout(browser, emu, apps.get("").origin));
for (const mode of ["tabs", "tabs-locks"]) {
  test(`webpack, sessionSharing "${mode}": two tabs, one refresh, logout everywhere`, () =>
    twoTabs(browser, emu, apps.get(mode).origin, mode));
}
