// AuthClient's public methods, written by hand over the wasm's two entry points (src/js/mod.rs:
// `__c(op, a, b)` for the methods and getters, `__s(op, a, b, c)` for the static ones), so that
// wasm-bindgen's per-export marshalling exists once, not once per method. Their typings are in
// js/types.d.ts (the class declaration at its end). The op numbers are those of `mod op` in
// src/js/mod.rs. Usage: node scripts/class.mjs DIR/salesforce_pkce.js (on wasm-bindgen's
// --target web output, before scripts/guard.mjs, which adds the fast path to `fetch`).
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const js = readFileSync(file, "utf8");
const methods = `
    constructor(options) { return Object.setPrototypeOf(thrown(AuthClient.__s(3, options)), new.target.prototype); }
    static salesforce(options) { return thrown(AuthClient.__s(4, options)); }
    static discover(issuer, options) {
        return AuthClient.__s(0, issuer, options).then((a) => thrown(AuthClient.__s(2, issuer, options, a)));
    }
    static doctor(options) { return thrown(AuthClient.__s(1, options)); }
    login(options) { return this.__c(0, options); }
    loginPopup(options) { return this.__c(1, options); }
    authorizationUrl(options) { return this.__c(2, options); }
    handleRedirect() { return this.__c(3); }
    get isAuthenticated() { return this.__c(5) !== null; }
    get session() { return this.__c(5); }
    get stats() { return this.__c(6); }
    fetch(input, init) {
        return this.__c(7, input, init);
    }
    userinfo() { return this.__c(8); }
    logout(options) { return this.__c(9, options); }
    restore() { return this.__c(10); }
    get sharingMode() { return this.__c(11); }
    on(event, listener) { return listen(this.__c(12), event, listener); }
    __k() { return this.__c(12); }
`;
// After `free()` of the AuthClient class (the only class the glue exports).
const re = /(export class AuthClient \{[\s\S]*?\n(\s*)free\(\) \{\n[^}]*\n\2\}\n)/;
if (!re.test(js)) {
  console.error(`build: AuthClient's free() is not where expected in ${file}`);
  process.exit(1);
}
// The constructor and `salesforce` make the client in `__s` (3: any provider, 4: Salesforce;
// `new AuthClient(options, anything)` is the generic client, as its typing says) and return it
// (an object a constructor returns is what `new` gives; with the prototype of the class `new`
// was called on, so that a subclass's instance is one), or throw its AuthError: the wasm has no
// constructor export of its own (its result would need an error slot).
if (/\n\s*constructor\(/.test(js)) {
  console.error(`build: the glue has a constructor of its own in ${file}`);
  process.exit(1);
}
const guarded = js;
// `thrown` (js/executor.js) throws what the entry points return when it is an AuthError (they
// return it rather than throw: one result, no error slot, in each export).
const executorImport = /import \{ ([^}]*) \} from '([^']+executor\.js)';/;
if (!executorImport.test(guarded)) {
  console.error(`build: the executor import is not where expected in ${file}`);
  process.exit(1);
}
// `listen` (js/executor.js) keeps auth.on's listeners, under the dispatch function `__c(12)` gives.
writeFileSync(file, guarded.replace(re, `$1${methods}`).replace(executorImport, "import { $1, thrown, listen } from '$2';"));
