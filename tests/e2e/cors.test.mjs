// The classic mistake: a token endpoint without CORS for the app (login.salesforce.com, or
// "Enable CORS for OAuth endpoints" off). The emulator's --no-oauth-cors plays it; the browser
// blocks the token call, and the error names the likely cause.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { freePort, start, emulatorBinary, launch, signInOnTestPage, CLIENT_ID } from "./helpers.mjs";

let emu, web, browser, origin;
before(async () => {
  const [port, emuPort] = [await freePort(), await freePort()];
  origin = `http://localhost:${port}`;
  const emulatorUrl = `http://127.0.0.1:${emuPort}`;
  emu = await start(emulatorBinary(), ["--port", String(emuPort), "--no-oauth-cors", "--callback", `${origin}/callback`, "--cors-origin", origin], /listening/);
  web = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", "tests/e2e/generic",
    "--extra", JSON.stringify({ loginHost: emulatorUrl, clientId: CLIENT_ID })], /demo server/);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  emu?.kill();
  web?.kill();
});

test("a token endpoint without CORS: network_error that names CORS and My Domain, and no session", async () => {
  const page = await browser.newPage();
  await signInOnTestPage(page, origin);
  const error = await page.evaluate(() => window.redirectError);
  assert.match(error, /^network_error: /);
  assert.match(error, /CORS/);
  assert.match(error, /My Domain/);
  assert.match(error, /Enable CORS for OAuth endpoints/);
  assert.equal(await page.evaluate(() => window.auth.isAuthenticated), false);
  await page.close();
});
