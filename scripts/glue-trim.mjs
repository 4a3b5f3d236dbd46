// Drops the branches of wasm-bindgen's glue that no engine able to compile the package's wasm
// takes. The wasm has an externref table (reference types: Chrome 96, Firefox 79, Safari 15),
// and every such engine has TextEncoder's encodeInto (Chrome 74, Firefox 66, Safari 14.1) and
// FinalizationRegistry (Chrome 84, Firefox 79, Safari 14.1); the glue passes every string with
// a realloc function, so passStringToWasm0's branch for none is not taken either.
// Each removal must find its text exactly (the build fails otherwise: a new wasm-bindgen's glue
// is looked at again, not silently left whole).
// Usage: node scripts/glue-trim.mjs DIR/salesforce_pkce.js (on wasm-bindgen's --target web output).
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let js = readFileSync(file, "utf8");
function replace(what, from, to, count) {
  const found = js.split(from).length - 1;
  if (found !== count) {
    console.error(`build: ${what} is not where expected in ${file} (${found} found, ${count} expected)`);
    process.exit(1);
  }
  js = js.split(from).join(to);
}
// Every call gives realloc (checked): the branch for a malloc-only call goes.
const calls = js.match(/(?<!function )passStringToWasm0\([^)]*\)/g) || [];
for (const call of calls) {
  if (!/^passStringToWasm0\([^,]+, wasm\.[\w$]+, wasm\.[\w$]+\)$/.test(call)) {
    console.error(`build: ${call} in ${file} is not a call with malloc and realloc`);
    process.exit(1);
  }
}
if (calls.length > 0) {
  replace("passStringToWasm0's branch without realloc", `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

`, "", 1);
  replace("TextEncoder's encodeInto fallback", `
if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
`, "", 1);
}
const finalization = /\(typeof FinalizationRegistry === 'undefined'\)\n\s*\? \{ register: \(\) => \{\}, unregister: \(\) => \{\} \}\n\s*: new FinalizationRegistry/g;
const registries = js.match(/FinalizationRegistry\(/g) || [];
const fallbacks = js.match(finalization) || [];
if (fallbacks.length !== registries.length) {
  console.error(`build: a FinalizationRegistry of ${file} is not in the expected form`);
  process.exit(1);
}
js = js.replace(finalization, "new FinalizationRegistry");
writeFileSync(file, js);
