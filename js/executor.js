// The runtime's executor: does what the wasm's session machine asks — send a request, arm the
// one timer, make and settle the promise of an operation — and hands each result back through
// the client's one dispatch function. It makes no decision: no generation or expiry is compared
// here, and of the statuses it only picks the 401s and 403s it hands the wasm (a popup login's
// record it removes when no callback comes, as the wasm's `openPopup` call says). A request's
// headers and body (a code, a refresh token) are handed to fetch and not kept: nothing below
// holds them after `request` returns.
//
// dispatch(kind, n, m, a, b), n a key or a generation, m a number (never a string: the wasm
// reads numbers from arguments only):
//   0 the timer fired;  1 a promise the wasm handed over (`then`, with DPoP or sharing: their
//   continuations' waits) settled (m: 1 fulfilled, 0 rejected; a: its value);
//   2 an app request got no answer or could not be built (a: URL, b: a short description, or
//     undefined when not sent) -> the AuthError to reject with;
//   3 an app request sent with generation n's token got a 401 or 403 (m: status, a: as in 8,
//     "URL\nmethod\n...", b: the start of a 403's body) -> null (deliver it), the Authorization
//     value to retry with (with DPoP: or the headers of a DPoP-bound retry, when the refresh
//     answered a DPoP-bound set), or a promise of either;
//   4 the retry got a 401 or 403 too (as 3; null back);
//   5 a core request's answer (`then` of `request`'s promise, without DPoP; n: the request's
//     number, a: what `request` resolved to);
//   18 a login popup's outcome (`then` of `openPopup`'s promise; n: its call's number, m and a
//     as in 1);
//   6 the UserInfo answer (m: status, or -1 when unreadable; a: its text or why) -> its claims;
//   7 the headers of a DPoP-bound app request's first send (n: generation; a: URL; b: method);
//   8 a DPoP-bound send's 401, 403 or answer with a DPoP-Nonce (n: the state its headers gave;
//     m: status; a: "URL\nmethod\nDPoP-Nonce\nWWW-Authenticate"; b: as in 3) -> null (deliver
//     it), the next send's headers, or a promise of either;
//   19 a DPoP-bound send's proof could not be signed (a: why; js/dpop.js) -> the AuthError to
//     reject with.
//   20 an app request's `init.method` as fetch reads it (a: the string) -> undefined when fetch
//     may send it, else the AuthError to reject with (nothing sent or signed).
// In 2, m is 1 when the request carried a DPoP proof.
// A value the wasm gives back is an AuthError to reject with when it is one.
// The error class of salesforce-pkce (a real Error subclass with a stable `code`), and `made`: the
// JS values the wasm writes as JSON text, AuthErrors among them.
// `AuthError.explain`, set by the development build only (js/development.js), adds a message's
// explanation (scripts/error-prose.mjs).
export class AuthError extends Error {
  constructor(code, message, error, errorDescription, status) {
    super(AuthError.explain ? AuthError.explain(message) : message);
    this.name = "AuthError";
    this.code = code;
    if (error != null) this.error = error;
    if (errorDescription != null) this.errorDescription = errorDescription;
    if (status != null) this.status = status;
  }
}

export function makeAuthError(code, message, error, errorDescription, status) {
  return new AuthError(code, message, error, errorDescription, status);
}

// A JS value the wasm wrote as JSON text: 0 that value; 1 that value with its `error` set to
// `value` (an event: an Error does not cross as JSON). When the text is no JSON (kind 0 also
// reads a provider's claims): this function itself, which no JSON value can be (the wasm tells
// it by the function test it already imports; an exception would need wasm-bindgen's catch
// glue). (An AuthError is made of its fields: makeAuthError.)
export function made(kind, text, value) {
  try {
    const v = JSON.parse(text);
    if (kind === 1) v.error = value;
    return v;
  } catch {
    return made;
  }
}

const timers = new WeakMap();
const waits = new WeakMap();

