// Size: our package (wasm + JS glue, as `wasm-pack pack` ships it: the default page, the ./tabs
// page, the add-on between them, the whole package) next to the peers bundled by esbuild
// (--bundle --minify) with the imports a PKCE login + refresh + revoke needs.
import { build } from "esbuild";
import { readFileSync, readdirSync, mkdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const out = join(here, "..", "build", "bench");
mkdirSync(out, { recursive: true });
const measure = (buffers) => ({
  raw: buffers.reduce((n, b) => n + b.length, 0),
  gzip: buffers.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
  brotli: buffers.reduce((n, b) => n + brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0),
});

export async function sizes(pkgDir) {
  const rows = [];
  const version = JSON.parse(readFileSync(join(pkgDir, "package.json"))).version;
  const all = readdirSync(pkgDir, { recursive: true }).filter((f) => /\.(wasm|js)$/.test(f) && !f.endsWith(".d.ts"));
  const read = (files) => files.map((f) => readFileSync(join(pkgDir, f)));
  // What a page fetches, as a browser loads it: the default entry (no sessionSharing, no DPoP),
  // the ./dpop entry (dpop or verifyIdTokenSignature set), or the ./tabs entry (sessionSharing
  // set, with DPoP; the session worker loads the same files, cached). ./testing and ./react are
  // no page's entry: the default page is its glue, its wasm and its snippets, nothing else.
  const page = all.filter((f) => f === "salesforce_pkce.js" || f === "salesforce_pkce_bg.wasm" || f.startsWith("snippets/"));
  // Each entry's development wrapper (salesforce_pkce.development.js) is loaded only under the
  // "development" export condition: a production page never fetches it (it had been counted in
  // the ./dpop and ./tabs pages, 195 B gzip each, though never in the default page).
  const production = (f) => !f.endsWith(".development.js");
  const tabs = all.filter((f) => f.startsWith("tabs/") && production(f));
  const dpop = all.filter((f) => f.startsWith("dpop/") && production(f));
  const defaultRow = { name: "salesforce-pkce: default page (no sessionSharing)", version, ...measure(read(page)) };
  const tabsRow = { name: "salesforce-pkce: page with sessionSharing (./tabs entry + worker)", version, ...measure(read(tabs)) };
  const dpopRow = { name: "salesforce-pkce: page with dpop / verifyIdTokenSignature (./dpop entry)", version, ...measure(read(dpop)) };
  const minus = (name, a, b) => ({ name, version, raw: a.raw - b.raw, gzip: a.gzip - b.gzip, brotli: a.brotli - b.brotli });
  // ./tabs has DPoP too (default + sharing + DPoP): the sharing add-on is ./tabs minus ./dpop.
  // The development build (the package's "development" export condition: Vite's and webpack's
  // dev mode): the same wasm and glue, plus the wrapper that prints the doctor's findings and the
  // doctor's prose keyed by code, and the errors' explanations development.js imports (left out
  // of this row until session 18: the row had read the development page low).
  const devFiles = ["salesforce_pkce.development.js", "development.js", "prose.js", "explanations.js"];
  const devRow = { name: "salesforce-pkce: default page, development build (+ development.js, prose.js, explanations.js)", version, ...measure(read([...page, ...devFiles])) };
  rows.push(defaultRow, devRow, dpopRow, minus("— DPoP + JWKS add-on: the ./dpop page minus the default page", dpopRow, defaultRow),
    tabsRow, minus("— sharing add-on: the ./tabs page minus the ./dpop page", tabsRow, dpopRow));
  rows.push({ name: "salesforce-pkce: whole package (three entries)", version, ...measure(read([...page, ...dpop, ...tabs])) });
  // The default page the way the peers are measured: its JS bundled and minified by esbuild.
  const js = [];
  const r = await build({ entryPoints: [join(pkgDir, "salesforce_pkce.js")], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  js.push(...r.outputFiles.map((f) => Buffer.from(f.contents)));
  rows.push({ name: "salesforce-pkce: default page, JS bundled by esbuild like the peers", version, ...measure([readFileSync(join(pkgDir, "salesforce_pkce_bg.wasm")), ...js]) });
  // Not shipped: src/core alone behind a minimal string API (bench/core-probe, built by
  // scripts/core-probe.sh): the floor of a design with the runtime in JS and the core in wasm.
  const probe = join(here, "..", "build", "core-probe");
  const probeJs = await build({ entryPoints: [join(probe, "core_probe.js")], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  rows.push({ name: "protocol core alone, no runtime (probe, not shipped)", version, ...measure([readFileSync(join(probe, "core_probe_bg.wasm")), ...probeJs.outputFiles.map((f) => Buffer.from(f.contents))]) });
  for (const [name, entry] of [["oidc-client-ts", "oidc-client-ts.js"], ["@auth0/auth0-spa-js", "auth0-spa-js.js"], ["oauth4webapi", "oauth4webapi.js"], ["@azure/msal-browser", "msal-browser.js"]]) {
    const result = await build({ entryPoints: [join(here, "entries", entry)], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
    const version = JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"))).version;
    rows.push({ name, version, ...measure(result.outputFiles.map((f) => Buffer.from(f.contents))) });
  }
  return rows;
}
