// The package's public typings: wasm-bindgen lists every export of the wasm module in
// `InitOutput` (dozens of internal, minified names that would show in autocomplete); what
// `init()` resolves to is only documented as the module's memory. Usage: node scripts/dts.mjs DIR
import { readFileSync, writeFileSync } from "node:fs";

const file = `${process.argv[2]}/salesforce_pkce.d.ts`;
const dts = readFileSync(file, "utf8");
const re = /export interface InitOutput \{[^}]*\}/;
if (!re.test(dts)) {
  console.error(`build: InitOutput is not where expected in ${file}`);
  process.exit(1);
}
writeFileSync(file, dts.replace(re, `/** What \`init()\` resolves to. The module's other exports are internal. */
export interface InitOutput {
    readonly memory: WebAssembly.Memory;
}`));
