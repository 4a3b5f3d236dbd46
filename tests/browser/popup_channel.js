// The opener's end of a login popup's BroadcastChannel, for tests: records what arrives (it does
// not acknowledge, so the test page, which the runner opened, is never asked to close).
const seen = [];
export function popupListen(channel) {
  new BroadcastChannel(channel).onmessage = (e) => seen.push(e.data);
}
export function popupSeen() { return JSON.stringify(seen); }
