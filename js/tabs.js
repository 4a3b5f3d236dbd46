// Browser plumbing for `sessionSharing` (SharedWorker ports, Web Locks, BroadcastChannel, and
// copying a request or response across a port). The policy (who refreshes, what a message
// means) is in src/browser/tabs.rs, remote.rs and host.rs.

export function canUseWorker() {
  return typeof SharedWorker === "function";
}

export function canUseLocks() {
  return typeof BroadcastChannel === "function" && !!(globalThis.navigator && navigator.locks);
}

// Opens (or joins) the session worker. Without `url` (the workerUrl option) the worker is named
// in the one form Vite and webpack 5 detect, `new SharedWorker(new URL("./…", import.meta.url),
// { type: "module" })` with a literal path: they bundle the worker (and the ./tabs entry it
// imports) and rewrite the URL, so a bundled app needs no copy step. session-worker.js sits in
// the package's tabs/, this file in tabs/snippets/<crate>/js/. scripts/build.sh checks that the
// minified file still has the form.
export function connectWorker(url, name, onMessage) {
  const worker = url
    ? new SharedWorker(url, { type: "module", name })
    : new SharedWorker(new URL("../../../session-worker.js", import.meta.url), { type: "module", name });
  worker.port.onmessage = (e) => onMessage(e.data);
  worker.onerror = () => onMessage({ op: "worker_failed" });
  // A page kept in the back/forward cache stays connected (its messages wait for it).
  addEventListener("pagehide", (e) => e.persisted || worker.port.postMessage({ op: "bye" }));
  return worker.port;
}

// Resolves true once `promise` settles, false when `ms` pass first (joins and worker calls are
// time-boxed by timeoutMs).
export function within(promise, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => { clearTimeout(timer); resolve(true); };
    promise.then(done, done);
  });
}

export function listen(port, onMessage) {
  port.onmessage = (e) => onMessage(e.data);
}

export function post(target, message, transfer) {
  target.postMessage(message, transfer ? [transfer] : []);
}

export function openChannel(name, onMessage) {
  const channel = new BroadcastChannel(name);
  channel.onmessage = (e) => onMessage(e.data);
  return channel;
}

// Joins the line for the leader lock. `alone` resolves true when this tab holds the lock at
// once, false when it waits in line; onLeader runs when it holds it (then keeps it until the
// tab goes away). `steal()` takes the lock over from a leader that does not answer (the session
// machine decides when); a tab whose lock was taken hears onLost, and waits in line again.
// Takeovers go one at a time: a tab takes over only while it holds the "takeover" lock, keeps
// it for holdMs after (by then the new leader's first answer is out: the others' wantsLead()
// turned false), and gives up when another tab holds it or wantsLead() says no.
export function lead(name, onLeader, onLost, wantsLead, holdMs) {
  let waiting = false;
  const forever = () => new Promise(() => {});
  const hold = () => {
    onLeader();
    return forever();
  };
  const lost = () => {
    onLost();
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
  const alone = new Promise((resolve) => {
    navigator.locks.request(name, { ifAvailable: true }, (lock) => {
      if (lock) {
        resolve(true);
        return hold();
      }
      resolve(false);
      queue();
      return undefined;
    }).catch(lost);
  });
  const steal = () => {
    navigator.locks.request(`${name} takeover`, { ifAvailable: true }, (slot) => {
      if (!slot || !wantsLead()) return undefined;
      navigator.locks.request(name, { steal: true }, hold).catch(lost);
      return new Promise((resolve) => setTimeout(resolve, holdMs));
    });
  };
  return { alone, steal };
}

// A fetch(input, init) as plain data: the URL as given (relative ones resolve in the worker,
// against instance_url or apiBase), and the init with its body read into an ArrayBuffer.
export async function packRequest(input, init) {
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

export async function packResponse(response) {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: await response.arrayBuffer(),
    url: response.url,
  };
}

export function unpackResponse(r) {
  const noBody = r.status === 204 || r.status === 205 || r.status === 304;
  const response = new Response(noBody ? null : r.body, {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
  });
  Object.defineProperty(response, "url", { value: r.url });
  return response;
}
