#!/bin/bash
# Prepares everything side_by_side.sh compares, per model, under a work directory (default
# /work/bench-ort, never the repository):
#
#   WORK/calib224/calib_*.npy       calibration tensors [1,3,224,224] (ImageNet sample images, resize 256,
#   WORK/calib1200/calib_*.npy      center crop 224, ImageNet mean/std, NCHW); 1200x1200 stretched for SSD
#   WORK/MODEL/model.onnx           the ONNX model both runtimes start from (FP32)
#   WORK/MODEL/input.npy            the benchmark input both runtimes are fed (the first calibration tensor)
#   WORK/MODEL/ort/qdq.onnx         ORT INT8: QDQ model (make_qdq.py + calib.js on the calibration tensors)
#   WORK/MODEL/ort/fused.json       op histogram of ORT's optimized QDQ model (QLinearConv vs Conv)
#   WORK/MODEL/fp32/MODEL.xml       ours FP32: mo on model.onnx
#   WORK/MODEL/int8/MODEL.xml       ours INT8: pot -q default on the FP32 IR, same calibration tensors
#
#   bench/ort/prepare.sh [--models "resnet50 resnet18 mobilenet_v2 ssd1200"] [--work DIR] [--bin DIR]
#                        [--calib N] [--calib-ssd N] [--scope full|conv] [--range mean_minmax|minmax]
#                        [--pot-args "..."] [--only ort|ours] [--force]
#
# Models: resnet50 resnet18 resnet34 mobilenet_v2 (torchvision, random init with re-estimated BatchNorm,
# bench/models/gen_full_models.py) and ssd1200 (tests/fixtures/models/gen_ssd.py --full). Existing ONNX
# files are reused from $Q8_FULL_MODELS (default /work/full-models; ssd1200 from its ssd/ subdirectory),
# otherwise generated into WORK/gen (needs python3-torch). Steps whose outputs exist are skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PY=/usr/bin/python3

models="resnet50 resnet18 mobilenet_v2 ssd1200"
work=/work/bench-ort
bin="${Q8_BIN:-$repo/build/bin}"
calib=20
calib_ssd=5
scope=full
range=mean_minmax
pot_args=""
only=""
force=0
full_models="${Q8_FULL_MODELS:-/work/full-models}"
images="${Q8_IMAGENET_SAMPLE:-$repo/../shared/material/imagenet-sample-100}"

die() { echo "prepare.sh: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --calib) calib="$2"; shift 2 ;;
    --calib-ssd) calib_ssd="$2"; shift 2 ;;
    --scope) scope="$2"; shift 2 ;;
    --range) range="$2"; shift 2 ;;
    --pot-args) pot_args="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

# ---- prerequisites, checked up front so a missing piece fails before any long step
[[ -x $PY ]] || die "$PY not found"
$PY -c 'import onnx, numpy, PIL' 2>/dev/null ||
  die "$PY cannot import onnx/numpy/PIL (Debian: apt-get install python3-onnx python3-numpy python3-pil)"
if [[ "$only" != ours ]]; then
  (cd "$here" && node -e "require('onnxruntime-node')" 2>/dev/null) ||
    die "onnxruntime-node is not installed: run $here/install.sh"
fi
if [[ "$only" != ort ]]; then
  for t in mo pot; do
    [[ -x "$bin/$t" ]] || die "$bin/$t missing: build it (cd $repo && cmake --build build -j2) or pass --bin DIR"
  done
fi
[[ -d "$images" ]] || die "ImageNet sample images not found at $images (set Q8_IMAGENET_SAMPLE)"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

need() { [[ $force == 1 || ! -s "$1" ]]; }
step() { echo "== $*" >&2; }

# ---- calibration tensors (shared by calib.js and pot)
calib_dir() {  # size count
  local d="$work/calib$1"
  if [[ $force == 1 || $(ls "$d"/calib_*.npy 2>/dev/null | wc -l) -lt $2 ]]; then
    step "calibration tensors $1x$1 x$2 -> $d"
    rm -rf "$d"
    if [[ $1 == 224 ]]; then
      $PY "$here/make_qdq.py" images "$images" "$d" --count "$2" --size 224 --resize 256
    else
      $PY "$here/make_qdq.py" images "$images" "$d" --count "$2" --size "$1" --stretch
    fi
  fi
  echo "$d"
}

