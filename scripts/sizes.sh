#!/usr/bin/env bash
# Prints the package's size, raw and gzip (level 9 by Node's zlib, as make bench weighs it; GNU
# gzip reads a few hundred bytes lower on the larger files): the default entry (what a page without
# sessionSharing or DPoP fetches: wasm, glue, its snippets), the same page under the "development"
# export condition (+ the entry's development file, development.js, prose.js, explanations.js), the ./dpop entry (with the dpop or
# verifyIdTokenSignature options), the ./tabs entry (what a page with sessionSharing fetches
# instead; the session worker loads the same files), and the package.
set -euo pipefail
# (The default entry has no snippets folder: its one snippet is bundled into its glue.)
shopt -s nullglob
cd "$(dirname "$0")/.."
out=${1:-pkg}
gz() { node -e 'process.stdout.write(String(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length))' "$1"; }
sum() { # sum FILE... -> "raw gzip"
  local raw=0 gzb=0 f
  for f in "$@"; do raw=$(( raw + $(wc -c < "$f") )); gzb=$(( gzb + $(gz "$f") )); done
  echo "$raw $gzb"
}
row() { printf '%-34s %10d %10d\n' "$1" $2; }
printf '%-34s %10s %10s\n' "pkg size" "raw B" "gzip B"
row "default entry: wasm" "$(sum "$out/salesforce_pkce_bg.wasm")"
row "default entry: JS (glue, snippets)" "$(sum "$out/salesforce_pkce.js" "$out"/snippets/*/js/*.js)"
row "default page (wasm + JS)" "$(sum "$out/salesforce_pkce_bg.wasm" "$out/salesforce_pkce.js" "$out"/snippets/*/js/*.js)"
row "default page, development build" "$(sum "$out/salesforce_pkce_bg.wasm" "$out/salesforce_pkce.js" "$out"/snippets/*/js/*.js "$out/salesforce_pkce.development.js" "$out/development.js" "$out/prose.js" "$out/explanations.js")"
default=$(sum "$out/salesforce_pkce_bg.wasm" "$out/salesforce_pkce.js" "$out"/snippets/*/js/*.js)
dpop=$(sum "$out/dpop/salesforce_pkce_bg.wasm" "$out/dpop/salesforce_pkce.js" "$out"/dpop/snippets/*/js/*.js)
tabs=$(sum "$out/tabs/salesforce_pkce_bg.wasm" "$out/tabs/salesforce_pkce.js" "$out"/tabs/snippets/*/js/*.js "$out/tabs/session-worker.js")
minus() { set -- $1 $2; echo "$(( $1 - $3 )) $(( $2 - $4 ))"; }
row "dpop entry (wasm + JS)" "$dpop"
row "- DPoP add-on (dpop - default)" "$(minus "$dpop" "$default")"
row "tabs entry (wasm + JS + worker)" "$tabs"
row "- sharing add-on (tabs - dpop)" "$(minus "$tabs" "$dpop")"
row "whole package (three entries)" "$(sum "$out/salesforce_pkce_bg.wasm" "$out/salesforce_pkce.js" "$out"/snippets/*/js/*.js "$out"/dpop/salesforce_pkce_bg.wasm "$out/dpop/salesforce_pkce.js" "$out"/dpop/snippets/*/js/*.js "$out/tabs/salesforce_pkce_bg.wasm" "$out/tabs/salesforce_pkce.js" "$out"/tabs/snippets/*/js/*.js "$out/tabs/session-worker.js")"
node scripts/wasm-shape.mjs "$out"
