// The speed bench page: every library in the same page load, measured side by side.
import init, { AuthClient } from "/pkg/salesforce_pkce.js";
import * as oauth from "oauth4webapi";
import { SignJWT } from "jose";

const now = () => performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function initTimes(rounds) {
  const bytes = await (await fetch("/pkg/salesforce_pkce_bg.wasm")).arrayBuffer();
  const fetchInit = [];
  const instantiate = [];
  for (let i = 0; i < rounds; i++) {
    const a = await import(`/pkg/salesforce_pkce.js?fresh=a${i}`);
    let t = now();
    await a.default({ module_or_path: `/pkg/salesforce_pkce_bg.wasm?round=${i}` });
    fetchInit.push(now() - t);
    const b = await import(`/pkg/salesforce_pkce.js?fresh=b${i}`);
    t = now();
    b.initSync({ module: bytes });
    instantiate.push(now() - t);
  }
  return { fetchInitMs: median(fetchInit), instantiateMs: median(instantiate), bytes: bytes.byteLength };
}

async function pkceTimes(batches, perBatch) {
  const auth = AuthClient.salesforce({ clientId: "3MVG9bench", redirectUri: `${location.origin}/callback`, loginHost: "https://acme.my.salesforce.com" });
  const endpoint = "https://acme.my.salesforce.com/services/oauth2/authorize";
  const ours = [];
  const peer = [];
  for (let b = 0; b < batches; b++) {
    sessionStorage.clear();
    let t = now();
    for (let i = 0; i < perBatch; i++) await auth.authorizationUrl();
    ours.push(((now() - t) * 1000) / perBatch);
    sessionStorage.clear();
    t = now();
    for (let i = 0; i < perBatch; i++) {
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(endpoint);
      for (const [k, v] of [["response_type", "code"], ["client_id", "3MVG9bench"], ["redirect_uri", `${location.origin}/callback`], ["scope", "api refresh_token openid"],
        ["state", state], ["code_challenge", challenge], ["code_challenge_method", "S256"], ["nonce", nonce]]) url.searchParams.set(k, v);
      sessionStorage.setItem(`pending:${state}`, JSON.stringify({ verifier, nonce, createdAt: Date.now() }));
      void url.href;
    }
    peer.push(((now() - t) * 1000) / perBatch);
  }
  sessionStorage.clear();
  return { oursUs: median(ours), peerUs: median(peer) };
}

async function signedInClient(Client = AuthClient, extra = {}) {
  const o = location.origin;
  const auth = new Client({
    clientId: "bench", redirectUri: `${o}/callback`, authorizationEndpoint: `${o}/authorize`, tokenEndpoint: `${o}/token`,
    revocationEndpoint: `${o}/revoke`, apiBase: o, scopes: ["api", "refresh_token"], ...extra,
  });
  const url = new URL(await auth.authorizationUrl());
  history.replaceState(null, "", `/callback?code=bench&state=${url.searchParams.get("state")}`);
  await auth.handleRedirect();
  history.replaceState(null, "", "/");
  if (!auth.isAuthenticated) throw new Error("bench login failed");
  return auth;
}

// Runs every variant once per round, in an order that rotates every round (so that drift of the
// loopback latency hits all alike), after 20 warm-up rounds: each variant's times, by round.
async function rounds(variants, blocks, perBlock) {
  const names = Object.keys(variants);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < 20; i++) for (const n of names) await variants[n]();
  for (let i = 0; i < blocks * perBlock; i++) {
    const order = names.map((_, k) => names[(k + i) % names.length]);
    const round = {};
    for (const n of order) round[n] = await variants[n]();
    for (const n of names) times[n].push(round[n]);
  }
  return times;
}

// A seeded generator (mulberry32), so that a run's orders can be replayed from its printed seed.
function generator(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const shuffled = (n, rand) => {
  const xs = Array.from({ length: n }, (_, k) => k);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};

// Like `rounds`, but each round's order drawn at random: the rounds come in squares of n (n
// variants), each a fresh random Latin square, so that within every n rounds each variant runs
// exactly once in each position, and which variant runs before which changes from square to
// square. No variant carries an order bias (the rotating order put one control right after
// `ours` every round: +40 µs that were not its own, DECISIONS "fast20"). At least `count` rounds
// (rounded up to whole squares), after 20 warm-up rounds.
async function shuffledRounds(variants, count, seed) {
  const names = Object.keys(variants), n = names.length, rand = generator(seed);
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < 20; i++) for (const k of names) await variants[k]();
  for (let square = 0; square < Math.ceil(count / n); square++) {
    const symbols = shuffled(n, rand), rows = shuffled(n, rand), columns = shuffled(n, rand);
    for (let r = 0; r < n; r++) {
      const round = {};
      for (let c = 0; c < n; c++) {
        const name = names[symbols[(rows[r] + columns[c]) % n]];
        round[name] = await variants[name]();
      }
      for (const k of names) times[k].push(round[k]);
    }
  }
  return times;
}

