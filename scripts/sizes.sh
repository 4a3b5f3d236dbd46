#!/usr/bin/env bash
# Prints the package's size: wasm and JS (glue, snippets, session worker), raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
gz() { gzip -9 -c "$1" | wc -c; }
out=${1:-pkg}
wasm=$out/salesforce_pkce_bg.wasm
glue_raw=0
glue_gz=0
for f in "$out"/salesforce_pkce.js "$out"/snippets/*/js/*.js "$out"/session-worker.js; do
  glue_raw=$(( glue_raw + $(wc -c < "$f") ))
  glue_gz=$(( glue_gz + $(gz "$f") ))
done
printf '%-22s %10s %10s\n' "pkg size" "raw B" "gzip B"
printf '%-22s %10d %10d\n' "wasm" "$(wc -c < "$wasm")" "$(gz "$wasm")"
printf '%-22s %10d %10d\n' "JS (glue, snippets)" "$glue_raw" "$glue_gz"
printf '%-22s %10d %10d\n' "total" "$(( $(wc -c < "$wasm") + glue_raw ))" "$(( $(gz "$wasm") + glue_gz ))"