// A short, safe description of a thrown value: its name and the start of its message, never
// more (a message may echo data).
export const describe = (e) =>
  e instanceof Error ? `${e.name}: ${String(e.message).slice(0, 200)}` :
  typeof e === "string" ? e.slice(0, 200) : "a non-Error value was thrown";

// Sends one core request: no referrer, no cookies, no cache, no redirect followed (a 307 would
// carry the form body wherever it points), cancelled after `timeoutMs`. With `cap`, the body is
// read to at most `cap` bytes and one more (the wasm refuses a longer one by its size). Resolves
// to one string, "status\nDPoP-Nonce header (or nothing)\nbody", or with no answer "-1\n1 if
// the timeout fired, else 0\na short description"; never rejects.
export function request(method, url, headers, body, timeoutMs, cap) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  const done = (answer) => { clearTimeout(timer); return timedOut ? "-1\n1\n" : answer; };
  let sent;
  try {
    const h = new Headers();
    const lines = headers.split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) h.set(lines[i], lines[i + 1]);
    sent = fetch(url, { method, headers: h, body, redirect: "error", referrerPolicy: "no-referrer", credentials: "omit", cache: "no-store", signal: controller.signal });
  } catch (e) {
    clearTimeout(timer);
    return Promise.resolve("-1\n0\nthe request could not be built");
  }
  return sent
    .then((r) => (cap ? readCapped(r, cap) : r.text()).then((text) => done(`${r.status}\n${r.headers.get("DPoP-Nonce") || ""}\n${text}`)))
    .catch((e) => done(`-1\n${timedOut ? 1 : 0}\n${describe(e)}`));
}

const out = (v) => (v instanceof AuthError ? Promise.reject(v) : v);

// What an AuthClient entry point returned (scripts/class.mjs), thrown when it is an AuthError.
export function thrown(v) {
  if (v instanceof AuthError) throw v;
  return v;
}

// A promise settled now: fulfilled with `value`, or rejected with it when it is an AuthError.
export function settled(value) {
  return Promise.resolve(out(value));
}

// Hands a promise's outcome to the wasm (dispatch `kind`, 1, 5 or 18, with `key`).
export function then(dispatch, key, promise, kind) {
  const d = live(dispatch);
  Promise.resolve(promise).then((v) => d(kind, key, 1, v), (e) => d(kind, key, 0, e));
}

// `dispatch`, called later (a timer, a promise): a client freed meanwhile throws on the call (its
// dispatch function is gone; what waited was rejected by `hot`). That throw is dropped, or, for
// a step that answers a caller (`answers`: an app request's 401, its failure, UserInfo's answer,
// a proof that could not be signed), made the caller's not_initialized. Anything else (a bug,
// a trap) is thrown on, to show where it happened.
export const live = (dispatch, answers) => (kind, n, m, a, b) => {
  try {
    return dispatch(kind, n, m, a, b);
  } catch (e) {
    if (!(e instanceof Error && e.message.includes("after being dropped"))) throw e;
    if (answers) throw freed();
  }
};

// The error of a call on a freed client (scripts/class.mjs's `free()` and `__c` throw it).
export const freed = () => makeAuthError("not_initialized", "this AuthClient was freed (free() was called, or it was garbage-collected): create a new client");

