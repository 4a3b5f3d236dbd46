#!/usr/bin/env bash
# wasm-opt -Oz from the npm binaryen package, with the features wasm-bindgen's output uses.
# Usage: scripts/wasm-opt.sh IN OUT [extra wasm-opt flags]. Shared by build, twiggy, core-probe.
set -euo pipefail
in=$1 out=$2
shift 2
"$(dirname "$0")/../node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$@" "$in" -o "$out"
