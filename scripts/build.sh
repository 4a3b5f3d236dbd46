#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, --target web, cargo feature npm: no std),
# wasm-opt -Oz from the npm binaryen package, the AuthError re-export, the shipped JS minified
# with esbuild, then prints the sizes (raw and gzip).
set -euo pipefail
cd "$(dirname "$0")/.."

# TOOLCHAIN=nightly (default: the shipped package, into pkg/) or stable (into OUT, default
# build/stable/pkg: the same package built with stable Rust, still tested by make test).
toolchain=${TOOLCHAIN:-nightly}
if [ "$toolchain" = nightly ]; then
  out=${OUT:-pkg}
  # panic=immediate-abort, no panic locations, no fmt Debug, core/alloc rebuilt (the npm build
  # links no std). RUSTFLAGS replaces .cargo/config.toml's, so the getrandom cfg is repeated.
  RUSTUP_TOOLCHAIN=$(scripts/nightly.sh) CARGO_TARGET_DIR=target/nightly \
    RUSTFLAGS='--cfg getrandom_backend="wasm_js" -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none' \
    wasm-pack build --release --target web --out-dir "$PWD/$out" --out-name salesforce_pkce -- --features npm -Z build-std=core,alloc \
    >/dev/null 2>build.log || { cat build.log; exit 1; }
else
  out=${OUT:-build/stable/pkg}
  wasm-pack build --release --target web --out-dir "$PWD/$out" --out-name salesforce_pkce -- --features npm \
    >/dev/null 2>build.log || { cat build.log; exit 1; }
fi
rm -f build.log

wasm=$out/salesforce_pkce_bg.wasm
scripts/wasm-opt.sh "$wasm" "$wasm.opt" --strip-debug --strip-producers
mv "$wasm.opt" "$wasm"

# AuthError is defined in a JS snippet (a real Error subclass); re-export it from the entry.
snippet=$(cd "$out" && ls snippets/*/js/auth_error.js)
if ! grep -q "export { AuthError }" "$out/salesforce_pkce.js"; then
  printf '\nexport { AuthError } from "./%s";\n' "$snippet" >> "$out/salesforce_pkce.js"
fi

# The session worker (sessionSharing: "tabs") imports the entry from beside it.
cp js/session-worker.js "$out/session-worker.js"

# package.json: ship the snippets and the session worker, keep files tidy.
node -e '
const fs = require("fs");
const file = process.argv[1] + "/package.json";
const p = JSON.parse(fs.readFileSync(file, "utf8"));
p.files = Array.from(new Set([...(p.files || []), "snippets", "session-worker.js"]));
p.sideEffects = ["./snippets/*"];
fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");
' "$out"
cp README.md "$out/README.md" 2>/dev/null || true

# Shipped JS minified like the peers' (esbuild, ESM kept: import.meta.url and the
# new URL(..., import.meta.url) forms bundlers rewrite stay as they are); the .d.ts stays readable.
for f in "$out"/salesforce_pkce.js "$out"/snippets/*/js/*.js "$out"/session-worker.js; do
  node_modules/.bin/esbuild "$f" --minify --format=esm --log-level=error --outfile="$f" --allow-overwrite
done

echo "$toolchain build in $out/"
scripts/sizes.sh "$out"
