// `?delete=SharedWorker,locks,BroadcastChannel` (any of them): removes those browser APIs before
// the package loads, to force each session-sharing fallback in every engine. A classic script, so
// it runs before app.js; kept for this tab in sessionStorage like app.js's parameters, so the
// callback page loses the same APIs.
{
  const asked = new URLSearchParams(location.search).get("delete");
  if (asked !== null) sessionStorage.setItem("test:delete", asked);
  for (const api of (sessionStorage.getItem("test:delete") || "").split(",").filter(Boolean)) {
    if (api === "locks") delete Navigator.prototype.locks;
    else delete window[api];
  }
}
