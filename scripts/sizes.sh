#!/usr/bin/env bash
# Prints the package's size: wasm and JS glue, raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
gz() { gzip -9 -c "$1" | wc -c; }
wasm=pkg/salesforce_pkce_bg.wasm
js=pkg/salesforce_pkce.js
snip=$(ls pkg/snippets/*/js/auth_error.js)
glue_raw=$(( $(wc -c < "$js") + $(wc -c < "$snip") ))
glue_gz=$(( $(gz "$js") + $(gz "$snip") ))
printf '%-22s %10s %10s\n' "pkg size" "raw B" "gzip B"
printf '%-22s %10d %10d\n' "wasm" "$(wc -c < "$wasm")" "$(gz "$wasm")"
printf '%-22s %10d %10d\n' "JS glue (+AuthError)" "$glue_raw" "$glue_gz"
printf '%-22s %10d %10d\n' "total" "$(( $(wc -c < "$wasm") + glue_raw ))" "$(( $(gz "$wasm") + glue_gz ))"