// An app request (auth.fetch, userinfo) with `bearer` (an Authorization value) of generation
// `generation`'s set: one Headers, one fetch, on the wire before this returns; the caller's
// objects are never modified. `input` is an absolute URL string the wasm checked, or a Request
// (to `init`, if given, as `new Request(input, init)`). With a `base` (the origin of
// instance_url or apiBase, where the token may go), `input` is used only if it is a
// root-relative path ("/x", not "//host" nor with a backslash), joined to it; anything else
// returns undefined and the wasm takes the general path (where the browser's URL parse joins a
// relative one). A 401 or 403 goes to the wasm (dispatch 3), whose session machine decides
// whether to retry, and with which token; the retry's 401 or 403 too (dispatch 4). The
// Response goes back to the caller untouched, its body unread.
//
// With a DPoP-bound token `bearer` is null: the headers of each send come from the wasm, which
// builds a proof's signing input for the method and URL given, signed and joined by js/dpop.js
// (dispatch 7 for the first, dispatch 8 with each answer after it): "Authorization
// value\nDPoP proof\nstate", or a promise of it. Such a send's
// 401s and 403s, and its answers with a DPoP-Nonce, go to the wasm with that state, the URL,
// the method, DPoP-Nonce and WWW-Authenticate (dispatch 8), and it sends again as long as the
// wasm gives headers back. The headers are set on the request and not kept.
export function authorized(dispatch, input, init, base, bearer, generation) {
  let url = input, request = null, state = generation, proof, m;
  dispatch = live(dispatch, true);
  if (base !== undefined) {
    if (typeof input !== "string" || input[0] !== "/" || input[1] === "/" || input.includes("\\")) return undefined;
    url = base + input;
  }
  // The URL as fetch sends it (the browser's parse drops tabs and newlines, which would also
  // break the lines of dispatch 3, 4 and 8's text): what a proof's htu, the dead-token rule's
  // origin and a failure's message are made from.
  const href = () => {
    try {
      return new URL(url).href;
    } catch {
      return url;
    }
  };
  const fail = (error, sent) => Promise.reject(dispatch(2, state, proof ? 1 : 0, href(), sent ? describe(error) : undefined));
  // `init` read once, as fetch reads it (`copyInit`: inherited members too; a getter that throws:
  // a request that cannot be built), and its `method` as fetch reads it (String(); one that has
  // no string: "", no method), asked of the wasm (dispatch 20) before anything is sent or
  // signed; not given: GET, and no call. Every send, and a Request built with init, reads the
  // copy (a Request's method is what the proof names).
  if (init && !tried(() => (m = (init = copyInit(init)).method))) return fail(0, false);
  if (m !== undefined && (proof = dispatch(20, 0, 0, tried(() => (m = String(m))) ? m : ""))) return Promise.reject(proof);
  const method = () => request ? request.method : m || "GET";
  const send = (value) => {
    const [auth, dpop, s] = value.split("\n");
    proof = dpop;
    if (dpop) state = +s;
    const headers = new Headers(request ? request.headers : init ? init.headers : undefined);
    headers.set("Authorization", auth);
    if (dpop) headers.set("DPoP", dpop);
    if (request) return fetch(new Request(request.clone(), { headers }));
    return fetch(url, init ? { ...init, method: m, headers } : { headers });
  };
  const mayRetry = !(init && typeof ReadableStream === "function" && init.body instanceof ReadableStream);
  // Sends with `value`; `retried`: a Bearer retry, whose 401 or 403 the wasm is only told of.
  const go = (value, retried) => {
    let sent;
    try {
      sent = send(value);
    } catch (error) {
      return fail(error, false);
    }
    return sent.then((response) => {
      const h = response.headers, status = response.status;
      if (!mayRetry || !(status === 401 || status === 403 || proof && h.has("DPoP-Nonce"))) return response;
      // A 403's body start (the dead-token rule may read it), through a clone: the caller's body
      // stays unread.
      return (status === 403
        ? response.clone().text().then((t) => t.slice(0, 64), () => undefined)
        : Promise.resolve(undefined)).then((s) => {
        // (`state` is the generation the send's set had, or with a proof the state its headers
        // gave; a Bearer retry's answer, dispatch 4, gets null back, and its `state` is not
        // read: after a DPoP-bound send it is still that send's state.)
        const asked = dispatch(proof ? 8 : retried ? 4 : 3, state, status, `${href()}\n${method()}\n${h.get("DPoP-Nonce") || ""}\n${h.get("WWW-Authenticate") || ""}`, s);
        return settled(asked).then((fresh) => {
          if (fresh == null) return response;
          // The answer is not the caller's: its body is dropped unread (its connection is free
          // for the retry).
          if (response.body) response.body.cancel().catch(() => {});
          return go(fresh, true);
        });
      });
    }, (error) => fail(error, true));
  };
  try {
    if (input instanceof Request) {
      request = init ? new Request(input, init) : input;
      url = request.url;
    }
  } catch (error) {
    return fail(error, false);
  }
  return bearer == null
    ? settled(dispatch(7, generation, 0, href(), method())).then((v) => go(v, false))
    : go(bearer, false);
}