// A plain-JS copy of auth.fetch's fast path as js/executor.js has it (`gate` → `started` →
// `authorized`, a Bearer set, a root-relative URL, no `init`): the client's number and gate
// looked up, the call counted and its slot given back when it settles, the URL joined to the
// base, one Headers, fetch, the status check. No library, no wasm: what a JS wrapper doing the
// same work costs here, so that `ours` can be read against it.
function fastPathCopy(base, bearer) {
  const ids = new WeakMap(), gates = new Map(), client = {};
  ids.set(client, 1);
  gates.set(1, [0, [], 16]);
  const authorized = (input, init) => {
    if (typeof input !== "string" || input[0] !== "/" || input[1] === "/" || input.includes("\\")) return undefined;
    const url = base + input;
    const send = (value) => {
      const [auth] = value.split("\n");
      const headers = new Headers(init ? init.headers : undefined);
      headers.set("Authorization", auth);
      return fetch(url, init ? { ...init, headers } : { headers });
    };
    const mayRetry = !(init && typeof ReadableStream === "function" && init.body instanceof ReadableStream);
    return send(bearer).then((response) => (!mayRetry || !(response.status === 401 || response.status === 403) ? response : Promise.reject(new Error("bench: refused"))));
  };
  return (input, init) => {
    const g = gates.get(ids.get(client));
    if (!(g[0] < g[2] && !g[1].length)) throw new Error("bench: the copy's gate is full");
    g[0]++;
    const sent = authorized(input, init);
    const free = () => {
      g[0]--;
    };
    sent.then(free, free);
    return sent;
  };
}

// How far a median of `xs` moves by chance: the standard deviation of the medians of 200
// resamples of `xs` (a bootstrap), drawn with `rand`.
function medianSpread(xs, rand) {
  const ms = Array.from({ length: 200 }, () => median(Array.from(xs, () => xs[Math.floor(rand() * xs.length)])));
  const mean = ms.reduce((a, m) => a + m, 0) / ms.length;
  return Math.sqrt(ms.reduce((a, m) => a + (m - mean) ** 2, 0) / (ms.length - 1));
}

async function fetchOverhead(auth, count, seed) {
  // Six calls per round, in an order drawn at random every round (`shuffledRounds`); each figure
  // is the median of per-round differences from raw fetch. Four controls: raw fetch again (the
  // noise floor: what "no overhead" measures as), the JS half of our hot path alone (Headers +
  // fetch + status check, no wasm call), that JS half after a trivial wasm call, and a plain-JS
  // copy of the whole fast path (informational: what the same work costs without the library).
  const url = `${location.origin}/api`;
  const timed = (send) => async () => { const t = now(); await (await send()).text(); return (now() - t) * 1000; };
  const rawFetch = () => fetch(url, { headers: { Authorization: "Bearer bench-raw" } });
  // What the executor's `authorized` does around fetch: one Headers, the status check.
  const jsHalf = () => {
    const headers = new Headers(undefined);
    headers.set("Authorization", "Bearer bench-raw");
    return fetch(url, { headers }).then((r) => (r.status !== 401 && r.status !== 403 ? r : r));
  };
  const copy = fastPathCopy(location.origin, "Bearer bench-raw");
  const variants = {
    raw: timed(rawFetch),
    rawAgain: timed(rawFetch),
    jsOnly: timed(jsHalf),
    ours: timed(() => auth.fetch("/api")),
    // The JS half after the cheapest call into wasm (a getter): the floor for any design
    // that asks wasm for the token on each call.
    getterJs: timed(() => {
      if (!auth.isAuthenticated) throw new Error("bench client signed out");
      return jsHalf();
    }),
    copy: timed(() => copy("/api")),
  };
  const times = await shuffledRounds(variants, count, seed);
  const deltas = (n) => times[n].map((t, k) => t - times.raw[k]);
  // The CPU alone: the same calls with fetch answered at once in the page (globalThis.fetch
  // swapped; the executor looks fetch up on each call), so that no network time hides or adds
  // to what the library's JS costs; each sample is 100 calls in a row (the timer's 5 µs step
  // divided by 100), 100 samples in shuffled rounds.
  const realFetch = globalThis.fetch;
  const instant = () => Promise.resolve(new Response('{"ok":true}', { status: 200 }));
  const batch = (send) => async () => {
    globalThis.fetch = instant;
    try {
      const t = now();
      for (let i = 0; i < 100; i++) await (await send()).text();
      return ((now() - t) * 1000) / 100;
    } finally {
      globalThis.fetch = realFetch;
    }
  };
  const cpu = await shuffledRounds({ raw: batch(rawFetch), jsOnly: batch(jsHalf), ours: batch(() => auth.fetch("/api")), copy: batch(() => copy("/api")) }, 100, seed);
  const cpuDelta = (a, b) => median(cpu[a].map((t, k) => t - cpu[b][k]));
  return {
    rounds: times.raw.length,
    seed,
    rawUs: median(times.raw),
    oursUs: median(times.ours),
    deltaUs: median(deltas("ours")),
    noiseUs: median(deltas("rawAgain")),
    noiseSpreadUs: median(deltas("rawAgain").map(Math.abs)),
    jsOnlyUs: median(deltas("jsOnly")),
    getterJsUs: median(deltas("getterJs")),
    copyUs: median(deltas("copy")),
    oursVsCopyUs: median(times.ours.map((t, k) => t - times.copy[k])),
    deltaSpreadUs: medianSpread(deltas("ours"), generator(seed)),
    cpu: { rawUs: median(cpu.raw), oursUs: cpuDelta("ours", "raw"), jsOnlyUs: cpuDelta("jsOnly", "raw"), copyUs: cpuDelta("copy", "raw"), oursVsCopyUs: cpuDelta("ours", "copy") },
  };
}

