// A bare page for E2E tests: the Salesforce client (when the config names a loginHost) or the
// generic AuthClient via discovery, exposed as window.auth with its events in window.events.
// `?sharing=tabs|tabs-locks`, `?restore=auto`, `?worker=URL` and `?options=JSON` set options (kept for this tab in
// sessionStorage, so the callback page uses them too); `?delete=…` removes browser APIs first
// (delete-apis.js).
const query = new URLSearchParams(location.search);
for (const k of ["sharing", "restore", "worker", "options"]) {
  if (query.has(k)) sessionStorage.setItem(`test:${k}`, query.get(k));
}
// Session sharing is in the package's ./tabs entry, DPoP and id_token signature checks in ./dpop
// (and ./tabs); a page without them loads the default one.
const wanted = JSON.parse(sessionStorage.getItem("test:options") || "{}");
const entry = sessionStorage.getItem("test:sharing") ? "/pkg/tabs/salesforce_pkce.js"
  : wanted.dpop !== undefined || wanted.verifyIdTokenSignature !== undefined ? "/pkg/dpop/salesforce_pkce.js"
  : "/pkg/salesforce_pkce.js";
const { default: init, AuthClient } = await import(entry);
window.entry = entry;
await init();
const cfg = await (await fetch("/demo-config.json")).json();
const extra = {};
if (sessionStorage.getItem("test:sharing")) extra.sessionSharing = sessionStorage.getItem("test:sharing");
if (sessionStorage.getItem("test:restore")) extra.restore = sessionStorage.getItem("test:restore");
if (sessionStorage.getItem("test:worker")) extra.workerUrl = sessionStorage.getItem("test:worker");
// `?options={...}`: more client options (another deploy's, say).
if (sessionStorage.getItem("test:options")) Object.assign(extra, JSON.parse(sessionStorage.getItem("test:options")));
const redirectUri = `${location.origin}/callback`;
window.events = [];
window.errorMessages = [];
const auth = cfg.loginHost
  ? AuthClient.salesforce({ clientId: cfg.clientId, redirectUri, loginHost: cfg.loginHost, timeoutMs: cfg.timeoutMs ?? 15000, ...extra })
  : await AuthClient.discover(cfg.issuer, { clientId: "spa", redirectUri, scopes: ["openid", "offline_access", "profile"], apiBase: cfg.api, ...extra });
window.auth = auth;
for (const t of ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced", "restore_failed"]) {
  auth.on(t, (e) => {
    window.events.push(e.error ? `${t}:${e.error.code}` : t);
    if (t === "error") window.errorMessages.push(e.error.message);
  });
}
// Resolves with the next event of this type (tests await it instead of sleeping).
window.nextEvent = (type) => new Promise((resolve) => {
  const off = auth.on(type, (e) => { off(); resolve(e.error ? `${type}:${e.error.code}` : type); });
});
// Settles a promise into a plain, serializable outcome for the test.
window.outcome = (p) => p.then(
  (r) => ({ ok: true, status: r && r.status }),
  (e) => ({ ok: false, code: e.code, status: e.status, message: e.message, isError: e instanceof Error }),
);
// For the leak audit: history as handleRedirect found it and left it (before this page's own
// replaceState below).
window.historyLengthAtLoad = history.length;
try {
  window.redirect = await auth.handleRedirect();
} catch (e) {
  window.redirectError = `${e.code}: ${e.message}`;
}
window.historyStateAfterRedirect = JSON.stringify(history.state);
if (location.pathname === "/callback") history.replaceState(null, "", "/");
document.getElementById("status").textContent = auth.isAuthenticated ? "signed in" : "signed out";
document.body.dataset.ready = "1";
