// examples/leptos: the Leptos (CSR) app on the crate's Rust API and gloo-net, built by
// examples/leptos/build.sh (cargo + the wasm-bindgen CLI), served statically and signed in to
// sf-emulator in headless Chromium.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { launch, repo } from "../e2e/helpers.mjs";
import { buildAndServe, signInListRefreshLogout, startEmulator } from "./flow.mjs";

const out = join(repo, "build", "examples", "leptos");
let emu, browser, app;

before(async () => {
  emu = await startEmulator(1);
  app = await buildAndServe(emu, "leptos build (cargo + wasm-bindgen)", join(repo, "examples", "leptos", "build.sh"), [out], out,
    {}, { loginHost: emu.url, clientId: emu.clientId });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
  emu?.stop();
});

test("leptos: sign in, every Account through AuthClient::send (gloo-net), one refresh on expiry, logout", () =>
  signInListRefreshLogout(browser, emu, app.origin));
