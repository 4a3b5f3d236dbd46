// The README and guides as npm users read them: from the installed package. Every relative link
// (and image) resolves to a file inside the package, package.json names no placeholder
// repository, and the README's first screen goes from install to a signed-in API call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("salesforce-pkce/package.json"));

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "node_modules" ? [] : markdownFiles(join(dir, e.name))) : e.name.endsWith(".md") ? [join(dir, e.name)] : []);
}

test("every relative link in the shipped README and docs resolves inside the package", () => {
  const files = markdownFiles(root);
  assert.ok(files.some((f) => relative(root, f) === "README.md"), "the package ships a README");
  assert.ok(files.length >= 10, `the guides ship too (${files.length} markdown files)`);
  const broken = [];
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      checked++;
      const path = join(dirname(file), decodeURIComponent(target.split("#")[0]));
      if (!path.startsWith(root) || !existsSync(path)) broken.push(`${relative(root, file)} → ${target}`);
    }
  }
  assert.deepEqual(broken, [], "links that do not resolve inside the package");
  assert.ok(checked >= 10, `${checked} relative links checked`);
});

test("package.json names no placeholder repository", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.ok(!JSON.stringify(pkg.repository ?? "").includes("example.invalid"), JSON.stringify(pkg.repository));
});

test("the README's first screen goes from install to a signed-in API call", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const second = readme.split("\n").filter((l) => l.startsWith("## "))[1];
  const firstScreen = second ? readme.slice(0, readme.indexOf(second)) : readme;
  for (const step of ["npm install salesforce-pkce", "await init()", "AuthClient.salesforce(", "handleRedirect()", "auth.login(", "auth.fetch("]) {
    assert.ok(firstScreen.includes(step), `the first screen shows ${step}`);
  }
  assert.doesNotMatch(readme, /make demo|make test/, "the npm README is for users, not the repository's developers");
});
