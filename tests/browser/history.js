// Every history.replaceState call of the test page, counted: WebKit throws a SecurityError past
// 100 calls in 10 seconds (one page runs the whole suite), so the tests' helpers wait for room
// instead of skipping anything.
const WINDOW_MS = 10_000;
// WebKit allows 100 per fixed window starting at a window's first call; counting every attempt
// over a sliding window, with a margin, stays below it in every fixed window.
const LIMIT = 90;
const calls = [];
const original = History.prototype.replaceState;

History.prototype.replaceState = function replaceState(...args) {
  calls.push(performance.now());
  return original.apply(this, args);
};

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
