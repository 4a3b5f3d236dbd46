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

# Firefox and WebKit for the browser suite in every engine (make test-browser ENGINES=...):
# firefox-esr with geckodriver (crates.io, pinned), WebKitGTK's WebKitWebDriver and MiniBrowser,
# and xvfb (WebKitGTK has no headless mode). Nothing here downloads a browser or driver binary.
GECKODRIVER_VERSION=0.37.1
MINIBROWSER=$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -1 || true)
missing=()
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
{ command -v WebKitWebDriver >/dev/null && [ -n "$MINIBROWSER" ]; } || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb)
if [ ${#missing[@]} = 0 ]; then
  say "firefox-esr + webkit2gtk-driver + xvfb: present"
else
  say "installing ${missing[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  MINIBROWSER=$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -1 || true)
fi
ff_major=$(firefox-esr --version 2>/dev/null | grep -o '[0-9]\+\.' | head -1 | tr -d .)
if [ -z "$ff_major" ] || [ "$ff_major" -lt 128 ]; then
  echo "firefox-esr ${ff_major:-missing} is older than 128, the oldest geckodriver $GECKODRIVER_VERSION supports" >&2
  exit 1
fi
# WebKitWebDriver drives the MiniBrowser of the same WebKitGTK build: both packages must match.
wd_version=$(dpkg-query -W -f '${Version}' webkit2gtk-driver 2>/dev/null || true)
wk_version=$(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null || true)
if [ -z "$wd_version" ] || [ "$wd_version" != "$wk_version" ]; then
  echo "webkit2gtk-driver (${wd_version:-none}) and libwebkit2gtk-4.1-0 (${wk_version:-none}) differ: run apt-get install --only-upgrade webkit2gtk-driver libwebkit2gtk-4.1-0" >&2
  exit 1
fi
have_gd=$(geckodriver --version 2>/dev/null | awk 'NR==1{print $2}' || true)
if [ "$have_gd" = "$GECKODRIVER_VERSION" ]; then
  say "geckodriver $GECKODRIVER_VERSION: present (firefox-esr $ff_major, WebKitGTK $wk_version)"
else
  say "installing geckodriver $GECKODRIVER_VERSION from crates.io (found: ${have_gd:-none})"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi

# npm packages for build and tests (binaryen's wasm-opt, playwright-core, selenium-webdriver, oidc-provider, tsc,
# react, react-dom and @types/react for the package suite's salesforce-pkce/react tests),
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
