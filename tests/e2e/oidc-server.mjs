// An independent, certified OpenID provider (npm oidc-provider) configured for a browser SPA:
// a public client, PKCE required, refresh tokens with rotation, revocation, CORS for the app's
// origin; plus a small resource server that validates access tokens through the provider.
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./helpers.mjs";

export async function startOidc(origin) {
  const [port, apiPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${port}`;
  const api = `http://127.0.0.1:${apiPort}`;
  const log = [];
  const provider = new Provider(issuer, {
    clients: [{
      client_id: "spa", application_type: "web", token_endpoint_auth_method: "none",
      redirect_uris: [`${origin}/callback`], post_logout_redirect_uris: [`${origin}/`], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"],
    }],
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === origin,
    cookies: { keys: ["salesforce-pkce-e2e"] },
    features: { revocation: { enabled: true }, devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    scopes: ["openid", "offline_access", "profile"],
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: `User ${sub}` }) }),
    ttl: { AccessToken: 3600, RefreshToken: 86400, Grant: 86400, Session: 86400, Interaction: 600, AuthorizationCode: 60, IdToken: 3600 },
  });
  provider.use(async (ctx, next) => {
    await next();
    log.push({ method: ctx.method, path: ctx.path, status: ctx.status, grantType: ctx.oidc?.params?.grant_type || null });
  });
  const server = provider.listen(port, "127.0.0.1");

  // Resource server: Bearer validated by the provider; tokens it has seen can be expired at once.
  const seen = new Set();
  const expired = new Set();
  const cors = { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Headers": "authorization, content-type", "Access-Control-Allow-Methods": "GET, POST", Vary: "Origin" };
  const apiServer = createServer(async (req, res) => {
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (req.url === "/expire" && req.method === "POST") {
      for (const t of seen) expired.add(t);
      return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ expired: seen.size }));
    }
    const token = (req.headers.authorization || "").replace(/^Bearer /, "");
    log.push({ method: req.method, path: `api${req.url}`, status: 0, grantType: null });
    const at = token && !expired.has(token) ? await provider.AccessToken.find(token) : null;
    if (token) seen.add(token);
    const entry = log[log.length - 1];
    if (!at || at.isExpired) {
      entry.status = 401;
      return res.writeHead(401, { ...cors, "WWW-Authenticate": 'Bearer error="invalid_token"' }).end();
    }
    entry.status = 200;
    res.writeHead(200, { ...cors, "Content-Type": "application/json" }).end(JSON.stringify({ sub: at.accountId, scope: at.scope }));
  });
  await new Promise((r) => apiServer.listen(apiPort, "127.0.0.1", r));
  return {
    issuer, api, log,
    stop() {
      server.close();
      apiServer.close();
    },
  };
}
