// PKCE login + callback + silent refresh + logout with @azure/msal-browser.
import { PublicClientApplication } from "@azure/msal-browser";
export async function app(config) {
  const pca = new PublicClientApplication(config);
  await pca.initialize();
  return {
    login: () => pca.loginRedirect(),
    callback: () => pca.handleRedirectPromise(),
    refresh: (account) => pca.acquireTokenSilent({ account, scopes: ["openid"], forceRefresh: true }),
    revoke: () => pca.logoutRedirect(),
  };
}
