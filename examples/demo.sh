#!/usr/bin/env bash
# The demo pipeline on models shipped in tests/fixtures (and real OpenVINO IR from
# ../shared/material when present). Usage: examples/demo.sh BIN_DIR [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(cd "${1:?usage: $0 BIN_DIR [OUT_DIR]}" && pwd)"
out="${2:-$root/out/demo}"
fx="$root/tests/fixtures"
material="$root/../shared/material"
rm -rf "$out" && mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }
rows=()

step "1. onnx-modify concat-outputs (seed 001): SSD-style detector, 3 outputs -> one [1,N,7] tensor"
cp "$fx/onnx/ssd_tiny_opset11.onnx" "$out/ssd.onnx"
"$bin/onnx-modify" concat-outputs "$out/ssd.onnx" -o "$out/ssd_modified.onnx" \
  --outputs bboxes,labels,scores,scores --axis 2 --name output
"$bin/onnx-modify" info "$out/ssd_modified.onnx" | sed -n '/^outputs/,/^initializers/p' | sed '$d'
new_output=$("$bin/onnx-modify" info "$out/ssd_modified.onnx" | sed -n 's/^  output  *//p' | tr -s ' ')
rows+=("onnx-modify concat-outputs|bboxes, labels, scores|+ output $new_output")

step "1b. seed 001 on an SSD-ResNet34-style detector: concat-outputs, then mo with the seed's exact flags"
ssd="$fx/models/ssd_resnet34_tiny"
"$bin/onnx-modify" -q concat-outputs "$ssd.onnx" -o "$out/ssd_r34_modified.onnx" \
  --outputs bboxes,labels,scores,scores --axis 2 --name output
"$bin/mo" -q --input_model "$out/ssd_r34_modified.onnx" --output_dir "$out/FP16" --data_type FP16 \
  --model_name ssd-resnet34_fp16 --input image --mean_values [123.675,116.28,103.53] \
  --scale_values [58.395,57.12,57.375] --input_shape "[1,3,300,300]" --keep_shape_ops >/dev/null
"$bin/mo" -q --input_model "$out/ssd_r34_modified.onnx" --output_dir "$out/FP32" --data_type FP32 \
  --model_name ssd-resnet34_fp32 --input image --mean_values [123.675,116.28,103.53] \
  --scale_values [58.395,57.12,57.375] --input_shape "[1,3,300,300]" --keep_shape_ops >/dev/null
grep -o '<data_type value="[A-Z0-9]*"/>' "$out/FP16/ssd-resnet34_fp16.xml"
echo "same image through the ONNX model (normalized input) and the IRs (raw 0-255 input, mean/scale inside):"
onnx_out=$("$bin/int8-run" infer -m "$out/ssd_r34_modified.onnx" -i "$ssd.input.npy" | grep '^output')
fp32_out=$("$bin/int8-run" infer -m "$out/FP32/ssd-resnet34_fp32.xml" -i "$ssd.raw_input.npy" | grep '^output')
fp16_out=$("$bin/int8-run" infer -m "$out/FP16/ssd-resnet34_fp16.xml" -i "$ssd.raw_input.npy" | grep '^output')
printf '  ONNX      %s\n  IR FP32   %s\n  IR FP16   %s\n' "$onnx_out" "$fp32_out" "$fp16_out"
fp32_kb=$(( $(stat -c %s "$out/FP32/ssd-resnet34_fp32.bin") / 1024 )); fp16_kb=$(( $(stat -c %s "$out/FP16/ssd-resnet34_fp16.bin") / 1024 ))
mean_of() { sed 's/.*mean //' <<< "$1"; }
rows+=("mo seed-001 flags, SSD-R34 style|ONNX mean $(mean_of "$onnx_out")|IR FP32 mean $(mean_of "$fp32_out"), FP16 $(mean_of "$fp16_out"); .bin ${fp32_kb} -> ${fp16_kb} KB")

step "2. change-dtype on a TF GraphDef (seeds 002/003): ArgMax INT64 -> FP32"
cp "$fx/tf/argmax_classifier.pb" "$out/classifier.pb"
"$bin/change-dtype" "$out/classifier.pb" -o "$out/classifier_fp32argmax.pb" --op ArgMax --to float32
in_size=$(stat -c %s "$out/classifier.pb"); out_size=$(stat -c %s "$out/classifier_fp32argmax.pb")
diff_bytes=$(cmp -l "$out/classifier.pb" "$out/classifier_fp32argmax.pb" 2>/dev/null | wc -l || true)
echo "input $in_size bytes, output $out_size bytes, $diff_bytes byte(s) differ (the DT_INT64 -> DT_FLOAT enum)"
rows+=("change-dtype TF ArgMax|$in_size bytes, int64|$out_size bytes, float32, $diff_bytes byte(s) changed")

step "2b. seeds 002/003: mo on a TF ResNet-50-v1.5-layout graph with --input_shape [1,32,32,3] --reverse_input_channels"
"$bin/mo" -q --input_model "$fx/tf/resnet_tiny.pb" --input_shape [1,32,32,3] --reverse_input_channels \
  --output_dir "$out/tf" >/dev/null
"$bin/ir-tool" info "$out/tf/resnet_tiny.xml" | sed -n '1,3p'
tf_ops=$("$bin/ir-tool" info --json "$out/tf/resnet_tiny.xml" | grep -c '"Transpose' || true)
rows+=("mo TF resnet_tiny.pb (NHWC -> NCHW)|TF GraphDef, NHWC|IR v10 NCHW, $tf_ops Transpose left")

