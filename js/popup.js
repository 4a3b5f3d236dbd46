// loginPopup(): each function is one whole browser step. The
// callback comes back over a same-origin BroadcastChannel, never window.opener (providers'
// Cross-Origin-Opener-Policy severs it). Rust validates everything that arrives.

/** Opens the popup synchronously (still in the user gesture) and waits for its callback
 *  (`waitPopup`): that promise, "blocked" when the browser blocked the popup, or "unsupported"
 *  when this browser has no BroadcastChannel to bring the callback back. */
export function openPopup(url, features, channel, state, timeoutMs) {
  if (typeof BroadcastChannel !== "function") return "unsupported";
  let popup = null;
  try {
    popup = window.open(url, "_blank", features);
  } catch {}
  return popup ? waitPopup(popup, channel, state, timeoutMs) : "blocked";
}

/** Waits for this login's callback query (the message whose `state` is ours; others are not
 *  ours: another tab's popup, or forged) and acknowledges it. Rejects with "closed" when the
 *  popup is closed after it was last seen on our own origin (only then can a closed popup be
 *  told from one cut off by COOP at the provider, whose `closed` reads true while it is open),
 *  or "timeout". */
function waitPopup(popup, channel, state, timeoutMs) {
  return new Promise((resolve, reject) => {
    const bc = new BroadcastChannel(channel);
    let seenOnOurOrigin = false;
    const end = (settle, value) => {
      clearInterval(poll);
      clearTimeout(timer);
      bc.close();
      settle(value);
    };
    bc.onmessage = (e) => {
      const m = e.data;
      if (!m || m.state !== state || typeof m.query !== "string") return;
      bc.postMessage({ ack: state });
      end(resolve, m.query);
    };
    const poll = setInterval(() => {
      let closed = true;
      let ours = false;
      try {
        closed = popup.closed;
        // Readable only while same-origin; the initial about:blank is not a page of ours.
        ours = !closed && popup.location.href !== "about:blank";
      } catch {}
      if (closed && seenOnOurOrigin) end(reject, "closed");
      else seenOnOurOrigin = ours;
    }, 200);
    const timer = setTimeout(() => {
      try {
        popup.close();
      } catch {}
      end(reject, "timeout");
    }, timeoutMs);
  });
}

/** In the popup: hands the callback query to the opener and closes the popup once the opener
 *  acknowledges it (true), or resolves false when no opener answered within 3 s. */
export function handOff(channel, state, query) {
  return new Promise((resolve) => {
    const bc = new BroadcastChannel(channel);
    const end = (acked) => {
      clearTimeout(timer);
      bc.close();
      if (acked) window.close();
      resolve(acked);
    };
    bc.onmessage = (e) => e.data && e.data.ack === state && end(true);
    const timer = setTimeout(() => end(false), 3000);
    bc.postMessage({ state, query });
  });
}
