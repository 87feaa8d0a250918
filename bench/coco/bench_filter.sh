#!/usr/bin/env bash
# Times get-annotations on a synthetic file the size and shape of instances_train2017.json (448 MiB,
# 118,287 images, 860,001 annotations) with a 500-name calibration list, as MLPerf's SSD-ResNet34
# calibration does. The data is generated once into $Q8_BENCH_DATA/coco (default /work/full-models)
# and reused; it is never committed. Not run in CI.
#   bench/coco/bench_filter.sh [path/to/get-annotations]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tool=${1:-$root/build/bin/get-annotations}
data=${Q8_BENCH_DATA:-/work/full-models}/coco
runs=5
if [[ ! -x $tool ]]; then
  echo "bench_filter.sh: no get-annotations at $tool (build it, or pass its path)" >&2
  exit 1
fi

mkdir -p "$data"
json=$data/instances_synthetic_train2017.json
list=$data/cali_500.txt
if [[ ! -s $json ]]; then
  echo "generating $json (about a minute)..." >&2
  /usr/bin/python3 "$here/gen_synthetic_coco.py" --instances "$json.part"
  mv "$json.part" "$json"
fi
if [[ ! -s $list ]]; then
  # 30% of the names carry a train2017/ prefix: entries match with or without a directory.
  /usr/bin/python3 "$here/gen_synthetic_coco.py" --list 500 --list-out "$list" --prefixed 0.3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One run: "<wall seconds> <peak RSS KB>", after checking that the 500 listed images were kept.
run_once() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$tool" --instances "$json" --list "$list" -o "$work/cali.json" \
    2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  if ! grep -q "kept 500 of 118287 images" "$work/err"; then
    echo "unexpected result:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  local n
  n=$(grep -o '"file_name":' "$work/cali.json" | wc -l)
  [[ $n -eq 500 ]] || { echo "output has $n images, expected 500" >&2; exit 1; }
  tail -n 1 "$work/time"
}

# Cold: drop the file from the page cache first (posix_fadvise needs no root; it may be a no-op
# where the pages are shared with other processes).
/usr/bin/python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$json"
cold=$(run_once)
warm=()
for _ in $(seq "$runs"); do warm+=("$(run_once)"); done

median=$(printf '%s\n' "${warm[@]}" | awk '{print $1}' | sort -n |
  awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
peak_kb=$(printf '%s\n' "$cold" "${warm[@]}" | awk '$2>m {m=$2} END {print m}')
size=$(stat -c %s "$json")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "get-annotations: $(grep -o 'kept .* annotations' "$work/err")"
printf 'input: %s (%.1f MiB)\n' "$json" "$(echo "$size / 1048576" | bc -l)"
printf 'machine: %s cores, %s\n' "$(nproc)" "$cpu"
printf 'cold cache: %s s\n' "$(echo "$cold" | awk '{print $1}')"
printf 'warm cache: median %s s over %d runs (%s)\n' "$median" "$runs" \
  "$(printf '%s\n' "${warm[@]}" | awk '{printf "%s%s", (NR > 1 ? " " : ""), $1}')"
printf 'peak RSS: %.0f MB\n' "$(echo "$peak_kb / 1024" | bc -l)"
