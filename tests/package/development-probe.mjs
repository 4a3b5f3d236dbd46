// Run by development.test.mjs for each entry (argv[2]), with node --conditions=development and
// without (one process each: the development build prints the same findings once per page): makes
// clients of the entry and prints (as JSON) which file the entry resolved to, what the doctor
// said and what console.warn received. It prints no token: a client that never signed in has none.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const warned = [];
console.warn = (...args) => warned.push(args.join(" "));
const take = () => warned.splice(0);

const clean = { clientId: "3MVG9x", redirectUri: "https://app.example.com/callback", loginHost: "https://acme.my.salesforce.com" };
const generic = {
  clientId: "web", redirectUri: "https://app.example.com/callback", issuer: "https://idp.example.com",
  authorizationEndpoint: "https://idp.example.com/authorize", tokenEndpoint: "https://idp.example.com/token",
};
const name = process.argv[2];
{
  const m = await import(name);
  m.initSync({ module: readFileSync(require.resolve(`${name}/salesforce_pkce_bg.wasm`)) });
  const r = { resolved: import.meta.resolve(name), exports: Object.keys(m).sort() };
  take();
  m.AuthClient.salesforce(clean);
  new m.AuthClient({ ...generic, revocationEndpoint: "https://idp.example.com/revoke" });
  r.clean = take();
  const auth = m.AuthClient.salesforce({ ...clean, scopes: ["api", "full"] });
  r.instance = auth instanceof m.AuthClient;
  r.misconfigured = take();
  // A subclass's statics make clients of the subclass (the development statics too).
  class Sub extends m.AuthClient {}
  r.subclass = Sub.salesforce(clean) instanceof Sub;
  m.AuthClient.salesforce({ ...clean, scopes: ["api", "full"] });
  r.again = take();
  r.genericInstance = new m.AuthClient(generic) instanceof m.AuthClient;
  r.generic = take();
  try {
    m.AuthClient.salesforce({ ...clean, loginHost: "https://login.salesforce.com" });
  } catch (e) {
    r.refused = { code: e.code, message: e.message, isAuthError: e instanceof m.AuthError };
  }
  r.refusedWarning = take();
  // discover: the options are judged before the request (which fails: nothing listens there).
  r.discovered = await m.AuthClient.discover("http://127.0.0.1:9", { clientId: "web", redirectUri: generic.redirectUri, clientSecret: "s" })
    .then(() => "resolved", (e) => e.code);
  r.discoverWarning = take();
  // Doctor findings and a constructor refusal the production wasm words shorter (brief!, text27),
  // as each build gives them.
  const finding = (options, code) => m.AuthClient.doctor(options).find((f) => f.code === code)?.message;
  r.sessionTimeout = finding({ ...clean, sessionTimeoutSeconds: 5 }, "session_timeout_invalid");
  r.pendingLocal = finding({ ...clean, pendingStorage: "local" }, "pending_storage_local");
  r.workerUrl = finding({ ...clean, workerUrl: "//cdn.example.com/w.js" }, "worker_url_invalid");
  r.redirectSpaces = finding({ ...clean, redirectUri: "https://app.example.com/a b" }, "redirect_uri_invalid");
  // A URL option without a scheme: the production wasm leaves the option's example out.
  r.relativeRedirect = finding({ ...clean, redirectUri: "/callback" }, "redirect_uri_invalid");
  try {
    m.AuthClient.salesforce({ ...clean, loginHost: "acme.my.salesforce.com" });
    r.relativeLoginHost = "made";
  } catch (e) {
    r.relativeLoginHost = e.message;
  }
  take();
  r.bothCodeAndError = new m.AuthError("invalid_callback", "invalid callback: both code and error").message;
  r.noEndSession = new m.AuthError("invalid_config", "invalid configuration: endSession: no end_session_endpoint: give endSessionEndpoint").message;
  try {
    new m.AuthClient({ ...generic, loginHost: "https://acme.my.salesforce.com" });
    r.genericLoginHost = "made";
  } catch (e) {
    r.genericLoginHost = e.message;
  }
  take();
  r.doctor = m.AuthClient.doctor({ ...clean, loginHost: "https://login.salesforce.com", clientSecret: "not-a-secret" });
  // An AuthError message: the wasm's short text, and in development its explanation.
  r.noPending = new m.AuthError("no_pending_login", "no login is pending in this browser tab").message;
  // A doctor warning whose end the production wasm leaves out, and a message with an explanation
  // inside it (aside! in the Rust sources), as the production wasm words it.
  r.noRevocation = m.AuthClient.doctor(generic).find((f) => f.code === "no_revocation_endpoint").message;
  r.identityChanged = new m.AuthError("session_expired", "the session has ended: a refresh returned someone else's tokens (sub differs from the signed-in session's); sign in again").message;
  // A doctor warning and an error hint whose production text is not a prefix of the Rust crate's
  // (brief! in the Rust sources), as the production wasm words them.
  r.dpopIfSupported = m.AuthClient.doctor({ ...generic, dpop: "if-supported" }).find((f) => f.code === "dpop_not_supported")?.message;
  r.refreshCause = new m.AuthError("session_expired", "session expired or revoked; sign in again; the provider said: \"authentication failure\". The user was probably deactivated or changed their password").message;
  // The provider's own words quoted in a message: never rewritten, even where they hold a short
  // text of the library's ("nonce mismatch") or a replacement pattern ("$&").
  r.providerWords = new m.AuthError("token_endpoint_error", 'token endpoint: HTTP 400: invalid_dpop_proof; the provider said: "DPoP proof nonce mismatch $&"').message;
  // The DPoP entries' CORS hint on a network_error of a request that carried a proof (brief!),
  // as the production wasm words it.
  r.dpopCors = new m.AuthError("network_error", "network error: could not reach the token endpoint (https://idp.example.com): Failed to fetch (CORS must allow the request's method and headers, DPoP among them, and expose DPoP-Nonce, or use dpop: false)").message;

  // The session worker's fallback (./tabs), as the production wasm words it: an explanation
  // inside it (aside!) and a text the development build puts back whole (brief!).
  r.workerFallback = new m.AuthError("network_error", "network error: the session worker could not be started; check workerUrl and the console; sharing as \"tabs-locks\" instead").message;
  try {
    m.AuthClient.salesforce({ ...clean, dpop: true });
    r.dpopRefused = "made";
  } catch (e) {
    r.dpopRefused = e.message;
  }
  process.stdout.write(JSON.stringify(r));
}