# ---- the ONNX model
source_onnx() {  # model -> path of an existing or freshly generated ONNX file
  local m="$1"
  if [[ $m == ssd1200 ]]; then
    for f in "$full_models/ssd/ssd_resnet34_1200.onnx" "$full_models/ssd_resnet34_1200.onnx" \
             "$work/gen/ssd_resnet34_1200.onnx"; do
      [[ -s $f ]] && { echo "$f"; return; }
    done
    step "generating SSD-ResNet34 1200x1200 (tests/fixtures/models/gen_ssd.py --full)"
    $PY "$repo/tests/fixtures/models/gen_ssd.py" "$work/gen" --full >&2
    echo "$work/gen/ssd_resnet34_1200.onnx"
  else
    for f in "$full_models/$m.onnx" "$work/gen/$m.onnx"; do
      [[ -s $f ]] && { echo "$f"; return; }
    done
    step "generating $m (bench/models/gen_full_models.py)"
    $PY "$repo/bench/models/gen_full_models.py" "$work/gen" "$m" >&2
    echo "$work/gen/$m.onnx"
  fi
}

for m in $models; do
  case "$m" in
    resnet50|resnet18|resnet34|mobilenet_v2) size=224; n=$calib ;;
    ssd1200) size=1200; n=$calib_ssd ;;
    *) die "unknown model $m (resnet50 resnet18 resnet34 mobilenet_v2 ssd1200)" ;;
  esac
  d="$work/$m"
  mkdir -p "$d/ort"
  cdir="$(calib_dir $size $n)"
  src="$(source_onnx "$m")"
  if [[ $force == 1 || ! -e "$d/model.onnx" ]]; then
    ln -sfn "$src" "$d/model.onnx"
  fi
  ln -sfn "$cdir/calib_0000.npy" "$d/input.npy"

  if [[ "$only" != ours ]]; then
    if need "$d/ort/qdq.onnx"; then
      step "$m: ORT QDQ ($scope, $range; $n calibration tensors)"
      $PY "$here/make_qdq.py" augment "$d/model.onnx" "$d/ort/augmented.onnx" "$d/ort/tensors.json" --scope "$scope"
      node "$here/calib.js" "$d/ort/augmented.onnx" "$d/ort/tensors.json" "$cdir" "$d/ort/ranges.json" --limit "$n"
      rm -f "$d/ort/augmented.onnx"
      $PY "$here/make_qdq.py" quantize "$d/model.onnx" "$d/ort/ranges.json" "$d/ort/qdq.onnx.tmp" \
        --scope "$scope" --range "$range"
      mv "$d/ort/qdq.onnx.tmp" "$d/ort/qdq.onnx"
      rm -f "$d/ort/fused.json"
    fi
    if need "$d/ort/fused.json"; then
      step "$m: ORT optimized QDQ model (fusion check)"
      node "$here/ort_run.js" "$d/ort/qdq.onnx" --iters 1 --warmup 0 --input "$d/input.npy" \
        --optimized-model "$d/ort/optimized.onnx" >/dev/null 2>"$d/ort/optimize.log" ||
        { cat "$d/ort/optimize.log" >&2; die "$m: ORT could not run the QDQ model"; }
      $PY "$here/make_qdq.py" count "$d/ort/optimized.onnx" --json >"$d/ort/fused.json"
      $PY "$here/make_qdq.py" count "$d/model.onnx" --json >"$d/ort/original.json"
      rm -f "$d/ort/optimized.onnx"
    fi
    $PY - "$d/ort/original.json" "$d/ort/fused.json" "$m" <<'EOF'
import json, sys
orig, fused, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
conv = orig.get("Conv", 0)
q = fused.get("com.microsoft.QLinearConv", 0) + fused.get("QLinearConv", 0)
left = fused.get("Conv", 0) + fused.get("com.microsoft.FusedConv", 0) + fused.get("com.microsoft.nchwc.Conv", 0)
print(f"{m}: ORT fused {q} of {conv} Conv into QLinearConv ({left} float Conv left); "
      f"QLinearAdd {fused.get('com.microsoft.QLinearAdd', 0)}, QGemm {fused.get('com.microsoft.QGemm', 0)}, "
      f"DequantizeLinear left {fused.get('DequantizeLinear', 0)}", file=sys.stderr)
EOF
  fi

  if [[ "$only" != ort ]]; then
    if need "$d/fp32/$m.xml"; then
      step "$m: mo -> $d/fp32"
      "$bin/mo" --input_model "$d/model.onnx" --output_dir "$d/fp32" --model_name "$m" -q
    fi
    if need "$d/int8/$m.xml"; then
      step "$m: pot -q default ($n calibration tensors) -> $d/int8"
      # shellcheck disable=SC2086
      "$bin/pot" -q default -m "$d/fp32/$m.xml" --data-source "$cdir" --stat-subset-size "$n" \
        --output-dir "$d/int8" -n "$m" $pot_args
    fi
  fi
done
echo "prepare.sh: done ($work)" >&2
