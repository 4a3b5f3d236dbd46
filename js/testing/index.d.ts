// salesforce-pkce/testing: a test double of AuthClient (see index.js).
import type { AuthClientLike, AuthEvent, Session, UserInfo } from "../salesforce_pkce.js";

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
 * A stand-in for `AuthClient` in unit tests: no provider, no browser, no wasm. It has every member
 * of `AuthClientLike` (declared there once; this interface merges them into the class), so app
 * code typed against that interface accepts it and the real client.
 */
export interface FakeAuthClient extends AuthClientLike {}
export declare class FakeAuthClient {
  constructor(options?: FakeAuthClientOptions);
  /** Every call made to this client. */
  readonly calls: FakeCall[];
  /** Fires an event as the library would: `session_expired` and `logout` sign out, `login` and `token_refreshed` sign in. */
  emit(event: AuthEvent): void;
  /** Frees the client as the library's `free()` does: after it every call, `emit` and `free()` again throw `AuthError` `not_initialized`. */
  free(): void;
  [Symbol.dispose](): void;
}
