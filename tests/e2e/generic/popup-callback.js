// A minimal popupRedirectUri page: loads the package and calls handleRedirect(), which hands the
// callback to the opener and closes this window.
import init, { AuthClient } from "/pkg/salesforce_pkce.js";
await init();
const cfg = await (await fetch("/demo-config.json")).json();
const auth = AuthClient.salesforce({
  clientId: cfg.clientId, loginHost: cfg.loginHost, redirectUri: `${location.origin}/callback`,
  popupRedirectUri: `${location.origin}/popup-callback.html`,
});
const result = await auth.handleRedirect();
document.getElementById("status").textContent = result && result.popup ? "signed in: you can close this window" : "nothing to do here";
