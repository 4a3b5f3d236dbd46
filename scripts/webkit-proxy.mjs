// Runs a command (the WebKit browser suite: `cargo test ... --test browser`) with WebKitWebDriver
// behind a WebDriver front that sends the browser to the test server through a loopback reverse
// proxy: every request WebKit makes to the page's origin is forwarded to the test server on a
// connection of its own, with `Connection: close`. scripts/test-browser.sh runs it in xvfb-run.
//
// Why: wasm-bindgen-test-runner serves the page with tiny_http 0.12, whose pool can leave a new
// connection queued behind connections the browser keeps open (scripts/chromium-proxy.mjs has
// the whole story). WebKit met it in 1 to 2 runs in 3: the page loaded only after ~60 s, and a
// session worker's module fetches could stay queued longer still (both "tabs" worker tests fell
// back to "tabs-locks" in a CI run; a client given 30 s to join one also did, here). The runner
// gives a Safari-type driver empty capabilities, and WebKitWebDriver with http_proxy in its
// environment could not make a session, so Chromium's way (a forward proxy in the capabilities)
// is not open here. Instead the runner is given this front as a remote driver
// (SAFARIDRIVER_REMOTE): it forwards every WebDriver command to the real driver and rewrites the
// one navigation, `POST /session/<id>/url`, from the test server's address to the reverse
// proxy's. The page's origin is then the proxy's; everything else is unchanged.
//
// Usage: node scripts/webkit-proxy.mjs /usr/bin/WebKitWebDriver -- COMMAND [ARGS...]
// Exits with the command's exit code; the driver is stopped when the command ends.
import { spawn } from "node:child_process";
import { createServer, request } from "node:http";
import { forward } from "./loopback-forward.mjs";
import { createServer as createNetServer } from "node:net";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
if (dash !== 1 || args.length < 3) {
  console.error("usage: node scripts/webkit-proxy.mjs DRIVER -- COMMAND [ARGS...]");
  process.exit(2);
}
const [driverPath] = args;
const command = args.slice(2);
const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);
const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
const freePort = async () => {
  const s = createNetServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

/** Forwards `req` to 127.0.0.1:`port` with `path`, `body` (a Buffer) or the request's own stream. */
const send = (req, res, port, path, body, close) =>
  forward(req, res, { port, path, body, close, hostHeader: `127.0.0.1:${port}`, name: "webkit-proxy" });

let finished = false;

// The reverse proxy: the test server's port is learnt from the navigation.
let serverPort = 0;
const pages = createServer((req, res) => {
  if (!serverPort) {
    res.writeHead(503, { "Content-Type": "text/plain" }).end("webkit-proxy: no test server yet\n");
    return;
  }
  send(req, res, serverPort, req.url, null, true);
});
const pagesPort = await listen(pages);

const driverPort = await freePort();
const driver = spawn(driverPath, [`--port=${driverPort}`], { stdio: ["ignore", "inherit", "inherit"] });
driver.on("exit", (code, signal) => {
  if (!finished) console.error(`webkit-proxy: ${driverPath} exited (${signal || code})`);
});

// The WebDriver front.
const front = createServer((req, res) => {
  if (req.method !== "POST" || !/^\/session\/[^/]+\/url$/.test(req.url)) {
    send(req, res, driverPort, req.url, null, false);
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body = Buffer.concat(chunks);
    try {
      const nav = JSON.parse(body.toString("utf8"));
      const target = new URL(nav.url);
      if (target.protocol === "http:" && loopback.has(target.hostname)) {
        serverPort = Number(target.port || 80);
        target.hostname = "127.0.0.1";
        target.port = String(pagesPort);
        body = Buffer.from(JSON.stringify({ ...nav, url: target.href }));
        console.error(`webkit-proxy: ${nav.url} is opened as ${target.href}`);
      }
    } catch {
      // Not a navigation this front understands: the driver answers it as it is.
    }
    send(req, res, driverPort, req.url, body, false);
  });
});
const frontPort = await listen(front);

// The driver is up when its port answers.
for (let i = 0; ; i++) {
  const up = await new Promise((resolve) => {
    const r = request({ host: "127.0.0.1", port: driverPort, path: "/status", agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    r.on("error", () => resolve(false));
    r.end();
  });
  if (up) break;
  if (i === 200 || driver.exitCode !== null) {
    console.error(`webkit-proxy: ${driverPath} did not answer on port ${driverPort}`);
    driver.kill();
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}

const child = spawn(command[0], command.slice(1), {
  stdio: "inherit",
  env: { ...process.env, SAFARIDRIVER_REMOTE: `http://127.0.0.1:${frontPort}` },
});
const stop = (signal) => {
  finished = true;
  driver.kill(signal);
  pages.close();
  front.close();
};
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    child.kill(signal);
    stop(signal);
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}
child.on("exit", (code, signal) => {
  stop("SIGTERM");
  process.exit(code ?? 128 + (signal === "SIGKILL" ? 9 : 15));
});
