// Writes the npm package's entries into DIR/package.json: the three entries (default, ./dpop,
// ./tabs), the test double (./testing), the React bindings (./react, with React as an optional
// peer dependency), their wasm files and the session worker (each entry's snippets are bundled into
// its glue by scripts/build.sh). Usage: node scripts/package-json.mjs DIR
import { readFileSync, writeFileSync } from "node:fs";

const file = `${process.argv[2]}/package.json`;
const p = JSON.parse(readFileSync(file, "utf8"));
p.files = Array.from(new Set([...(p.files || []), "salesforce_pkce.development.js", "development.js", "prose.js", "explanations.js",
  "dpop", "tabs", "testing", "react", "docs"]));
// Each entry: its typings, its development build (the "development" condition: Vite's and webpack's
// dev mode, node --conditions=development; the same wasm, the doctor's explanations and its
// warning at construction), then the production build.
const entry = (dir) => ({
  types: `./${dir}salesforce_pkce.d.ts`,
  development: `./${dir}salesforce_pkce.development.js`,
  default: `./${dir}salesforce_pkce.js`,
});
p.exports = {
  ".": entry(""),
  "./dpop": entry("dpop/"),
  "./tabs": entry("tabs/"),
  "./tabs/session-worker.js": "./tabs/session-worker.js",
  // The test double for unit tests (no wasm); never imported by the other entries.
  "./testing": { types: "./testing/index.d.ts", default: "./testing/index.js" },
  // The React bindings; they import "react" and no entry of the package.
  "./react": { types: "./react/index.d.ts", default: "./react/index.js" },
  "./salesforce_pkce_bg.wasm": "./salesforce_pkce_bg.wasm",
  "./dpop/salesforce_pkce_bg.wasm": "./dpop/salesforce_pkce_bg.wasm",
  "./tabs/salesforce_pkce_bg.wasm": "./tabs/salesforce_pkce_bg.wasm",
  "./package.json": "./package.json",
};
// Only ./react needs React: optional, so installing the package never installs or requires it.
p.peerDependencies = { react: "^18.0.0 || ^19.0.0" };
p.peerDependenciesMeta = { react: { optional: true } };
// No module runs anything a bundler must keep when its exports go unused (the snippets, which
// wasm-bindgen's glue imported for their effect, are bundled into the glue).
p.sideEffects = false;
writeFileSync(file, JSON.stringify(p, null, 2) + "\n");
