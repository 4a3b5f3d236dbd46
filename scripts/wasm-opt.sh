#!/usr/bin/env bash
# wasm-opt -Oz from the npm binaryen package, with the features wasm-bindgen's output uses.
# Usage: scripts/wasm-opt.sh IN OUT [extra wasm-opt flags]. Shared by build, twiggy, core-probe.
# --generate-global-effects first: -Oz's passes then see what each call can do (a call that
# writes no memory and cannot trap no longer stops them), the same semantics; the default page
# -13 B (docs/DECISIONS.md, "The toolchain and the optimizer, re-measured").
set -euo pipefail
in=$1 out=$2
shift 2
"$(dirname "$0")/../node_modules/.bin/wasm-opt" --generate-global-effects -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$@" "$in" -o "$out"
