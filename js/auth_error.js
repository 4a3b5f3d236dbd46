// The error class of salesforce-pkce (a real Error subclass with a stable `code`), and `made`: the
// JS values the wasm writes as JSON text, AuthErrors among them.
export class AuthError extends Error {
  constructor(code, message, error, errorDescription, status) {
    super(message);
    this.name = "AuthError";
    this.code = code;
    if (error != null) this.error = error;
    if (errorDescription != null) this.errorDescription = errorDescription;
    if (status != null) this.status = status;
  }
}

export function makeAuthError(code, message, error, errorDescription, status) {
  return new AuthError(code, message, error, errorDescription, status);
}

// A JS value the wasm wrote as JSON text: 0 that value; 1 that value with its `error` set to
// `value` (an event: an Error does not cross as JSON); 2 an AuthError of its fields (code,
// message, error, errorDescription, status). Throws when the text is no JSON (kind 0 also
// reads a provider's claims).
export function made(kind, text, value) {
  const v = JSON.parse(text);
  if (kind === 2) return new AuthError(v.code, v.message, v.error, v.errorDescription, v.status);
  if (kind === 1) v.error = value;
  return v;
}
