// The development build of every entry (the package's "development" export condition: Vite's and
// webpack's dev mode, node --conditions=development). Each entry's salesforce_pkce.development.js
// re-exports the production glue beside it (the same wasm) with AuthClient wrapped by
// development() below:
// - AuthClient.doctor() gives each finding its whole one-line message (the end the production
//   wasm leaves out, from explanations.js) and its explanation (js/prose.js, keyed by code);
// - new AuthClient, AuthClient.salesforce and AuthClient.discover run the doctor on the options
//   they are given and console.warn its errors and warnings once (options only: never a token).
// - AuthError messages get the explanation the production wasm leaves out (explanations.js, written
//   by scripts/error-prose.mjs from the Rust sources): the text Rust callers get.
import { prose } from "./prose.js";
import { asides, briefs, explanations } from "./explanations.js";

// A finding's one-line message as Rust callers get it (the end the production wasm leaves out,
// as for AuthError messages), then the code's explanation.
const explained = (f) => {
  const message = explain(f.message, f.field);
  return { ...f, message: prose[f.code] ? `${message}. ${prose[f.code]}` : message };
};
// The same findings are printed once per page, however often a client is made (React StrictMode
// makes two).
const printed = new Set();
// Options naming a Salesforce org: AuthClient.doctor() judges them as AuthClient.salesforce does.
const salesforceShaped = (o) => o != null && o.loginHost != null && o.authorizationEndpoint == null;
// The fields AuthClient.discover() fills from the provider's discovery document.
const discovered = new Set([
  "issuer", "authorizationEndpoint", "tokenEndpoint", "revocationEndpoint", "userinfoEndpoint",
  "endSessionEndpoint", "jwksUri", "dpop",
]);

function warn(findings, keep = () => true) {
  const lines = findings
    .filter((f) => f.severity !== "info" && keep(f))
    .map((f) => `- ${f.severity} ${f.code} (${f.field}): ${f.message}`);
  const text = ["salesforce-pkce config doctor (development build):", ...lines].join("\n");
  if (lines.length === 0 || printed.has(text)) return;
  printed.add(text);
  console.warn(text);
}

// Runs the doctor for a constructor; a failure to read the options is the constructor's to report.
function check(run, keep) {
  let findings;
  try {
    findings = run();
  } catch {
    return;
  }
  warn(findings, keep);
}

// A URL option's example, which the production wasm leaves out of "must be an absolute URL (got …"
// (core/url.rs `such_as`: the same examples, by the option's name; any other option's is the last).
const EXAMPLE = {
  loginHost: "https://NAME.my.salesforce.com", redirectUri: "https://app.example.com/callback",
  popupRedirectUri: "https://app.example.com/callback", postLogoutRedirectUri: "https://app.example.com/",
  issuer: "https://login.example.com",
};
const exampled = (message, field) => message.replace(/(?:(\w+): )?must be an absolute URL(?= \(got)/,
  (text, named) => `${text} such as ${EXAMPLE[field ?? named] ?? "https://api.example.com/path"}`);

// An AuthError message, explained: a URL option's example (`field`: a finding's, otherwise the
// option the message names), each brief's whole text in place of its short one, `more`
// after the short text it ends with, and each aside's `more` after its short text inside the message.
// The provider's own words (`; the provider said: "…"`: RFC 6749's characters, no `"`) are
// left as they came: a short text inside them is not ours to replace.
function explain(message, field) {
  if (typeof message !== "string") return message;
  const said = /; the provider said: "[^"]*"/.exec(message);
  if (said) return explain(message.replace(said[0], "\0"), field).replace("\0", () => said[0]);
  message = exampled(message, field);
  for (const [short, whole] of briefs) {
    if (message.includes(short) && !message.includes(whole)) message = message.replace(short, whole);
  }
  const hit = explanations.find(([short]) => message.endsWith(short));
  let text = hit ? message + hit[1] : message;
  for (const [short, more] of asides) {
    if (text.includes(short) && !text.includes(short + more)) text = text.replace(short, short + more);
  }
  return text;
}

/** The development AuthClient: the production class, its doctor explained and run at construction;
 *  the entry's AuthError messages explained. */
export function development(AuthClient, AuthError) {
  if (AuthError) AuthError.explain = explain;
  const doctor = (options) => AuthClient.doctor(options).map(explained);
  const statics = {
    doctor,
    salesforce(options) {
      if (salesforceShaped(options)) check(() => doctor(options));
      return AuthClient.salesforce.call(this, options);
    },
    discover(issuer, options) {
      // The endpoints come from the provider: judge the other options, with the issuer's URL
      // standing in for the endpoints, and leave the discovered fields out.
      if (!salesforceShaped(options) && typeof issuer === "string") {
        const stand = { authorizationEndpoint: issuer, tokenEndpoint: issuer, revocationEndpoint: issuer };
        check(() => doctor({ ...options, issuer, ...stand }), (f) => !discovered.has(f.field));
      }
      return AuthClient.discover.call(this, issuer, options);
    },
  };
  return new Proxy(AuthClient, {
    construct(target, args, newTarget) {
      if (!salesforceShaped(args[0])) check(() => doctor(args[0]));
      return Reflect.construct(target, args, newTarget);
    },
    get(target, key, receiver) {
      return Object.hasOwn(statics, key) ? statics[key] : Reflect.get(target, key, receiver);
    },
  });
}
