// Shared E2E helpers: free ports, child processes that are ready when they print a line,
// the emulator and the demo server, and headless Chromium through playwright-core.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLIENT_ID = "3MVG9EMULATOR.demo.salesforce_pkce.client";
export const USERS = { ada: ["ada@acme.demo", "demo-Ada-2026"], sam: ["sam@acme.demo", "demo-Sam-2026"] };
export const shotsDir = join(repo, "build", "screenshots");

// Ports already handed out in this run: the kernel may offer a port again once it is closed, and
// two servers told the same port fail with EADDRINUSE.
const given = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => (given.has(port) ? freePort().then(resolve, reject) : (given.add(port), resolve(port))));
    });
    s.on("error", reject);
  });
}

/** Starts a process; resolves when a stdout line matches `ready`. */
export function start(cmd, args, ready, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"], ...opts });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${out}`)), 30_000);
    const onData = (d) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code}: ${out}`));
    });
  });
}

export function emulatorBinary() {
  for (const p of ["target/debug/sf-emulator", "target/release/sf-emulator"]) {
    try {
      readFileSync(join(repo, p));
      return join(repo, p);
    } catch {}
  }
  throw new Error("build the emulator first: cargo build -p sf-emulator");
}

/** The emulator and the demo server on free ports. `callbackSuffix` is appended to the
 *  callback the emulator registers (e.g. "/" to register a different URL than the app sends). */
export async function startDemo({ callbackSuffix = "", extra = [] } = {}) {
  const [demoPort, emuPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${demoPort}`;
  const emulatorUrl = `http://127.0.0.1:${emuPort}`;
  const emu = await start(emulatorBinary(), [
    "--port", String(emuPort), "--test-control", "--batch-size", "25",
    "--callback", `${origin}/callback${callbackSuffix}`, "--cors-origin", origin, ...extra,
  ], /listening/);
  const web = await start("node", ["scripts/serve.mjs", "--port", String(demoPort), "--emulator", emulatorUrl, "--client-id", CLIENT_ID,
    "--users", JSON.stringify(Object.values(USERS).map((u) => u.join(" / ")))], /demo server/);
  return {
    origin, emulatorUrl,
    async control(path, init) {
      const r = await fetch(`${emulatorUrl}/__emulator/${path}`, init);
      return r.json();
    },
    stop() {
      emu.kill();
      web.kill();
    },
  };
}

/** The emulator and the bare test page (tests/e2e/generic) on free ports. `emulatorArgs` are
 *  added to the emulator's command line; `config` is merged into the page's /demo-config.json. */
export async function startTestPage({ emulatorArgs = [], config = {} } = {}) {
  const [port, emuPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${port}`;
  const emulatorUrl = `http://127.0.0.1:${emuPort}`;
  const emu = await start(emulatorBinary(), ["--port", String(emuPort), "--callback", `${origin}/callback`,
    "--cors-origin", origin, ...emulatorArgs], /listening/);
  const web = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", "tests/e2e/generic",
    "--extra", JSON.stringify({ loginHost: emulatorUrl, clientId: CLIENT_ID, ...config })], /demo server/);
  return {
    origin, emulatorUrl,
    async control(path, init) {
      return (await fetch(`${emulatorUrl}/__emulator/${path}`, init)).json();
    },
    stop() {
      emu.kill();
      web.kill();
    },
  };
}

export async function launch() {
  const webdriver = JSON.parse(readFileSync(join(repo, "webdriver.json"), "utf8"));
  const args = webdriver["goog:chromeOptions"].args.filter((a) => !a.startsWith("--headless"));
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args });
}

export async function shot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

/** Records what a page does that could leak a token: console lines and outgoing requests. */
export function watch(page) {
  const seen = { console: [], requests: [] };
  page.on("console", (m) => seen.console.push(m.text()));
  page.on("request", (r) => seen.requests.push({ url: r.url(), headers: r.headers() }));
  return seen;
}

/** The emulator's login form, then its consent page when it asks (once per user and app), until
 *  the browser is back on `origin`. */
export async function submitLogin(page, origin, [user, password] = USERS.ada) {
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#Login");
  const consent = await Promise.race([
    page.waitForSelector("#oaapprove").then(() => true),
    page.waitForURL(`${origin}/`).then(() => false),
  ]);
  if (consent) await page.click("#oaapprove");
  await page.waitForURL(`${origin}/`);
}

/** The emulator's login form and consent page in `page` (a login popup too: it closes itself
 *  afterwards, so nothing here waits for where it goes). */
export async function emulatorSignIn(page, [user, password] = USERS.ada) {
  await page.waitForSelector("#username");
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#Login");
  await page.click("#oaapprove");
}

/** Evaluates `inPage` in `page` (it sends the page away: to the provider, often by redirects
 *  alone, with no page of its own) and waits until a new document on `origin`'s root is ready,
 *  each wait within `timeout` (Playwright's default when unset). `waitForURL` alone returns at
 *  once when the page starts on that URL, before it has even left, and the checks that follow
 *  then read the old page (an end-session test failed so in CI). */
export async function awayAndBack(page, origin, inPage, { timeout } = {}) {
  const loaded = page.waitForEvent("load", { timeout });
  await page.evaluate(inPage);
  await loaded;
  await page.waitForURL(`${origin}/`, { timeout });
  await page.waitForSelector("body[data-ready]", { timeout });
}

/** On the bare test page (tests/e2e/generic): login() through the emulator's login form and
 *  consent page, back to the app (the callback outcome is in window.redirect/redirectError). */
export async function signInOnTestPage(page, origin, [user, password] = USERS.ada) {
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => window.auth.login());
  await emulatorSignIn(page, [user, password]);
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector("body[data-ready]");
}
