#!/bin/bash
# Side-by-side, interleaved speed comparison of q8's int8-run against ONNX Runtime (FP32 and INT8) on
# the models bench/ort/prepare.sh made. Prints a table and writes a json (default WORK/side_by_side.json).
#
#   bench/ort/side_by_side.sh [--models "resnet50 resnet18 mobilenet_v2 ssd1200"] [--threads "1 2"]
#                             [--rounds 7] [--iters K | --target-sec 1.5] [--work /work/bench-ort]
#                             [--bin build/bin] [--json FILE] [--no-ours | --no-ort] [--ours-args "..."]
#
# Rounds of [ORT FP32, ours FP32, ORT INT8, ours INT8], K iterations each (default: about --target-sec
# seconds of ORT FP32); per entry the median of its K iterations, then the median over rounds; ratio =
# ORT/ours (> 1: ours faster), the median of the per-round ratios. See README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
die() { echo "side_by_side.sh: $*" >&2; exit 1; }

bin="${Q8_BIN:-$repo/build/bin}"
no_ours=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --bin) bin="${args[i+1]:-}" ;;
    --no-ours) no_ours=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
done

command -v node >/dev/null || die "node not found (Debian: apt-get install nodejs)"
(cd "$here" && node -e "require('onnxruntime-node')" 2>/dev/null) ||
  die "onnxruntime-node is not installed or does not load: run $here/install.sh"
if [[ $no_ours == 0 ]]; then
  [[ -x "$bin/int8-run" ]] ||
    die "$bin/int8-run missing: build it (cd $repo && cmake --build build -j2) or pass --bin DIR (or --no-ours)"
  help="$("$bin/int8-run" --help 2>&1 || true)"
  [[ "$help" == *niter* ]] ||
    die "$bin/int8-run has no benchmark mode (-nthreads/-niter): rebuild from a tree that has it (or --no-ours)"
fi

# Environment: spinning OpenMP waits (passive costs ~17% at 2 threads), no pinning.
if [[ "${OMP_WAIT_POLICY:-}" =~ ^[Pp][Aa][Ss][Ss][Ii][Vv][Ee]$ ]]; then
  echo "side_by_side.sh: OMP_WAIT_POLICY=passive would slow our 2-thread runs; unsetting it" >&2
  unset OMP_WAIT_POLICY
fi
for v in OMP_PROC_BIND OMP_PLACES GOMP_CPU_AFFINITY KMP_AFFINITY; do
  if [[ -n "${!v:-}" ]]; then
    echo "side_by_side.sh: $v is set (pinning); unsetting it: nothing is pinned in this comparison" >&2
    unset "$v"
  fi
done
unset OMP_NUM_THREADS  # each side gets its thread count from its own flag

export Q8_BIN="$bin"
exec node "$here/side_by_side.js" "$@"
