// One request forwarded to a loopback server, for the browser suite's two proxies
// (scripts/chromium-proxy.mjs, scripts/webkit-proxy.mjs): hop-by-hop headers are dropped both
// ways, the upstream connection serves this request only (agent: false) and, with `close`, is
// closed after its response, so the test server never holds a browser's idle connection.
import { request } from "node:http";

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "upgrade"]);
const without = (headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !hopByHop.has(k.toLowerCase())));

/** Forwards `req` to `host`:`port` at `path` and pipes the answer into `res`. `body` (a Buffer)
 *  is sent instead of the request's own stream; `hostHeader` replaces its Host; `name` starts a
 *  502's text. */
export function forward(req, res, { host = "127.0.0.1", port, path, body = null, hostHeader = null, close = true, name }) {
  const headers = without(req.headers);
  if (hostHeader) headers.host = hostHeader;
  if (close) headers.connection = "close";
  if (body) headers["content-length"] = String(body.length);
  const upstream = request({ host, port, path, method: req.method, headers, agent: false }, (up) => {
    res.writeHead(up.statusCode, up.statusMessage, without(up.headers));
    up.pipe(res);
  });
  upstream.on("error", (e) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end(`${name}: ${e.message}\n`);
  });
  if (body) upstream.end(body);
  else req.pipe(upstream);
}
