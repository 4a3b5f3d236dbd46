#!/usr/bin/env bash
# make fuzz: property tests at 1,000,000 cases each (release), then every cargo-fuzz target for a
# fixed time, one job, on the pinned nightly (scripts/nightly.sh), with its dictionary
# (fuzz/dicts/<target>.dict) where it has one. Prints the number of cases run and the failures
# (the run stops on one). FUZZ_CASES, FUZZ_SECONDS (per target) and FUZZ_THREADS (property test
# threads) change the amounts.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${FUZZ_CASES:-1000000}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGETS="callback token_response urls stored_records dpop_nonce jwks tab_messages worker_messages"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
NIGHTLY=$(scripts/nightly.sh)
# A target fuzz/Cargo.toml declares but this list forgets would never run.
for t in $(cd fuzz && cargo fuzz list); do
  [[ " $TARGETS " == *" $t "* ]] || { echo "fuzz target $t is missing from scripts/fuzz.sh's list" >&2; exit 1; }
done

echo "== property tests: $CASES cases each"
PROPTEST_CASES=$CASES cargo test --release --test props -- --nocapture --test-threads="${FUZZ_THREADS:-2}" 2>&1 | tee build-fuzz-props.log | grep -oE "fuzz-cases [^ ]+ [0-9]+ [0-9]+|test result.*"
# libtest may print a property's line after its own "test name ... ", so not at a line's start.
total=$(grep -oE "fuzz-cases [^ ]+ [0-9]+" build-fuzz-props.log | awk '{n += $3} END {print n+0}')
echo "property tests: $total cases run, 0 failures"

echo "== cargo fuzz: ${SECONDS_PER_TARGET}s per target"
fuzz_total=0
for target in $TARGETS; do
  dict=()
  [ -f "fuzz/dicts/$target.dict" ] && dict=("-dict=dicts/$target.dict")
  (cd fuzz && cargo "+$NIGHTLY" fuzz run "$target" -- -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 "${dict[@]}") > "build-fuzz-$target.log" 2>&1 \
    || { tail -30 "build-fuzz-$target.log"; echo "cargo fuzz $target: FAILED"; exit 1; }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz-$target.log" | awk '{print $2}')
  echo "cargo fuzz $target: ${runs:-0} runs, 0 crashes"
  fuzz_total=$((fuzz_total + ${runs:-0}))
done
rm -f build-fuzz-*.log
echo "make fuzz: $((total + fuzz_total)) cases run in all, 0 failures"
