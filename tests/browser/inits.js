// fetch inits whose members are inherited (tests/browser/fetch.rs): one made with a prototype,
// and a class instance whose members are getters. fetch reads both (a spread copies neither's
// members).
export const protoInit = () => Object.create({ method: "POST", body: "a=1", headers: { "X-Test": "proto" } });
class Init {
  get method() { return "PUT"; }
  get body() { return "b=2"; }
  get headers() { return { "X-Test": "class" }; }
}
export const classInit = () => new Init();
// "method x-test body" of a request `packRequest` (js/tabs.js, `pack`) packed, or why it
// could not.
export const described = (p) => typeof p === "string" ? p
  : `${p[1].method} ${new Headers(p[1].headers).get("x-test")} ${p[1].body ? new TextDecoder().decode(p[1].body) : ""}`;
// A dispatch function that refuses no method (`packRequest` asks it, event 20).
export const noRefusal = () => () => undefined;
