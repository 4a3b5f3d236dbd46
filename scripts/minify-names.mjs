// Minifies the wasm's import and export names (binaryen's --minify-imports-and-exports-and-modules)
// and rewrites wasm-bindgen's JS glue to match: the import object's keys and module name, and
// every `wasm.<export>` access. Old and new names are paired by position in the import and export
// sections (binaryen keeps the order), checked kind by kind; any glue name that is not found
// exactly where expected stops the build. Usage: node scripts/minify-names.mjs DIR
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const wasmPath = join(dir, "salesforce_pkce_bg.wasm");
const jsPath = join(dir, "salesforce_pkce.js");
const minPath = `${wasmPath}.min`;
execFileSync(join(import.meta.dirname, "wasm-opt.sh"), [wasmPath, minPath, "--minify-imports-and-exports-and-modules"], { stdio: ["ignore", "ignore", "inherit"] });

const sections = (path) => {
  const m = new WebAssembly.Module(readFileSync(path));
  return { imports: WebAssembly.Module.imports(m), exports: WebAssembly.Module.exports(m) };
};
const before = sections(wasmPath);
const after = sections(minPath);
const fail = (why) => { console.error(`minify-names: ${why}`); process.exit(1); };
if (before.imports.length !== after.imports.length || before.exports.length !== after.exports.length) fail("section sizes differ");

let js = readFileSync(jsPath, "utf8");
const count = (re) => (js.match(re) || []).length;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MAIN = "./salesforce_pkce_bg.js";

// Imports, grouped by module: old module -> { module: new module, names: [[old, new]] }.
const modules = new Map();
before.imports.forEach((imp, i) => {
  const now = after.imports[i];
  if (imp.kind !== now.kind) fail(`import ${imp.name}: kind changed`);
  const m = modules.get(imp.module) || { module: now.module, names: [] };
  if (m.module !== now.module) fail(`module ${imp.module} split in two`);
  m.names.push([imp.name, now.name]);
  modules.set(imp.module, m);
});
if (!modules.has(MAIN)) fail(`no imports from ${MAIN}`);
for (const [oldModule, { module: newModule, names }] of modules) {
  const key = new RegExp(`${esc(JSON.stringify(oldModule))}\\s*:\\s*(import\\d+)`, "g");
  const found = [...js.matchAll(key)];
  // wasm-bindgen repeats a snippet module's key once per block that imports it (the same
  // module namespace each time): the first stays, the repeats go.
  if (found.length < 1 || (oldModule === MAIN && found.length !== 1)) fail(`the import module ${oldModule} is not where expected`);
  const holder = found[0][1];
  for (const [, repeat] of found.slice(1)) {
    const line = new RegExp(`\\n\\s*${esc(JSON.stringify(oldModule))}\\s*:\\s*${repeat},`, "g");
    if (count(line) !== 1) fail(`a repeated key of ${oldModule} is not where expected`);
    js = js.replace(line, "");
  }
  if (oldModule === MAIN) {
    // wasm-bindgen's own import object: `    name: function(...)` keys, renamed in place.
    for (const [oldName, newName] of names) {
      const re = new RegExp(`(\\n\\s+)${esc(oldName)}(\\s*:)`, "g");
      if (count(re) !== 1) fail(`import ${oldName} found ${count(re)} times in the glue`);
      js = js.replace(re, `$1${JSON.stringify(newName)}$2`);
    }
    js = js.replace(key, `${JSON.stringify(newModule)}: ${holder}`);
  } else {
    // A snippet module (a namespace import): its functions under their new names.
    const fields = names.map(([o, n]) => `${JSON.stringify(n)}: ${holder}[${JSON.stringify(o)}]`).join(", ");
    const own = new RegExp(`\\n\\s*${esc(JSON.stringify(oldModule))}\\s*:\\s*${holder}\\b,?`);
    if (newModule === modules.get(MAIN).module) {
      // binaryen gave every module the same new name: one object holds them all.
      js = js.replace(own, "");
      const main = /(const import0 = \{\n\s*__proto__: null,)/;
      if (!main.test(js)) fail("wasm-bindgen's import object is not where expected");
      js = js.replace(main, `$1\n        ${fields},`);
    } else {
      js = js.replace(own, `\n        ${JSON.stringify(newModule)}: { ${fields} },`);
    }
  }
}

// Exports: every `wasm.<name>` (longest names first, so no name is a prefix of a later one).
const ident = /^[A-Za-z_$][\w$]*$/;
before.exports
  .map((exp, i) => [exp, after.exports[i]])
  .sort(([a], [b]) => b.name.length - a.name.length)
  .forEach(([exp, now]) => {
    if (exp.kind !== now.kind) fail(`export ${exp.name}: kind changed`);
    const access = ident.test(now.name) ? `wasm.${now.name}` : `wasm[${JSON.stringify(now.name)}]`;
    js = js.replace(new RegExp(`\\bwasm\\.${esc(exp.name)}(?![\\w$])`, "g"), access);
  });
const left = js.match(/\bwasm\.__wb\w+/);
if (left) fail(`an export access was not rewritten: ${left[0]}`);

writeFileSync(jsPath, js);
renameSync(minPath, wasmPath);
console.log(`minify-names: ${before.imports.length} imports, ${before.exports.length} exports renamed in ${dir}`);
