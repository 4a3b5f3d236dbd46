// One small, engine-neutral browser interface for the shared E2E scenarios (scenarios.mjs),
// implemented twice: over playwright-core (Chromium) and over WebDriver with selenium-webdriver
// (Firefox ESR through geckodriver, WebKitGTK's MiniBrowser through WebKitWebDriver). Drivers
// and browsers are given by explicit path; Selenium Manager is kept offline (SE_OFFLINE), so
// nothing is ever downloaded.
//
//   const engine = await openEngine("firefox");   // { name, version (known once a session ran), session(), close() }
//   const s = await engine.session();             // a fresh profile: its own storage and cookies
//   const w = await s.newWindow();                // a top-level window of that profile
//   await w.goto(url); await w.reload(); await w.url();
//   await w.eval((arg) => …, arg);                // in the page; a returned promise is awaited
//   await w.waitFor((arg) => …, arg, ms);         // resolves with the first truthy value
//   await w.fill("#id", "text"); await w.click("#id"); await w.close();
//   await s.clearCookies(url);                    // every cookie of url's site (the provider session)
//   await s.close();
import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { launch } from "../helpers.mjs";

process.env.SE_OFFLINE = "true";
const { Builder, By } = await import("selenium-webdriver");
const { default: firefox } = await import("selenium-webdriver/firefox.js");
const { default: remote } = await import("selenium-webdriver/remote/index.js");
const { findFreePort } = await import("selenium-webdriver/net/portprober.js");

export const GECKODRIVER = `${homedir()}/.cargo/bin/geckodriver`;
export const FIREFOX = "/usr/bin/firefox-esr";
export const WEBKITWEBDRIVER = "/usr/bin/WebKitWebDriver";
export const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const SCRIPT_TIMEOUT = 30_000;

export async function openEngine(name) {
  if (name === "chromium") return playwrightEngine();
  if (name === "firefox" || name === "webkit") return webdriverEngine(name);
  throw new Error(`unknown engine ${name} (chromium, firefox, webkit)`);
}

/** Polls `probe` until it yields a truthy value; a probe that throws (a page mid-navigation)
 *  counts as not yet. */
async function poll(probe, ms, what) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${last.message.split("\n")[0]})` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function playwrightEngine() {
  const browser = await launch();
  return {
    name: "chromium",
    version: browser.version(),
    async session() {
      const context = await browser.newContext();
      return {
        async newWindow() {
          const page = await context.newPage();
          return {
            goto: (url) => page.goto(url).then(() => {}),
            reload: () => page.reload().then(() => {}),
            url: async () => page.url(),
            eval: (fn, arg) => page.evaluate(fn, arg),
            waitFor: (fn, arg, ms) => poll(() => page.evaluate(fn, arg), ms, String(fn)),
            fill: (sel, v) => page.fill(sel, v),
            click: (sel) => page.click(sel, { noWaitAfter: true }),
            close: () => page.close(),
          };
        },
        clearCookies: async () => context.clearCookies(),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

/** A virtual X server for WebKitGTK (it has no headless mode), on a display it picks itself. */
async function startXvfb() {
  const x = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
  let err = "";
  x.stderr.on("data", (d) => (err += d));
  const display = await new Promise((resolve, reject) => {
    x.stdio[3].once("data", (d) => resolve(`:${String(d).trim()}`));
    x.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}: ${err}`)));
  });
  const stop = () => x.kill();
  process.once("exit", stop); // also when the run is cut short
  return { display, stop };
}

async function webdriverEngine(name) {
  let builder, stop = async () => {};
  if (name === "firefox") {
    builder = () => new Builder().forBrowser("firefox")
      .setFirefoxOptions(new firefox.Options().setBinary(FIREFOX).addArguments("-headless"))
      .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER));
  } else {
    // One WebKitWebDriver for every session of the run; MiniBrowser in Xvfb.
    const xvfb = await startXvfb();
    const port = await findFreePort();
    const service = new remote.DriverService(WEBKITWEBDRIVER, { port, args: [`--port=${port}`], env: { ...process.env, DISPLAY: xvfb.display }, loopback: true });
    const url = await service.start(15_000);
    builder = () => new Builder().usingServer(url).withCapabilities({
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
    });
    stop = async () => {
      await service.kill();
      xvfb.stop();
    };
  }
  const engine = {
    name,
    version: "?", // from the first session's capabilities
    async session() {
      const driver = await builder().build();
      engine.version = (await driver.getCapabilities()).get("browserVersion");
      await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT, pageLoad: SCRIPT_TIMEOUT });
      let current = await driver.getWindowHandle();
      let unused = current; // the window the session starts with
      const focus = async (handle) => {
        if (handle !== current) await driver.switchTo().window(handle);
        current = handle;
      };
      // The function runs in the page with its argument; its result (a promise is awaited) comes
      // back as JSON, an exception as a rejection with the page's message.
      const run = async (fn, arg) => {
        const r = await driver.executeAsyncScript(
          `const done = arguments[arguments.length - 1];
           Promise.resolve().then(() => (${fn})(arguments[0])).then(
             (value) => done({ value: value === undefined ? null : value }),
             (e) => done({ error: String(e && e.stack || e) }));`,
          arg === undefined ? null : arg,
        );
        if (r && "error" in r) throw new Error(`in the page: ${r.error}`);
        return r.value;
      };
      return {
        async newWindow() {
          let handle = unused;
          unused = null;
          if (!handle) {
            await driver.switchTo().newWindow("window");
            handle = current = await driver.getWindowHandle();
          }
          const on = (f) => async (...a) => {
            await focus(handle);
            return f(...a);
          };
          return {
            goto: on((url) => driver.get(url)),
            reload: on(() => driver.navigate().refresh()),
            url: on(() => driver.getCurrentUrl()),
            eval: on(run),
            waitFor: on((fn, arg, ms) => poll(() => run(fn, arg), ms, String(fn))),
            fill: on(async (sel, v) => {
              const el = await driver.findElement(By.css(sel));
              await el.clear();
              await el.sendKeys(v);
            }),
            click: on(async (sel) => (await driver.findElement(By.css(sel))).click()),
            close: on(async () => {
              await driver.close();
              const left = await driver.getAllWindowHandles();
              if (left.length) await driver.switchTo().window((current = left[0]));
            }),
          };
        },
        // WebDriver sees the cookies of the current document only: visit the site to clear them.
        async clearCookies(url) {
          const back = current;
          await driver.switchTo().newWindow("window");
          await driver.get(url);
          await driver.manage().deleteAllCookies();
          await driver.close();
          await driver.switchTo().window((current = back));
        },
        close: () => driver.quit(),
      };
    },
    close: stop,
  };
  return engine;
}
