// The session worker of salesforce-pkce (sessionSharing: "tabs"): a module SharedWorker that
// holds the session for every tab of the origin. Tokens live only in this worker's memory.
// Ports that connect while the module is still loading are served once it is ready; if it
// cannot load, every tab is told at once (and falls back to "tabs-locks"), never left waiting.
import init, { sessionHost } from "./salesforce_pkce.js";

const early = [];
self.onconnect = (e) => early.push(e.ports[0]);
// Every port from now on, and those that came early, go to `serve`.
const serve = (f) => {
  self.onconnect = (e) => f(e.ports[0]);
  early.splice(0).forEach(f);
};

init().then(() => {
  // The host's dispatch function serves a port handed to it as event 16 (src/browser/host.rs).
  const host = sessionHost();
  serve((port) => host(16, 0, 0, port));
}, () => serve((port) => port.postMessage(["worker_failed"])));
