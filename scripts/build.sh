#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, --target web, cargo feature npm: no std),
# wasm-opt -Oz from the npm binaryen package, the AuthError re-export, the shipped JS minified
# with esbuild, then prints the sizes (raw and gzip).
set -euo pipefail
cd "$(dirname "$0")/.."

wasm-pack build --release --target web --out-dir pkg --out-name salesforce_pkce -- --features npm >/dev/null 2>build.log || { cat build.log; exit 1; }
rm -f build.log

wasm=pkg/salesforce_pkce_bg.wasm
scripts/wasm-opt.sh "$wasm" "$wasm.opt" --strip-debug --strip-producers
mv "$wasm.opt" "$wasm"

# AuthError is defined in a JS snippet (a real Error subclass); re-export it from the entry.
snippet=$(cd pkg && ls snippets/*/js/auth_error.js)
if ! grep -q "export { AuthError }" pkg/salesforce_pkce.js; then
  printf '\nexport { AuthError } from "./%s";\n' "$snippet" >> pkg/salesforce_pkce.js
fi

# The session worker (sessionSharing: "tabs") imports the entry from beside it.
cp js/session-worker.js pkg/session-worker.js

# package.json: ship the snippets and the session worker, keep files tidy.
node -e '
const fs = require("fs");
const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
p.files = Array.from(new Set([...(p.files || []), "snippets", "session-worker.js"]));
p.sideEffects = ["./snippets/*"];
fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
'
cp README.md pkg/README.md 2>/dev/null || true

# Shipped JS minified like the peers' (esbuild, ESM kept: import.meta.url and the
# new URL(..., import.meta.url) forms bundlers rewrite stay as they are); the .d.ts stays readable.
for f in pkg/salesforce_pkce.js pkg/snippets/*/js/*.js pkg/session-worker.js; do
  node_modules/.bin/esbuild "$f" --minify --format=esm --log-level=warning --outfile="$f" --allow-overwrite
done

scripts/sizes.sh
