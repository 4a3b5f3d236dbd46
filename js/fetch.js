// The hot path of auth.fetch for a URL string (the checks and the token come from Rust, in one
// call): one Headers, one fetch, on the wire before this returns. Rust is called back only for a
// 401/403 (refresh once, then retry once with the new token, and the retry's 401/403) or when
// there is no answer.
//
// With a `base` (the origin of instance_url or apiBase, where the token may go), `input` is
// used only if it is a root-relative path ("/x", not "//host" nor with a backslash, the same
// rule as Rust's `is_root_relative`): base + path stays on that origin. Anything else returns
// undefined and Rust takes the general path (resolve, origin check).
export function sendAuthorized(input, init, base, bearer, generation, onDead, onFail) {
  let url = input;
  if (base !== undefined) {
    if (typeof input !== "string" || input[0] !== "/" || input[1] === "/" || input.includes("\\")) return undefined;
    url = base + input;
  }
  const send = (value) => {
    const headers = new Headers(init ? init.headers : undefined);
    headers.set("Authorization", value);
    return fetch(url, init ? { ...init, headers } : { headers });
  };
  let first;
  try {
    first = send(bearer);
  } catch (error) {
    return onFail(url, error, false);
  }
  const mayRetry = !(init && typeof ReadableStream === "function" && init.body instanceof ReadableStream);
  const maybeDead = (response) => response.status === 401 || response.status === 403;
  return first.then((response) => {
    if (!mayRetry || !maybeDead(response)) return response;
    // Rust (the session machine) decides whether to retry, and with which token: only one of
    // the same login, and only to an origin the current set allows. The retry's answer goes
    // back to it too (an origin that refuses fresh tokens is throttled).
    return onDead(response, generation, url, false).then((fresh) => {
      if (fresh === null) return response;
      // A throw here (Headers.set refusing a value) must reach Rust too, never the caller raw.
      let again;
      try {
        again = send(fresh);
      } catch (error) {
        return onFail(url, error, false);
      }
      return again.then(
        (answer) => (maybeDead(answer) ? onDead(answer, generation, url, true).then(() => answer) : answer),
        (error) => onFail(url, error, true));
    });
  }, (error) => onFail(url, error, true));
}

// A token endpoint body as text, read to at most `cap` bytes and one more: past that, reading
// stops (the stream is cancelled) and the text is cut there, for Rust to refuse by its size.
export async function readCapped(response, cap) {
  const reader = response.body && response.body.getReader();
  if (!reader) return "";
  const kept = new Uint8Array(cap + 1);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const n = Math.min(value.length, kept.length - size);
    kept.set(value.subarray(0, n), size);
    size += n;
    if (size === kept.length) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  return new TextDecoder().decode(kept.subarray(0, size));
}
