// The core E2E flows (engines/scenarios.mjs) in every engine of $ENGINES (default "chromium
// firefox webkit"): Chromium through playwright-core, Firefox ESR and WebKitGTK through WebDriver
// (engines/browsers.mjs). One subtest per (engine, scenario), each in a fresh browser profile.
// Prints each engine's duration and writes build/e2e-results/<engine>.tsv (engine, version,
// passed, failed, seconds), which `make browser-table` reads.
import { test, before, after } from "node:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repo, startTestPage } from "./helpers.mjs";
import { openEngine } from "./engines/browsers.mjs";
import { EMULATOR_ARGS, scenarios } from "./engines/scenarios.mjs";

const ENGINES = (process.env.ENGINES || "chromium firefox webkit").split(/\s+/).filter(Boolean);
const results = join(repo, "build", "e2e-results");

let app;
before(async () => {
  app = await startTestPage({ emulatorArgs: EMULATOR_ARGS });
});
after(() => app?.stop());

for (const name of ENGINES) {
  test(`${name}: the core E2E flows`, { timeout: 360_000 }, async (t) => {
    const started = Date.now();
    const engine = await openEngine(name);
    let passed = 0, failed = 0;
    try {
      for (const [title, run] of Object.entries(scenarios)) {
        await t.test(`${name}: ${title}`, { timeout: 90_000 }, async () => {
          await app.control("reset", { method: "POST" });
          const session = await engine.session();
          try {
            await run(session, app);
            passed++;
          } catch (e) {
            failed++;
            throw e;
          } finally {
            await session.close();
          }
        });
      }
    } finally {
      await engine.close();
      const seconds = Math.round((Date.now() - started) / 1000);
      mkdirSync(results, { recursive: true });
      writeFileSync(join(results, `${name}.tsv`), [name, engine.version, passed, failed, seconds].join("\t") + "\n");
      console.log(`[e2e] ${name} ${engine.version}: ${passed} passed, ${failed} failed in ${seconds} s`);
    }
  });
}
