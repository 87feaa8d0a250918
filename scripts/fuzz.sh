#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan, build-fuzz/) and runs each one
# for SECONDS_PER_TARGET (default 15), JOBS targets at a time (default: the number of cores).
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
# The repo corpus (tests/fuzz/corpus/<target>/) and the regression inputs are read-only seeds:
# new inputs go to a temp dir that is removed afterwards. Crash artifacts go to a temp dir that
# is kept and listed; the exit status is 1 when any target crashed, leaked, hung or ran out of memory.
# Store each crashing input in tests/fuzz/regressions/<target>/ (fuzz_replay_tests replays them).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-15}"
jobs="${JOBS:-$(nproc)}"
dir="${Q8_FUZZ_BUILD_DIR:-build-fuzz}"
targets=(onnx graphdef ir_xml ir_bin pot_json coco_json jpeg png npy)

start=$SECONDS
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++ -DQ8_FUZZ=ON -DQ8_BUILD_BENCH=OFF >/dev/null
ninja -C "$dir" -j "$jobs" q8_fuzz_targets >&2
echo "== fuzz: built in $((SECONDS - start)) s; ${secs} s per target, ${jobs} at a time ==" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/q8-fuzz.XXXXXX")
crashes="$work/crashes"
mkdir -p "$crashes"

run_target() {
  local t=$1
  mkdir -p "$work/new/$t" "$crashes/$t"
  local seeds=(tests/fuzz/corpus/"$t")
  if [[ -d tests/fuzz/regressions/$t ]]; then seeds+=(tests/fuzz/regressions/"$t"); fi
  # The first corpus dir is the one libFuzzer writes new inputs to: the temp one.
  local rc=0
  "$dir/bin/fuzz_$t" "$work/new/$t" "${seeds[@]}" -max_total_time="$secs" -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -timeout=10 -detect_leaks="${Q8_DETECT_LEAKS:-1}" -print_final_stats=1 \
    -artifact_prefix="$crashes/$t/" >"$work/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$t.rc"
}

pids=()
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p"; done

status=0
for t in "${targets[@]}"; do
  rc=$(cat "$work/$t.rc")
  # The final stats, or on a crash the last status line ("#1234 ...").
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  [[ -n "$execs" ]] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$work/$t.log" | tail -1)
  found=$(find "$crashes/$t" -type f | wc -l)
  printf '%-10s %10s executions  %5s new inputs  %s crash artifacts  exit %s\n' "$t" "${execs:-?}" \
    "$(find "$work/new/$t" -type f | wc -l)" "$found" "$rc" >&2
  if ((found > 0 || rc != 0)); then
    status=1
    echo "-- $t: last lines of its log --" >&2
    tail -n 30 "$work/$t.log" >&2
  fi
done

rm -rf "$work/new"
if ((status != 0)); then
  echo "fuzz: FAILED; crash artifacts (keep each in tests/fuzz/regressions/<target>/):" >&2
  find "$crashes" -type f >&2
  echo "logs: $work" >&2
else
  rm -rf "$work"
  echo "== fuzz: no crashes, $((SECONDS - start)) s in all ==" >&2
fi
exit "$status"