// The same storm hand-written in plain JS, the floor of the pattern: every call sent with the
// stale token, the first 401 starts one refresh that all wait for, then each call is retried
// once with the new token (the 401's body dropped unread, as the executor does).
function jsStorm(n) {
  let refresh = null;
  const send = (token) => fetch("/api", { headers: { Authorization: `Bearer ${token}` } });
  return Promise.all(Array.from({ length: n }, async () => {
    const first = await send("stale");
    if (first.status !== 401) return first.status;
    first.body.cancel();
    refresh ??= fetch("/token", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&refresh_token=rt" })
      .then((r) => r.json()).then((j) => j.access_token);
    return (await send(await refresh)).status;
  }));
}

// Refresh storms of each size, `runs` times in rotating order: ours (every call to auth.fetch
// at once, after the server rotated the token), the same number of plain fetches, and the same
// pattern in plain JS. A small storm is over in a few milliseconds, where one timer tick or GC
// pause moves its ratio by a third: each run repeats it (10 storms of 10 in a row, each against
// its own plain fetches and plain-JS pattern) and sums the times, so every run of every size
// measures at least a thousand calls. Each time is its own; the medians are taken by run.mjs.
async function storm(auth, sizes, runs) {
  const out = [];
  const timed = async (f) => { const t = now(); const v = await f(); return [now() - t, v]; };
  for (let run = 0; run < runs; run++) {
    for (const n of sizes) {
      // The previous storm's sockets and garbage settle first (one run's 10-storm right after
      // the 1,000-storm once measured its plain fetches 30× slower than the storm itself, and
      // with 500 ms of rest still 14× slower): 3 s after a 1,000-storm, 500 ms otherwise.
      const last = out[out.length - 1];
      await new Promise((done) => setTimeout(done, last && last.n >= 1000 ? 3000 : 500));
      const reps = Math.max(1, Math.floor(100 / n));
      const sum = { n, run, reps, refreshes: 1, ok: n, ms: 0, rawMs: 0, jsMs: 0 };
      for (let rep = 0; rep < reps; rep++) {
        await fetch("/control/rotate", { method: "POST" });
        const before = await (await fetch("/control/refreshes")).json();
        const [ms, statuses] = await timed(() => Promise.all(Array.from({ length: n }, () => auth.fetch("/api").then((r) => r.status, (e) => e.code))));
        const after = await (await fetch("/control/refreshes")).json();
        // Baseline: the same number of plain concurrent fetches (HTTP/1.1 allows 6 connections
        // per host, so large N queue in the browser whatever the library).
        const [rawMs] = await timed(() => Promise.all(Array.from({ length: n }, () => fetch("/api", { headers: { Authorization: "Bearer bench-raw" } }).then((r) => r.text()))));
        const [jsMs, jsStatuses] = await timed(() => jsStorm(n));
        if (jsStatuses.some((s) => s !== 200)) throw new Error("bench: the plain-JS storm failed");
        // Every storm of the run must have made exactly one refresh and answered every call.
        if (after - before !== 1) sum.refreshes = after - before;
        sum.ok = Math.min(sum.ok, statuses.filter((s) => s === 200).length);
        sum.ms += ms; sum.rawMs += rawMs; sum.jsMs += jsMs;
      }
      out.push(sum);
    }
  }
  return out;
}

// One DPoP proof's cost, both ways measured as "a request with a proof minus the same request
// without": ours is auth.fetch with a DPoP-bound token minus auth.fetch with a Bearer one (the
// ./dpop entry; the proof is built in Rust and signed by WebCrypto), the baseline a raw fetch with
// a proof jose's SignJWT makes (same claims, same kind of WebCrypto key) minus a raw fetch.
async function dpopTimes(blocks, perBlock) {
  const dp = await import("/pkg/dpop/salesforce_pkce.js");
  await dp.default({ module_or_path: "/pkg/dpop/salesforce_pkce_bg.wasm" });
  const bound = await signedInClient(dp.AuthClient, { dpop: true });
  const bearer = await signedInClient(dp.AuthClient, {});
  if (bound.session.tokenType !== "DPoP" || bearer.session.tokenType !== "Bearer") throw new Error("bench: token types");
  const url = `${location.origin}/api`;
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const { x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const jwk = { crv: "P-256", kty: "EC", x, y };
  const ath = async (t) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(t))))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const joseProof = async () => new SignJWT({ htm: "GET", htu: url, ath: await ath("bench-raw") })
    .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk }).setJti(crypto.randomUUID()).setIssuedAt().sign(pair.privateKey);
  const timed = (send) => async () => { const t = now(); await (await send()).text(); return (now() - t) * 1000; };
  // Each also with fetch answered at once in the page (globalThis.fetch swapped for the
  // call; the client looks fetch up on each call): the CPU cost alone, with no network time in
  // which it could hide.
  const realFetch = globalThis.fetch;
  const instant = () => Promise.resolve(new Response('{"ok":true}', { status: 200 }));
  const stubbed = (f) => async () => {
    globalThis.fetch = instant;
    try {
      return await f();
    } finally {
      globalThis.fetch = realFetch;
    }
  };
  const sends = {
    ours: () => bound.fetch("/api"),
    oursBearer: () => bearer.fetch("/api"),
    jose: async () => fetch(url, { headers: { Authorization: "DPoP bench-raw", DPoP: await joseProof() } }),
    raw: () => fetch(url, { headers: { Authorization: "Bearer bench-raw" } }),
  };
  // Each send twice: over the network (`ours`) and with fetch answered at once (`oursCpu`).
  const variants = Object.fromEntries(Object.entries(sends).flatMap(([name, send]) => [
    [name, timed(send)],
    [`${name}Cpu`, stubbed(timed(send))],
  ]));
  const times = await rounds(variants, blocks, perBlock);
  const delta = (a, b) => median(times[a].map((t, k) => t - times[b][k]));
  return {
    oursUs: delta("ours", "oursBearer"), joseUs: delta("jose", "raw"),
    oursCpuUs: delta("oursCpu", "oursBearerCpu"), joseCpuUs: delta("joseCpu", "rawCpu"),
  };
}

