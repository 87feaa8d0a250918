#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: first the Release build, then the
# whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh             both builds
#   scripts/test.sh --no-asan   Release only (quicker while developing)
# After the sanitizer stage, every fuzz target runs briefly (scripts/fuzz.sh, clang + libFuzzer;
# Q8_FUZZ_SECONDS per target, default 10; 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs="${JOBS:-$(nproc)}"

# The benchmark programs are not tests: CI skips building them (scripts/build.sh builds them).
dir=$(Q8_BUILD_BENCH=OFF bash scripts/build.sh release)
echo "== tests (Release) ==" >&2
ctest --test-dir "$dir" -j "$jobs" --output-on-failure

if [[ "${1:-}" != "--no-asan" ]]; then
  dir=$(bash scripts/build.sh asan)
  echo "== tests (AddressSanitizer + UBSan) ==" >&2
  # LeakSanitizer needs ptrace; set Q8_DETECT_LEAKS=0 where a sandbox forbids it.
  # Accuracy measurements and whole pipelines only repeat code paths other tests cover; under the
  # sanitizers they take minutes, so they run in the Release stage only: SqueezeNet on 100 ImageNet
  # images, pot + eval on Fashion-MNIST (pot, export-qdq, the example pipeline), the fast runtime's
  # INT8 model checks (pot on four models), the SSD example pipeline and OpenVINO's face detector.
  release_only=(
    'SqueezeNetIr\.ImageNetSampleTop1' 'PotAccuracy\.FashionMnistCnnKeepsItsAccuracy' 'Models/FastInt8\..*'
    'ExamplesMake\.(FashionMnist|SsdSeed).*' 'ExportQdq\.FashionMnistTop1MatchesTheInt8Ir'
    'OpenVinoIrGolden\.FaceDetectionInt8MatchesFp16'
  )
  ASAN_OPTIONS="detect_leaks=${Q8_DETECT_LEAKS:-1}:abort_on_error=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir "$dir" -j "$jobs" --output-on-failure -E "^($(IFS='|'; echo "${release_only[*]}"))\$"
fi

fuzz_seconds="${Q8_FUZZ_SECONDS:-10}"
if [[ "${1:-}" != "--no-asan" && "$fuzz_seconds" != 0 ]]; then
  echo "== fuzz (libFuzzer, ${fuzz_seconds} s per target) ==" >&2
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
