#!/usr/bin/env bash
# make bench: size and speed next to the peers (bench/run.mjs), then a twiggy breakdown of the
# shipped wasm and its import and export counts; bench/core-probe is built first for its size row. BENCH_QUICK=1 runs a short smoke (used by make test) without writing results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=bench/node_modules/.lock-stamp
if ! { [ -f "$stamp" ] && cmp -s bench/package-lock.json "$stamp"; }; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error) && cp bench/package-lock.json "$stamp"
fi
scripts/core-probe.sh
node bench/run.mjs
# The partial runs (BENCH_FETCH, BENCH_PKCE, BENCH_STORM) print their rows only and leave
# bench/results.md as it is: no twiggy appended to it either.
if [ "${BENCH_QUICK:-0}" != 1 ] && [ "${BENCH_FETCH:-0}" != 1 ] && [ "${BENCH_PKCE:-0}" != 1 ] && [ "${BENCH_STORM:-0}" != 1 ]; then
  command -v twiggy >/dev/null || cargo install twiggy
  scripts/twiggy.sh | tee -a bench/results.md
  # The wasm's boundary: functions imported from JS and exported to it, per entry.
  { printf '\n## The wasm boundary (functions)\n\n```\n'; node scripts/wasm-shape.mjs pkg; printf '```\n'; } | tee -a bench/results.md
fi
