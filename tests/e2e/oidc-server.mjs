// An independent, certified OpenID provider (npm oidc-provider) configured for a browser SPA:
// a public client, PKCE required, refresh tokens with rotation, revocation, CORS for the app's
// origin; plus a small resource server that validates access tokens through the provider's
// introspection endpoint and checks DPoP proofs (RFC 9449) itself, with npm jose.
//
// startOidc(origin, { dpop, dpopNonce }):
// - dpop omitted: oidc-provider's own default, as before this option existed (oidc-provider 9
//   has DPoP enabled by default: it accepts proofs and binds tokens when a client sends one);
// - dpop: false: DPoP switched off at the provider (no dpop_signing_alg_values_supported in
//   discovery, a DPoP header is ignored and tokens are Bearer);
// - dpop: true: DPoP on; with dpopNonce: true the provider demands its own nonce (token and
//   userinfo endpoints) and the resource server demands its own, separate one.
// oidc-provider binds a public client's refresh token to the proof key too, and then does not
// rotate it (its default rotateRefreshToken): rotation applies to unbound refresh tokens only.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import Provider from "oidc-provider";
import { freePort, start } from "./helpers.mjs";

// The resource server's DPoP algorithms (what a browser's WebCrypto P-256 key signs with).
const DPOP_ALGS = ["ES256"];
// How far a proof's iat may be from the resource server's clock, in seconds.
const IAT_WINDOW = 60;
// The confidential client the resource server introspects with (client_secret_basic).
const API_CLIENT = { id: "api", secret: "api-introspection-secret" };

/** "Bearer" / "DPoP" (any case on the wire) / another scheme word as sent / null. */
function schemeOf(authorization) {
  const word = (authorization || "").trim().split(/\s+/)[0];
  if (!word) return null;
  return { bearer: "Bearer", dpop: "DPoP" }[word.toLowerCase()] || word;
}

