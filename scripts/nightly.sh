#!/usr/bin/env bash
# The pinned nightly that builds the shipped npm wasm (panic=immediate-abort, no fmt Debug, no
# panic locations, core/alloc rebuilt: measured 13 KB gzip smaller than the stable build, see
# docs/DECISIONS.md). Prints the rustup toolchain name to use; with --install, installs what is
# missing (rust-src, the wasm32 target). The stable build is still built and tested (make test).
set -euo pipefail
PIN_DATE=2026-05-19
PIN_VERSION="1.97.0-nightly (e50aa6fba 2026-05-19)"
export PATH="$HOME/.cargo/bin:$PATH"
name=""
for candidate in "nightly-$PIN_DATE" nightly; do
  if [ "$(rustc +"$candidate" --version 2>/dev/null | sed 's/^rustc //')" = "$PIN_VERSION" ]; then
    name=$candidate
    break
  fi
done
if [ -z "$name" ]; then
  [ "${1:-}" = "--install" ] || { echo "the pinned nightly ($PIN_VERSION) is missing: run make setup" >&2; exit 1; }
  rustup toolchain install "nightly-$PIN_DATE" --profile minimal >&2
  name="nightly-$PIN_DATE"
fi
if [ "${1:-}" = "--install" ]; then
  rustup component list --toolchain "$name" --installed | grep -q '^rust-src' ||
    rustup component add rust-src --toolchain "$name" >&2
  rustup target list --toolchain "$name" --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown --toolchain "$name" >&2
fi
echo "$name"
