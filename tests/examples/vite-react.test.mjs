// examples/vite-react: built with `vite build` and served statically, and under `vite dev`,
// each signed in to sf-emulator in headless Chromium, with sharing off, "tabs" and "tabs-locks".
// The package comes from its tarball (make examples installs it); no workerUrl, no copy step.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { launch, repo, start } from "../e2e/helpers.mjs";
import { appOrigin, CLIENT_ID, run, signInListRefreshLogout, startEmulator, twoTabs } from "./flow.mjs";

const dir = join(repo, "examples", "vite-react");
const vite = join(dir, "node_modules", ".bin", "vite");
// [how it is served, sessionSharing]
const apps = [["build", ""], ["build", "tabs"], ["build", "tabs-locks"], ["dev", ""], ["dev", "tabs"]];
let emu, browser;
const origins = new Map();
const children = [];
const origin = (how, sharing) => origins.get(`${how} ${sharing}`).origin;

before(async () => {
  for (const [how, sharing] of apps) origins.set(`${how} ${sharing}`, await appOrigin());
  emu = await startEmulator([...origins.values()].map((a) => a.origin));
  for (const [how, sharing] of apps) {
    const { port } = origins.get(`${how} ${sharing}`);
    const env = { ...process.env, VITE_SF_LOGIN_HOST: emu.url, VITE_SF_CLIENT_ID: CLIENT_ID, VITE_SF_SHARING: sharing };
    if (how === "dev") {
      // Two dev servers of one project at once: Vite 8 refuses the second without --bypass-lock.
      children.push(await start(vite, ["--host", "127.0.0.1", "--port", String(port), "--strictPort", "--bypass-lock"], /ready in/, { cwd: dir, env }));
      continue;
    }
    const out = join(repo, "build", "examples", "vite-react", sharing || "off");
    await run(`vite build (sharing ${sharing || "off"})`, vite, ["build", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], { cwd: dir, env });
    children.push(await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", out], /demo server/));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const c of children) c.kill();
  emu?.stop();
});

for (const how of ["build", "dev"]) {
  test(`vite ${how}: sign in, every Account through auth.fetch, one refresh on expiry, logout`, () =>
    signInListRefreshLogout(browser, emu, origin(how, "")));
}
for (const [how, mode] of [["build", "tabs"], ["build", "tabs-locks"], ["dev", "tabs"]]) {
  test(`vite ${how}, sessionSharing "${mode}": two tabs, one refresh, logout everywhere`, () =>
    twoTabs(browser, emu, origin(how, mode), mode));
}
