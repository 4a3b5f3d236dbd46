#!/usr/bin/env bash
# Builds the Leptos example into OUT (default dist/): cargo for wasm32 (PROFILE=dev, the
# default, or release), then the wasm-bindgen CLI at the crate's exact version (0.2.130, already
# installed by make setup; nothing is downloaded) into OUT/app/ (not pkg/, where
# scripts/serve.mjs serves the repository's package), beside index.html and boot.js.
set -euo pipefail
cd "$(dirname "$0")"
out=$(realpath -m "${1:-dist}")
profile=${PROFILE:-dev}
# The CLI must match the wasm-bindgen the lockfile resolves, or the glue will not load.
locked=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
cli=$(wasm-bindgen --version | awk '{print $2}')
[ "$locked" = "$cli" ] || { echo "Cargo.lock has wasm-bindgen $locked, the CLI is $cli" >&2; exit 1; }
nice -n 10 cargo build --locked --target wasm32-unknown-unknown --profile "$profile"
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out/app" --out-name leptos_example \
  "target/wasm32-unknown-unknown/$dir/salesforce-pkce-leptos-example.wasm"
cp index.html boot.js "$out/"