// auth.fetch's fast path, kept by the executor so that the hottest call makes no call into the
// wasm (one, the method's check, when init.method is given; docs/DECISIONS.md, "auth.fetch fast
// path"): per client (its dispatch function, the key), of the Bearer set it holds, the
// Authorization value, the origin a root-relative URL joins and the set's generation. The wasm
// sets it whenever the set changes and removes it when the set has no fast path (none held,
// DPoP-bound, no base, known dead), at logout and session end, and when the client is freed
// (`hot`). Nothing outside this module reads it.
//
// It is kept in the client's gate (docs/DECISIONS.md, "auth.fetch's in-flight limit"): [calls
// in flight, the starts of the calls waiting, in call order, the limit, the fast path]. The
// limit is the core's (`maxInFlight`; 0 while the held set is known dead, so that no call
// starts with it; Infinity for none; negative: the client is gone): the gate only counts and
// queues. Waiting calls start in a microtask, never inside the wasm's call.
const gates = new Map();
export function hot(dispatch, bearer, base, generation, limit) {
  let g = gates.get(dispatch);
  if (!g) gates.set(dispatch, (g = [0, []]));
  if (limit < 0) {
    // Freed: its timer disarmed, and each of its operations still waiting (a popup open, a
    // request in flight) rejects now, as a call of a freed client does, rather than never.
    gates.delete(dispatch);
    arm(dispatch, -1);
    const mine = waits.get(dispatch);
    waits.delete(dispatch);
    if (mine) for (const w of mine.values()) w[1](freed());
  }
  g[2] = limit < 0 ? Infinity : limit;
  g[3] = bearer === undefined ? undefined : (input, init) => authorized(dispatch, input, init, base, bearer, generation);
  Promise.resolve().then(() => drain(g));
}
const drain = (g) => {
  while (g[0] < g[2] && g[1].length) g[1].shift()();
};

// The dispatch function each JS AuthClient's wasm half goes by (asked once, on its first fetch).
const ids = new WeakMap();

// auth.fetch (the JS API's `fetch`; `__f` is the call into the wasm's general path): the
// promise of its Response. It starts now when fewer than the limit of the client's calls are in
// flight and none waits; else it waits, and starts when a call's send settles (its Response or
// its failure, after its own retry) as a call made then would: on the fast path as it is then,
// or through the wasm. A call waiting when its `signal` aborts (or aborted already) takes no
// slot and goes through the wasm at once, where `fetch` refuses it unsent: it fails as an
// aborted call in flight does (`network_error`, counted in stats). A waiting call keeps copies
// of the URL and of `init` with its headers, as `fetch` reads them at the call (`copyInit`, its
// inherited members too): the caller may reuse and change its own objects meanwhile (when no
// copy can be made, `new Headers` or a getter throwing, it too goes through the wasm at once and
// fails unsent, as such a call in flight does). A freed client's calls go (and fail) at once.
export function gate(client, input, init) {
  let id = client.__wbg_ptr && ids.get(client);
  if (id === undefined) ids.set(client, (id = client.__k()));
  const g = id && gates.get(id);
  if (!g) return client.__f(input, init);
  if (g[0] < g[2] && !g[1].length) return started(g, client, input, init);
  const signal = init && init.signal || (input instanceof Request ? input.signal : undefined);
  if (signal && signal.aborted) return client.__f(input, init);
  if (input instanceof URL) input = new URL(input);
  // A copy that cannot be made (headers no request can carry, a getter that throws) goes through
  // the wasm at once too. (`copyInit`: inherited members too, as fetch reads them.)
  if (init && !tried(() => (init = copyInit(init)))) return client.__f(input, init);
  return new Promise((resolve, reject) => {
    const stop = () => {
      g[1].splice(g[1].indexOf(go), 1);
      try {
        resolve(client.__f(input, init));
      } catch (e) {
        reject(e);
      }
    };
    const go = () => {
      if (signal) signal.removeEventListener("abort", stop);
      try {
        resolve(started(g, client, input, init));
      } catch (e) {
        reject(e);
      }
    };
    if (signal) signal.addEventListener("abort", stop);
    g[1].push(go);
  });
}