step "3. change-dtype on ONNX: Cast inserted after ArgMax, output name kept"
"$bin/change-dtype" "$fx/onnx/argmax_classifier.onnx" -o "$out/classifier_fp32argmax.onnx" --op ArgMax --to float32
before=$("$bin/onnx-modify" info "$fx/onnx/argmax_classifier.onnx" | grep '^  label ' | tr -s ' ')
after=$("$bin/onnx-modify" info "$out/classifier_fp32argmax.onnx" | grep '^  label ' | tr -s ' ')
echo "before: $before"; echo "after:  $after"
rows+=("change-dtype ONNX ArgMax|$(echo $before)|$(echo $after)")

step "4. IR round trip: read -> write IR v10 -> read -> write; the two writes must be identical"
irs=("$fx/ir/tiny_conv.xml")
if [[ -d "$material/openvino-ir" ]]; then
  irs+=("$material/openvino-ir/ir11-2022.1/landmarks-regression-retail-0009/FP16-INT8/landmarks-regression-retail-0009.xml"
        "$material/openvino-ir/ir10-2021.3/face-detection-adas-0001/FP16-INT8/face-detection-adas-0001.xml")
fi
for xml in "${irs[@]}"; do
  name=$(basename "$xml" .xml)
  "$bin/ir-tool" -q convert "$xml" -o "$out/$name.a.xml"
  "$bin/ir-tool" -q convert "$out/$name.a.xml" -o "$out/$name.b.xml"
  same=identical
  cmp -s "$out/$name.a.xml" "$out/$name.b.xml" && cmp -s "$out/$name.a.bin" "$out/$name.b.bin" || same=DIFFERENT
  layers=$("$bin/ir-tool" info "$xml" | head -1 | sed 's/.*(\(.*\))/\1/')
  fq=$("$bin/ir-tool" info "$xml" | sed -n 's/^FakeQuantize: //p')
  echo "$name: $layers, $fq FakeQuantize -> IR v10, second write $same"
  rows+=("ir-tool convert ${name:0:34}|$layers|IR v10, $fq FakeQuantize kept, rewrite $same")
  [[ $same == identical ]] || exit 1
done

step "5. Makefile.inc pattern rules (examples/seed-transforms)"
make -s -C "$root/examples/seed-transforms" Q8_BIN="$bin" OUT="$out/make" 2>&1 | grep -v warning || true
ls "$out/make"

step "6. calibrate to INT8 and measure: Fashion-MNIST CNN (trained, tests/fixtures/fmnist) -> mo -> pot -> eval"
mnist=/usr/share/datasets/fashion-mnist
if [[ -f "$mnist/t10k-images-idx3-ubyte.gz" ]]; then
  "$bin/mo" -q --input_model "$fx/fmnist/fmnist_cnn.onnx" --output_dir "$out/fmnist" >/dev/null
  "$bin/pot" --quiet -q default -m "$out/fmnist/fmnist_cnn.xml" --data-source "$mnist/train-images-idx3-ubyte.gz" \
    --stat-subset-size 300 --output-dir "$out/fmnist/int8" >/dev/null
  fq=$("$bin/ir-tool" info "$out/fmnist/int8/fmnist_cnn.xml" | sed -n 's/^FakeQuantize: //p')
  score() {
    local start end acc
    start=$(date +%s.%N)
    acc=$("$bin/int8-run" --quiet eval -m "$1" --dataset "$mnist/t10k-images-idx3-ubyte.gz" --limit 2000 | tail -1)
    end=$(date +%s.%N)
    echo "${acc#top1: } $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 1000 / 2000 }')"
  }
  read -r fp32_acc fp32_ms <<< "$(score "$out/fmnist/fmnist_cnn.xml")"
  read -r int8_acc int8_ms <<< "$(score "$out/fmnist/int8/fmnist_cnn.xml")"
  latency() { "$bin/int8-run" -m "$1" -nthreads 1 -niter 300 2>/dev/null | sed -n 's/^Median latency: //p'; }
  fp32_lat=$(latency "$out/fmnist/fmnist_cnn.xml")
  int8_lat=$(latency "$out/fmnist/int8/fmnist_cnn.xml")
  echo "top-1 on the first 2000 test images: FP32 $fp32_acc, INT8 $int8_acc ($fq FakeQuantize);" \
    "eval ms/image incl. decoding (fast runtime): FP32 $fp32_ms, INT8 $int8_ms;" \
    "int8-run benchmark, 1 thread, median latency: FP32 $fp32_lat, INT8 $int8_lat"
  rows+=("pot DefaultQuantization, Fashion-MNIST CNN|FP32 top-1 $fp32_acc|INT8 top-1 $int8_acc, $fq FakeQuantize")
else
  echo "dataset-fashion-mnist is not installed (scripts/install-deps.sh installs it); skipped"
fi

step "Summary"
printf '%-50s | %-30s | %s\n' "step" "before" "after"
printf '%s\n' "$(printf -- '-%.0s' {1..130})"
for r in "${rows[@]}"; do IFS='|' read -r a b c <<< "$r"; printf '%-50s | %-30s | %s\n' "$a" "$b" "$c"; done
echo
echo "outputs in $out"
