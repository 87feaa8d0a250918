#!/usr/bin/env bash
# The demo: the example pipelines (examples/*/Makefile over Makefile.inc) on data shipped in the repo
# and Debian's Fashion-MNIST, each ending in a table. Usage: examples/demo.sh BIN_DIR [OUT_DIR]
#   1. Fashion-MNIST CNN: mo -> pot (default and accuracy-aware) -> export-qdq -> eval -> benchmark
#   2. seed 001: SSD-ResNet34-style detector through concat-outputs, mo FP16 with the seed's flags,
#      get-annotations, pot with the seed's json, int8-run
#   3. seeds 002/003: TF GraphDef ResNet: change-dtype ArgMax -> mo --reverse_input_channels -> pot
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(cd "${1:?usage: $0 BIN_DIR [OUT_DIR]}" && pwd)"
out="${2:-$root/out/demo}"
rm -rf "$out" && mkdir -p "$out"
jobs=$(nproc)
start=$(date +%s)
pipeline() {  # NAME TITLE: make the pipeline quietly (its log in OUT/NAME.log), then print its table
  printf '\n== %s\n' "$2"
  if ! make -s -C "$root/examples/$1" -j "$jobs" Q8_BIN="$bin" OUT="$out/$1" all >"$out/$1.log" 2>&1; then
    cat "$out/$1.log" >&2
    echo "demo: the $1 pipeline failed (log: $out/$1.log)" >&2
    exit 1
  fi
  make -s -C "$root/examples/$1" Q8_BIN="$bin" OUT="$out/$1" table
}

if [[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]]; then
  pipeline fashion-mnist "Fashion-MNIST: trained CNN -> mo -> pot -> export-qdq -> eval on 10,000 test images -> benchmark"
  aa_reverted=$(grep -o '"status": *"fp32"' "$out/fashion-mnist/fmnist_cnn_aa_int8.report.json" | wc -l || true)
  echo "  accuracy-aware search: $aa_reverted layer(s) returned to FP32 to keep the drop within 0.1 point"
  echo "  (this 3.8 M-MAC CNN is too small for INT8 to gain much: see bench/ort for ResNet-50/MobileNetV2)"
else
  echo "dataset-fashion-mnist is not installed (scripts/install-deps.sh installs it): pipeline 1 skipped"
fi
pipeline ssd-resnet34 "Seed 001: SSD-ResNet34-style detector (random weights: mAP ~0), 12 generated COCO-format images"
pipeline resnet50-tf "Seeds 002/003: TF GraphDef ResNet (v1.5 layout, 32x32 fixture), ArgMax retyped to FP32"

printf '\nDemo done in %d s; outputs in %s (re-run a pipeline with make -C examples/NAME OUT=...)\n' \
  "$(($(date +%s) - start))" "$out"