// One call of the gate started: the fast path when the client (not freed) has one and `input`
// is a root-relative URL string (`authorized`'s rule), else the wasm's general path. Its slot
// is given back when its promise settles.
function started(g, client, input, init) {
  g[0]++;
  let sent;
  try {
    if (client.__wbg_ptr && typeof input === "string" && g[3]) sent = g[3](input, init);
    if (sent === undefined) sent = client.__f(input, init);
  } catch (e) {
    g[0]--;
    throw e;
  }
  const free = () => {
    g[0]--;
    drain(g);
  };
  sent.then(free, free);
  return sent;
}

// auth.userinfo (`bearer` as in `authorized`): `url` (the UserInfo endpoint) sent as `authorized`
// sends an app request, GET (fetch's default: no `method`, so no dispatch 20) for JSON, no
// cookies, no referrer, no redirect followed (the token goes to the UserInfo endpoint only),
// aborted after `ms`; its claims judged by the wasm (dispatch 6): its body read to at most `cap`
// bytes and one more.
export function userinfo(dispatch, url, bearer, generation, ms, cap) {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  const init = { credentials: "omit", referrerPolicy: "no-referrer", redirect: "error", signal: c.signal, headers: { Accept: "application/json" } };
  const d = live(dispatch, true);
  return authorized(dispatch, url, init, undefined, bearer, generation).then((r) => readCapped(r, cap).then(
    (text) => out(d(6, 0, r.status, text)),
    (error) => out(d(6, 0, -1, describe(error)))));
}

// auth.on's listeners, kept here per client (its dispatch function): [name, listener] pairs in
// the order added. The event names are core/event.rs's EVENT_NAMES (a host test compares them).
const events = "login token_refreshed session_expired logout error scope_reduced restore_failed".split(" ");
const listeners = new WeakMap();
const badConfig = (field, why) => { throw makeAuthError("invalid_config", `invalid configuration: ${field}: ${why}`); };

// auth.on (`dispatch` is the client's, from the wasm, which throws once the client is freed):
// registers `listener` for `name` and returns the function that removes it.
export function listen(dispatch, name, listener) {
  if (typeof listener != "function") badConfig("listener", "must be a function");
  if (!events.includes(name)) badConfig("event", "unknown event; use one of " + events.join(", "));
  let mine = listeners.get(dispatch);
  if (!mine) listeners.set(dispatch, (mine = []));
  const entry = [name, listener];
  mine.push(entry);
  return () => {
    const at = mine.indexOf(entry);
    if (at >= 0) mine.splice(at, 1);
  };
}

// Calls the listeners of the client of `dispatch` for `event` (its `type`), as the wasm emits
// it: the list copied first (a listener may add or remove listeners); what a listener throws
// is dropped (one listener cannot stop the others, nor the wasm).
export function deliver(dispatch, event) {
  for (const [name, listener] of [...(listeners.get(dispatch) || [])]) {
    if (name === event.type) {
      try {
        listener(event);
      } catch {}
    }
  }
}

// Whether `f` ran without throwing.
export const tried = (f) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

// A copy of a fetch `init` as fetch reads it: its own enumerable properties (a spread's), and
// each member of the RequestInit dictionary it does not have, read as fetch reads them, through
// the prototype chain (an init made with a prototype, a class instance with getters: fetch
// reads inherited members, a spread drops them); its headers copied too. Each is read once; a
// getter that throws, or headers no request can carry, throw.
const members = "body cache credentials duplex headers integrity keepalive method mode priority redirect referrer referrerPolicy signal window".split(" ");
export const copyInit = (init) => {
  const copy = { ...init };
  for (const k of members) k in copy || (copy[k] = init[k]);
  copy.headers &&= new Headers(copy.headers);
  return copy;
};

