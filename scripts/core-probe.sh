#!/usr/bin/env bash
# Builds bench/core-probe (src/core alone behind a minimal string API; not shipped) the way
# scripts/build.sh builds the package: the pinned nightly with the same flags and core/alloc
# rebuilt (with optimize_for_size), no std (src/npm.rs's panic handler and allocator), release,
# wasm-bindgen --target web, wasm-opt -Oz with the build's two --flatten --rereloop -Oz.
# Output: build/core-probe/core_probe_bg.wasm and core_probe.js (a row of make bench's table).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/core-probe && rm -rf "$out" && mkdir -p "$out"
RUSTUP_TOOLCHAIN=$(scripts/nightly.sh) \
  RUSTFLAGS='-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none' \
  cargo build -q --release --target wasm32-unknown-unknown --manifest-path bench/core-probe/Cargo.toml \
  --target-dir target/core-probe -Z build-std=core,alloc -Z build-std-features=optimize_for_size
wasm-bindgen --target web --out-dir "$out" target/core-probe/wasm32-unknown-unknown/release/core_probe.wasm
scripts/wasm-opt.sh "$out/core_probe_bg.wasm" "$out/core_probe_bg.wasm" --flatten --rereloop -Oz --flatten --rereloop -Oz --strip-debug --strip-producers --strip-target-features
