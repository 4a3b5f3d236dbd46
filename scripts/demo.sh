#!/usr/bin/env bash
# Starts the emulator and the demo's static server, prints the URL and the demo credentials;
# Ctrl-C stops both. Against a real org: make demo LOGIN_HOST=https://NAME.my.salesforce.com CLIENT_ID=3MVG9…
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_PORT=${DEMO_PORT:-8080}
EMULATOR_PORT=${EMULATOR_PORT:-8787}
ORIGIN="http://localhost:${DEMO_PORT}"
cargo build --release -q -p sf-emulator
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -n "${LOGIN_HOST:-}" ]; then
  node scripts/serve.mjs --port "$DEMO_PORT" --login-host "$LOGIN_HOST" --client-id "${CLIENT_ID:-}" &
  pids+=($!)
  sleep 0.5
  echo
  echo "  Demo against your org: ${ORIGIN}/"
  echo "  Register exactly ${ORIGIN}/callback as the app's callback URL, and ${ORIGIN} in Setup > CORS."
else
  ./target/release/sf-emulator --port "$EMULATOR_PORT" --test-control --batch-size 25 \
    --callback "${ORIGIN}/callback" --cors-origin "$ORIGIN" --access-token-ttl 300 \
    --logout-url "${ORIGIN}/" &
  pids+=($!)
  node scripts/serve.mjs --port "$DEMO_PORT" --emulator "http://127.0.0.1:${EMULATOR_PORT}" \
    --client-id 3MVG9EMULATOR.demo.salesforce_pkce.client \
    --users '["ada@acme.demo / demo-Ada-2026","sam@acme.demo / demo-Sam-2026"]' &
  pids+=($!)
  sleep 0.5
  echo
  echo "  Open ${ORIGIN}/ and log in as ada@acme.demo / demo-Ada-2026 (or sam@acme.demo / demo-Sam-2026)."
fi
echo "  Ctrl-C stops everything."
wait
