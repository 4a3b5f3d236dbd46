// A session worker for the browser suite (sessionSharing: "tabs"): the real session host (`sessionHost()`) of this
// test build, loaded from the runner's own glue, with tests/browser/mock.js as the worker's
// fetch. The page gets the worker's URL from testWorkerUrl: this file, served by the runner with
// the other snippets (workerUrl must be on the page's origin), and `?worker` to start the host
// when it runs as the worker. Three test-only paths on the mock's API host change what the
// worker does: `/services/data/slow/` answers after `slow` ms; `/services/data/vanish/` closes
// the worker while the call is in flight (a worker that stops answering anything, pings too);
// `/services/data/badbody/` answers 200 with a body that cannot be read.
export function testWorkerUrl(slowMs) {
  // The runner wraps SharedWorker to capture worker consoles; a module worker given by http URL
  // never starts through that wrapper (it does as a blob). The browser's own constructor:
  globalThis.SharedWorker = SharedWorker.prototype.constructor;
  const url = new URL(import.meta.url);
  url.search = `?worker&slow=${Number(slowMs)}&n=${crypto.randomUUID()}`;
  return url.href;
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
    globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
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
    const connect = (port) => host(16, 0, 0, port);
    self.onconnect = (e) => connect(e.ports[0]);
    for (const port of early.splice(0)) connect(port);
  }).catch((e) => {
    const failed = (port) => port.postMessage(["worker_failed", String(e && e.stack || e)]);
    self.onconnect = (ev) => failed(ev.ports[0]);
    for (const port of early.splice(0)) failed(port);
  });
}
