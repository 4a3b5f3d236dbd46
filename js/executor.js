// The runtime's executor: does what the wasm's session machine asks — send a request, arm the
// one timer, make and settle the promise of an operation — and hands each result back through
// the client's one dispatch function. It makes no decision: no status, generation or expiry is
// compared here. A request's headers and body (a code, a refresh token) are handed to fetch and
// not kept: nothing below holds them after `send` returns.
//
// dispatch(kind, id, a, b): 0 = an answer (a: status, b: body text), 1 = no answer (a: a short
// description, b: whether the request's own timeout fired), 2 = the timer fired.

const timers = new WeakMap();
const waits = new WeakMap();

// A short, safe description of a thrown value: its name and the start of its message, never
// more (a message may echo data).
const describe = (e) =>
  e instanceof Error ? `${e.name}: ${String(e.message).slice(0, 200)}` :
  typeof e === "string" ? e.slice(0, 200) : "a non-Error value was thrown";

// Sends one core request: no referrer, no cookies, no cache, no redirect followed (a 307 would
// carry the form body wherever it points), cancelled after `timeoutMs`. With `cap`, the body is
// read to at most `cap` bytes and one more (the wasm refuses a longer one by its size). Resolves
// to [status, body, DPoP-Nonce header or null] or, with no answer, [-1, a short description,
// whether the timeout fired]; never rejects.
export function request(method, url, headers, body, timeoutMs, cap) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  const done = (answer) => { clearTimeout(timer); return timedOut ? [-1, "", true] : answer; };
  let sent;
  try {
    const h = new Headers();
    const lines = headers.split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) h.set(lines[i], lines[i + 1]);
    sent = fetch(url, { method, headers: h, body, redirect: "error", referrerPolicy: "no-referrer", credentials: "omit", cache: "no-store", signal: controller.signal });
  } catch (e) {
    clearTimeout(timer);
    return Promise.resolve([-1, "the request could not be built", false]);
  }
  return sent
    .then((r) => (cap ? readCapped(r, cap) : r.text()).then((text) => done([r.status, text, r.headers.get("DPoP-Nonce")])))
    .catch((e) => done([-1, describe(e), timedOut]));
}

// An AbortSignal that aborts after `ms` (the requests the wasm builds itself: userinfo).
export function deadline(ms) {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}

// The same, its result handed to the client's dispatch function with `id`.
export function send(dispatch, id, method, url, headers, body, timeoutMs, cap) {
  request(method, url, headers, body, timeoutMs, cap).then(([status, text, more]) =>
    status < 0 ? dispatch(1, id, text, more) : dispatch(0, id, status, text));
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
  if (delay >= 0) timers.set(dispatch, setTimeout(() => dispatch(2, 0, undefined, undefined), delay));
}

// The promise of operation `op` (one per operation: asked twice, the same promise).
export function promise(dispatch, op) {
  let mine = waits.get(dispatch);
  if (!mine) waits.set(dispatch, (mine = new Map()));
  let w = mine.get(op);
  if (!w) {
    w = {};
    w.p = new Promise((resolve, reject) => { w.resolve = resolve; w.reject = reject; });
    mine.set(op, w);
  }
  return w.p;
}

// Settles operation `op`'s promise (if anyone made it): resolved with `value`, or rejected with it.
export function settle(dispatch, op, ok, value) {
  const mine = waits.get(dispatch);
  const w = mine && mine.get(op);
  if (!w) return;
  mine.delete(op);
  (ok ? w.resolve : w.reject)(value);
}
