// Writes README.md's "Browser support" table from the last `make test-browser` run
// (build/browser-results/<engine>.tsv, one row each: engine, version, passed, failed, seconds,
// and the JSON array of the suite's ENGINE-REPORT lines) and the last `make test-e2e` run
// (build/e2e-results/<engine>.tsv: engine, version, passed, failed, seconds). Never edited by hand.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const START = "<!-- browser-table:start (make browser-table writes this; do not edit) -->";
const END = "<!-- browser-table:end -->";
const ORDER = ["chromium", "firefox", "webkit"];
const NAMES = { chromium: "Chromium", firefox: "Firefox ESR", webkit: "WebKitGTK (MiniBrowser)" };

/** engine -> { fields of its row, day } for every <engine>.tsv in dir. */
function results(dir, names) {
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".tsv"));
  } catch {
    files = [];
  }
  return new Map(files.map((f) => {
    const fields = readFileSync(join(dir, f), "utf8").trimEnd().split("\t");
    const row = Object.fromEntries(names.map((n, i) => [n, fields[i]]));
    return [row.engine, { ...row, day: statSync(join(dir, f)).mtime.toISOString().slice(0, 10) }];
  }));
}
const suite = results("build/browser-results", ["engine", "version", "passed", "failed", "seconds", "report"]);
const e2e = results("build/e2e-results", ["engine", "version", "passed", "failed", "seconds"]);
if (suite.size === 0 && e2e.size === 0) {
  console.error("no results in build/browser-results/ or build/e2e-results/: run make test-browser and make test-e2e first");
  process.exit(1);
}

const rows = [...new Set([...suite.keys(), ...e2e.keys()])]
  .map((engine) => {
    const s = suite.get(engine);
    const merged = Object.assign({}, ...JSON.parse(s?.report || "[]"));
    return { engine, suite: s, e2e: e2e.get(engine), ...merged };
  })
  .sort((a, b) => ORDER.indexOf(a.engine) - ORDER.indexOf(b.engine));

const outcome = (r) => {
  if (!r) return "not run";
  const [passed, failed] = [Number(r.passed), Number(r.failed)];
  return Number.isNaN(failed) ? "**did not finish**" : failed === 0 ? `${passed} passed` : `${passed} passed, **${failed} failed**`;
};
// The suite's version (Firefox: "153.8.0esr"), and the E2E run's where it names another build.
const versions = (r) => [...new Set([r.suite?.version, r.e2e?.version].filter(Boolean))]
  .filter((v, _, all) => !all.some((w) => w !== v && w.startsWith(v))).join(" / ");
const durations = (which) => rows.filter((r) => r[which]).map((r) => `${NAMES[r.engine] ?? r.engine} ${r[which].seconds} s`).join(", ");
const days = [...new Set(rows.flatMap((r) => [r.suite?.day, r.e2e?.day]).filter(Boolean))].sort().join(", ");

const runsAs = (asked, got) => (got === undefined ? "not measured" : got === asked ? `\`"${got}"\`` : `falls back to \`"${got}"\``);
const cleanup = (v) =>
  ({
    "throws SecurityError": "`replaceState` throws `SecurityError`: login completes, one `error` event",
    ignored: "`replaceState` silently ignored: login completes, one `error` event",
    false: "cleaned",
  })[String(v)] ?? "not measured";

const lines = [
  START,
  "| Engine | Version tested | Browser suite | Core E2E flows | `sessionSharing: \"tabs\"` | `sessionSharing: \"tabs-locks\"` | Address bar after 100+ `replaceState` calls in 10 s |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) =>
    [
      NAMES[r.engine] ?? r.engine,
      versions(r),
      outcome(r.suite),
      outcome(r.e2e),
      runsAs("tabs", r.sharing?.tabs),
      runsAs("tabs-locks", r.sharing?.["tabs-locks"]),
      cleanup(r.replaceStateLimit),
    ].join(" | ").replace(/^/, "| ").replace(/$/, " |"),
  ),
  "",
  `Written by \`make browser-table\` from the last \`make test-browser\` and \`make test-e2e\` runs (${days}; ` +
    `suite durations ${durations("suite") || "none"}; E2E durations ${durations("e2e") || "none"}).`,
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
