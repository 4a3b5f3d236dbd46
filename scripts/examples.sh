#!/usr/bin/env bash
# Builds and tests examples/ (make examples): each JS example installs its exact-pinned tools
# from its own lockfile (npm ci, skipped while the lockfile is unchanged) and the package from
# the packed tarball as a user would (npm i --no-save, so no lockfile records the tarball's
# hash); then tests/examples/ builds each app, serves it and drives it in headless Chromium
# against sf-emulator. Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
begin=$SECONDS
step() { # step LABEL COMMAND...: runs it, prints its duration
  local s=$SECONDS
  "${@:2}"
  echo "examples: $1 in $(( SECONDS - s )) s"
}
rm -f pkg/*.tgz
wasm-pack pack pkg >/dev/null 2>&1
tarball=$(ls "$PWD"/pkg/salesforce-pkce-*.tgz)
install() { # install EXAMPLE
  cd "examples/$1"
  if [ ! -f node_modules/.lock-stamp ] || [ package-lock.json -nt node_modules/.lock-stamp ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    touch node_modules/.lock-stamp
  fi
  npm install --no-save --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
  cd - >/dev/null
}
for example in vite-react webpack; do
  step "$example: npm install" install "$example"
done
step "sf-emulator build" cargo build -q -p sf-emulator
step "tests (builds included)" node --test --test-concurrency=1 tests/examples/
echo "examples: all passed in $(( SECONDS - begin )) s"
