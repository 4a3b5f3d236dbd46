// Prints the shape of each entry's wasm: how many functions it imports from JS and how many it
// exports (the runtime's boundary: a few coarse imports, each one whole browser step, is the
// design in docs/DECISIONS.md). Usage: node scripts/wasm-shape.mjs PKG_DIR
import { readFileSync } from "node:fs";

const dir = process.argv[2] || "pkg";
const entries = [["default entry", "."], ["dpop entry", "dpop"], ["tabs entry", "tabs"]];
console.log(`${"wasm boundary".padEnd(34)} ${"imports".padStart(10)} ${"exports".padStart(10)}`);
for (const [name, sub] of entries) {
  const module = new WebAssembly.Module(readFileSync(`${dir}/${sub}/salesforce_pkce_bg.wasm`));
  const imports = WebAssembly.Module.imports(module).filter((i) => i.kind === "function").length;
  const exports = WebAssembly.Module.exports(module).filter((e) => e.kind === "function").length;
  console.log(`${name.padEnd(34)} ${String(imports).padStart(10)} ${String(exports).padStart(10)}`);
}
