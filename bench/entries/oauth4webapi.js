// PKCE login + callback + refresh + revoke with oauth4webapi (the building blocks an app wires itself).
import * as oauth from "oauth4webapi";
export async function app(as, client) {
  const auth = oauth.None();
  return {
    async login() {
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const url = new URL(as.authorization_endpoint);
      url.searchParams.set("code_challenge", challenge);
      url.searchParams.set("code_challenge_method", "S256");
      url.searchParams.set("state", oauth.generateRandomState());
      return { url, verifier };
    },
    async callback(currentUrl, state, verifier) {
      const params = oauth.validateAuthResponse(as, client, currentUrl, state);
      const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, "https://app/cb", verifier);
      return oauth.processAuthorizationCodeResponse(as, client, res);
    },
    async refresh(token) {
      return oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, token));
    },
    async revoke(token) {
      return oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token));
    },
  };
}
