#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: first the Release build, then the
# whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh             both builds
#   scripts/test.sh --no-asan   Release only (quicker while developing)
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
  # Two accuracy measurements (100 ImageNet images through SqueezeNet, 2,000 Fashion-MNIST
  # inferences) only repeat code paths other tests cover; under the sanitizers they take minutes,
  # so they run in the Release stage only; so do the fast runtime's INT8 model checks (pot on four models).
  ASAN_OPTIONS="detect_leaks=${Q8_DETECT_LEAKS:-1}:abort_on_error=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir "$dir" -j "$jobs" --output-on-failure \
      -E '^(SqueezeNetIr\.ImageNetSampleTop1|PotAccuracy\.FashionMnistCnnKeepsItsAccuracy|Models/FastInt8\..*)$' 
fi
