/** Options common to every provider. */
export interface CommonOptions {
  /** OAuth client id (Salesforce: the External Client App's Consumer Key; an existing Connected App's works too). */
  clientId: string;
  /** Must equal a registered callback URL exactly (trailing slash, case, http vs https all matter). */
  redirectUri: string;
  /** Scopes to request. Default: `["api", "refresh_token", "openid"]`. Avoid `full`. */
  scopes?: string[];
  /** Extra origins that may receive the Bearer token (besides instance_url's and apiBase's). */
  allowedOrigins?: string[];
  /** Timeout of token, revoke and userinfo calls in milliseconds (default 15000). */
  timeoutMs?: number;
  /** Where the pending login (verifier/state, never tokens) is kept: `"session"` (default) or `"local"` (callback may open in another tab). */
  pendingStorage?: "session" | "local";
  /** Hosts trusted as `instance_url` besides the login host and, for Salesforce, *.my.salesforce.com, *.my.site.com, *.force.com and api.salesforce.com (exact or `*.domain`). */
  trustedInstanceHosts?: string[];
  /**
   * Audiences an id_token's `aud` may list besides this `clientId` (OpenID Connect Core 1.0 §3.1.3.7).
   * An id_token naming any other audience is refused (`invalid_token_response`): it was issued for
   * someone else too. Default: none.
   */
  trustedAudiences?: string[];
  /** Session timeout in seconds; the access token is refreshed shortly before it (Salesforce sends no expires_in). */
  sessionTimeoutSeconds?: number;
  /** Never pass a secret in a browser app: present only so that it is refused with a clear message. */
  clientSecret?: never;
  /**
   * Share one session between the tabs of this origin (one login, one refresh, logout everywhere),
   * tokens still only in memory. `"tabs"`: a SharedWorker shipped with the package holds the tokens
   * and sends `auth.fetch` for every tab (falls back to `"tabs-locks"` without SharedWorker).
   * `"tabs-locks"`: every tab holds the tokens; a leader tab (Web Locks) refreshes and sends new tokens
   * to the others over BroadcastChannel. Default `"off"`. Await `handleRedirect()` before reading `isAuthenticated`.
   * Needs the `salesforce-pkce/tabs` entry: the default entry leaves sharing out and refuses this
   * option (`invalid_config`).
   */
  sessionSharing?: "off" | "tabs" | "tabs-locks";
  /** `"auto"`: when no tab holds a session, `handleRedirect()` restores it silently after a reload or a browser restart (see `restore()`), only in a browser where this client was signed in before (a non-secret marker in localStorage, removed by `logout()`). Default `"off"`. */
  restore?: "off" | "auto";
  /** URL of `session-worker.js` when a bundler moves it (default: `tabs/session-worker.js` beside the `./tabs` entry). Same origin only. */
  workerUrl?: string;
  /**
   * Where the provider sends the browser after `logout({ endSession: true })`: an https URL on this
   * app's origin (http only for localhost), registered with the provider. Salesforce ignores it and
   * uses the app's Single Logout URL (or the org's Logout URL) instead; see docs/guides/popup-and-end-session.md.
   */
  postLogoutRedirectUri?: string;
  /**
   * The callback page of `loginPopup()` when it is not `redirectUri`: a small page on the same
   * origin that only loads the package and calls `handleRedirect()`. Register it as a Callback URL
   * too. Default: `redirectUri`.
   */
  popupRedirectUri?: string;
  /**
   * DPoP (RFC 9449): sender-constrained tokens, bound to a key that never leaves this page's memory
   * (WebCrypto ECDSA P-256, `extractable: false`). `true`: require DPoP-bound tokens (a token
   * response with `token_type` Bearer is `invalid_token_response`); `"if-supported"`: DPoP when the
   * provider supports it (the Salesforce profile; a generic provider whose discovery lists ES256 in
   * `dpop_signing_alg_values_supported`), Bearer otherwise (`session.tokenType` says which).
   * Default `false`. Needs the `salesforce-pkce/dpop` (or `salesforce-pkce/tabs`) entry: the
   * default entry refuses it (`invalid_config`).
   */
  dpop?: boolean | "if-supported";
  /**
   * Verify id_token signatures (RS256, ES256) with the provider's keys (`jwksUri`; Salesforce
   * `/id/keys`), fetched once per session and again once on an unknown `kid`. `alg: none`, HS*,
   * and a missing key are `invalid_token_response`. Default `false`. Needs the
   * `salesforce-pkce/dpop` (or `salesforce-pkce/tabs`) entry.
   */
  verifyIdTokenSignature?: boolean;
  /**
   * At most this many `auth.fetch` calls of this client are handed to the browser at a time
   * (default 16; `0`: no limit). More wait, in call order, and are started as earlier ones settle
   * (their Response arrives, or they fail, after their own refresh and retry), each with the
   * token held when it starts: in a refresh storm the calls waiting go with the new token instead
   * of being sent with the dead one and sent again. Browsers already open at most 6 connections
   * per host over HTTP/1.1, so the default costs nothing there; over HTTP/2 it caps this client's
   * parallel `auth.fetch` calls at 16. A call holds its slot until its Response (its headers)
   * arrives or it fails, however long that takes (not while its body is read): a long poll holds
   * one for its whole wait, and a call a server never answers holds one for good — give such calls
   * a `signal` (e.g. `AbortSignal.timeout(ms)`). A waiting call whose `signal` aborts is never
   * sent and rejects as an aborted call in flight does (`network_error`). A waiting call keeps a
   * copy of `init` (and its headers) and of a `URL` as given: changing them afterwards does not
   * change it. The limit is per client, so per tab: tabs sharing a session each have their own.
   * `userinfo()` and the library's own requests never wait here.
   */
  maxInFlight?: number;
}

