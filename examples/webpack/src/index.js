/* global SF_LOGIN_HOST, SF_CLIENT_ID, SF_SHARING (webpack.config.js defines them) */
// A page with no framework: one AuthClient, a button per action, the events as a list.
const $ = (id) => document.getElementById(id);
const QUERY = `/services/data/v66.0/query?q=${encodeURIComponent("SELECT Id, Name FROM Account")}`;

// Session sharing is in the package's ./tabs entry; each import is its own chunk, so a page
// that does not share never loads the add-on.
const { default: init, AuthClient } = await (SF_SHARING ? import("salesforce-pkce/tabs") : import("salesforce-pkce"));
await init();
const auth = AuthClient.salesforce({
  clientId: SF_CLIENT_ID,
  redirectUri: `${location.origin}/callback`,
  loginHost: SF_LOGIN_HOST,
  sessionSharing: SF_SHARING || undefined,
});

function show(error) {
  $("status").textContent = auth.isAuthenticated ? `signed in as ${auth.session.userId}` : "signed out";
  $("sharing").textContent = auth.sharingMode;
  const button = (id, label, action) => {
    const b = Object.assign(document.createElement("button"), { id, textContent: label });
    b.onclick = () => action().then(() => show(), (e) => show(e));
    return b;
  };
  $("buttons").replaceChildren(...(auth.isAuthenticated
    ? [button("load", "Load accounts", loadAccounts), button("logout", "Log out", logout)]
    : [button("login", "Log in with Salesforce", () => auth.login({ returnTo: "/" }))]));
  $("error")?.remove();
  if (error) $("buttons").after(Object.assign(document.createElement("p"), { id: "error", textContent: `${error.code ?? "error"}: ${error.message}` }));
}

// Every Account: auth.fetch resolves the relative query URL and each batch's nextRecordsUrl
// against instance_url, and on a 401 refreshes once and retries.
async function loadAccounts() {
  const names = [];
  for (let url = QUERY; url; ) {
    const res = await auth.fetch(url);
    if (!res.ok) throw new Error(`the query answered HTTP ${res.status}`);
    const batch = await res.json();
    names.push(...batch.records.map((r) => r.Name));
    url = batch.done ? null : batch.nextRecordsUrl;
  }
  $("accounts").replaceChildren(...names.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  $("count").textContent = names.length;
  $("loads").textContent = Number($("loads").textContent) + 1;
}

async function logout() {
  await auth.logout();
  $("accounts").replaceChildren();
  $("count").textContent = 0;
}

for (const type of ["login", "token_refreshed", "session_expired", "logout", "error"]) {
  auth.on(type, (e) => {
    $("events").append(Object.assign(document.createElement("li"), { textContent: e.error ? `${type}: ${e.error.code}` : type }));
    show();
  });
}

let redirectError;
try {
  const done = await auth.handleRedirect(); // on /callback: exchanges the code; else joins the tabs
  if (done) history.replaceState(null, "", done.returnTo);
} catch (e) {
  redirectError = e;
  history.replaceState(null, "", "/");
}
show(redirectError);
document.querySelector("main").dataset.ready = "1";
