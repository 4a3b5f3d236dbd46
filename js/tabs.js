// Browser plumbing for `sessionSharing` (SharedWorker ports, Web Locks, BroadcastChannel, and
// copying a request or response across a port). The policy (who refreshes, what a message
// means) is in src/browser/tabs.rs, remote.rs and host.rs.
import { copyInit, describe, listen as on, live, tried } from "./executor.js";

// Messages, lock changes and timers go to the wasm through the client's (or the session
// worker's) one dispatch function (js/executor.js), as events numbered on from the executor's:
//   9 a message from a port (a: its text, b: the value posted beside it; a is "worker_failed"
//   when the session worker could not start or failed, and then m is 1 when its script threw an
//   error nothing caught; the host's: b is [the port, that value], `serve`);
//   10 a message on the BroadcastChannel (a, b: as in 9);  11 this tab holds the leader lock;
//   12 another tab took the lock over;  13 whether this tab still wants to take over -> bool;
//   14 the first lock request answered (m: 1 when this tab leads at once, after its 11; 0 when
//   it waits in line);
//   15 timer n fired (`later`);  16 (the session worker's host, `sessionHost()`) a tab's port
//   to serve (a: the port);  17 (the host) an event of its client for the tabs (a: its form,
//   `relayEvent`).
// A client freed meanwhile: `to` drops the throw (executor.js `live`).
const to = live;

// Opens (or joins) the session worker. Without `url` (the workerUrl option) the worker is named
// in the one form Vite and webpack 5 detect, `new SharedWorker(new URL("./…", import.meta.url),
// { type: "module" })` with a literal path: they bundle the worker (and the ./tabs entry it
// imports) and rewrite the URL, so a bundled app needs no copy step. session-worker.js sits in
// the package's tabs/, this file in tabs/snippets/<crate>/js/ as wasm-bindgen writes it;
// scripts/build.sh bundles it into tabs/salesforce_pkce.js, makes the path "./session-worker.js"
// there and checks that the minified file still has the form. Returns undefined where the
// browser has no SharedWorker (or refuses this one).
export function connectWorker(url, name, dispatch) {
  try {
    const worker = url
      ? new SharedWorker(url, { type: "module", name })
      : new SharedWorker(new URL("../../../session-worker.js", import.meta.url), { type: "module", name });
    worker.port.onmessage = heard(to(dispatch), 9);
    // A worker script that does not load or parse fires `error` here as a plain Event (no
    // line); an error the script throws fires an ErrorEvent with its line: while it starts, in
    // Chromium and Firefox; later, in Firefox only (the other engines keep it in the worker).
    worker.onerror = (e) => to(dispatch)(9, 0, +(e.lineno > 0), "worker_failed");
    // A page kept in the back/forward cache stays connected (its messages wait for it).
    addEventListener("pagehide", (e) => e.persisted || post(worker.port, "v=9&op=bye"));
    return worker.port;
  } catch {
    return undefined;
  }
}

// Timer `n` of `dispatch` fires after `ms` (dispatch 15).
export function later(dispatch, n, ms) {
  setTimeout(() => to(dispatch)(15, n, 0), ms);
}

// The session worker serves a tab's port (src/browser/host.rs): its messages go to the host's
// dispatch function `host` as event 9 (a: the text; b: [the port, the value posted beside it]),
// but the tab's ping, answered here at once with the pong whatever the calls in flight are
// doing (core::liveness: constant texts), and its goodbye, after which the port is served no
// more. The ports served are kept with `host`: `post` to `host` posts to each of them (the
// host's broadcast of an event of its client).
export function serve(port, host) {
  const ports = (host.ports ??= new Set());
  host.postMessage ??= (m) => ports.forEach((p) => p.postMessage(m));
  const d = to(host);
  ports.add(port);
  port.onmessage = (e) => {
    const [a, b] = Array.isArray(e.data) ? e.data : [];
    if (!ports.has(port)) return;
    if (a == "v=9&op=bye") ports.delete(port);
    // A host that failed (a wasm trap: it can answer nothing more) is answered no pong, so
    // its tabs find it dead within their ping bound and fall back.
    else if (a == "v=9&op=ping") host.failed || post(port, "v=9&op=pong");
    else {
      try {
        d(9, 0, 0, a, [port, b]);
      } catch (x) {
        host.failed = 1;
        throw x;
      }
    }
  };
}

// A message is its text (a form of src/core/wire.rs) and, beside it, a value the text cannot
// carry (a DPoP key pair, a request or response with its body: an ArrayBuffer, transferred) or
// does not (the worker's logout reply: the id_token_hint for the end-session request).
const heard = (d, kind) => (e) => {
  const [a, b] = Array.isArray(e.data) ? e.data : [];
  d(kind, 0, 0, a, b);
};

