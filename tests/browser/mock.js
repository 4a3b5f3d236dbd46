// An in-page fake of Salesforce's OAuth and REST endpoints, installed as globalThis.fetch for
// the wasm-bindgen-test suite. It records every request it sees.
const HOST = "https://acme.my.salesforce.com";
let s;

export function mockReset(options) {
  s = {
    requests: [],
    calls: 0,         // fetch calls so far; each request's seq
    access: "00Dxx0000000123!AT-0",
    refresh: "5Aep-RT-0",
    counter: 0,
    rotation: false,
    refreshDelayMs: 20,
    tokenQueue: [],   // overrides for the next token calls: {status, body, contentType, hang, delayMs}
    refreshFail: null, // {status, body} for every refresh while set
    revokeStatus: 200,
    userinfoStatus: 200,
    expiresIn: null,  // when set, token responses carry expires_in (seconds)
    issuedAgoMs: 0,   // issued_at this long before now (a provider clock behind ours)
    instanceUrl: HOST, // null: token responses carry no instance_url (a generic provider's)
    apiInstanceUrl: null, // when set, token responses carry api_instance_url and token_format "jwt"
    redirects: {},    // URL -> Location: answered with a 307 there (see mockFetch)
    held: [],         // API requests to a ".../hold" path wait here until mockReleaseHeld()
    released: false,  // after mockReleaseHeld(), ".../hold" answers at once
    dead: [],         // the 401 answers of the REST API, to see whether their bodies were read
    ...JSON.parse(options || "{}"),
  };
  globalThis.fetch = mockFetch;
}

// Storage faults for the pending record: 1 setItem throws (storage full), 2 reading
// window.sessionStorage throws (storage denied), 0 neither.
const realSetItem = typeof Storage === "function" ? Storage.prototype.setItem : undefined;
const realSession = typeof window === "object" ? Object.getOwnPropertyDescriptor(window, "sessionStorage") : undefined;
export function storageFault(kind) {
  Storage.prototype.setItem = kind === 1 ? () => { throw new DOMException("full", "QuotaExceededError"); } : realSetItem;
  // Deleted first: WebKit kept answering the real storage to a property read it had already
  // run (the executor's) after the property was only redefined.
  if (kind === 2) delete window.sessionStorage;
  if (kind === 2) Object.defineProperty(window, "sessionStorage", { configurable: true, get() { throw new DOMException("denied", "SecurityError"); } });
  else if (realSession) Object.defineProperty(window, "sessionStorage", realSession);
  else delete window.sessionStorage;
}

export function mockSet(key, json) { s[key] = JSON.parse(json); }
export function mockGet(key) { return JSON.stringify(s[key]); }
// In the order fetch was called: two requests in flight may finish reading their bodies in
// either order, and the tests pin the order the client sends them in.
export function mockRequests() { return JSON.stringify([...s.requests].sort((a, b) => a.seq - b.seq)); }
export function mockQueueToken(json) { s.tokenQueue.push(JSON.parse(json)); }
export function mockHeld() { return s.held.length; }
// How many of the REST API's 401 answers so far had their bodies read or cancelled.
export function mockDeadBodiesUsed() { return s.dead.filter((r) => r.bodyUsed).length; }
export function mockReleaseHeld() { s.released = true; for (const release of s.held.splice(0)) release(); }

function json(status, body, extra) {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status, headers: { "Content-Type": (extra && extra.contentType) || "application/json" },
  });
}

function tokenBody(withRefresh, dpop) {
  s.counter += 1;
  s.access = `00Dxx0000000123!AT-${s.counter}`;
  const body = {
    access_token: s.access, signature: "c2ln", scope: "refresh_token api id openid",
    instance_url: s.instanceUrl, id: `${HOST.replace("acme.my", "login")}/id/00Dxx0000000123AAA/005xx000000456AAA`,
    token_type: dpop ? "DPoP" : "Bearer", issued_at: String(Date.now() - s.issuedAgoMs),
  };
  if (s.instanceUrl === null) delete body.instance_url;
  if (s.expiresIn !== null) body.expires_in = s.expiresIn;
  if (s.apiInstanceUrl !== null) Object.assign(body, { api_instance_url: s.apiInstanceUrl, token_format: "jwt" });
  if (withRefresh) {
    if (s.counter > 1 && s.rotation) s.refresh = `5Aep-RT-${s.counter}`;
    body.refresh_token = s.refresh;
  }
  return body;
}

