// Helpers for tests/browser/tokens.rs: a Headers.set that throws the way Firefox does (quoting
// the whole value), and the keys another tab might post with a token set.
const realSet = Headers.prototype.set;

// From now on Headers.set throws for `name`, quoting the value as Firefox does.
export function breakHeadersSet(name) {
  Headers.prototype.set = function (k, v) {
    if (String(k).toLowerCase() === name.toLowerCase()) {
      throw new TypeError(`Headers.set: "${v}" is an invalid header value.`);
    }
    return realSet.call(this, k, v);
  };
}

export function restoreHeadersSet() {
  Headers.prototype.set = realSet;
}

// A dispatch function for the executor's authorized(): a 401 (3) breaks Headers.set for
// Authorization, then hands a new token (so the retry throws); a failure (2) answers with what
// it was given (the executor rejects with it).
export function retryThatThrows(fresh) {
  return (kind, n, m, url, detail) => {
    if (kind === 3) {
      breakHeadersSet("Authorization");
      return Promise.resolve(fresh);
    }
    if (kind === 2) return { fromOnFail: true, sent: detail !== undefined, url };
    return undefined;
  };
}

// Keys another tab could post, each with whether receivedKey must take it.
export async function postedKeys() {
  const subtle = crypto.subtle;
  const ec = (namedCurve, extractable) =>
    subtle.generateKey({ name: "ECDSA", namedCurve }, extractable, ["sign", "verify"]);
  const posted = (pair) => ({ pair, x: "x", y: "y" });
  const good = await ec("P-256", false);
  const hmac = await subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const rsa = await subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    false, ["sign", "verify"]);
  return [
    ["ECDSA P-256, non-extractable", posted(good), true],
    ["ECDSA P-256, extractable", posted(await ec("P-256", true)), false],
    ["ECDSA P-384", posted(await ec("P-384", false)), false],
    ["HMAC", posted({ privateKey: hmac }), false],
    ["RSASSA-PKCS1-v1_5", posted(rsa), false],
    ["the public key", posted({ privateKey: good.publicKey }), false],
    ["a plain object", posted({ privateKey: { type: "private", usages: ["sign"], extractable: false } }), false],
    ["without coordinates", { pair: good }, false],
  ];
}