// False when it could not be posted.
export function post(target, text, value) {
  const body = value && (value[1] || value).body;
  try {
    target.postMessage([text, value], body instanceof ArrayBuffer ? [body] : []);
    return true;
  } catch {
    return false;
  }
}

// `o[k]` of a plain object or array (undefined for anything else): `k` a number, the glue passes
// it as it is.
export function field(o, k) {
  return o !== null && typeof o === "object" ? o[k] : undefined;
}

// Joins the tabs of `name` ("tabs-locks"): opens the BroadcastChannel (its messages: dispatch
// 10) and joins the line for the leader lock. Returns the channel (what `post` and `takeOver`
// are given), or "" where the browser has no BroadcastChannel or Web Locks (or refuses them): a
// string, what the wasm checks with the string read every build imports.
// The lock: dispatch 14 says whether this tab holds it at once (1) or
// waits in line (0); dispatch 11 when it holds it (then keeps it until the tab goes away).
// `takeOver` takes the lock over from a leader that does not answer (the session machine
// decides when); a tab whose lock was taken hears dispatch 12, and waits in line again.
// Takeovers go one at a time: a tab takes over only while it holds the "takeover" lock, keeps
// it for holdMs after (by then the new leader's first answer is out: the others' dispatch 13
// turned false), and gives up when another tab holds it or dispatch 13 says no.
export function joinTabs(name, dispatch, holdMs) {
  try {
    // (No navigator or no BroadcastChannel: a ReferenceError, caught below.)
    const locks = navigator.locks;
    if (!locks) return "";
    const channel = new BroadcastChannel(name);
    const d = to(dispatch);
    channel.onmessage = heard(d, 10);
    let waiting = false;
    const hold = () => {
      d(11, 0, 0);
      return new Promise(() => {});
    };
    const lost = () => {
      d(12, 0, 0);
      queue();
    };
    const queue = () => {
      if (waiting) return;
      waiting = true;
      locks.request(name, () => {
        waiting = false;
        return hold();
      }).catch(lost);
    };
    locks.request(name, { ifAvailable: true }, (lock) => {
      // Leading first, then joined (what waits for the join runs as the leader).
      const held = lock ? hold() : queue();
      d(14, 0, lock ? 1 : 0);
      return held;
    }).catch(lost);
    // What `takeOver` calls (a property of the channel object only this module reads).
    channel.takeOver = () => {
      locks.request(`${name} takeover`, { ifAvailable: true }, (slot) => {
        if (!slot || d(13, 0, 0) !== true) return undefined;
        locks.request(name, { steal: true }, hold).catch(lost);
        return new Promise((resolve) => setTimeout(resolve, holdMs));
      });
    };
    return channel;
  } catch {
    return "";
  }
}

// The tabs' logout lock, "<name> logout" (`channel`: what `joinTabs` returned). With a promise
// `done`: this tab's logout revokes, and holds the lock (shared: several tabs may) until `done`
// settles or `ms` passes (a logout that navigated to the end-session endpoint never settles
// when the page stays: a `beforeunload` answered "Stay", a 204). Without: the promise of a wait
// until no tab holds it (exclusive, the default mode), at most `ms`; it fulfils either way.
export function logoutLock(channel, done, ms) {
  const c = new AbortController();
  if (!done) setTimeout(() => c.abort(), ms);
  const held = () => done && new Promise((r) => (done.then(r, r), setTimeout(r, ms)));
  return navigator.locks.request(`${channel.name} logout`, { mode: done && "shared", signal: c.signal }, held).catch(() => {});
}

// Takes the leader lock over (`joinTabs`).
export function takeOver(channel) {
  channel.takeOver();
}

// A fetch(input, init) as plain data, [url, init]: the URL as given (relative ones resolve in
// the worker, against instance_url or apiBase), and the init with its body read into an
// ArrayBuffer; a string is why the request could not be read. `init.method` is first asked of
// the client (`dispatch` 20, as js/executor.js's `authorized` asks it): one fetch cannot send
// rejects with the client's error (invalid_config naming method), the only rejection.
export async function packRequest(input, init, dispatch) {
  try {
    // The input's kind first, then the method (read once: the request is built with it), as
    // auth.fetch checks them in a tab that holds the session.
    const isUrl = typeof input === "string" || input instanceof URL;
    if (!isUrl && !(input instanceof Request)) {
      throw new TypeError("fetch() takes a URL string, a URL or a Request");
    }
    // `init` read once, as fetch reads it (inherited members too: `copyInit`).
    if (init) init = copyInit(init);
    let m = init ? init.method : undefined;
    if (m !== undefined) {
      const e = dispatch(20, 0, 0, tried(() => (m = String(m))) ? m : "");
      if (e) return Promise.reject(e);
      init.method = m;
    }
    const url = isUrl ? String(input) : input.url;
    const request = isUrl
      ? new Request("https://request.invalid/", init)
      : init
        ? new Request(input, init)
        : input.clone();
    const body =
      request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
    return [
      url,
      {
        method: request.method,
        headers: [...request.headers],
        body,
        cache: request.cache,
        redirect: request.redirect,
        integrity: request.integrity,
        keepalive: request.keepalive,
      },
    ];
  } catch (e) {
    return describe(e);
  }
}