/** Options of `AuthClient.salesforce(options)`. */
export interface SalesforceOptions extends CommonOptions {
  /** Your org's My Domain URL (https://NAME.my.salesforce.com) or Experience Cloud site URL (with its path prefix). Never login.salesforce.com: it has no CORS for token calls. */
  loginHost: string;
}

/** Options of `new AuthClient(options)`: any OAuth 2.0 / OpenID Connect provider. */
export interface ClientOptions extends CommonOptions {
  /** Issuer identifier; checked against `iss` on the callback (RFC 9207) and in the id_token. */
  issuer?: string;
  /** Authorization endpoint. */
  authorizationEndpoint: string;
  /** Token endpoint. */
  tokenEndpoint: string;
  /** Revocation endpoint (RFC 7009); without it logout cannot revoke. */
  revocationEndpoint?: string;
  /** UserInfo endpoint. */
  userinfoEndpoint?: string;
  /** Base for relative `auth.fetch` URLs; its origin may receive the token. */
  apiBase?: string;
  /** The provider sends `iss` on callbacks (RFC 9207); then it is required. */
  authorizationResponseIssParameterSupported?: boolean;
  /** End-session endpoint (OpenID Connect RP-Initiated Logout 1.0), for `logout({ endSession: true })`; discovery fills it in. */
  endSessionEndpoint?: string;
  /** The provider's `jwks_uri` (its signing keys), for `verifyIdTokenSignature`; discovery fills it in. */
  jwksUri?: string;
  /** The provider's `dpop_signing_alg_values_supported`; with `dpop: "if-supported"`, DPoP is used when it lists `ES256`. Discovery fills it in. */
  dpopSigningAlgValuesSupported?: string[];
}

/** Options of one login. */
export interface LoginOptions {
  /** Same-origin path or URL to return to after the callback (default `/`). Off-origin values are refused (open redirect). */
  returnTo?: string;
  /** `login`, `consent`, `select_account` (space-separated) or `none`. */
  prompt?: string;
  /** Pre-fills the username. */
  loginHint?: string;
  /** Salesforce silent login (`immediate=true`). */
  immediate?: boolean;
}

/** Options of `loginPopup()`: those of `login()`, and the popup's. */
export interface PopupLoginOptions extends LoginOptions {
  /** The third argument of `window.open` (default `"popup,width=500,height=700"`). */
  popupFeatures?: string;
  /** How long to wait for the popup's callback, in milliseconds (default 300000): then `popup_timeout`. */
  popupTimeoutMs?: number;
}

/** Options of `logout()`. */
export interface LogoutOptions {
  /**
   * After revoking the tokens and clearing memory, also end the provider's session: a top-level GET
   * navigation to its end-session endpoint (with `id_token_hint` for OpenID providers; without it
   * for Salesforce, which does not read it). Default false. Without an endpoint: `invalid_config`.
   */
  endSession?: boolean;
  /** Overrides the client's `postLogoutRedirectUri` for this logout. */
  postLogoutRedirectUri?: string;
  /** An application value carried through the provider and given back by `handleRedirect()`. */
  state?: string;
  /** Same-origin path given back by `handleRedirect()` on the way back (default `/`). */
  returnTo?: string;
}

