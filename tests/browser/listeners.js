// Listeners for the executor's `listen` and `deliver` (tests/browser/listeners.rs): each
// writes its tag and the event's type to the log the test takes.
const log = [];
export const recording = (tag) => (e) => { log.push(`${tag}:${e.type}`); };
export const throwing = (tag) => (e) => { log.push(`${tag}:${e.type}`); throw new Error("a listener threw"); };
// Calls `off` (set later, by the test) when called.
export const removing = (tag, holder) => (e) => { log.push(`${tag}:${e.type}`); holder.off(); };
export const takeLog = () => log.splice(0).join(" ");
export const event = (type) => ({ type });
// A session worker host's dispatch function for `relayEvent` (js/tabs.js): logs what it is
// called with (its number and the event's form).
export const hostRecording = () => (kind, n, m, form) => { log.push(`${kind}:${form}`); };
