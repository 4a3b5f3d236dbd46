// Every history.replaceState call of the test page, counted: WebKit throws a SecurityError past
// 100 calls in 10 seconds (one page runs the whole suite), so the tests' helpers wait for room
// instead of skipping anything. Also a switch that makes replaceState throw that SecurityError in
// every engine, to exercise the library's path where the address bar cannot be cleaned.
const WINDOW_MS = 10_000;
// WebKit allows 100 per fixed window starting at a window's first call; counting every attempt
// over a sliding window, with a margin, stays below it in every fixed window.
const LIMIT = 90;
const calls = [];
const thrown = [];
let refuse = false;
// The test build also runs as the session worker of tests/browser/worker.js, which has no History.
if (typeof History === "function") {
  const original = History.prototype.replaceState;

  History.prototype.replaceState = function replaceState(...args) {
    calls.push(performance.now());
    if (refuse) {
      thrown.push("stub");
      throw new DOMException("Attempt to use history.replaceState() more than 100 times per 10 seconds", "SecurityError");
    }
    try {
      return original.apply(this, args);
    } catch (e) {
      thrown.push(e && e.name);
      throw e;
    }
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `n` more calls fit in the window (`n` > LIMIT waits for an empty window). */
export async function replaceStateRoom(n) {
  for (;;) {
    const now = performance.now();
    while (calls.length && calls[0] <= now - WINDOW_MS) calls.shift();
    if (calls.length === 0 || calls.length + n <= LIMIT) return;
    await sleep(calls[0] + WINDOW_MS - now + 20);
  }
}

/** While on, every replaceState throws a SecurityError DOMException. */
export function replaceStateRefuse(on) { refuse = on; }

/** The names of the exceptions replaceState threw so far (real ones and the stub's). */
export function replaceStateThrown() { return JSON.stringify(thrown); }

export function userAgent() { return navigator.userAgent; }
