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
