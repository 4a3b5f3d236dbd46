// The salesforce-pkce demo: plain ES modules, no framework. Configuration may be remembered in
// localStorage; tokens never leave the wasm module's memory.
// Session sharing ("stay signed in across tabs") is in the package's ./tabs entry; without it
// the page loads the smaller default entry. Each is loaded once, when first needed.
const entries = {};
async function entry(keep) {
  const path = keep ? "/pkg/tabs/salesforce_pkce.js" : "/pkg/salesforce_pkce.js";
  if (!entries[path]) {
    const m = await import(path);
    await m.default();
    entries[path] = m;
  }
  return entries[path];
}
let lib = null; // the entry the current client comes from

const $ = (id) => document.getElementById(id);
const SETTINGS_KEY = "salesforce-pkce-demo:settings";
const API = "/services/data/v66.0";
const redirectUri = `${location.origin}/callback`;

let auth = null;
let config = { emulatorUrl: null, clientId: null, loginHost: null, users: [] };
let nextRecordsUrl = null;
let accountRows = 0;
let rendered = false;

function loadSettings() {
  const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}");
  const fromServer = config.loginHost ? { target: "org", loginHost: config.loginHost, clientId: config.clientId || "" } : {};
  const fromUrl = Object.fromEntries(["target", "loginHost", "clientId"].map((k) => [k, new URLSearchParams(location.search).get(k)]).filter(([, v]) => v));
  return { target: config.emulatorUrl ? "emulator" : "org", loginHost: "", clientId: "", keep: false, ...saved, ...fromServer, ...fromUrl };
}

function readForm() {
  const target = document.querySelector("input[name=target]:checked")?.value || "emulator";
  return { target, loginHost: $("login-host").value.trim(), clientId: $("client-id").value.trim(), keep: $("keep").checked };
}

function options(settings) {
  // "Stay signed in across tabs and reloads": one session for every tab (held by a SharedWorker),
  // and a silent re-login after a reload. Tokens still never touch storage.
  const keep = settings.keep ? { sessionSharing: "tabs", restore: "auto" } : {};
  if (settings.target === "emulator") return { clientId: config.clientId, redirectUri, loginHost: config.emulatorUrl, ...keep };
  return { clientId: settings.clientId, redirectUri, loginHost: settings.loginHost, ...keep };
}

function showError(e) {
  const box = $("error");
  if (!e) { box.hidden = true; return; }
  const code = e?.name === "AuthError" ? e.code : "error";
  const hints = {
    authorization_denied: "Access was not granted at the Salesforce consent page.",
    network_error: "No answer from the server.",
    session_expired: "The session ended; sign in again.",
  };
  box.innerHTML = "";
  const title = document.createElement("strong");
  title.textContent = hints[code] || "Something went wrong.";
  const detail = document.createElement("div");
  detail.innerHTML = `<code></code> `;
  detail.querySelector("code").textContent = code;
  detail.append(document.createTextNode(e.message || String(e)));
  box.append(title, detail);
  box.hidden = false;
}

function logEvent(type, text) {
  const li = document.createElement("li");
  li.className = type;
  li.textContent = `${new Date().toLocaleTimeString()}  ${type}${text ? "  " + text : ""}`;
  $("events").prepend(li);
  renderStats();
}

function renderStats() {
  $("stats").textContent = auth ? JSON.stringify(auth.stats, null, 2) : "";
}

function renderDoctor() {
  const settings = readForm();
  $("org-fields").hidden = settings.target === "emulator";
  const list = $("findings");
  list.innerHTML = "";
  let errors = 0;
  let findings;
  try {
    findings = lib.AuthClient.doctor(options(settings));
  } catch (e) {
    findings = [{ code: e.code, severity: "error", message: e.message, field: "options" }];
  }
  for (const f of findings) {
    if (f.severity === "error") errors += 1;
    const li = document.createElement("li");
    li.className = f.severity;
    li.dataset.code = f.code;
    li.innerHTML = "<b></b><span></span>";
    li.querySelector("b").textContent = f.severity;
    li.querySelector("span").textContent = f.message;
    list.append(li);
  }
  $("login").disabled = errors > 0;
  $("login-popup").disabled = errors > 0;
}

function makeClient(settings) {
  const client = lib.AuthClient.salesforce(options(settings));
  for (const type of ["login", "token_refreshed", "session_expired", "logout", "error", "scope_reduced", "restore_failed"]) {
    client.on(type, (e) => {
      const text = e.error ? `${e.error.code}: ${e.error.message}` : e.type === "logout" ? `revoked: ${e.revoked}` : e.missing ? `missing: ${e.missing.join(" ")}` : "";
      logEvent(type, text);
      if (!rendered) return;
      // With a shared session, another tab may sign in or out.
      if (type === "session_expired" || type === "logout") showSignedOut();
      if (type === "login" && $("signed-in").hidden) showSignedIn();
    });
  }
  return client;
}

function showSignedOut() {
  $("signed-in").hidden = true;
  $("signed-out").hidden = false;
  $("who").hidden = true;
  renderDoctor();
}

