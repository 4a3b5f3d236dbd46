// salesforce-pkce/react: React bindings. <AuthProvider> holds one client (given, or made once by
// `create`), completes handleRedirect() once per client and page load and keeps the session,
// loading and error state; useAuth(), useSession() and useAuthEvent() read it. Plain JS (no JSX,
// no build step). It imports no entry of the package: the app picks the entry (default, ./dpop,
// ./tabs) in the client it gives or creates, and a page that does not import this file loads
// none of it.
import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState } from "react";

const EVENTS = ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced", "restore_failed"];

// Per client, for the page's life: whether handleRedirect() was started, its outcome, and whether
// that outcome was handed to a provider (onRedirect). Keyed by the client, so StrictMode's replayed
// effects, a remounted provider and two providers of one client share one handleRedirect().
const redirects = new WeakMap();

function redirectOf(client) {
  let entry = redirects.get(client);
  if (!entry) {
    let open;
    entry = { started: false, settled: false, delivered: false, result: null, error: null };
    entry.ready = new Promise((resolve) => (open = resolve));
    entry.start = () => {
      if (entry.started) return;
      entry.started = true;
      new Promise((resolve) => resolve(client.handleRedirect()))
        .then((result) => (entry.result = result ?? null), (error) => (entry.error = error))
        .then(() => {
          entry.settled = true;
          open();
        });
    };
    redirects.set(client, entry);
  }
  return entry;
}

function deferred() {
  const d = { value: null };
  d.promise = new Promise((resolve, reject) => {
    d.resolve = (value) => resolve((d.value = value));
    d.reject = reject;
  });
  d.promise.catch(() => {}); // a failed create() is reported as `error`, not as an unhandled rejection
  return d;
}

// The default onRedirect: the address bar shows the page the login (or logout) started from.
function replaceUrl(returnTo) {
  window.history.replaceState(null, "", returnTo);
}

const Context = createContext(null);

const loading = { client: null, isLoading: true, isAuthenticated: false, session: null, error: null };

// The state of a provider for `client` before its effects ran: loading until handleRedirect()
// settled (a provider mounted after that, e.g. remounted, starts ready).
function initial(client) {
  if (!client || !redirects.get(client)?.settled) return { ...loading, client };
  return { client, isLoading: false, isAuthenticated: client.isAuthenticated, session: client.session, error: null };
}

/**
 * Holds the app's client: `client` (made by the app) or `create` (called once, after mount).
 * Completes `handleRedirect()` once per client and page load, then calls `onRedirect(returnTo,
 * result)` once (default: `history.replaceState` to `returnTo`).
 */
export function AuthProvider({ client: given, create, onRedirect, children }) {
  if ((given == null) === (create == null)) {
    throw new Error("<AuthProvider> takes exactly one of `client` (an AuthClient) and `create` (a function returning one)");
  }
  const [made, setMade] = useState(null); // { client } or { error }, in create mode
  const [pending] = useState(deferred); // the client create() gives, for calls made before it did
  const creating = useRef(null); // kept across StrictMode's replayed effects: create() runs once
  const redirectTo = useRef(onRedirect);
  const client = given ?? made?.client ?? null;
  const [state, setState] = useState(() => initial(client));

  useEffect(() => {
    redirectTo.current = onRedirect;
  });

  useEffect(() => {
    if (!create || creating.current) return;
    creating.current = new Promise((resolve) => resolve(create())).then(
      (c) => {
        if (!c || typeof c.on !== "function" || typeof c.handleRedirect !== "function") {
          throw new Error("<AuthProvider create>: create() must return (or resolve to) an AuthClient");
        }
        pending.resolve(c);
        setMade({ client: c });
      },
    ).catch((error) => {
      pending.reject(error);
      setMade({ error });
    });
  }, []);

  useEffect(() => {
    if (!client) return;
    const entry = redirectOf(client);
    let live = true;
    const sync = (patch) =>
      live && setState((s) => ({ ...(s.client === client ? s : initial(client)), session: client.session, isAuthenticated: client.isAuthenticated, ...patch }));
    // Subscribed before handleRedirect() starts, so its `login` event is seen too.
    const offs = EVENTS.map((name) =>
      client.on(name, (event) => {
        if (name === "error" || name === "session_expired") sync({ error: event.error });
        else if (name === "login" || name === "token_refreshed") sync({ error: null });
        else sync({});
      }),
    );
    entry.start();
    entry.ready.then(() => {
      if (!live) return;
      const first = !entry.delivered;
      entry.delivered = true;
      sync(first && entry.error ? { isLoading: false, error: entry.error } : { isLoading: false });
      const result = entry.result;
      if (first && result && !result.popup) (redirectTo.current ?? replaceUrl)(result.returnTo, result);
    });
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [client]);

  // The client's methods, called once the client exists and handleRedirect() settled (at once,
  // in the same task, when it already has: loginPopup() keeps the click's user activation).
  const methods = useMemo(() => {
    const call = (fn) => {
      const c = given ?? pending.value;
      if (c && redirects.get(c)?.settled) {
        try {
          return Promise.resolve(fn(c));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return (given ? Promise.resolve(given) : pending.promise).then((c) => redirectOf(c).ready.then(() => fn(c)));
    };
    return {
      login: (options) => call((c) => c.login(options)),
      loginPopup: (options) => call((c) => c.loginPopup(options)),
      logout: (options) => call((c) => c.logout(options)),
      fetch: (input, init) => call((c) => c.fetch(input, init)),
      userinfo: () => call((c) => c.userinfo()),
    };
  }, [given, pending]);

  const view = made?.error
    ? { ...loading, isLoading: false, error: made.error }
    : state.client === client ? state : initial(client);
  const value = useMemo(
    () => ({ client, isLoading: view.isLoading, isAuthenticated: view.isAuthenticated, session: view.session, error: view.error, ...methods }),
    [client, view.isLoading, view.isAuthenticated, view.session, view.error, methods],
  );
  return createElement(Context.Provider, { value }, children);
}

function useProvider(hook) {
  const value = useContext(Context);
  if (!value) throw new Error(`${hook} must be called inside <AuthProvider>`);
  return value;
}

/** The provider's state (`isLoading`, `isAuthenticated`, `session`, `error`, `client`) and the client's methods. */
export function useAuth() {
  return useProvider("useAuth()");
}

/** The session (never tokens), or null when signed out or still loading. */
export function useSession() {
  return useProvider("useSession()").session;
}

/**
 * Calls `listener` on each of the client's `event` (a name or a list of names) while the component
 * is mounted; the listener removed on unmount. The latest `listener` is called (no resubscription
 * when it changes).
 */
export function useAuthEvent(event, listener) {
  const { client } = useProvider("useAuthEvent()");
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  const names = [].concat(event).join(" ");
  useEffect(() => {
    if (!client) return;
    const offs = [];
    try {
      for (const name of names.split(" ")) offs.push(client.on(name, (e) => latest.current(e)));
    } catch (e) {
      for (const off of offs) off();
      throw e;
    }
    return () => {
      for (const off of offs) off();
    };
  }, [client, names]);
}
