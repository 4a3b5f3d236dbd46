import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider } from "salesforce-pkce/react";
import { App } from "./App.jsx";
import { createAuth } from "./auth.js";

// One client for the page, made before React renders; the provider completes handleRedirect()
// (the callback page's code exchange) once, though StrictMode mounts, unmounts and mounts again
// in development. onRedirect is left to its default (history.replaceState to the page the login
// started from); an app with a router navigates there instead.
createAuth().then((auth) =>
  createRoot(document.getElementById("root")).render(
    <StrictMode>
      <AuthProvider client={auth}>
        <App />
      </AuthProvider>
    </StrictMode>,
  ),
);
