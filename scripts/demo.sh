#!/usr/bin/env bash
# Starts the emulator and the demo's static server, prints the URL and the demo credentials;
# Ctrl-C stops both. Against a real org: make demo LOGIN_HOST=https://NAME.my.salesforce.com CLIENT_ID=3MVG9…
set -euo pipefail
cd "$(dirname "$0")/.."
# Ports: a port you set (DEMO_PORT, EMULATOR_PORT) must be free, or the demo stops and says so;
# a default one (8080, 8787) that is taken is replaced by a free port, printed below.
port_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pick_port() { # NAME DEFAULT: prints the port to use, or fails with a message
  local name=$1 default=$2 given=${!1:-}
  if [ -n "$given" ]; then
    port_free "$given" || { echo "make demo: $name=$given is in use on 127.0.0.1; free it or choose another port ($name=...)" >&2; return 1; }
    echo "$given"
  elif port_free "$default"; then
    echo "$default"
  else
    local p; p=$(free_port)
    echo "make demo: port $default ($name's default) is in use; using $p instead" >&2
    echo "$p"
  fi
}
# Waits until something listens on 127.0.0.1:PORT, as long as process PID lives.
wait_listening() {
  local port=$1 pid=$2 what=$3 i
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { echo "make demo: the $what stopped before it listened on port $port (see its message above)" >&2; return 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "make demo: the $what did not listen on port $port within 30 s" >&2; return 1
}
DEMO_PORT=$(pick_port DEMO_PORT 8080)
ORIGIN="http://localhost:${DEMO_PORT}"
# SF_EMULATOR: an emulator binary already built (the demo's test uses the debug one).
if [ -z "${SF_EMULATOR:-}" ]; then
  cargo build --release -q -p sf-emulator
  SF_EMULATOR=./target/release/sf-emulator
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -n "${LOGIN_HOST:-}" ]; then
  node scripts/serve.mjs --port "$DEMO_PORT" --login-host "$LOGIN_HOST" --client-id "${CLIENT_ID:-}" &
  pids+=($!)
  wait_listening "$DEMO_PORT" "$!" "demo server"
  echo
  echo "  Demo against your org: ${ORIGIN}/"
  echo "  Register exactly ${ORIGIN}/callback as the app's callback URL, and ${ORIGIN} in Setup > CORS."
else
  EMULATOR_PORT=$(pick_port EMULATOR_PORT 8787)
  "$SF_EMULATOR" --port "$EMULATOR_PORT" --test-control --batch-size 25 \
    --callback "${ORIGIN}/callback" --cors-origin "$ORIGIN" --access-token-ttl 300 \
    --logout-url "${ORIGIN}/" &
  pids+=($!)
  wait_listening "$EMULATOR_PORT" "$!" "emulator"
  node scripts/serve.mjs --port "$DEMO_PORT" --emulator "http://127.0.0.1:${EMULATOR_PORT}" \
    --client-id 3MVG9EMULATOR.demo.salesforce_pkce.client \
    --users '["ada@acme.demo / demo-Ada-2026","sam@acme.demo / demo-Sam-2026"]' &
  pids+=($!)
  wait_listening "$DEMO_PORT" "$!" "demo server"
  echo
  echo "  Emulator (My Domain): http://127.0.0.1:${EMULATOR_PORT}"
  echo "  Open ${ORIGIN}/ and log in as ada@acme.demo / demo-Ada-2026 (or sam@acme.demo / demo-Sam-2026)."
fi
echo "  Ctrl-C stops everything."
wait