window.bench = {
  async run({ initRounds, pkceBatches, pkcePerBatch, fetchBlocks, fetchPerBlock, fetchRounds, fetchSeed, stormSizes, stormRuns, fetchOnly, pkceOnly, stormOnly, maxInFlight }) {
    if (pkceOnly) {
      await init({ module_or_path: "/pkg/salesforce_pkce_bg.wasm" });
      return { pkce: await pkceTimes(pkceBatches, pkcePerBatch) };
    }
    if (stormOnly) {
      await init({ module_or_path: "/pkg/salesforce_pkce_bg.wasm" });
      const client = await signedInClient(AuthClient, maxInFlight === undefined ? {} : { maxInFlight });
      return { storms: await storm(client, stormSizes, stormRuns) };
    }
    if (fetchOnly) {
      await init({ module_or_path: "/pkg/salesforce_pkce_bg.wasm" });
      return { fetching: await fetchOverhead(await signedInClient(), fetchRounds, fetchSeed) };
    }
    const initResult = await initTimes(initRounds);
    await init({ module_or_path: "/pkg/salesforce_pkce_bg.wasm" });
    const pkce = await pkceTimes(pkceBatches, pkcePerBatch);
    const auth = await signedInClient();
    const fetching = await fetchOverhead(auth, fetchRounds, fetchSeed);
    const storms = await storm(auth, stormSizes, stormRuns);
    const dpop = await dpopTimes(fetchBlocks, fetchPerBlock);
    return { init: initResult, pkce, fetching, storms, dpop, userAgent: navigator.userAgent };
  },
};
document.body.dataset.ready = "1";
// The plain driver (run.mjs) opens /?autorun=<plan> in a Chromium with no DevTools client
// attached; the page runs itself and posts what it measured.
const autorun = new URLSearchParams(location.search).get("autorun");
if (autorun) {
  window.bench
    .run(JSON.parse(autorun))
    .then((r) => ({ ...r, isolated: window.crossOriginIsolated }), (e) => ({ error: String(e && e.stack || e) }))
    .then((r) => fetch("/results", { method: "POST", body: JSON.stringify(r) }));
}
