#!/usr/bin/env bash
# The wasm-bindgen browser suite (tests/browser.rs) in every engine of $ENGINES (default
# "chromium firefox webkit"): built once, then run by wasm-bindgen-test-runner through each
# engine's WebDriver, given by explicit path (nothing is downloaded). Prints each engine's suite
# duration and writes build/browser-results/<engine>.tsv, one row per engine (engine, version,
# passed, failed, seconds, the engine report's JSON), which `make browser-table` reads.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

ENGINES=${ENGINES:-chromium firefox webkit}
say() { printf '[test-browser] %s\n' "$*"; }
mkdir -p build
results=build/browser-results
logdir=build/browser-logs
mkdir -p "$results" "$logdir"

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The whole suite must finish within this many seconds (the runner's default is 20; the
# replaceState tests wait out two 10-second windows).
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
cargo_test=(cargo test --target wasm32-unknown-unknown --test browser)

start=$(date +%s)
"${cargo_test[@]}" -q --no-run
say "build: $(( $(date +%s) - start ))s"

version_of() {
  case $1 in
    chromium) chromium --version 2>/dev/null | awk '{print $2}' ;;
    firefox) firefox-esr --version | awk '{print $3}' ;;
    webkit) dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 | sed 's/-.*//' ;;
  esac
}

run_engine() {
  # --nocapture lets the engine report test print its ENGINE-REPORT line (sharing fallbacks).
  case $1 in
    chromium) CHROMEDRIVER=/usr/bin/chromedriver "${cargo_test[@]}" -- --nocapture ;;
    firefox) GECKODRIVER="$HOME/.cargo/bin/geckodriver" "${cargo_test[@]}" -- --nocapture ;;
    # WebKitGTK has no headless mode: WebKitWebDriver starts MiniBrowser in a virtual X server.
    webkit) SAFARIDRIVER=/usr/bin/WebKitWebDriver xvfb-run -a "${cargo_test[@]}" -- --nocapture ;;
    *) echo "unknown engine $1 (chromium, firefox, webkit)" >&2; return 2 ;;
  esac
}

failed_engines=()
summary=()
for engine in $ENGINES; do
  log="$logdir/$engine.log"
  say "$engine: running"
  t0=$(date +%s)
  rc=0
  run_engine "$engine" > "$log" 2>&1 || rc=$?
  secs=$(( $(date +%s) - t0 ))
  line=$(grep -E '^test result:' "$log" | tail -1 || true)
  passed=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<< "$line")
  failed=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<< "$line")
  report=$(grep -o 'ENGINE-REPORT .*' "$log" | head -1 | sed 's/^ENGINE-REPORT //' || true)
  [ -n "$report" ] || report='{}'
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$(version_of "$engine")" "${passed:-0}" "${failed:-?}" "$secs" "$report" > "$results/$engine.tsv"
  if [ "$rc" != 0 ]; then
    grep -E '^(test .* FAILED|failures:|---- |panicked|Error|error)' "$log" | head -40 || true
    say "$engine: FAILED (rc $rc), ${passed:-0} passed, ${failed:-?} failed in ${secs}s; full log: $log"
    failed_engines+=("$engine")
  else
    say "$engine: ${passed} passed in ${secs}s"
  fi
  summary+=("$engine ${passed:-0}/${failed:-?} ${secs}s")
done
say "durations: ${summary[*]} (passed/failed, suite time; results in $results)"
[ ${#failed_engines[@]} = 0 ] || { say "failed in: ${failed_engines[*]}"; exit 1; }
