// The app's one AuthClient, configured from the build's environment (VITE_SF_LOGIN_HOST,
// VITE_SF_CLIENT_ID, VITE_SF_SHARING). Session sharing is in the package's ./tabs entry, so a
// build without VITE_SF_SHARING never loads it. The client goes to <AuthProvider client={…}>
// (src/main.jsx), which calls handleRedirect(): this only makes the client.
const env = import.meta.env;

export async function createAuth() {
  const sharing = env.VITE_SF_SHARING || undefined;
  const { default: init, AuthClient } = sharing
    ? await import("salesforce-pkce/tabs")
    : await import("salesforce-pkce");
  await init();
  return AuthClient.salesforce({
    clientId: env.VITE_SF_CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    loginHost: env.VITE_SF_LOGIN_HOST,
    sessionSharing: sharing,
  });
}

// Every Account, page by page (the REST API answers in batches linked by nextRecordsUrl, a
// URL relative to the instance: auth.fetch resolves it).
export async function listAccounts(fetch) {
  let url = `/services/data/v66.0/query?q=${encodeURIComponent("SELECT Id, Name FROM Account")}`;
  const records = [];
  while (url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`the query answered HTTP ${res.status}`);
    const batch = await res.json();
    records.push(...batch.records);
    url = batch.done ? null : batch.nextRecordsUrl;
  }
  return records;
}
