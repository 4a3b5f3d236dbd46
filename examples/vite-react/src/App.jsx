import { useState } from "react";
import { listAccounts } from "./auth.js";
import { useAuth } from "./useAuth.js";

export function App({ auth, redirectError }) {
  const { session, events } = useAuth(auth);
  const [accounts, setAccounts] = useState([]);
  const [loads, setLoads] = useState(0);
  const [error, setError] = useState(redirectError);
  const run = (action) => action().then(() => setError(null), (e) => setError(e.code ? `${e.code}: ${e.message}` : e.message));

  return (
    <main data-ready="1">
      <h1>Accounts</h1>
      <p id="status">{session ? `signed in as ${session.userId}` : "signed out"}</p>
      <p>sharing: <span id="sharing">{auth.sharingMode}</span></p>
      {session ? (
        <>
          <button id="load" onClick={() => run(async () => { setAccounts(await listAccounts(auth)); setLoads((n) => n + 1); })}>Load accounts</button>
          <button id="logout" onClick={() => run(async () => { await auth.logout(); setAccounts([]); })}>Log out</button>
        </>
      ) : (
        <button id="login" onClick={() => run(() => auth.login({ returnTo: "/" }))}>Log in with Salesforce</button>
      )}
      {error && <p id="error">{error}</p>}
      <p><span id="count">{accounts.length}</span> accounts (loaded <span id="loads">{loads}</span> times)</p>
      <ul id="accounts">{accounts.map((a) => <li key={a.Id}>{a.Name}</li>)}</ul>
      <h2>Events</h2>
      <ul id="events">{events.map((e, i) => <li key={i}>{e}</li>)}</ul>
    </main>
  );
}