// A 200 whose body is `streamBytes` long (a token answer padded with spaces), produced 64 KiB
// at a time as it is read; s.streamed counts the bytes produced.
function streamed(queued) {
  const head = new TextEncoder().encode(JSON.stringify(queued.body));
  const chunk = new Uint8Array(65536).fill(32);
  s.streamed = 0;
  const body = new ReadableStream({
    pull(c) {
      if (s.streamed >= queued.streamBytes) return c.close();
      const next = s.streamed === 0 ? head : chunk;
      s.streamed += next.length;
      c.enqueue(next);
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function hang(request) {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });
}

async function mockFetch(input, init) {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = request.url;
  const seq = s.calls++;
  const body = request.method === "GET" ? "" : await request.clone().text();
  const form = new URLSearchParams(body);
  s.requests.push({
    seq, method: request.method, url, authorization: request.headers.get("authorization"),
    grantType: form.get("grant_type"), body, referrer: request.referrer, credentials: request.credentials,
    redirect: request.redirect, dpop: request.headers.get("dpop"), accept: request.headers.get("accept"),
  });
  const location = s.redirects[url];
  if (location) {
    // A 307 answer, handled as fetch handles one by the request's redirect mode (Fetch
    // Standard, "HTTP fetch" and "HTTP-redirect fetch"): "error" is a network error, "manual"
    // hands back no answer to read, "follow" sends the same method and body to the Location.
    if (request.redirect === "error") throw new TypeError("Failed to fetch");
    if (request.redirect === "manual") return Response.error();
    return mockFetch(new Request(location, {
      method: request.method, headers: request.headers, redirect: request.redirect,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
    }));
  }
  const dpop = request.headers.get("dpop") !== null;
  if (url === `${HOST}/services/oauth2/token`) {
    const grant = form.get("grant_type");
    const queued = s.tokenQueue.shift();
    if (queued) {
      if (queued.hang) return hang(request);
      if (queued.streamBytes) return streamed(queued);
      if (queued.delayMs) await sleep(queued.delayMs);
      return json(queued.status, queued.body, queued);
    }
    if (grant === "authorization_code") {
      if (!form.get("code_verifier") || !form.get("code")) return json(400, { error: "invalid_grant", error_description: "invalid code verifier" });
      return json(200, tokenBody(true, dpop));
    }
    if (grant === "refresh_token") {
      await sleep(s.refreshDelayMs);
      if (s.refreshFail) return json(s.refreshFail.status, s.refreshFail.body);
      if (form.get("refresh_token") !== s.refresh) return json(400, { error: "invalid_grant", error_description: "expired access/refresh token" });
      return json(200, tokenBody(s.rotation, dpop));
    }
    return json(400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
  }
  if (url === `${HOST}/services/oauth2/revoke`) {
    if (s.revokeStatus === "network") throw new TypeError("Failed to fetch");
    return s.revokeStatus === 200 ? new Response("", { status: 200 }) : json(s.revokeStatus, { error: "server_error" });
  }
  if (url === `${HOST}/services/oauth2/userinfo`) {
    if (request.headers.get("authorization") !== `Bearer ${s.access}`) return new Response("Bad_OAuth_Token", { status: 403 });
    if (s.userinfoStatus !== 200) return json(s.userinfoStatus, { error: "server_error" });
    return json(200, { sub: "x", user_id: "005xx000000456AAA", name: "Ada Admin" });
  }
  if (url.startsWith(`${HOST}/services/data/`)) {
    await sleep(1);
    // A slow API: the token is judged when the answer is given, not when the request came.
    if (url.endsWith("/hold") && !s.released) await new Promise((release) => s.held.push(release));
    if (request.headers.get("authorization") !== `${dpop ? "DPoP" : "Bearer"} ${s.access}`) {
      const dead = json(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
      s.dead.push(dead);
      return dead;
    }
    return json(200, { totalSize: 1, done: true, records: [{ Name: "Acme" }] });
  }
  if (url.startsWith("https://evil.example/")) throw new TypeError("Failed to fetch");
  // A resource that takes no token of this session, however fresh.
  if (url.endsWith("/always-401")) return json(401, { error: "invalid_token" });
  return json(200, { ok: true, url });
}
