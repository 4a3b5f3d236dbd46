// A session worker for the browser suite (sessionSharing: "tabs"): the real session host (`sessionHost()`) of this
// test build, loaded from the runner's own glue, with tests/browser/mock.js as the worker's
// fetch. The page gets the worker's URL from testWorkerUrl: this file, served by the runner with
// the other snippets (workerUrl must be on the page's origin), and `?worker` to start the host
// when it runs as the worker. Three test-only paths on the mock's API host change what the
// worker does: `/services/data/slow/` answers after `slow` ms; `/services/data/vanish/` closes
// the worker while the call is in flight (a worker that stops answering anything, pings too);
// `/services/data/badbody/` answers 200 with a body that cannot be read. `workerAsk` reaches the
// worker's mock and host from the page (its control channel, below).
export function testWorkerUrl(slowMs) {
  // The runner wraps SharedWorker to capture worker consoles; a module worker given by http URL
  // never starts through that wrapper (it does as a blob). The browser's own constructor:
  globalThis.SharedWorker = SharedWorker.prototype.constructor;
  const url = new URL(import.meta.url);
  url.search = `?worker&slow=${Number(slowMs)}&n=${crypto.randomUUID()}`;
  return url.href;
}

// What a relayed call's promise may reject with (sharing.rs's relay test): an error whose
// `code` getter throws, one whose message is a Symbol, a TypeError, a number, an AuthError-like
// object.
export function relayRejections() {
  const getter = {};
  Object.defineProperty(getter, "code", { get() { throw new Error("a getter threw"); } });
  return [getter, { code: "token_endpoint_error", message: Symbol("m") }, new TypeError("thrown"), 42,
    { code: "session_expired", message: "ended" }];
}

// The control channel of the worker at `url` (its `n`).
const controlOf = (url) => new BroadcastChannel(`worker-control:${new URL(url).searchParams.get("n")}`);

// Asks the worker at `url`: a promise of its answer's text. `op` is "set" (`arg`: [key, json],
// mockSet in the worker), "get" (`arg`: a key, mockGet), "requests" (the worker mock's
// mockRequests()), "fetches" (how many relayed `auth.fetch` calls the tabs have handed the host
// so far), "hold" (answered when the next refresh grant reaches the worker's mock, which holds
// it there), "release" (that refresh goes on) or "throw" (answered, then the worker throws an
// error nothing catches).
export function workerAsk(url, op, arg) {
  const channel = controlOf(url);
  return new Promise((resolve) => {
    channel.onmessage = ({ data }) => {
      if (data.answer !== op) return;
      channel.close();
      resolve(data.text);
    };
    channel.postMessage({ ask: op, arg });
  });
}

const here = new URL(import.meta.url);
if (here.searchParams.has("worker") && typeof document === "undefined") {
  const early = [];
  self.onconnect = (e) => early.push(e.ports[0]);
  const slowMs = Number(here.searchParams.get("slow"));
  Promise.all([
    import(new URL("/wasm-bindgen-test.js", here).href),
    import(new URL("./mock.js", here).href),
  ]).then(async ([glue, mock]) => {
    await glue.default({ module_or_path: new URL("/wasm-bindgen-test_bg.wasm", here) });
    mock.mockReset("{}");
    const mocked = globalThis.fetch;
    const control = controlOf(here);
    let fetches = 0;
    let hold = null; // the "hold" ask's answer, sent when the next refresh grant arrives
    let release = null;
    // Asks and answers differ in form: with two workers of one URL on the channel (below),
    // one's answer reached the other as an ask (["set", "ok"]: mockSet("o", "k") threw), and
    // Firefox fires a shared worker's uncaught error at its SharedWorker objects, which the
    // tabs take as a worker that could not start (js/tabs.js): every call then failed.
    control.onmessage = ({ data: { ask: op, arg } }) => {
      const answer = (text) => control.postMessage({ answer: op, text });
      // Two clients of one test with different options start two workers of this URL (their
      // session groups differ): only the one that has served a request answers for its mock.
      if (op !== "set" && op !== "hold" && mock.mockRequests() === "[]") return;
      if (op === "set") mock.mockSet(arg[0], arg[1]), answer("ok");
      if (op === "get") answer(mock.mockGet(arg));
      if (op === "requests") answer(mock.mockRequests());
      if (op === "fetches") answer(String(fetches));
      if (op === "hold") hold = answer;
      if (op === "release") release?.(), answer("ok");
      // An error nothing in the worker catches (Firefox reports it at the tabs' SharedWorker).
      if (op === "throw") answer("ok"), setTimeout(() => { throw new Error("thrown on purpose by the test"); });
    };
    globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (hold && url.endsWith("/services/oauth2/token")) {
        const body = await (input instanceof Request ? input.clone() : new Request(input, init)).text();
        if (body.includes("grant_type=refresh_token")) {
          const told = hold;
          hold = null;
          await new Promise((r) => { release = r; told("refreshing"); });
        }
      }
      if (url.includes("/services/data/slow/")) await new Promise((r) => setTimeout(r, slowMs));
      if (url.includes("/services/data/badbody/")) {
        const broken = new ReadableStream({ pull: (c) => c.error(new TypeError("the body stream broke")) });
        return new Response(broken, { status: 200 });
      }
      if (url.includes("/services/data/vanish/")) {
        self.close();
        return new Promise(() => {});
      }
      return mocked(input, init);
    };
    const host = glue.sessionHost();
    const connect = (port) => {
      host(16, 0, 0, port);
      // After the host's own listener: counted once the host has been handed the call.
      port.addEventListener("message", (e) => {
        if (Array.isArray(e.data) && String(e.data[0]).includes("op=fetch")) fetches += 1;
      });
    };
    self.onconnect = (e) => connect(e.ports[0]);
    for (const port of early.splice(0)) connect(port);
  }).catch((e) => {
    const failed = (port) => port.postMessage(["worker_failed", String(e && e.stack || e)]);
    self.onconnect = (ev) => failed(ev.ports[0]);
    for (const port of early.splice(0)) failed(port);
  });
}
