// `make demo`'s ports (scripts/demo.sh): a default port that is taken is replaced by a free one,
// printed, and the demo is wired to the emulator it started; a port the user set that is taken
// stops the demo with a message naming it. The emulator is the debug build `make test-e2e` makes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { emulatorBinary, freePort, repo } from "./helpers.mjs";

/** Holds 127.0.0.1:port (resolves with a closer; a port something else holds is taken anyway). */
function hold(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(() => {}));
    s.listen(port, "127.0.0.1", () => resolve(() => s.close()));
  });
}

/** Runs scripts/demo.sh; resolves on `until` matching its output, or on its exit. */
function demo(env, until) {
  return new Promise((resolve) => {
    const child = spawn("bash", ["scripts/demo.sh"], {
      cwd: repo,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SF_EMULATOR: emulatorBinary(), ...env },
    });
    let out = "";
    const stop = () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
    };
    const timer = setTimeout(() => (stop(), resolve({ out, code: "timeout", stop })), 60_000);
    const seen = (d) => {
      out += d;
      if (until.test(out)) (clearTimeout(timer), resolve({ out, code: null, stop }));
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", (code) => (clearTimeout(timer), resolve({ out, code, stop })));
  });
}

test("a taken default emulator port: the demo picks a free one, prints it and is wired to it", async () => {
  const release = await hold(8787);
  const demoPort = await freePort();
  const r = await demo({ DEMO_PORT: String(demoPort), EMULATOR_PORT: "" }, /Ctrl-C stops everything/);
  try {
    assert.equal(r.code, null, r.out);
    const emulator = r.out.match(/Emulator \(My Domain\): (http:\/\/127\.0\.0\.1:(\d+))/);
    assert.ok(emulator, r.out);
    assert.notEqual(emulator[2], "8787");
    assert.match(r.out, /port 8787 \(EMULATOR_PORT's default\) is in use; using \d+ instead/);
    const config = await (await fetch(`http://127.0.0.1:${demoPort}/demo-config.json`)).json();
    assert.equal(config.emulatorUrl, emulator[1]);
    // What answers there is the emulator the demo started (its discovery names that URL).
    const discovery = await (await fetch(`${emulator[1]}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, emulator[1]);
  } finally {
    r.stop();
    release();
  }
});

test("a port the user set that is taken: the demo stops and names it", async () => {
  const port = await freePort();
  const release = await hold(port);
  try {
    const r = await demo({ DEMO_PORT: String(await freePort()), EMULATOR_PORT: String(port) }, /$^/);
    assert.notEqual(r.code, 0);
    assert.notEqual(r.code, "timeout", r.out);
    assert.match(r.out, new RegExp(`EMULATOR_PORT=${port} is in use`));
    assert.doesNotMatch(r.out, /Open http/);
  } finally {
    release();
  }
});
