// PKCE login + callback + refresh + revoke with oidc-client-ts.
import { UserManager } from "oidc-client-ts";
export function app(settings) {
  const m = new UserManager(settings);
  return {
    login: () => m.signinRedirect(),
    callback: () => m.signinRedirectCallback(),
    refresh: () => m.signinSilent(),
    revoke: () => m.revokeTokens(["refresh_token", "access_token"]),
  };
}