/**
 * What `handleRedirect()` returns: on a callback page (after a failed silent restore too: then
 * `isAuthenticated` is false and a `restore_failed` event said why); on a login popup's callback
 * page, `popup: true` (the opener completes the login; the popup closes itself; a popup whose
 * `BroadcastChannel` throws cannot hand over and rejects with `invalid_config`); on the way back
 * from the provider's end-session endpoint, `loggedOut: true`.
 */
export interface RedirectResult {
  /** The same-origin path given to `login({ returnTo })` or `logout({ returnTo })`, or the page a silent restore started from. */
  returnTo: string;
  /** This page is the way back from `logout({ endSession: true })`. */
  loggedOut?: true;
  /** The `state` given to `logout()`, on the way back from it. */
  state?: string;
  /** This page is a login popup that handed its callback to the opener. */
  popup?: true;
}

/** The session, without its tokens. */
export interface Session {
  /** Salesforce REST base (`instance_url`), or null. */
  instanceUrl: string | null;
  /**
   * Salesforce API host for JWT access tokens (`api_instance_url`, e.g. `https://api.salesforce.com`),
   * or null. Trusted by the same rule as `instanceUrl`.
   */
  apiInstanceUrl: string | null;
  /** Salesforce user id (from the identity URL or the id_token), or null. */
  userId: string | null;
  /** Salesforce org id, or null. */
  orgId: string | null;
  /** Granted scopes. */
  scopes: string[];
  /** When the current access token was issued (ms since the epoch). */
  issuedAt: number;
  /** When it expires, if known (ms since the epoch), else null. */
  expiresAt: number | null;
  /** `"DPoP"` when the access token is bound to this client's DPoP key (the `dpop` option), else `"Bearer"`. */
  tokenType: "Bearer" | "DPoP";
}

/** Counters for the client's whole life; forward them to monitoring and alert on failure spikes. */
export interface AuthStats {
  /** Successful logins. */
  logins: number;
  /** Successful refreshes. */
  refreshes: number;
  /** Failed refreshes. */
  refreshFailures: number;
  /** Requests retried after a 401 and a refresh. */
  retriedAfter401: number;
  /** Tokens revoked at logout. */
  revocations: number;
  /**
   * Failures by stable code: every failure, whether a promise reported it, an `error` event did,
   * or a silent restore's `restore_failed` (`login_required` when the provider had no session).
   */
  errorsByCode: Partial<Record<AuthErrorCode, number>>;
}

/** A config doctor finding. */
export interface Finding {
  /** Stable code, e.g. `login_host_no_cors`. */
  code: string;
  /** `error` findings make the constructor refuse the options. */
  severity: "error" | "warning" | "info";
  /**
   * What is wrong, in one line; in the development build (the `"development"` export
   * condition) followed by how to fix it.
   */
  message: string;
  /** The option concerned. */
  field: string;
}

/**
 * The stable error codes. `login_required`: a silent sign-in (`restore: "auto"`, `restore()`)
 * found no session at the provider (`error` says which answer: `login_required`,
 * `interaction_required`, `consent_required`, `account_selection_required`, Salesforce's
 * `immediate_unsuccessful`), as opposed to `authorization_denied`, a refusal such as a user's
 * Deny. `not_initialized`: the package was used before `await init()` (or
 * `initSync()`), or a client after its `free()` (an operation still waiting then, such as an open
 * `loginPopup()`, rejects with it). `invalid_tab_message`: a message from another tab or the session worker
 * was malformed or broke a token-response rule (e.g. an untrusted instance URL); it was dropped and
 * is only counted in `stats.errorsByCode` (no event).
 */
export type AuthErrorCode =
  | "invalid_config" | "no_pending_login" | "state_mismatch" | "login_expired" | "authorization_denied"
  | "login_required" | "invalid_callback" | "issuer_mismatch" | "token_endpoint_error" | "invalid_token_response"
  | "session_expired" | "network_error" | "origin_not_allowed" | "not_authenticated" | "revocation_failed"
  | "userinfo_failed" | "invalid_tab_message" | "popup_blocked" | "popup_closed" | "popup_timeout"
  | "not_initialized";