// Fills `buf` from crypto.getRandomValues: whether it could.
export function random(buf) {
  return tried(() => crypto.getRandomValues(buf));
}

// What auth.fetch was given, parsed as fetch parses it (one crossing, the browser's URL parser):
// "r" for a Request (its URL), else "s" (a URL string or a URL, against `base` when given), then
// "href\norigin" (`place` 1), nothing more when the browser cannot parse it; undefined when it is
// none of the three.
export function input(value, base) {
  const r = value instanceof Request;
  if (r || typeof value === "string" || value instanceof URL) return (r ? "r" : "s") + (place(1, r ? value.url : value, base) || "");
}

// The page's address, one step per `op` (undefined when there is no page: a worker):
// 0 location.href; 3 its origin (parsed as in 1);
// 1 `a` parsed as the browser does (against `b` when given): "href\norigin", or undefined when
//   it is no URL;
// 2 the address bar cleaned: replaced with `a` without the query parameters `b` (one per line;
//   no navigation, no history entry): undefined when done (or when there is no page or
//   history), else why not — the name of what was thrown, or "ignored" when the browser dropped
//   the call (Chromium's navigation flood limit);
// 4 a navigation to `a` (top level): undefined when the browser took it, else "refused".
export function place(op, a, b) {
  switch (op) {
    case 0: case 3: return typeof window !== "object" || !window ? undefined : op ? new URL(location.href).origin : location.href;
    case 1:
      try {
        const u = new URL(a, b); // (`b` undefined: no base, as when not given)
        return `${u.href}\n${u.origin}`;
      } catch {
        return undefined;
      }
    case 2: {
      if (typeof window !== "object" || !window || !window.history) return undefined;
      const u = new URL(a);
      for (const n of b.split("\n")) u.searchParams.delete(n);
      try {
        history.replaceState(history.state, "", u.href);
      } catch (e) {
        return e instanceof Error ? e.name : "a non-Error value";
      }
      return location.href === u.href ? undefined : "ignored";
    }
    default: return tried(() => location.assign(a)) ? undefined : "refused";
  }
}

// One step on sessionStorage (or localStorage: `local`), a string or undefined back, by `op`
// (a number: no string crosses for it): 1 get → the value (and, `value` not empty, taken: removed
// in the same step), 2 set → "ok" when stored, 3 remove,
// 4 keys → the keys starting with `key`, one per line, 0 → "ok", or "none" without a page (a
// worker); undefined when the browser denies the storage. 5: `key` is "key\nvalue\nurl" (one
// text, decoded once: a login's record and its URL), set → the promise of the URL when stored
// (what authorizationUrl() returns), else "" (a string: not stored).
// 6–9, the restore marks of client `key` (`local` unused; src/browser/restore.rs decides on
// them): 6 → undefined without its signed-in marker (localStorage), else the time of this tab's
// last failed silent attempt (sessionStorage; "" when none); 7 signed in (the marker set, the
// failure forgotten); 8 signed out (the marker removed); 9 failed now (Date.now(), the wasm's
// clock).
export function store(local, op, key, value) {
  if (op === 5) {
    const [k, v, url] = key.split("\n");
    return store(local, 2, k, v) ? Promise.resolve(url) : "";
  }
  if (op > 5) {
    const m = "salesforce-pkce:signed-in:" + key, f = "salesforce-pkce:restore-failed";
    if (op === 6) return store(true, 1, m) && (store(false, 1, f) || "");
    if (op === 7) store(false, 3, f);
    return op === 9 ? store(false, 2, f, "" + Date.now()) : store(true, op - 5, m, "1");
  }
  if (typeof window !== "object" || !window) return op ? undefined : "none";
  let s;
  try {
    s = local ? window.localStorage : window.sessionStorage;
    if (!s) return undefined;
  } catch {
    return undefined;
  }
  try {
    if (op === 1) {
      const v = s.getItem(key);
      if (value) s.removeItem(key);
      return v ?? undefined;
    }
    if (op === 2) { s.setItem(key, value); return "ok"; }
    if (op === 3) return s.removeItem(key);
    if (op === 4) {
      const keys = [];
      for (let i = 0; i < s.length; i++) { const k = s.key(i); if (k !== null && k.startsWith(key)) keys.push(k); }
      return keys.join("\n");
    }
    return "ok";
  } catch {
    return undefined;
  }
}