/** A WWW-Authenticate challenge value; quotes and backslashes escaped. */
function challenge(scheme, error, description) {
  const q = (v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const params = [`error=${q(error)}`];
  if (description) params.push(`error_description=${q(description)}`);
  if (scheme === "DPoP") params.push(`algs=${q(DPOP_ALGS.join(" "))}`);
  return `${scheme} ${params.join(", ")}`;
}

export async function startOidc(origin, { dpop, dpopNonce = false } = {}) {
  if (dpopNonce && dpop !== true) throw new Error("startOidc: dpopNonce needs dpop: true");
  const [port, apiPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${port}`;
  const api = `http://127.0.0.1:${apiPort}`;
  const log = [];

  // Only what the options ask for is added to oidc-provider's features: with no options the
  // provider is configured as it always was, plus introspection for the resource server.
  const features = {
    revocation: { enabled: true }, devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true },
    // Only the resource server's client may introspect (and so oidc-provider does not warn
    // about its default policy).
    introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientId === API_CLIENT.id },
  };
  if (dpop === false) features.dPoP = { enabled: false };
  if (dpop === true) {
    features.dPoP = { enabled: true };
    // nonceSecret turns on oidc-provider's nonces (and exposes DPoP-Nonce through its CORS);
    // requireNonce makes every proof it checks (token and userinfo endpoints) carry one.
    if (dpopNonce) Object.assign(features.dPoP, { nonceSecret: randomBytes(32), requireNonce: () => true });
  }

  const provider = new Provider(issuer, {
    clients: [{
      client_id: "spa", application_type: "web", token_endpoint_auth_method: "none",
      redirect_uris: [`${origin}/callback`], post_logout_redirect_uris: [`${origin}/`], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"],
    }, {
      // The resource server: it only introspects, so no grants, responses or redirects.
      client_id: API_CLIENT.id, client_secret: API_CLIENT.secret, token_endpoint_auth_method: "client_secret_basic",
      grant_types: [], response_types: [], redirect_uris: [],
    }],
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === origin,
    cookies: { keys: ["salesforce-pkce-e2e"] },
    features,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    scopes: ["openid", "offline_access", "profile"],
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: `User ${sub}` }) }),
    ttl: { AccessToken: 3600, RefreshToken: 86400, Grant: 86400, Session: 86400, Interaction: 600, AuthorizationCode: 60, IdToken: 3600 },
  });
  // One entry per request; the OAuth error code of a failed JSON answer, never a token or proof.
  provider.use(async (ctx, next) => {
    await next();
    log.push({
      method: ctx.method, path: ctx.path, status: ctx.status, grantType: ctx.oidc?.params?.grant_type || null,
      scheme: schemeOf(ctx.get("authorization")), dpop: !!ctx.get("dpop"),
      error: typeof ctx.body?.error === "string" ? ctx.body.error : null,
    });
  });
  const server = provider.listen(port, "127.0.0.1");

  /** The provider's introspection answer for a token, as the resource server sees it. */
  async function introspect(token) {
    const r = await fetch(`${issuer}/token/introspection`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${API_CLIENT.id}:${API_CLIENT.secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token }),
    });
    if (!r.ok) throw new Error(`introspection answered ${r.status}`);
    return r.json();
  }

  // Resource server. Tokens it has seen can be expired at once (/expire); its DPoP nonce can be
  // replaced (/rotate-nonce); proof jtis it accepted are remembered to refuse replays.
  const seen = new Set();
  const expired = new Set();
  const jtis = new Set();
  const newNonce = () => randomBytes(16).toString("base64url");
  let nonce = newNonce();
  const cors = {
    "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Headers": "authorization, content-type, dpop",
    "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Expose-Headers": "DPoP-Nonce, WWW-Authenticate", Vary: "Origin",
  };

  /** Checks the DPoP proof of a request carrying `token` bound to `jkt`: "ok" or why not. */
  async function checkProof(req, token, jkt) {
    const proof = req.headers.dpop;
    if (!proof || proof.includes(",")) return { result: "missing" }; // none, or several joined by node
    let payload, protectedHeader;
    try {
      // EmbeddedJWK refuses a header jwk that is not a public key.
      ({ payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: DPOP_ALGS }));
    } catch {
      return { result: "invalid" };
    }
    if (typeof payload.jti !== "string" || !payload.jti || typeof payload.iat !== "number") return { result: "invalid" };
    if (payload.htm !== req.method) return { result: "bad_htm" };
    const strip = (u) => {
      const url = URL.parse(u);
      if (!url) return null;
      url.search = "";
      url.hash = "";
      return url.href;
    };
    if (typeof payload.htu !== "string" || strip(payload.htu) !== strip(`${api}${req.url}`)) return { result: "bad_htu" };
    if (Math.abs(Date.now() / 1000 - payload.iat) > IAT_WINDOW) return { result: "bad_iat" };
    if (payload.ath !== createHash("sha256").update(token).digest("base64url")) return { result: "bad_ath" };
    if ((await calculateJwkThumbprint(protectedHeader.jwk)) !== jkt) return { result: "wrong_key" };
    if (dpopNonce && payload.nonce !== nonce) return { result: "no_nonce" };
    if (jtis.has(payload.jti)) return { result: "replay" };
    jtis.add(payload.jti);
    return { result: "ok" };
  }

  const apiServer = createServer(async (req, res) => {
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (req.url === "/expire" && req.method === "POST") {
      for (const t of seen) expired.add(t);
      return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ expired: seen.size }));
    }
    if (req.url === "/rotate-nonce" && req.method === "POST") {
      nonce = newNonce();
      return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ rotated: true }));
    }
    const scheme = schemeOf(req.headers.authorization);
    const entry = { method: req.method, path: `api${req.url}`, status: 0, grantType: null, scheme, dpop: !!req.headers.dpop, proof: null, error: null };
    log.push(entry);
    // With nonces on, every answer tells the client the nonce in force.
    const headers = { ...cors, ...(dpopNonce ? { "DPoP-Nonce": nonce } : {}) };
    const refuse = (challengeScheme, error, description, proof = null) => {
      Object.assign(entry, { status: 401, error, proof });
      res.writeHead(401, { ...headers, "WWW-Authenticate": challenge(challengeScheme, error, description) }).end();
    };

    const token = scheme === "Bearer" || scheme === "DPoP" ? req.headers.authorization.trim().split(/\s+/)[1] || "" : "";
    const info = token && !expired.has(token) ? await introspect(token).catch(() => null) : null;
    if (token) seen.add(token);
    if (!info?.active) return refuse(scheme === "DPoP" ? "DPoP" : "Bearer", "invalid_token");
    const jkt = info.cnf?.jkt;
    if (scheme === "Bearer" && jkt) return refuse("DPoP", "invalid_token", "a DPoP-bound token must be presented with the DPoP scheme", "bearer_for_bound");
    if (scheme === "DPoP") {
      if (!jkt) return refuse("DPoP", "invalid_token", "the token is not DPoP-bound", "unbound");
      const { result } = await checkProof(req, token, jkt);
      if (result === "no_nonce") return refuse("DPoP", "use_dpop_nonce", "Resource server requires nonce in DPoP proof", result);
      if (result === "wrong_key") return refuse("DPoP", "invalid_dpop_proof", "the proof key is not the token's key", result);
      if (result !== "ok") return refuse("DPoP", "invalid_dpop_proof", `DPoP proof refused: ${result}`, result);
      entry.proof = result;
    }
    entry.status = 200;
    res.writeHead(200, { ...headers, "Content-Type": "application/json" }).end(JSON.stringify({ sub: info.sub, scope: info.scope }));
  });
  await new Promise((r) => apiServer.listen(apiPort, "127.0.0.1", r));
  return {
    issuer, api, log, introspect,
    jwksUri: `${issuer}/jwks`,
    stop() {
      server.close();
      apiServer.close();
    },
  };
}

/** oidc-provider's devInteractions in `page`: the login form as `user` (any password), then
 *  the consent page's Continue. */
export async function oidcSignIn(page, user) {
  await page.waitForSelector("input[name=login]");
  await page.fill("input[name=login]", user);
  await page.fill("input[name=password]", "any");
  await page.click("button[type=submit]");
  await page.waitForSelector("button[type=submit]");
  await page.click("button[type=submit]"); // consent: Continue
}

/** oidc-provider (startOidc's `options`) and the bare test page (tests/e2e/generic) on free ports,
 *  the page configured for the provider: `{ oidc, origin, stop() }`. */
export async function startOidcPage(options) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const oidc = await startOidc(origin, options);
  const web = await start("node", ["scripts/serve.mjs", "--port", String(port), "--root", "tests/e2e/generic",
    "--extra", JSON.stringify({ issuer: oidc.issuer, api: oidc.api })], /demo server/);
  return { oidc, origin, stop() { web.kill(); oidc.stop(); } };
}
