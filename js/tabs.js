// Browser plumbing for `sessionSharing` (SharedWorker ports, Web Locks, BroadcastChannel, and
// copying a request or response across a port). The policy (who refreshes, what a message
// means) is in src/browser/tabs.rs, remote.rs and host.rs.
import { describe } from "./executor.js";

export function canUseWorker() {
  return typeof SharedWorker === "function";
}

export function canUseLocks() {
  return typeof BroadcastChannel === "function" && !!(globalThis.navigator && navigator.locks);
}

// Messages, lock changes and timers go to the wasm through the client's (or the session
// worker's) one dispatch function (js/executor.js), as events numbered on from the executor's:
//   9 a message from a port (n: the port's number, 0 for a tab's session worker; a: the data);
//   10 a message on the BroadcastChannel (a: the data);  11 this tab holds the leader lock;
//   12 another tab took the lock over;  13 whether this tab still wants to take over -> bool;
//   14 the first lock request answered (m: 1 when this tab leads at once, after its 11; 0 when
//   it waits in line);
//   15 timer n fired (`later`).
// A client freed meanwhile throws on the call (its dispatch function is gone): that is dropped
// here. Anything else (a bug, a trap) is thrown on, to show where it happened.
const to = (dispatch) => (kind, n, m, a) => {
  try {
    return dispatch(kind, n, m, a);
  } catch (e) {
    if (e instanceof Error && e.message.includes("after being dropped")) return undefined;
    throw e;
  }
};

// Opens (or joins) the session worker. Without `url` (the workerUrl option) the worker is named
// in the one form Vite and webpack 5 detect, `new SharedWorker(new URL("./…", import.meta.url),
// { type: "module" })` with a literal path: they bundle the worker (and the ./tabs entry it
// imports) and rewrite the URL, so a bundled app needs no copy step. session-worker.js sits in
// the package's tabs/, this file in tabs/snippets/<crate>/js/ as wasm-bindgen writes it;
// scripts/build.sh bundles it into tabs/salesforce_pkce.js, makes the path "./session-worker.js"
// there and checks that the minified file still has the form.
export function connectWorker(url, name, dispatch) {
  const worker = url
    ? new SharedWorker(url, { type: "module", name })
    : new SharedWorker(new URL("../../../session-worker.js", import.meta.url), { type: "module", name });
  const d = to(dispatch);
  worker.port.onmessage = (e) => d(9, 0, 0, e.data);
  worker.onerror = () => d(9, 0, 0, { op: "worker_failed" });
  // A page kept in the back/forward cache stays connected (its messages wait for it).
  addEventListener("pagehide", (e) => e.persisted || worker.port.postMessage({ op: "bye" }));
  return worker.port;
}

// Timer `n` of `dispatch` fires after `ms` (dispatch 15).
export function later(dispatch, n, ms) {
  setTimeout(() => to(dispatch)(15, n, 0), ms);
}

// The session worker serves a tab's port as port `n`.
export function listen(port, dispatch, n) {
  const d = to(dispatch);
  port.onmessage = (e) => d(9, n, 0, e.data);
}

export function post(target, message, transfer) {
  target.postMessage(message, transfer ? [transfer] : []);
}

export function openChannel(name, dispatch) {
  const channel = new BroadcastChannel(name);
  const d = to(dispatch);
  channel.onmessage = (e) => d(10, 0, 0, e.data);
  return channel;
}

// Joins the line for the leader lock: dispatch 14 says whether this tab holds it at once (1) or
// waits in line (0); dispatch 11 when it holds it (then keeps it until the tab goes away).
// Returns `steal`, which takes the lock over from a leader that does not answer (the session
// machine decides when); a tab whose lock was taken hears dispatch 12, and waits in line again.
// Takeovers go one at a time: a tab takes over only while it holds the "takeover" lock, keeps
// it for holdMs after (by then the new leader's first answer is out: the others' dispatch 13
// turned false), and gives up when another tab holds it or dispatch 13 says no.
export function lead(name, dispatch, holdMs) {
  const d = to(dispatch);
  let waiting = false;
  const forever = () => new Promise(() => {});
  const hold = () => {
    d(11, 0, 0);
    return forever();
  };
  const lost = () => {
    d(12, 0, 0);
    queue();
  };
  const queue = () => {
    if (waiting) return;
    waiting = true;
    navigator.locks.request(name, () => {
      waiting = false;
      return hold();
    }).catch(lost);
  };
  navigator.locks.request(name, { ifAvailable: true }, (lock) => {
    // Leading first, then joined (what waits for the join runs as the leader).
    const held = lock ? hold() : queue();
    d(14, 0, lock ? 1 : 0);
    return held;
  }).catch(lost);
  return () => {
    navigator.locks.request(`${name} takeover`, { ifAvailable: true }, (slot) => {
      if (!slot || d(13, 0, 0) !== true) return undefined;
      navigator.locks.request(name, { steal: true }, hold).catch(lost);
      return new Promise((resolve) => setTimeout(resolve, holdMs));
    });
  };
}

// Calls `steal` (what `lead` returned).
export function takeOver(steal) {
  steal();
}

// A fetch(input, init) as plain data: the URL as given (relative ones resolve in the worker,
// against instance_url or apiBase), and the init with its body read into an ArrayBuffer. Never
// rejects: a string is why the request could not be read.
export function packRequest(input, init) {
  return pack(input, init).catch(describe);
}

async function pack(input, init) {
  let url;
  let request;
  if (typeof input === "string" || input instanceof URL) {
    url = String(input);
    request = new Request("https://request.invalid/", init);
  } else if (input instanceof Request) {
    url = input.url;
    request = init ? new Request(input, init) : input.clone();
  } else {
    throw new TypeError("fetch() takes a URL string, a URL or a Request");
  }
  const body =
    request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  return {
    url,
    init: {
      method: request.method,
      headers: [...request.headers],
      body,
      cache: request.cache,
      redirect: request.redirect,
      integrity: request.integrity,
      keepalive: request.keepalive,
    },
  };
}

// The session worker's side of a relayed auth.fetch: the promise of `response` (rejected with
// the client's AuthError) as plain data, or a string saying why its body could not be read.
export function packResponse(response) {
  return Promise.resolve(response).then((r) =>
    r.arrayBuffer().then(
      (body) => ({ status: r.status, statusText: r.statusText, headers: [...r.headers], body, url: r.url }),
      describe,
    ));
}

// The session worker's side of a relayed auth.userinfo(): the promise of the claims as JSON text.
export function claimsText(claims) {
  return Promise.resolve(claims).then((c) => JSON.stringify(c));
}

// A response rebuilt in the tab, or a string saying why it could not be.
export function unpackResponse(r) {
  try {
    return unpack(r);
  } catch (e) {
    return describe(e);
  }
}

function unpack(r) {
  const noBody = r.status === 204 || r.status === 205 || r.status === 304;
  const response = new Response(noBody ? null : r.body, {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
  });
  Object.defineProperty(response, "url", { value: r.url });
  return response;
}
