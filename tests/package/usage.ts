// Type-checked by `tsc --noEmit` against the packed package: every export used as documented.
import init, { AuthClient, AuthError } from "salesforce-pkce";
import initTabs, { AuthClient as SharedAuthClient } from "salesforce-pkce/tabs";
import { FakeAuthClient } from "salesforce-pkce/testing";
import type { AuthClientLike, AuthErrorCode, AuthEvent, AuthStats, Finding, InitOutput, Session, SalesforceOptions, LoginOptions, LogoutOptions, PopupLoginOptions, RedirectResult, UserInfo } from "salesforce-pkce";

export async function main(): Promise<void> {
  const exported: InitOutput = await init();
  // The wasm module's own exports are not public: InitOutput names only its memory.
  const onlyMemory: [Exclude<keyof InitOutput, "memory">] extends [never] ? true : false = true;
  void [exported.memory, onlyMemory];
  const options: SalesforceOptions = {
    clientId: "3MVG9example",
    redirectUri: location.origin + "/callback",
    loginHost: "https://acme.my.salesforce.com",
    scopes: ["api", "refresh_token", "openid"],
    allowedOrigins: [],
    timeoutMs: 15000,
    pendingStorage: "session",
  };
  const shared: SalesforceOptions = { ...options, sessionSharing: "tabs", restore: "auto", workerUrl: "/assets/session-worker.js" };
  const bound: SalesforceOptions = { ...options, dpop: true, verifyIdTokenSignature: true };
  const maybe: SalesforceOptions = { ...options, dpop: "if-supported" };
  // auth.fetch's in-flight limit (0: none).
  const gated: SalesforceOptions = { ...options, maxInFlight: 4 };
  void [bound, maybe, gated];
  // Session sharing lives in the ./tabs entry (a page without it loads less).
  await initTabs();
  const sharedClient = SharedAuthClient.salesforce(shared);
  const mode: "off" | "tabs" | "tabs-locks" = sharedClient.sharingMode;
  console.log(mode);
  if (!sharedClient.isAuthenticated) await sharedClient.restore();
  const findings: Finding[] = AuthClient.doctor(options);
  const errors: string[] = findings.filter((f) => f.severity === "error").map((f) => `${f.field}: ${f.message}`);
  console.log(errors.length);

  const auth = AuthClient.salesforce(options);
  const generic = new AuthClient({
    clientId: "spa", redirectUri: "http://localhost:3000/cb",
    authorizationEndpoint: "http://localhost:9000/auth", tokenEndpoint: "http://localhost:9000/token",
    apiBase: "http://localhost:9001/api",
  });
  const discovered: AuthClient = await AuthClient.discover("https://idp.example.com", { clientId: "spa", redirectUri: "https://app.example.com/cb" });
  console.log(generic.isAuthenticated, discovered.isAuthenticated);

  const done: RedirectResult | null = await auth.handleRedirect();
  if (done?.popup) document.title = "signed in";
  else if (done?.loggedOut) console.log("back from the provider's logout", done.state);
  else if (done) history.replaceState(null, "", done.returnTo);
  const popup: PopupLoginOptions = { returnTo: "/", popupFeatures: "popup,width=480,height=640", popupTimeoutMs: 120000 };
  document.querySelector("button")?.addEventListener("click", () => void auth.loginPopup(popup));
  const login: LoginOptions = { returnTo: "/accounts", prompt: "login", loginHint: "ada@example.com" };
  const url: string = await auth.authorizationUrl(login);
  console.log(url.length);
  if (!auth.isAuthenticated) await auth.login({ returnTo: "/accounts" });

  const session: Session | null = auth.session;
  if (session) console.log(session.instanceUrl, session.userId, session.orgId, session.scopes, session.issuedAt, session.expiresAt);
  const tokenType: "Bearer" | "DPoP" | undefined = session?.tokenType;
  void tokenType;
  const res: Response = await auth.fetch("/services/data/v66.0/query?q=SELECT+Id+FROM+Account", { method: "GET" });
  const data = (await res.json()) as { records: unknown[] };
  console.log(data.records.length);
  const me: Record<string, unknown> = await auth.userinfo();
  console.log(me["name"]);
  // Standard and Salesforce claims are typed; other claims stay readable as unknown.
  const claims: UserInfo = await auth.userinfo();
  const name: string | undefined = claims.name;
  const verified: boolean | undefined = claims.email_verified;
  const org: string | undefined = claims.organization_id;
  const rest: string | undefined = claims.urls?.rest;
  const custom: unknown = claims["custom_claim"];
  console.log(claims.sub, name, verified, org, rest, custom);

  // The listener's event is narrowed by its name.
  auth.on("session_expired", (e) => {
    const code: AuthErrorCode = e.error.code;
    console.log(code);
  });
  auth.on("token_refreshed", (e) => console.log(e.session.issuedAt));
  auth.on("scope_reduced", (e) => console.log(e.missing, e.granted));
  // @ts-expect-error a logout event carries no error
  auth.on("logout", (e) => e.error);
  // @ts-expect-error no such event
  auth.on("signed_in", () => {});
  const off: () => void = auth.on("session_expired", (e: AuthEvent) => {
    if (e.type === "session_expired") console.log(e.error.code);
  });
  off();
  auth.on("logout", (e: AuthEvent) => {
    if (e.type === "logout") console.log(e.revoked, e.endSession);
  });
  const stats: AuthStats = auth.stats;
  console.log(stats.refreshes, stats.errorsByCode.network_error);

  const everywhere: LogoutOptions = { endSession: true, postLogoutRedirectUri: location.origin + "/", state: "s", returnTo: "/bye" };
  if (stats.logins > 1) await auth.logout(everywhere);
  try {
    await auth.logout();
  } catch (e) {
    if (e instanceof AuthError) {
      const code: AuthErrorCode = e.code;
      console.log(code, e.message, e.error, e.errorDescription, e.status);
    }
  }
}

// App code typed against AuthClientLike takes the real client and the test double, without casts.
export async function accountNames(auth: AuthClientLike): Promise<string[]> {
  if (!auth.isAuthenticated) return [];
  const res = await auth.fetch("/services/data/v66.0/query?q=SELECT+Name+FROM+Account");
  const data = (await res.json()) as { records: { Name: string }[] };
  return data.records.map((r) => r.Name);
}

export async function bothClients(real: AuthClient, shared: SharedAuthClient): Promise<void> {
  const fake = new FakeAuthClient({ session: {}, fetch: () => Response.json({ records: [{ Name: "Acme" }] }) });
  const clients: AuthClientLike[] = [real, shared, fake];
  for (const c of clients) console.log(await accountNames(c));
  fake.emit({ type: "session_expired", error: new AuthError("session_expired", "expired") });
  fake.on("session_expired", (e) => console.log(e.error.code));
  // @ts-expect-error the fake takes only its own options
  new FakeAuthClient({ clientId: "x" });
}
