// Rewrites the wasm's URL in a wasm-bindgen glue file to the "./" form bundlers resolve as a file
// beside the glue, never as a package name. Usage: node scripts/wasm-url.mjs DIR/salesforce_pkce.js
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const js = readFileSync(file, "utf8");
const re = /new URL\((["'])salesforce_pkce_bg\.wasm\1, import\.meta\.url\)/g;
if ((js.match(re) || []).length !== 1) {
  console.error(`build: the wasm URL is not where expected in ${file}`);
  process.exit(1);
}
writeFileSync(file, js.replace(re, 'new URL("./salesforce_pkce_bg.wasm", import.meta.url)'));
