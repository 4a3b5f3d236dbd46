import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.jsx";
import { createAuth } from "./auth.js";

createAuth().then(({ auth, redirectError }) =>
  createRoot(document.getElementById("root")).render(
    <StrictMode>
      <App auth={auth} redirectError={redirectError} />
    </StrictMode>,
  ),
);
