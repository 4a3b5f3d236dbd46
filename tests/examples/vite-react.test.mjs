// examples/vite-react: built with `vite build` and served statically, and under `vite dev`,
// each signed in to sf-emulator in headless Chromium, with sharing off, "tabs" and "tabs-locks".
// The package comes from its tarball (make examples installs it); no workerUrl, no copy step.
// The app is on salesforce-pkce/react under <StrictMode>: under vite dev (React's development
// build) StrictMode mounts, unmounts and mounts again, and the flow still counts one code exchange
// per login and each event once (one listener set). vite dev loads the package's development
// build (the "development" export condition), vite build its production build.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { launch, repo } from "../e2e/helpers.mjs";
import assert from "node:assert/strict";
import { buildAndServe, packageBuild, signInListRefreshLogout, startDevServer, startEmulator, twoTabs } from "./flow.mjs";

const dir = join(repo, "examples", "vite-react");
const vite = join(dir, "node_modules", ".bin", "vite");
// [how it is served, sessionSharing]
const variants = [["build", ""], ["build", "tabs"], ["build", "tabs-locks"], ["dev", ""], ["dev", "tabs"]];
let emu, browser;
const apps = new Map();
const origin = (how, sharing) => apps.get(`${how} ${sharing}`).origin;

before(async () => {
  emu = await startEmulator(variants.length);
  for (const [how, sharing] of variants) {
    const opts = { cwd: dir, env: { ...process.env, VITE_SF_LOGIN_HOST: emu.url, VITE_SF_CLIENT_ID: emu.clientId, VITE_SF_SHARING: sharing } };
    const out = join(repo, "build", "examples", "vite-react", sharing || "off");
    // Two dev servers of one project at once: Vite 8 refuses the second without --bypass-lock.
    const app = how === "dev"
      ? await startDevServer(emu, vite, (port) => ["--host", "127.0.0.1", "--port", String(port), "--strictPort", "--bypass-lock"], /ready in/, opts)
      : await buildAndServe(emu, `vite build (sharing ${sharing || "off"})`, vite, ["build", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], out, opts);
    apps.set(`${how} ${sharing}`, app);
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const app of apps.values()) app.stop();
  emu?.stop();
});

for (const how of ["build", "dev"]) {
  // The package's "development" export condition: vite dev loads the development build, vite
  // build the production one; the example's options are clean, so neither prints the doctor.
  test(`vite ${how}: the ${how === "dev" ? "development" : "production"} build of the package, no doctor warning`, async () => {
    const { development, warnings } = await packageBuild(browser, origin(how, ""));
    assert.equal(development, how === "dev");
    assert.deepEqual(warnings, []);
  });
  // Under vite dev, StrictMode replays the provider's effects: still one code exchange.
  test(`vite ${how}: sign in (one code exchange${how === "dev" ? ", StrictMode replaying effects" : ""}), every Account through useAuth().fetch, one refresh on expiry, logout`, () =>
    signInListRefreshLogout(browser, emu, origin(how, "")));
}
for (const [how, mode] of [["build", "tabs"], ["build", "tabs-locks"], ["dev", "tabs"]]) {
  test(`vite ${how}, sessionSharing "${mode}": two tabs, one refresh, logout everywhere`, () =>
    twoTabs(browser, emu, origin(how, mode), mode));
}
