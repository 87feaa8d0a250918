#!/usr/bin/env bash
# pot's accuracy table on Fashion-MNIST (Debian's dataset-fashion-mnist): FP32 vs INT8 top-1 on the
# 10,000 test images for each model given (default: the trained CNN fixture), with
#   default     DefaultQuantization, performance preset, per-channel weights, mean-of-per-image-max
#               activation ranges (POT's defaults), FastBiasCorrection, 300 training images
#   pertensor   the same with per-tensor weight ranges and global min/max activation ranges
#   auto        DefaultQuantization with the per-tensor `auto` range estimator
#   aa          AccuracyAwareQuantization, maximal_drop 0.001 (0.1 point), metric on the test set
# Usage: bench/pot/fmnist_accuracy.sh [model.onnx ...]   (BUILD=build by default; writes under $OUT)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${BUILD:-$root/build}/bin
out=${OUT:-/tmp/q8-fmnist-accuracy}
data=/usr/share/datasets/fashion-mnist
models=("$@")
((${#models[@]})) || models=("$root/tests/fixtures/fmnist/fmnist_cnn.onnx")
mkdir -p "$out"

top1() { "$bin/int8-run" --quiet eval -m "$1" --dataset "$data/t10k-images-idx3-ubyte.gz" | tail -1 | sed 's/top1: //'; }

printf '%-22s %8s %8s %8s %8s %8s   %s\n' model fp32 default pertensor auto aa "aa reverted layers"
for onnx in "${models[@]}"; do
  name=$(basename "$onnx" .onnx)
  dir=$out/$name
  mkdir -p "$dir"
  "$bin/mo" --quiet --input_model "$onnx" --output_dir "$dir" >/dev/null
  ir=$dir/$name.xml
  calib=(--data-source "$data/train-images-idx3-ubyte.gz" --stat-subset-size 300 --quiet)
  "$bin/pot" -q default -m "$ir" "${calib[@]}" --output-dir "$dir/default" >/dev/null
  "$bin/pot" -q default -m "$ir" "${calib[@]}" --per-tensor-weights --range-estimator minmax \
    --output-dir "$dir/pertensor" >/dev/null
  "$bin/pot" -q default -m "$ir" "${calib[@]}" --range-estimator auto --output-dir "$dir/auto" >/dev/null
  "$bin/pot" -q accuracy_aware -m "$ir" --engine dataset --data-source "$data/t10k-images-idx3-ubyte.gz" \
    --annotations "$data/t10k-labels-idx1-ubyte.gz" --metric top1 --maximal-drop 0.001 --stat-subset-size 300 \
    --quiet --output-dir "$dir/aa" >/dev/null
  reverted=$(grep -c '"status": "fp32"' "$dir/aa/$name.report.json" || true)
  printf '%-22s %8s %8s %8s %8s %8s   %s\n' "$name" "$(top1 "$ir")" "$(top1 "$dir/default/$name.xml")" \
    "$(top1 "$dir/pertensor/$name.xml")" "$(top1 "$dir/auto/$name.xml")" "$(top1 "$dir/aa/$name.xml")" "$reverted"
done
