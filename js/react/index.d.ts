// salesforce-pkce/react: React bindings (see index.js). Types only from the package's typings:
// this entry loads no other entry at run time.
import type { ReactElement, ReactNode } from "react";
import type {
  AuthClientLike, AuthError, AuthEventName, AuthEventOf, LoginOptions, LogoutOptions,
  PopupLoginOptions, RedirectResult, Session, UserInfo,
} from "../salesforce_pkce.js";

/** Props of `<AuthProvider>`: exactly one of `client` and `create`. */
export type AuthProviderProps<C extends AuthClientLike = AuthClientLike> = {
  /**
   * What `handleRedirect()` gave on a callback page (not a login popup's): called once per client
   * and page load, after the login (or the way back from `logout({ endSession: true })`) is
   * complete. Default: `history.replaceState(null, "", returnTo)`. With a router, navigate instead:
   * `onRedirect={(to) => navigate(to, { replace: true })}`.
   */
  onRedirect?: (returnTo: string, result: RedirectResult) => void;
  children?: ReactNode;
} & (
  | {
      /** A client the app made (after `await init()`): the provider never frees it. */
      client: C;
      create?: undefined;
    }
  | {
      /**
       * Makes the client, after the provider mounted: called once per mounted provider (StrictMode's
       * replayed effects included), e.g. `async () => { await init(); return AuthClient.salesforce({...}) }`.
       * A rejection is the provider's `error`.
       */
      create: () => C | Promise<C>;
      client?: undefined;
    }
);

/**
 * Holds the app's client, completes `handleRedirect()` once per client and page load, and keeps
 * the session, loading and error state for `useAuth()`. Renders `children` at once (check
 * `isLoading`).
 */
export declare function AuthProvider<C extends AuthClientLike = AuthClientLike>(props: AuthProviderProps<C>): ReactElement;

/** What `useAuth()` returns. */
export interface AuthContextValue<C extends AuthClientLike = AuthClientLike> {
  /** The client; null until `create` gave it (or when it failed). */
  client: C | null;
  /** True until the client exists and `handleRedirect()` has settled. */
  isLoading: boolean;
  /** The client's, updated on its events and once `handleRedirect()` settled (false before). */
  isAuthenticated: boolean;
  /** The session (never tokens); null when signed out, and before the client signed in or `handleRedirect()` settled. */
  session: Session | null;
  /**
   * The last failure no promise of yours reported: `handleRedirect()`'s (e.g. `state_mismatch` on
   * the callback page), an `error` event's, a `session_expired` event's; cleared by `login` and
   * `token_refreshed` events. A `create` that rejects gives its own error (an `AuthError` from the
   * library, e.g. `invalid_config`; another `Error` from elsewhere, e.g. a failed `init()`).
   */
  error: AuthError | Error | null;
  /**
   * The client's methods, called once the client exists and `handleRedirect()` has settled (at
   * once when they have): a component may call `fetch` on mount, even on the callback page.
   * Each rejects as the client's does (with `create`'s error when it failed).
   */
  login(options?: LoginOptions | null): Promise<void>;
  loginPopup(options?: PopupLoginOptions | null): Promise<void>;
  logout(options?: LogoutOptions | null): Promise<void>;
  fetch(input: RequestInfo | URL, init?: RequestInit | null): Promise<Response>;
  userinfo(): Promise<UserInfo>;
}

/**
 * The provider's state and the client's methods. `useAuth<AuthClient>()` types `client` as the
 * class (for `stats`, `restore()`, …). Throws when called outside `<AuthProvider>`.
 */
export declare function useAuth<C extends AuthClientLike = AuthClientLike>(): AuthContextValue<C>;

/** The session (never tokens), or null when signed out or still loading. */
export declare function useSession(): Session | null;

/**
 * Calls `listener` on each `event` (a name or a list of names) of the provider's client while the
 * component is mounted; removed on unmount (once, under StrictMode too). The latest `listener` is
 * called. The listener's event is narrowed by the name.
 */
export declare function useAuthEvent<K extends AuthEventName>(event: K | readonly K[], listener: (event: AuthEventOf<K>) => void): void;
