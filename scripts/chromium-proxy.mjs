// A loopback HTTP proxy for the Chromium browser suite (scripts/test-browser.sh): every request
// Chromium makes to the test server is forwarded on a connection of its own, with
// `Connection: close`, so the server never holds one of the browser's idle keep-alive connections.
//
// Why: wasm-bindgen-test-runner serves the page with tiny_http 0.12, which gives each accepted
// connection to a thread of its pool for the connection's whole life. Its pool queues a new
// connection whenever it counts an idle thread, even one already woken for an earlier
// connection; when Chromium opens its six connections at once (the glue's 8 snippet modules),
// one or two can be left in the queue behind connections Chromium keeps open: their request sits
// unread in the socket, the module graph never loads, the page's load event never fires, and
// the run hangs at "Loading scripts..." (chromedriver: "Timed out receiving message from
// renderer" at 300 s). With one request per upstream connection, every connection ends after
// its response and its thread takes the next queued one at once.
//
// Usage: node scripts/chromium-proxy.mjs IN.json OUT.json
// Listens on a free loopback port, writes OUT.json (IN.json's capabilities with Chromium told
// to use the proxy for loopback addresses, which it otherwise never proxies), then serves
// until killed. Only plain-HTTP requests to loopback hosts are forwarded; anything else (there
// is nothing else: the suite's Salesforce is an in-page mock) is answered 502.
import { createServer } from "node:http";
import { forward } from "./loopback-forward.mjs";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node scripts/chromium-proxy.mjs IN.json OUT.json");
  process.exit(2);
}
const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);

const server = createServer((req, res) => {
  let target;
  try {
    target = new URL(req.url);
  } catch {
    target = null;
  }
  if (!target || target.protocol !== "http:" || !loopback.has(target.hostname)) {
    res.writeHead(502, { "Content-Type": "text/plain" }).end("chromium-proxy: loopback http only\n");
    return;
  }
  forward(req, res, {
    host: target.hostname.replace(/^\[|\]$/g, ""),
    port: target.port || 80,
    path: target.pathname + target.search,
    name: "chromium-proxy",
  });
});
// HTTPS would come as CONNECT: refused, as a host with no route would be.
server.on("connect", (_req, socket) => socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));

server.listen(0, "127.0.0.1", () => {
  const caps = JSON.parse(readFileSync(input, "utf8"));
  const opts = (caps["goog:chromeOptions"] ||= {});
  opts.args = [
    ...(opts.args || []),
    `--proxy-server=http://127.0.0.1:${server.address().port}`,
    // Chromium never proxies loopback addresses unless told to.
    "--proxy-bypass-list=<-loopback>",
  ];
  writeFileSync(`${output}.tmp`, JSON.stringify(caps, null, 2) + "\n");
  renameSync(`${output}.tmp`, output);
});
