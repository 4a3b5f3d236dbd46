// A bare page for the E2E test against oidc-provider: the generic AuthClient via discovery.
import init, { AuthClient } from "/pkg/salesforce_pkce.js";

await init();
const cfg = await (await fetch("/demo-config.json")).json();
const auth = await AuthClient.discover(cfg.issuer, {
  clientId: "spa",
  redirectUri: `${location.origin}/callback`,
  scopes: ["openid", "offline_access", "profile"],
  apiBase: cfg.api,
});
window.auth = auth;
window.events = [];
for (const t of ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced"]) {
  auth.on(t, (e) => window.events.push(e.error ? `${t}:${e.error.code}` : t));
}
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
