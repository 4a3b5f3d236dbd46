// The session worker of salesforce-pkce (sessionSharing: "tabs"): a module SharedWorker that
// holds the session for every tab of the origin. Tokens live only in this worker's memory.
// Ports that connect while the module is still loading are served once it is ready; if it
// cannot load, every tab is told at once (and falls back to "tabs-locks"), never left waiting.
import init, { SessionHost } from "./salesforce_pkce.js";

const early = [];
self.onconnect = (e) => early.push(e.ports[0]);

init().then(() => {
  const host = new SessionHost();
  self.onconnect = (e) => host.connect(e.ports[0]);
  for (const port of early.splice(0)) host.connect(port);
}, () => {
  const failed = (port) => port.postMessage(["worker_failed"]);
  self.onconnect = (e) => failed(e.ports[0]);
  for (const port of early.splice(0)) failed(port);
});