/** Every failure of salesforce-pkce: a real `Error` with a stable `code`. */
export declare class AuthError extends Error {
  /** Mostly made by the library; tests and test doubles make their own (`salesforce-pkce/testing`). */
  constructor(code: AuthErrorCode, message: string, error?: string, errorDescription?: string, status?: number);
  /** Stable code to switch on. */
  readonly code: AuthErrorCode;
  /** The server's OAuth `error`, when it gave one. */
  readonly error?: string;
  /** The server's `error_description`, when it gave one. */
  readonly errorDescription?: string;
  /** HTTP status, when the failure came with one. */
  readonly status?: number;
}

/**
 * The claims `auth.userinfo()` returns: the standard OpenID Connect claims (OpenID Connect Core
 * 1.0 §5.1) and Salesforce's own, each present only when the provider sends it; other claims a
 * provider adds are kept too.
 */
export interface UserInfo {
  /** Subject: the user's identifier at the provider (Salesforce: the identity URL); the id_token's `sub` when the session has an id_token (an answer naming another is `userinfo_failed`). */
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  profile?: string;
  picture?: string;
  website?: string;
  email?: string;
  email_verified?: boolean;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string | null;
  phone_number_verified?: boolean;
  address?: { formatted?: string; street_address?: string; locality?: string; region?: string; postal_code?: string; country?: string };
  /** Seconds since the epoch (Salesforce sends an ISO 8601 string). */
  updated_at?: number | string;
  /** Salesforce: the user id (`005…`). */
  user_id?: string;
  /** Salesforce: the org id (`00D…`). */
  organization_id?: string;
  /** Salesforce: profile photo URLs. */
  photos?: { picture?: string; thumbnail?: string };
  /** Salesforce: the org's API URLs (`rest`, `sobjects`, `query`, …; `{version}` is literal). */
  urls?: Record<string, string>;
  /** Salesforce: whether the user is active. */
  active?: boolean;
  /** Salesforce: the user type, e.g. `STANDARD`. */
  user_type?: string;
  /** Salesforce: the user's language, e.g. `en_US`. */
  language?: string;
  /** Salesforce: the offset from UTC in milliseconds. */
  utcOffset?: number;
  /** Salesforce: whether this app is installed in the org. */
  is_app_installed?: boolean;
  [claim: string]: unknown;
}

/** Event names of `auth.on(name, listener)`. */
export type AuthEventName = "login" | "token_refreshed" | "session_expired" | "logout" | "error" | "scope_reduced" | "restore_failed";

/** Events passed to listeners. */
export type AuthEvent =
  | { type: "login"; session: Session }
  | { type: "token_refreshed"; session: Session }
  | { type: "session_expired"; error: AuthError }
  // revoked: true when this tab's revocations were all made and answered with success; false
  // when one failed or timed out or none could be made, in the other tabs of a shared session
  // and on the end-session return page (the tab that logged out revoked), and when a login
  // completed while the revocations were in flight (the event then comes before the login's,
  // but the new session is installed already: a listener sees isAuthenticated true and the new
  // session; logout()'s promise reports the revocations); endSession: true on the way back
  // from the provider's end-session endpoint
  | { type: "logout"; revoked: boolean; endSession: boolean }
  // A failure no promise reports (background refresh, address-bar cleanup, tab sync, a silent
  // restore's unexpected failure); a rejected promise is never also an `error` event.
  | { type: "error"; error: AuthError }
  | { type: "scope_reduced"; missing: string[]; granted: string[] }
  // A silent restore signed out: `login_required` when the provider had no session.
  | { type: "restore_failed"; error: AuthError };

/** The event `auth.on(name, …)` passes for the event name `K`. */
export type AuthEventOf<K extends AuthEventName> = Extract<AuthEvent, { type: K }>;

export interface AuthClient {
  /**
   * Listens to an event; returns a function that removes the listener. The listener's event is
   * narrowed by the name: `auth.on("session_expired", (e) => e.error.code)`. Listeners run in
   * the order added; what one throws is dropped; all listeners of one event get the same
   * object (read-only by convention, as DOM events). A listener that uses its own client
   * (`auth.on("login", () => show(auth.session))`) keeps the client alive, as any closure
   * keeps what it captures: the client goes on refreshing and emitting for it. To let a client
   * you are done with go, call `free()` (or remove its listeners and drop it).
   */
  on<K extends AuthEventName>(event: K, listener: (event: AuthEventOf<K>) => void): () => void;
}

