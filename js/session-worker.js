// The session worker of salesforce-pkce (sessionSharing: "tabs"): a module SharedWorker that
// holds the session for every tab of the origin. Tokens live only in this worker's memory.
// Ports that connect while the module is still loading are served once it is ready.
import init, { SessionHost } from "./salesforce_pkce.js";

const early = [];
self.onconnect = (e) => early.push(e.ports[0]);

init().then(() => {
  const host = new SessionHost();
  self.onconnect = (e) => host.connect(e.ports[0]);
  for (const port of early.splice(0)) host.connect(port);
});
