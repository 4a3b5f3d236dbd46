// salesforce-pkce/testing: a test double of AuthClient for unit tests of app code (Vitest, Jest,
// Testing Library, node:test). No provider, no browser, no wasm: it never calls init() and never
// loads the WebAssembly module. It implements the same interface as AuthClient (AuthClientLike
// in the typings), so code typed against that interface accepts either.
import { AuthError } from "../salesforce_pkce.js";

const EVENTS = ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced", "restore_failed"];

const defaultSession = () => ({
  instanceUrl: "https://test.my.salesforce.com",
  apiInstanceUrl: null,
  userId: "005000000000001AAA",
  orgId: "00D000000000001AAA",
  scopes: ["api", "refresh_token", "openid"],
  issuedAt: Date.now(),
  expiresAt: null,
  tokenType: "Bearer",
});

const emptyStats = () => ({ logins: 0, refreshes: 0, refreshFailures: 0, retriedAfter401: 0, revocations: 0, errorsByCode: {} });

/**
 * A stand-in for `AuthClient` in unit tests. `new FakeAuthClient({ session, fetch, userinfo })`:
 * `session: null` (the default) starts signed out, `session: {}` signed in with a sample session
 * (fields you give override it); `fetch(request)` answers `auth.fetch` (a `Request` whose relative
 * URL was resolved against the session's `instanceUrl`); `userinfo` is what `userinfo()` returns.
 * `emit(event)` fires an event as the library would (`session_expired` and `logout` also sign
 * out; `login` and `token_refreshed` sign in with their `session`). `calls` lists every method
 * called, with its arguments.
 */
export class FakeAuthClient {
  #session;
  #listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  #fetch;
  #userinfo;
  #stats = emptyStats();
  #freed = false;
  #sharingMode;

  constructor(options = {}) {
    const known = ["session", "fetch", "userinfo", "sharingMode"];
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) throw new AuthError("invalid_config", `invalid configuration: ${key}: unknown option of FakeAuthClient; the options are: ${known.join(", ")}`);
    }
    this.#session = options.session ? { ...defaultSession(), ...options.session } : null;
    this.#fetch = options.fetch ?? (() => new Response(null, { status: 404 }));
    this.#userinfo = options.userinfo ?? { sub: "https://test.my.salesforce.com/id/00D000000000001AAA/005000000000001AAA", name: "Test User" };
    this.#sharingMode = options.sharingMode ?? "off";
    /** Every call made to this client: `{ method, args }`. */
    this.calls = [];
  }

  get isAuthenticated() {
    this.#live();
    return this.#session !== null;
  }

  get session() {
    this.#live();
    return this.#session && { ...this.#session, scopes: [...this.#session.scopes] };
  }

  get sharingMode() {
    this.#live();
    return this.#sharingMode;
  }

  get stats() {
    this.#live();
    return { ...this.#stats, errorsByCode: { ...this.#stats.errorsByCode } };
  }

  #record(method, args) {
    this.#live();
    this.calls.push({ method, args });
  }

  // A freed client's calls throw not_initialized, as the library's do (free() again too).
  #live() {
    if (this.#freed) throw new AuthError("not_initialized", "this AuthClient was freed (free() was called, or it was garbage-collected): create a new client");
  }

  #fail(code, message) {
    this.#stats.errorsByCode[code] = (this.#stats.errorsByCode[code] ?? 0) + 1;
    return Promise.reject(new AuthError(code, message));
  }

  /** Signs in at once with the sample session (no navigation). */
  login(options) {
    this.#record("login", [options]);
    this.emit({ type: "login", session: defaultSession() });
    return Promise.resolve();
  }

  loginPopup(options) {
    this.#record("loginPopup", [options]);
    this.emit({ type: "login", session: defaultSession() });
    return Promise.resolve();
  }

  authorizationUrl(options) {
    this.#record("authorizationUrl", [options]);
    return Promise.resolve("https://test.my.salesforce.com/services/oauth2/authorize?response_type=code");
  }

  handleRedirect() {
    this.#record("handleRedirect", []);
    return Promise.resolve(null);
  }

  restore() {
    this.#record("restore", []);
    return Promise.resolve();
  }

  fetch(input, init) {
    this.#record("fetch", [input, init]);
    if (!this.#session) return this.#fail("not_authenticated", "not signed in: call login() first");
    const base = this.#session.instanceUrl ?? "https://test.my.salesforce.com";
    return (async () => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), base), init ?? undefined);
      return await this.#fetch(request);
    })();
  }

  userinfo() {
    this.#record("userinfo", []);
    if (!this.#session) return this.#fail("not_authenticated", "not signed in: call login() first");
    return Promise.resolve({ ...this.#userinfo });
  }

  logout(options) {
    this.#record("logout", [options]);
    if (this.#session) {
      this.#stats.revocations += 1;
      this.emit({ type: "logout", revoked: true, endSession: false });
    }
    return Promise.resolve();
  }

  on(event, listener) {
    this.#live();
    const set = this.#listeners.get(event);
    if (!set) throw new AuthError("invalid_config", `invalid configuration: event: unknown event "${event}"; the events are: ${EVENTS.join(", ")}`);
    if (typeof listener !== "function") throw new AuthError("invalid_config", "invalid configuration: listener: must be a function");
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Fires `event` at the listeners, changing the session as the library would. */
  emit(event) {
    this.#live();
    if (!event || !this.#listeners.has(event.type)) throw new AuthError("invalid_config", `invalid configuration: event: unknown event type; the events are: ${EVENTS.join(", ")}`);
    if (event.type === "login" || event.type === "token_refreshed") {
      this.#session = { ...defaultSession(), ...event.session };
      this.#stats[event.type === "login" ? "logins" : "refreshes"] += 1;
    } else if (event.type === "session_expired" || event.type === "logout") {
      this.#session = null;
    }
    if (event.error?.code) this.#stats.errorsByCode[event.error.code] = (this.#stats.errorsByCode[event.error.code] ?? 0) + 1;
    for (const listener of [...this.#listeners.get(event.type)]) listener(event);
  }

  /** Frees the client: its calls (free() again too) throw `not_initialized` after it, as the library's. */
  free() {
    this.#live();
    this.#freed = true;
  }

  [Symbol.dispose]() {
    this.free();
  }
}
