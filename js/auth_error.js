// The error class of salesforce-pkce: a real Error subclass with a stable `code`.
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
