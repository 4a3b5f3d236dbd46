// Writes README.md's "Browser support" table from the last `make test-browser` run
// (build/browser-results/<engine>.tsv, one row each: engine, version, passed, failed, seconds,
// and the JSON array of the suite's ENGINE-REPORT lines). Never edited by hand.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = "build/browser-results";
const START = "<!-- browser-table:start (make browser-table writes this; do not edit) -->";
const END = "<!-- browser-table:end -->";
const ORDER = ["chromium", "firefox", "webkit"];
const NAMES = { chromium: "Chromium", firefox: "Firefox ESR", webkit: "WebKitGTK (MiniBrowser)" };

let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith(".tsv"));
} catch {
  files = [];
}
if (files.length === 0) {
  console.error(`no results in ${dir}/: run make test-browser first`);
  process.exit(1);
}

const rows = files
  .map((f) => {
    const [engine, version, passed, failed, seconds, report] = readFileSync(join(dir, f), "utf8").trimEnd().split("\t");
    const merged = Object.assign({}, ...JSON.parse(report || "[]"));
    const day = statSync(join(dir, f)).mtime.toISOString().slice(0, 10);
    return { engine, version, passed: Number(passed), failed: Number(failed), seconds, day, ...merged };
  })
  .sort((a, b) => ORDER.indexOf(a.engine) - ORDER.indexOf(b.engine));

const runsAs = (asked, got) => (got === undefined ? "not measured" : got === asked ? `\`"${got}"\`` : `falls back to \`"${got}"\``);
const cleanup = (v) =>
  ({
    "throws SecurityError": "`replaceState` throws `SecurityError`: login completes, one `error` event",
    ignored: "`replaceState` silently ignored: login completes, one `error` event",
    false: "cleaned",
  })[String(v)] ?? "not measured";

const lines = [
  START,
  "| Engine | Version tested | Browser suite | `sessionSharing: \"tabs\"` | `sessionSharing: \"tabs-locks\"` | Address bar after 100+ `replaceState` calls in 10 s |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) =>
    [
      NAMES[r.engine] ?? r.engine,
      r.version,
      Number.isNaN(r.failed) ? "**did not finish**" : r.failed === 0 ? `${r.passed} passed` : `${r.passed} passed, **${r.failed} failed**`,
      runsAs("tabs", r.sharing?.tabs),
      runsAs("tabs-locks", r.sharing?.["tabs-locks"]),
      cleanup(r.replaceStateLimit),
    ].join(" | ").replace(/^/, "| ").replace(/$/, " |"),
  ),
  "",
  `Written by \`make browser-table\` from the last \`make test-browser\` run (${[...new Set(rows.map((r) => r.day))].join(", ")}; ` +
    `suite durations ${rows.map((r) => `${NAMES[r.engine] ?? r.engine} ${r.seconds} s`).join(", ")}).`,
  END,
];

const readme = readFileSync("README.md", "utf8");
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a < 0 || b < a) {
  console.error(`README.md has no ${START} … ${END} section`);
  process.exit(1);
}
writeFileSync("README.md", readme.slice(0, a) + lines.join("\n") + readme.slice(b + END.length));
console.log(lines.join("\n"));
