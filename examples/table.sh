#!/usr/bin/env bash
# Prints a comparison table from a pipeline's outputs.
#   examples/table.sh TITLE "LABEL=STEM" ...
# For each STEM: the score on STEM.eval.txt's last line (top1: 91.19, coco_map: 0.2), median latency from STEM.bench.txt, size of STEM.bin (the
# IR's weights) or STEM.onnx. Speed-up and accuracy change are against the first row.
set -euo pipefail
title="$1"
shift
field() { [[ -f "$1" ]] && sed -n "s/^$2[: ]*\([0-9.]*\).*/\1/p" "$1" | tail -1; }
size_kb() {
  local f
  for f in "$1.bin" "$1.onnx"; do
    if [[ -f "$f" ]]; then awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f KB", b / 1024 }'; return; fi
  done
  echo "-"
}
echo "$title"
printf '%-34s %12s %8s %16s %9s %12s\n' "model" "accuracy" "change" "median latency" "speed-up" "weights"
base_acc="" base_lat=""
for row in "$@"; do
  label="${row%%=*}" stem="${row#*=}"
  acc="" metric=""
  if [[ -f "$stem.eval.txt" ]]; then read -r metric acc < <(tail -1 "$stem.eval.txt" | tr -d ':'); fi
  lat=$(field "$stem.bench.txt" "Median latency" || true)
  [[ -z "$base_acc" ]] && base_acc="$acc"
  [[ -z "$base_lat" ]] && base_lat="$lat"
  change=$(awk -v a="$acc" -v b="$base_acc" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%+.2f", a - b }')
  speedup=$(awk -v l="$lat" -v b="$base_lat" 'BEGIN { if (l == "" || b == "") print "-"; else printf "%.2fx", b / l }')
  printf '%-34s %12s %8s %16s %9s %12s\n' "$label" "${acc:+$metric $acc}" "$change" "${lat:+$lat ms}" "$speedup" "$(size_kb "$stem")"
done
