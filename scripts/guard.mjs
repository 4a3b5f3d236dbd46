// Makes misuse of the wasm-bindgen glue an AuthError with a code instead of a TypeError: before
// init(), the glue's `wasm` starts as a sentinel whose every property read throws
// AuthError("not_initialized"), until init()/initSync() sets the real exports (an explicit
// not-yet-initialised state, not a relabelled TypeError). (After free(), the class's own check
// throws it: scripts/class.mjs.)
// Usage: node scripts/guard.mjs DIR/salesforce_pkce.js (on wasm-bindgen's --target web output).
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let js = readFileSync(file, "utf8");
function replaceOnce(what, re, by) {
  const found = js.match(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g")) || [];
  if (found.length < 1) {
    console.error(`build: ${what} is not where expected in ${file}`);
    process.exit(1);
  }
  js = js.replace(re, by);
}
replaceOnce("the wasm exports' declaration", /^let wasmModule, wasmInstance, wasm;$/m,
  `let wasmModule, wasmInstance, wasm = new Proxy({}, { get() {
    throw makeAuthError("not_initialized", "salesforce-pkce is not initialised: await init() (or call initSync()) before using AuthClient");
} });`);
// init()/initSync() return early only once the module was really instantiated.
replaceOnce("init's already-initialised check", /if \(wasm !== undefined\) return wasm;/g,
  "if (wasmInstance !== undefined) return wasm;");
// auth.fetch goes through the executor's gate (the client's calls in flight, `maxInFlight`),
// which tries the fast path first (a root-relative URL string while a Bearer set is held): the
// hottest call then makes no call into the wasm. `__f` is the call into the wasm.
// (makeAuthError, for the sentinel's throw, comes from the same module: the wasm's errors are made
// by it too, so the glue may import it already.)
replaceOnce("the executor import", /import \{ ([^}]*) \} from '([^']+executor\.js)';/,
  (_, names, from) => `import { ${names.split(", ").includes("makeAuthError") ? names : `${names}, makeAuthError`}, gate } from '${from}';`);
replaceOnce("AuthClient's fetch method", /^(\s*)fetch\(input, init\) \{$/m,
  "$1fetch(input, init) {\n$1    return gate(this, input, init);\n$1}\n$1__f(input, init) {");
writeFileSync(file, js);