/**
 * What app code needs of a client: `AuthClient` implements it, and so does the test double of
 * `salesforce-pkce/testing` (`FakeAuthClient`). Type components and services against it to test
 * them without a provider, a browser or the wasm.
 */
export interface AuthClientLike {
  readonly isAuthenticated: boolean;
  readonly session: Session | null;
  readonly sharingMode: "off" | "tabs" | "tabs-locks";
  readonly stats: AuthStats;
  login(options?: LoginOptions | null): Promise<void>;
  loginPopup(options?: PopupLoginOptions | null): Promise<void>;
  authorizationUrl(options?: LoginOptions | null): Promise<string>;
  handleRedirect(): Promise<RedirectResult | null>;
  restore(): Promise<void>;
  fetch(input: RequestInfo | URL, init?: RequestInit | null): Promise<Response>;
  userinfo(): Promise<UserInfo>;
  logout(options?: LogoutOptions | null): Promise<void>;
  on<K extends AuthEventName>(event: K, listener: (event: AuthEventOf<K>) => void): () => void;
}

/**
 * A browser OAuth client. Tokens live only in its memory.
 */
export class AuthClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The authorize URL (a pending login is stored), without navigating.
     */
    authorizationUrl(options?: LoginOptions | null): Promise<string>;
    /**
     * Reads the endpoints from `{issuer}/.well-known/openid-configuration`. Called on a subclass,
     * the client is an instance of it whose constructor did not run (its fields are not set).
     */
    static discover(issuer: string, options: Partial<ClientOptions>): Promise<AuthClient>;
    /**
     * The config doctor: findings for these options, without network.
     */
    static doctor(options: SalesforceOptions | ClientOptions): Finding[];
    /**
     * `fetch` with the Bearer token (allowed origins only), one refresh and retry on 401. A
     * method `fetch` cannot send (`init.method` "", not an HTTP token, CONNECT, TRACE, TRACK)
     * rejects with `invalid_config` (field `method`, in every `sessionSharing` mode), unsent.
     */
    fetch(input: RequestInfo | URL, init?: RequestInit | null): Promise<Response>;
    /**
     * On the callback page: exchanges the code; `null` when the page is no callback.
     */
    handleRedirect(): Promise<RedirectResult | null>;
    /**
     * Signs in in a popup (opened now, within the user's gesture); resolves once signed in.
     */
    loginPopup(options?: PopupLoginOptions | null): Promise<void>;
    /**
     * Stores a pending login and navigates to the authorization endpoint.
     */
    login(options?: LoginOptions | null): Promise<void>;
    /**
     * Revokes the tokens and forgets them (memory is cleared even if revocation fails); with
     * `endSession: true`, then ends the provider's session (a top-level navigation).
     */
    logout(options?: LogoutOptions | null): Promise<void>;
    /**
     * A client for any OAuth 2.0 / OpenID Connect provider (endpoints given).
     */
    constructor(options: ClientOptions);
    /**
     * Silent re-login after a reload: a top-level redirect with `immediate=true` (Salesforce)
     * or `prompt=none`; on failure the callback signs out quietly with `restore_failed`.
     */
    restore(): Promise<void>;
    /**
     * A client for Salesforce: `loginHost` is the My Domain or Experience Cloud URL. Called on a
     * subclass, the client is an instance of it whose constructor did not run (its fields are not
     * set).
     */
    static salesforce(options: SalesforceOptions): AuthClient;
    /**
     * The UserInfo claims.
     */
    userinfo(): Promise<UserInfo>;
    /**
     * Whether a session is held.
     */
    readonly isAuthenticated: boolean;
    /**
     * The session (never its tokens), or `null`.
     */
    readonly session: Session | null;
    /**
     * `"off"`, `"tabs"` (session worker) or `"tabs-locks"` (leader tab): the session sharing in
     * use, after falling back where the browser lacks SharedWorker or Web Locks.
     */
    readonly sharingMode: "off" | "tabs" | "tabs-locks";
    /**
     * Health counters for the client's whole life.
     */
    readonly stats: AuthStats;
}