// A body as text, read to at most `cap` bytes and one more: past that, reading stops (the stream
// is cancelled) and the text is cut there.
export async function readCapped(response, cap) {
  const reader = response.body && response.body.getReader();
  if (!reader) return "";
  const kept = new Uint8Array(cap + 1);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const n = Math.min(value.length, kept.length - size);
    kept.set(value.subarray(0, n), size);
    size += n;
    if (size === kept.length) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  return new TextDecoder().decode(kept.subarray(0, size));
}

// The client's one timer: armed to fire after `delay` ms (a negative delay only cancels it).
export function arm(dispatch, delay) {
  clearTimeout(timers.get(dispatch));
  if (delay >= 0) timers.set(dispatch, setTimeout(() => dispatch(0, 0, 0), delay));
}

// The promise of operation `op` (one per operation: asked twice, the same promise).
export function promise(dispatch, op) {
  let mine = waits.get(dispatch);
  if (!mine) waits.set(dispatch, (mine = new Map()));
  let w = mine.get(op);
  if (!w) {
    w = []; // resolve, reject, the promise
    w[2] = new Promise((resolve, reject) => { w[0] = resolve; w[1] = reject; });
    mine.set(op, w);
  }
  return w[2];
}

// Settles operation `op`'s promise (if anyone made it): resolved with `value`, or rejected with it.
export function settle(dispatch, op, ok, value) {
  const mine = waits.get(dispatch);
  const w = mine && mine.get(op);
  if (!w) return;
  mine.delete(op);
  w[ok ? 0 : 1](value);
}

// A JS value (with `parse`: the value of the JSON text `value`) as the wasm's tree text, read
// by src/core/tree.rs: "n" null or anything not JSON-like, "t"/"f", "d" and the 16 hex digits
// of the number's bits, "s" + length in UTF-16 units + ":" + the string, "a" + count + ":" +
// items, "o" + count + ":" + (key as an "s" string, value) pairs; past `depth` levels "n" (which
// also ends a cycle). Undefined when the text is no JSON, or the value cannot be read (a getter
// threw, over 100,000 values).
const bits = new DataView(new ArrayBuffer(8));
const hex = (i) => bits.getUint32(i).toString(16).padStart(8, "0");
export function tree(value, parse, depth) {
  const out = [];
  let budget = 100000;
  const str = (s) => out.push("s", s.length, ":", s);
  const put = (v, d) => {
    if (--budget < 0) throw new RangeError("too many values");
    if (d > depth || v === null) out.push("n");
    else if (typeof v === "string") str(v);
    else if (typeof v === "number") { bits.setFloat64(0, v); out.push("d", hex(0), hex(4)); }
    else if (typeof v === "boolean") out.push(v ? "t" : "f");
    else if (Array.isArray(v)) { out.push("a", v.length, ":"); for (let i = 0; i < v.length; i++) put(v[i], d + 1); }
    else if (typeof v === "object" || typeof v === "function") {
      const e = Object.entries(v);
      out.push("o", e.length, ":");
      for (const [k, x] of e) { str(k); put(x, d + 1); }
    } else out.push("n");
  };
  try {
    put(parse ? JSON.parse(value) : value, 0);
  } catch {
    return undefined;
  }
  return out.join("");
}

