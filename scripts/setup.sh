#!/usr/bin/env bash
# Installs every prerequisite on a fresh Debian machine that has cargo/rustc, node/npm and
# python: idempotent, checking versions; a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# The wasm-bindgen CLI must equal the crate's version exactly (pinned with = in Cargo.toml).
WB_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WB_VERSION" ] || { echo "cannot read the wasm-bindgen pin from Cargo.toml" >&2; exit 1; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" = "$WB_VERSION" ] && command -v wasm-bindgen-test-runner >/dev/null; then
  say "wasm-bindgen-cli $WB_VERSION: present"
else
  say "installing wasm-bindgen-cli $WB_VERSION (found: ${have_wb:-none})"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# The pinned nightly for the shipped wasm, with rust-src and the wasm32 target.
say "nightly for the npm wasm: $(scripts/nightly.sh --install) ($(rustc +"$(scripts/nightly.sh)" --version))"

if command -v wasm-pack >/dev/null; then
  say "wasm-pack: $(wasm-pack --version)"
else
  say "installing wasm-pack"
  cargo install wasm-pack
fi

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  say "chromium + chromedriver: present"
else
  say "installing chromium and chromium-driver (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
c_major=$(chromium --version 2>/dev/null | grep -o '[0-9]\+\.' | head -1)
d_major=$(chromedriver --version 2>/dev/null | grep -o '[0-9]\+\.' | head -1)
if [ "$c_major" != "$d_major" ]; then
  echo "chromium ($c_major) and chromedriver ($d_major) majors differ: run apt-get install --only-upgrade chromium chromium-driver" >&2
  exit 1
fi

# npm packages for build and tests (binaryen's wasm-opt, playwright-core, oidc-provider, tsc),
# from the committed lockfile; reinstalled only when the lockfile changed.
stamp=node_modules/.lock-stamp
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  say "npm packages: up to date"
else
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
say "ready"
