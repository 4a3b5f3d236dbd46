// Type-checked by `tsc --noEmit` (with @types/react) against the packed package: components using
// salesforce-pkce/react as documented, with a client of the default entry, of ./tabs, and the
// test double.
import { StrictMode, useEffect, useState } from "react";
import init, { AuthClient, AuthError } from "salesforce-pkce";
import initTabs, { AuthClient as SharedAuthClient } from "salesforce-pkce/tabs";
import { AuthProvider, useAuth, useAuthEvent, useSession, type AuthContextValue, type AuthProviderProps } from "salesforce-pkce/react";
import { FakeAuthClient } from "salesforce-pkce/testing";
import type { AuthErrorCode, RedirectResult, Session } from "salesforce-pkce";

function Accounts() {
  const { isLoading, isAuthenticated, error, login, loginPopup, logout, fetch } = useAuth();
  const session: Session | null = useSession();
  const [names, setNames] = useState<string[]>([]);
  const [events, setEvents] = useState<string[]>([]);
  useAuthEvent("session_expired", (e) => setEvents((seen) => [...seen, e.error.code]));
  useAuthEvent(["login", "token_refreshed"], (e) => setEvents((seen) => [...seen, `${e.type} ${e.session.userId}`]));
  useEffect(() => {
    if (!isAuthenticated) return;
    void fetch("/services/data/v66.0/query?q=SELECT+Name+FROM+Account")
      .then((r) => r.json() as Promise<{ records: { Name: string }[] }>)
      .then((b) => setNames(b.records.map((r) => r.Name)));
  }, [isAuthenticated, fetch]);
  if (isLoading) return <p>Loading…</p>;
  const code: AuthErrorCode | undefined = error instanceof AuthError ? error.code : undefined;
  return (
    <main>
      {error && <p role="alert">{code ?? error.message}</p>}
      {session ? (
        <>
          <p>{session.userId} ({session.tokenType})</p>
          <button onClick={() => void logout({ endSession: false })}>Log out</button>
        </>
      ) : (
        <>
          <button onClick={() => void login({ returnTo: "/accounts" })}>Log in</button>
          <button onClick={() => void loginPopup({ popupTimeoutMs: 60000 })}>Log in (popup)</button>
        </>
      )}
      <ul>{names.map((n) => <li key={n}>{n}</li>)}</ul>
      <ol>{events.map((e, i) => <li key={i}>{e}</li>)}</ol>
    </main>
  );
}

// The class for what AuthClientLike leaves out of the hook.
function Stats() {
  const { client }: AuthContextValue<AuthClient> = useAuth<AuthClient>();
  return <p>{client?.stats.refreshes ?? 0} refreshes</p>;
}

const navigate = (to: string, _opts: { replace: boolean }) => void to;

export function App() {
  return (
    <StrictMode>
      <AuthProvider
        create={async () => {
          await init();
          return AuthClient.salesforce({ clientId: "3MVG9example", redirectUri: `${location.origin}/callback`, loginHost: "https://acme.my.salesforce.com" });
        }}
        onRedirect={(to: string, result: RedirectResult) => (result.loggedOut ? navigate("/", { replace: true }) : navigate(to, { replace: true }))}
      >
        <Accounts />
        <Stats />
      </AuthProvider>
    </StrictMode>
  );
}

export async function tabsApp() {
  await initTabs();
  const shared = SharedAuthClient.salesforce({ clientId: "x", redirectUri: "https://app.example.com/cb", loginHost: "https://acme.my.salesforce.com", sessionSharing: "tabs" });
  return <AuthProvider client={shared}><Accounts /></AuthProvider>;
}

// Unit tests render the same components with the test double.
export const underTest = <AuthProvider client={new FakeAuthClient({ session: {} })}><Accounts /></AuthProvider>;

// @ts-expect-error: exactly one of client and create
export const neither = <AuthProvider><Accounts /></AuthProvider>;
// @ts-expect-error: exactly one of client and create
const both: AuthProviderProps = { client: new FakeAuthClient(), create: () => new FakeAuthClient() };
void both;
// @ts-expect-error: an unknown event name
export const Unknown = () => useAuthEvent("signed_in", () => {});
