// A bare page for E2E tests: the Salesforce client (when the config names a loginHost) or the
// generic AuthClient via discovery, exposed as window.auth with its events in window.events.
import init, { AuthClient } from "/pkg/salesforce_pkce.js";

await init();
const cfg = await (await fetch("/demo-config.json")).json();
const redirectUri = `${location.origin}/callback`;
const auth = cfg.loginHost
  ? AuthClient.salesforce({ clientId: cfg.clientId, redirectUri, loginHost: cfg.loginHost, timeoutMs: cfg.timeoutMs ?? 15000 })
  : await AuthClient.discover(cfg.issuer, { clientId: "spa", redirectUri, scopes: ["openid", "offline_access", "profile"], apiBase: cfg.api });
window.auth = auth;
window.events = [];
for (const t of ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced"]) {
  auth.on(t, (e) => window.events.push(e.error ? `${t}:${e.error.code}` : t));
}
// Settles a promise into a plain, serializable outcome for the test.
window.outcome = (p) => p.then(
  (r) => ({ ok: true, status: r && r.status }),
  (e) => ({ ok: false, code: e.code, status: e.status, message: e.message, isError: e instanceof Error }),
);
if (location.pathname === "/callback") {
  try {
    window.redirect = await auth.handleRedirect();
  } catch (e) {
    window.redirectError = `${e.code}: ${e.message}`;
  }
  history.replaceState(null, "", "/");
}
document.getElementById("status").textContent = auth.isAuthenticated ? "signed in" : "signed out";
document.body.dataset.ready = "1";
