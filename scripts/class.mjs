// AuthClient, written by hand over the wasm's entry points (src/js/mod.rs): `__s(op, a, b, c)`
// for the static ones and the client's function for the methods and getters, `f(0, 0, op, a,
// b)` (one wasm-bindgen closure per client, owning it: the class is no wasm-bindgen class, so
// the wasm has no `&self` borrow wrapper). Its typings are in js/types.d.ts (the class
// declaration at its end). The op numbers are those of `mod op` in src/js/mod.rs. Usage: node
// scripts/class.mjs DIR/salesforce_pkce.js (on wasm-bindgen's --target web output, before
// scripts/guard.mjs, which adds the fast path to `fetch`).
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let js = readFileSync(file, "utf8");
const fail = (what) => {
  console.error(`build: ${what} is not where expected in ${file}`);
  process.exit(1);
};
// The client's function is held as `__wbg_ptr` (js/executor.js's `gate` reads it: 0 once freed).
// `free()` drops it as the wasm drops a closure (the glue's `_wbg_cb_unref`: a call in progress,
// such as a listener's free() within it, keeps it until the call returns); a client
// garbage-collected drops it by the glue's closure finalizer (CLOSURE_DTORS). A freed client's
// calls, free() again too, throw AuthError not_initialized (`freed`, js/executor.js).
const methods = `
/** The browser OAuth client: js/types.d.ts. */
export class AuthClient {
    constructor(options) { this.__wbg_ptr = thrown(__s(3, options)); }
    static salesforce(options) { return client(thrown(__s(4, options)), this); }
    static discover(issuer, options) {
        return __s(0, issuer, options).then((a) => client(thrown(__s(2, issuer, options, a)), this));
    }
    static doctor(options) { return thrown(__s(1, options)); }
    free() {
        const f = this.__wbg_ptr;
        if (!f) throw freed();
        this.__wbg_ptr = 0;
        f._wbg_cb_unref();
    }
    login(options) { return this.__c(0, options); }
    loginPopup(options) { return this.__c(1, options); }
    authorizationUrl(options) { return this.__c(2, options); }
    handleRedirect() { return this.__c(3); }
    get isAuthenticated() { return this.__c(4); }
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
    __c(op, a, b) {
        const f = this.__wbg_ptr;
        if (!f) throw freed();
        return f(0, 0, op, a, b);
    }
}
// The object of a client made by \`__s\` (\`salesforce\`, \`discover\`: the constructor sets its own),
// of the class they were called on (a subclass's \`Sub.salesforce()\` is a \`Sub\`; its constructor
// does not run), or AuthClient when called on anything else (detached, \`this\` undefined, or
// off another object).
const client = (f, C) =>
    Object.assign(Object.create(C?.prototype instanceof AuthClient ? C.prototype : AuthClient.prototype), { __wbg_ptr: f });
if (Symbol.dispose) AuthClient.prototype[Symbol.dispose] = AuthClient.prototype.free;
`;
// The glue has no class of its own (the wasm exports none), and its closures are dropped by
// `_wbg_cb_unref`.
if (/\bclass AuthClient\b/.test(js)) fail("a glue with no AuthClient class of its own");
if (!/\n\s*real\._wbg_cb_unref = \(\) => \{/.test(js)) fail("the closures' _wbg_cb_unref");
// `__s` stays internal: not an export of the package.
const statics = /^export function __s\(/m;
if (!statics.test(js)) fail("the __s export");
js = js.replace(statics, "function __s(");
// `thrown` (js/executor.js) throws what `__s` and a client's calls return when it is an
// AuthError (they return it rather than throw: one result, no error slot); `listen` keeps
// auth.on's listeners, under the dispatch function `__c(12)` gives; `freed` is a freed client's
// error.
const executorImport = /import \{ ([^}]*) \} from '([^']+executor\.js)';/;
if (!executorImport.test(js)) fail("the executor import");
writeFileSync(file, js.replace(executorImport, "import { $1, thrown, listen, freed } from '$2';") + methods);