// loginPopup() (`openPopup`, `handOff`): each function is one whole browser step. The
// callback comes back over a same-origin BroadcastChannel, never window.opener (providers'
// Cross-Origin-Opener-Policy severs it). Rust validates everything that arrives.

/** Opens the popup synchronously (still in the user gesture) on the login of `texts` (its
 *  texts, "key\nrecord\nurl", the record stored: in localStorage when `local`) and waits for
 *  its callback (`waitPopup`): that promise, "blocked" when the browser blocked the popup, or
 *  "unsupported" when this page can have no BroadcastChannel to bring the callback back (none,
 *  or it throws: then no popup is opened). With no callback, the record is removed (`forget`:
 *  the wasm decided it so). */
// A pending record's state: its key past the last ":" ("salesforce-pkce:pending:" + a base64url
// state, which has no ":").
const stateOf = (key) => key.slice(key.lastIndexOf(":") + 1);

export function openPopup(texts, local, features, channel, timeoutMs) {
  const [key, , url] = texts.split("\n");
  const forget = (why) => (store(local, 3, key), why);
  let bc, popup = null;
  if (!tried(() => (bc = new BroadcastChannel(channel)))) return forget("unsupported");
  try {
    popup = window.open(url, "_blank", features);
  } catch {}
  if (popup) return waitPopup(popup, bc, stateOf(key), timeoutMs, forget);
  bc.close();
  return forget("blocked");
}

/** Waits for this login's callback query (the message whose `state` is ours; others are not
 *  ours: another tab's popup, or forged) and acknowledges it. Rejects with "closed" when the
 *  popup is closed after it was last seen on our own origin (only then can a closed popup be
 *  told from one cut off by COOP at the provider, whose `closed` reads true while it is open),
 *  or "timeout", the login's record removed (`forget`). */
function waitPopup(popup, bc, state, timeoutMs, forget) {
  return new Promise((resolve, reject) => {
    let seenOnOurOrigin = false;
    const end = (settle, value) => {
      clearInterval(poll);
      clearTimeout(timer);
      bc.close();
      settle(value);
    };
    bc.onmessage = (e) => {
      const m = e.data;
      if (!m || m.state !== state || typeof m.query !== "string") return;
      bc.postMessage({ ack: state });
      end(resolve, m.query);
    };
    const poll = setInterval(() => {
      let closed = true;
      let ours = false;
      try {
        closed = popup.closed;
        // Readable only while same-origin; the initial about:blank is not a page of ours.
        ours = !closed && popup.location.href !== "about:blank";
      } catch {}
      if (closed && seenOnOurOrigin) end(reject, forget("closed"));
      else seenOnOurOrigin = ours;
    }, 200);
    const timer = setTimeout(() => {
      try {
        popup.close();
      } catch {}
      end(reject, forget("timeout"));
    }, timeoutMs);
  });
}

/** In the popup: hands the callback query of the login whose record is under `key` to the
 *  opener (that record deleted first from this page's sessionStorage when `session`: the
 *  browser copied the opener's; the wasm decided it) and closes the popup once the opener
 *  acknowledges it; the promise of `result` (the popup's RedirectResult, which the wasm wrote),
 *  fulfilled then, or when no opener answered within 3 s. "" when the callback could not be
 *  handed over (no BroadcastChannel, or it threw): the wasm rejects with an AuthError. */
export function handOff(channel, key, query, result, session) {
  const state = stateOf(key);
  if (session) store(false, 3, key);
  let bc;
  // (The ack comes in a later task: the handler set after the post hears it.)
  if (!tried(() => (bc = new BroadcastChannel(channel)).postMessage({ state, query }))) {
    if (bc) bc.close();
    return "";
  }
  return new Promise((resolve) => {
    const end = (acked) => {
      clearTimeout(timer);
      bc.close();
      if (acked) window.close();
      resolve(result);
    };
    bc.onmessage = (e) => e.data && e.data.ack === state && end(true);
    const timer = setTimeout(() => end(false), 3000);
  });
}
