// salesforce-pkce/testing: a test double of AuthClient (see index.js).
import type { AuthClientLike, AuthEvent, AuthEventName, AuthEventOf, AuthStats, LoginOptions, LogoutOptions, PopupLoginOptions, RedirectResult, Session, UserInfo } from "../salesforce_pkce.js";

/** Options of `new FakeAuthClient(options)`. */
export interface FakeAuthClientOptions {
  /** `null` (default): signed out. An object: signed in with a sample session, these fields overriding it. */
  session?: Partial<Session> | null;
  /** Answers `auth.fetch` (relative URLs are resolved against the session's `instanceUrl`). Default: 404. */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** What `userinfo()` returns. */
  userinfo?: UserInfo;
  /** What `sharingMode` reads. Default `"off"`. */
  sharingMode?: "off" | "tabs" | "tabs-locks";
}

/** One call recorded by the fake. */
export interface FakeCall {
  method: string;
  args: unknown[];
}

/**
 * A stand-in for `AuthClient` in unit tests: no provider, no browser, no wasm. It implements
 * `AuthClientLike`, so app code typed against that interface accepts it and the real client.
 */
export declare class FakeAuthClient implements AuthClientLike {
  constructor(options?: FakeAuthClientOptions);
  readonly isAuthenticated: boolean;
  readonly session: Session | null;
  readonly sharingMode: "off" | "tabs" | "tabs-locks";
  readonly stats: AuthStats;
  /** Every call made to this client. */
  readonly calls: FakeCall[];
  /** Signs in at once with the sample session (emits `login`). */
  login(options?: LoginOptions | null): Promise<void>;
  loginPopup(options?: PopupLoginOptions | null): Promise<void>;
  authorizationUrl(options?: LoginOptions | null): Promise<string>;
  handleRedirect(): Promise<RedirectResult | null>;
  restore(): Promise<void>;
  fetch(input: RequestInfo | URL, init?: RequestInit | null): Promise<Response>;
  userinfo(): Promise<UserInfo>;
  logout(options?: LogoutOptions | null): Promise<void>;
  on<K extends AuthEventName>(event: K, listener: (event: AuthEventOf<K>) => void): () => void;
  /** Fires an event as the library would: `session_expired` and `logout` sign out, `login` and `token_refreshed` sign in. */
  emit(event: AuthEvent): void;
  free(): void;
  [Symbol.dispose](): void;
}
