// The classic mistake: a token endpoint without CORS for the app (login.salesforce.com, or
// "Enable CORS for OAuth endpoints" off). The emulator's --no-oauth-cors plays it; the browser
// blocks the token call, and the error names the likely cause.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, signInOnTestPage, startTestPage } from "./helpers.mjs";

let app, browser, origin;
before(async () => {
  app = await startTestPage({ emulatorArgs: ["--no-oauth-cors"] });
  origin = app.origin;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  app?.stop();
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
