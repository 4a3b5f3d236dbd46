// The opener's end of a login popup's BroadcastChannel, for tests: records what arrives (it does
// not acknowledge, so the test page, which the runner opened, is never asked to close).
const seen = [];
export function popupListen(channel) {
  new BroadcastChannel(channel).onmessage = (e) => seen.push(e.data);
}
export function popupSeen() { return JSON.stringify(seen); }
// A page whose BroadcastChannel throws (as a browser may refuse one): `on` false restores it.
const Real = globalThis.BroadcastChannel;
export function popupBreak(on) {
  globalThis.BroadcastChannel = on ? function () { throw new DOMException("refused", "SecurityError"); } : Real;
}
