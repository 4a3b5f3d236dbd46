// The page react.test.mjs drives in headless Chromium: salesforce-pkce/react under <StrictMode>
// (React's development build, where StrictMode renders twice and replays every effect on mount)
// with clients from salesforce-pkce/testing. Each scenario returns what it observed; the test
// asserts. Bundled by esbuild from the installed package.
import { StrictMode, createElement as h, useEffect, useRef } from "react";
import { createRoot } from "react-dom/client";
import { flushSync } from "react-dom";
import { AuthError } from "salesforce-pkce";
import { AuthProvider, useAuth, useAuthEvent, useSession } from "salesforce-pkce/react";
import { FakeAuthClient } from "salesforce-pkce/testing";

// A FakeAuthClient on a callback page: handleRedirect() takes a while (the code exchange), then
// signs in (a `login` event) and gives `redirect`, or rejects with `fail`. It counts the
// listeners subscribed and not yet removed.
class CallbackClient extends FakeAuthClient {
  constructor({ redirect = null, fail = null, ...options } = {}) {
    super(options);
    this.live = 0;
    this.redirect = redirect;
    this.fail = fail;
  }

  on(name, listener) {
    const off = super.on(name, listener);
    this.live++;
    let on = true;
    return () => {
      if (on) this.live--;
      on = false;
      return off();
    };
  }

  async handleRedirect() {
    await super.handleRedirect();
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (this.fail) throw this.fail;
    if (this.redirect) this.emit({ type: "login", session: {} });
    return this.redirect;
  }

  redirects() {
    return this.calls.filter((c) => c.method === "handleRedirect").length;
  }
}

// Renders the hooks' state into #state; logs the events it hears and, with fetchOnMount, an
// auth.fetch made by a mount effect (it runs before the provider's effects).
function Probe({ log, fetchOnMount = false }) {
  const auth = useAuth();
  const session = useSession();
  const mounts = useRef(0);
  useAuthEvent(["login", "token_refreshed", "session_expired"], (e) => log.push(e.type));
  useEffect(() => {
    log.push(`mount effect ${++mounts.current}`);
    if (fetchOnMount) auth.fetch("/services/data/v66.0/").then((r) => log.push(`fetch ${r.status}`), (e) => log.push(`fetch ${e.code}`));
  }, []);
  const state = {
    isLoading: auth.isLoading,
    isAuthenticated: auth.isAuthenticated,
    userId: session?.userId ?? null,
    error: auth.error ? (auth.error.code ?? auth.error.message) : null,
    hasClient: auth.client !== null,
  };
  return h("pre", { id: "state" }, JSON.stringify(state));
}

const read = () => JSON.parse(document.getElementById("state")?.textContent ?? "null");

async function until(predicate, what) {
  for (let i = 0; i < 250; i++) {
    if (predicate(read())) return read();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(read())}`);
}

function mount(element) {
  const root = createRoot(document.getElementById("root"));
  flushSync(() => root.render(h(StrictMode, null, element)));
  return root;
}

const scenarios = {
  // A client made by the app, on a callback page: one handleRedirect(), one onRedirect (the
  // default: the address bar shows returnTo), one listener set, none after unmount; a provider
  // mounted again for the same client neither handles the redirect again nor starts loading.
  async client() {
    const client = new CallbackClient({ redirect: { returnTo: "/accounts?page=2" } });
    const log = [];
    const root = mount(h(AuthProvider, { client }, h(Probe, { log })));
    const first = read();
    const ready = await until((s) => !s.isLoading, "the redirect");
    const path = location.pathname + location.search;
    const liveWhenReady = client.live;
    client.emit({ type: "token_refreshed", session: { userId: "005000000000002AAA" } });
    const refreshed = await until((s) => s.userId === "005000000000002AAA", "the refresh");
    root.unmount();
    const liveAfterUnmount = client.live;
    history.replaceState(null, "", "/elsewhere");
    const again = mount(h(AuthProvider, { client }, h(Probe, { log: [] })));
    const remounted = read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pathAfterRemount = location.pathname;
    again.unmount();
    return { first, ready, path, liveWhenReady, refreshed, liveAfterUnmount, remounted, pathAfterRemount, redirects: client.redirects(), log, liveAtEnd: client.live };
  },

  // create(): called once; a fetch from a mount effect waits for the client and the redirect;
  // a custom onRedirect is called once with returnTo and the whole result.
  async create() {
    let creates = 0;
    let client = null;
    const redirected = [];
    const log = [];
    const create = async () => {
      creates++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return (client = new CallbackClient({ redirect: { returnTo: "/next" }, fetch: () => new Response("{}", { status: 200 }) }));
    };
    const onRedirect = (to, result) => redirected.push([to, result.returnTo]);
    const root = mount(h(AuthProvider, { create, onRedirect }, h(Probe, { log, fetchOnMount: true })));
    const first = read();
    const ready = await until((s) => !s.isLoading && log.includes("fetch 200"), "the client, the redirect and the fetch");
    const liveWhenReady = client.live;
    root.unmount();
    return { creates, first, ready, redirected, log, order: client.calls.map((c) => c.method), redirects: client.redirects(), liveWhenReady, liveAfterUnmount: client.live, path: location.pathname };
  },

  // create() rejects: its AuthError is the provider's error, and the hook's methods reject with it.
  async createFails() {
    const root = mount(h(AuthProvider, { create: () => Promise.reject(new AuthError("invalid_config", "invalid configuration: clientId: missing")) }, h(Probe, { log: [] })));
    const state = await until((s) => !s.isLoading, "the failed create");
    const login = await new Promise((resolve) => {
      const auth = { current: null };
      function Grab() {
        auth.current = useAuth();
        return null;
      }
      const other = createRoot(document.createElement("div"));
      flushSync(() => other.render(h(AuthProvider, { create: () => { throw new AuthError("invalid_config", "invalid configuration: loginHost: missing"); } }, h(Grab))));
      auth.current.login().then(() => resolve("resolved"), (e) => resolve(`${e.code}: ${e.message}`)).finally(() => other.unmount());
    });
    root.unmount();
    return { state, login };
  },

  // handleRedirect() rejects (e.g. a forged callback): error, no onRedirect; a login then clears
  // the error, and a session_expired event sets it again.
  async redirectFails() {
    const client = new CallbackClient({ fail: new AuthError("state_mismatch", "the callback's state is not this browser's") });
    const redirected = [];
    const log = [];
    let auth = null;
    function Grab() {
      auth = useAuth();
      return h(Probe, { log });
    }
    const root = mount(h(AuthProvider, { client, onRedirect: (to) => redirected.push(to) }, h(Grab)));
    const failed = await until((s) => !s.isLoading, "the failed redirect");
    await auth.login({ returnTo: "/" });
    const signedIn = await until((s) => s.isAuthenticated, "the login");
    client.emit({ type: "session_expired", error: new AuthError("session_expired", "the refresh token was revoked") });
    const expired = await until((s) => !s.isAuthenticated, "the expiry");
    root.unmount();
    return { failed, signedIn, expired, redirected, log, liveAfterUnmount: client.live };
  },
};

window.run = async (name) => {
  history.replaceState(null, "", "/");
  return scenarios[name]();
};
document.body.dataset.ready = "1";
