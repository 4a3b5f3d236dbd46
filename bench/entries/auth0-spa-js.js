// PKCE login + callback + refresh (refresh tokens) + logout with @auth0/auth0-spa-js.
import { Auth0Client } from "@auth0/auth0-spa-js";
export function app(options) {
  const c = new Auth0Client({ ...options, useRefreshTokens: true, cacheLocation: "memory" });
  return {
    login: () => c.loginWithRedirect(),
    callback: () => c.handleRedirectCallback(),
    refresh: () => c.getTokenSilently({ cacheMode: "off" }),
    revoke: () => c.logout(),
  };
}