async function showSignedIn() {
  $("signed-out").hidden = true;
  $("signed-in").hidden = false;
  const s = auth.session;
  $("user-id").textContent = s.userId || "—";
  $("org-id").textContent = s.orgId || "—";
  $("instance-url").textContent = s.instanceUrl || "—";
  $("issued-at").textContent = new Date(s.issuedAt).toLocaleString();
  $("scopes").textContent = s.scopes.join(" ");
  $("expire").hidden = readForm().target !== "emulator";
  renderStats();
  try {
    const me = await auth.userinfo();
    $("user-name").textContent = me.name || me.preferred_username || "Signed in";
    $("who").textContent = me.preferred_username || "";
    $("who").hidden = false;
  } catch (e) {
    showError(e);
  }
  accountRows = 0;
  $("accounts").tBodies[0].innerHTML = "";
  await loadAccounts(`${API}/query?q=${encodeURIComponent("SELECT Id, Name, Industry, BillingCity FROM Account ORDER BY Name")}`);
}

async function loadAccounts(url) {
  try {
    const res = await auth.fetch(url);
    const data = await res.json();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${data[0]?.errorCode || ""}`);
    const body = $("accounts").tBodies[0];
    for (const r of data.records) {
      const tr = document.createElement("tr");
      for (const v of [r.Name, r.Industry, r.BillingCity]) {
        const td = document.createElement("td");
        td.textContent = v ?? "";
        tr.append(td);
      }
      body.append(tr);
    }
    accountRows += data.records.length;
    $("account-count").textContent = `${accountRows} of ${data.totalSize}`;
    nextRecordsUrl = data.done ? null : data.nextRecordsUrl;
    $("load-more").hidden = !nextRecordsUrl;
  } catch (e) {
    showError(e);
  }
  renderStats();
}

async function main() {
  config = await (await fetch("/demo-config.json")).json().catch(() => config);
  const settings = loadSettings();
  lib = await entry(settings.keep);
  $(settings.target === "emulator" && config.emulatorUrl ? "target-emulator" : "target-org").checked = true;
  $("target-emulator").disabled = !config.emulatorUrl;
  $("login-host").value = settings.loginHost || "";
  $("client-id").value = settings.clientId || "";
  $("keep").checked = !!settings.keep;
  $("callback-url").textContent = redirectUri;
  $("users").textContent = config.users.length ? `Emulator users: ${config.users.join(", ")}` : "";
  for (const el of document.querySelectorAll("input")) el.addEventListener("input", renderDoctor);

  try {
    auth = makeClient(settings);
  } catch (e) {
    auth = null;
  }
  if (auth) {
    // On every load: completes a callback, joins the other tabs' session, or restores silently.
    try {
      const done = await auth.handleRedirect();
      if (done) history.replaceState(null, "", done.returnTo);
    } catch (e) {
      showError(e);
      history.replaceState(null, "", "/");
    }
  }
  auth?.isAuthenticated ? await showSignedIn() : showSignedOut();
  rendered = true;

  $("login").addEventListener("click", async () => {
    showError(null);
    const s = readForm();
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
    try {
      lib = await entry(s.keep);
      auth = makeClient(s);
      await auth.login({ returnTo: "/" });
    } catch (e) {
      showError(e);
    }
  });
  // A popup keeps this page as it is; loginPopup() must run in the click itself (no await before it).
  $("login-popup").addEventListener("click", async () => {
    showError(null);
    const s = readForm();
    try {
      // The entry for "Stay signed in" is loaded (an import would be an await before the popup).
      const loaded = entries[s.keep ? "/pkg/tabs/salesforce_pkce.js" : "/pkg/salesforce_pkce.js"];
      if (!loaded) throw Object.assign(new Error("\"Stay signed in\" changed: use Log in once, or reload the page"), { code: "invalid_config" });
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
      lib = loaded;
      auth = makeClient(s);
      await auth.loginPopup({ returnTo: "/" });
      await showSignedIn();
    } catch (e) {
      showError(e);
    }
  });
  $("logout").addEventListener("click", async () => {
    try {
      await auth.logout();
    } catch (e) {
      showError(e);
    }
    showSignedOut();
  });
  // Revokes, clears memory, then ends the Salesforce session (the page navigates away and back).
  $("logout-everywhere").addEventListener("click", async () => {
    try {
      await auth.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/` });
    } catch (e) {
      showError(e);
      showSignedOut();
    }
  });
  $("load-more").addEventListener("click", () => nextRecordsUrl && loadAccounts(nextRecordsUrl));
  $("call-api").addEventListener("click", async () => {
    try {
      const before = auth.stats.refreshes;
      const res = await auth.fetch(`${API}/`);
      const refreshed = auth.stats.refreshes - before;
      $("api-result").textContent = `GET ${API}/ → HTTP ${res.status}${refreshed ? ` after ${refreshed} refresh` : ""}`;
    } catch (e) {
      showError(e);
    }
    renderStats();
  });
  $("expire").addEventListener("click", async () => {
    const res = await fetch(`${config.emulatorUrl}/__emulator/expire-access-tokens`, { method: "POST" });
    const body = await res.json();
    $("api-result").textContent = `Expired ${body.expired} access token(s) at the emulator: the next call gets a 401 and refreshes once.`;
    logEvent("expired", "(emulator) access tokens expired");
  });
}

main().catch(showError);
