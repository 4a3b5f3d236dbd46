import { useState } from "react";
import { useAuth, useAuthEvent } from "salesforce-pkce/react";
import { listAccounts } from "./auth.js";

const EVENTS = ["login", "token_refreshed", "session_expired", "logout", "error"];

export function App() {
  const { isLoading, error: authError, session, client, login, logout, fetch } = useAuth();
  const [accounts, setAccounts] = useState([]);
  const [loads, setLoads] = useState(0);
  const [error, setError] = useState(null);
  const [events, setEvents] = useState([]);
  // The client's events as a list (listeners removed on unmount, once under StrictMode too).
  useAuthEvent(EVENTS, (e) => setEvents((seen) => [...seen, e.error ? `${e.type}: ${e.error.code}` : e.type]));
  const run = (action) => action().then(() => setError(null), (e) => setError(e.code ? `${e.code}: ${e.message}` : e.message));
  const shown = error ?? (authError && (authError.code ? `${authError.code}: ${authError.message}` : authError.message));

  // data-ready once the client exists and the callback (if this page is one) is handled.
  return (
    <main data-ready={isLoading ? undefined : "1"}>
      <h1>Accounts</h1>
      <p id="status">{isLoading ? "loading" : session ? `signed in as ${session.userId}` : "signed out"}</p>
      <p>sharing: <span id="sharing">{client?.sharingMode}</span></p>
      {isLoading ? null : session ? (
        <>
          <button id="load" onClick={() => run(async () => { setAccounts(await listAccounts(fetch)); setLoads((n) => n + 1); })}>Load accounts</button>
          <button id="logout" onClick={() => run(async () => { await logout(); setAccounts([]); })}>Log out</button>
        </>
      ) : (
        <button id="login" onClick={() => run(() => login({ returnTo: "/" }))}>Log in with Salesforce</button>
      )}
      {shown && <p id="error">{shown}</p>}
      <p><span id="count">{accounts.length}</span> accounts (loaded <span id="loads">{loads}</span> times)</p>
      <ul id="accounts">{accounts.map((a) => <li key={a.Id}>{a.Name}</li>)}</ul>
      <h2>Events</h2>
      <ul id="events">{events.map((e, i) => <li key={i}>{e}</li>)}</ul>
    </main>
  );
}
