// A small static server for the demo (loopback only): www/ at /, pkg/ at /pkg/, the app page on
// the callback path, /demo-config.json from the environment, and strict security headers.
// Usage: node scripts/serve.mjs --port 8080 [--emulator http://127.0.0.1:8787] [--client-id ID]
//        [--login-host URL] [--root DIR] [--extra '{"key":"value"}' (merged into /demo-config.json)]
//        [--no-coop (no Cross-Origin-Opener-Policy header: a popup test where the opener can see the popup)]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith("--") ? all[i + 1] : "true"]);
  return acc;
}, []));
const repo = resolve(fileURLToPath(import.meta.url), "../..");
const port = Number(args.port || 8080);
const roots = { "/pkg/": join(repo, "pkg"), "/": resolve(args.root || join(repo, "www")) };
const config = {
  emulatorUrl: args.emulator || null,
  clientId: args["client-id"] || null,
  loginHost: args["login-host"] || null,
  users: args.users ? JSON.parse(args.users) : [],
  ...(args.extra ? JSON.parse(args.extra) : {}),
};
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml", ".ts": "text/plain" };
const csp = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
  "connect-src 'self' http://127.0.0.1:* http://localhost:* https:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
].join("; ");

function send(res, status, body, type) {
  res.writeHead(status, {
    "Content-Type": type, "Cache-Control": "no-store", "Content-Security-Policy": csp,
    "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
    ...(args["no-coop"] ? {} : { "Cross-Origin-Opener-Policy": "same-origin" }),
  });
  res.end(body);
}

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed", "text/plain");
  if (path === "/demo-config.json") return send(res, 200, JSON.stringify(config), "application/json");
  const page = path === "/" || path === "/callback" || path === "/index.html";
  const prefix = path.startsWith("/pkg/") ? "/pkg/" : "/";
  const rel = page ? "index.html" : path.slice(prefix.length);
  const file = normalize(join(roots[prefix], rel));
  if (!file.startsWith(roots[prefix])) return send(res, 403, "forbidden", "text/plain");
  try {
    send(res, 200, await readFile(file), types[extname(file)] || "application/octet-stream");
  } catch {
    send(res, 404, "not found", "text/plain");
  }
});
server.on("error", (e) => {
  console.error(`demo server: cannot listen on 127.0.0.1:${port}: ${e.code === "EADDRINUSE" ? "the port is in use" : e.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => {
  console.log(`demo server: http://localhost:${port}/ (serving www/ and pkg/ on 127.0.0.1 only)`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