// The session worker's side of a relayed call: the promise `p` of auth.fetch's Response, as
// plain data (its body an ArrayBuffer), or of auth.userinfo()'s claims (an object,
// structured-cloned to the tab as it is). Any rejection (the worker client's AuthError, a body
// that could not be read: network_error, or anything else thrown on the way) comes back as a
// string that always has a code: the error's fields (`error_fields` in src/core/relay.rs: its
// code, message and server fields), which the host appends to its reply.
export function relay(p) {
  return Promise.resolve(p).then(
    (r) => r instanceof Response ? r.arrayBuffer().then(
      (body) => ({ status: r.status, statusText: r.statusText, headers: [...r.headers], body, url: r.url }),
      (e) => { throw { code: "network_error", message: `network error: reading the response failed: ${describe(e)}` }; },
    ) : r).catch(failed);
}

// An AuthError's fields (`error_fields` in src/core/relay.rs: its code, message and server
// fields), as pairs among a message's own. A value thrown that is no AuthError still has a code
// (0, which the tab reads as network_error): a code is what marks a message as an error.
const errorPairs = (e) => {
  e = Object(e);
  const fields = { c: e.code ?? 0, m: e.message, e: e.error, d: e.errorDescription, s: e.status };
  return Object.entries(fields).filter((f) => f[1] != null);
};
// (An error whose fields cannot be read, a getter throwing or a Symbol for a message: code 0.)
const failed = (e) => {
  let t;
  if (!tried(() => (t = String(new URLSearchParams(errorPairs(e)))))) {
    failed({ message: "network error: the session worker's error could not be read" });
  }
  throw t;
};

// The session worker's relay of its client's events to the tabs (src/browser/host.rs): the
// client's executor delivers each event named `name` (its `listen`: the host registers those of
// core::event's EVENTS whose relay is Worker) to a listener that hands the host's dispatch
// function `host` the event's form, 17: the fields `relay::read_event` (src/core/relay.rs)
// reads in each tab, made of the JS event as the wasm made it (`event_to_js`) — `t` its type,
// a flag as 1 or 0, words joined by spaces, the error's fields; the session object is
// left out (every message of the worker carries the session view).
export function relayEvent(client, name, host) {
  on(client, name, (e) => {
    try {
      host(17, 0, 0, String(new URLSearchParams(Object.entries(e).flatMap(([k, v]) =>
        k == "type" ? [["t", v]] : k == "error" ? errorPairs(v) :
        typeof v == "boolean" ? [[k, +v]] : Array.isArray(v) ? [[k, v.join(" ")]] : []))));
    } catch (x) {
      // The listeners' caller drops what a listener throws; a bug or a trap in the host is
      // thrown on (in a task of its own) to show where it happened, as `to` does.
      setTimeout(() => { throw x; });
    }
  });
}

// A response rebuilt in the tab, or a string saying why it could not be.
export function unpackResponse(r) {
  try {
    const response = new Response([204, 205, 304].includes(r.status) ? null : r.body, {
      status: r.status,
      statusText: r.statusText,
      headers: r.headers,
    });
    return Object.defineProperty(response, "url", { value: r.url });
  } catch (e) {
    return describe(e);
  }
}

// The public coordinates "x\ny" of a DPoP key (one js/dpop.js's dpopKey made, or another tab
// posted) with the { pair, x, y } shape dpopKey makes — a private, non-extractable ECDSA P-256
// CryptoKey that can sign — else null.
export function receivedKey(k) {
  const p = k && typeof k === "object" && k.pair && k.pair.privateKey;
  const ok = p && typeof CryptoKey === "function" && p instanceof CryptoKey && p.type === "private"
    && p.algorithm.name === "ECDSA" && p.algorithm.namedCurve === "P-256"
    && p.usages.includes("sign") && p.extractable === false && typeof k.x === "string" && typeof k.y === "string";
  return ok ? `${k.x}\n${k.y}` : null;
}
