#!/usr/bin/env bash
# Configures and builds the project.
#   scripts/build.sh            Release build in build/
#   scripts/build.sh asan       AddressSanitizer + UBSan build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:-release}"
jobs="${JOBS:-$(nproc)}"
case "$kind" in
  # Q8_BUILD_BENCH=OFF skips the Google Benchmark programs (scripts/test.sh does, to keep CI short).
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
                             "-DQ8_BUILD_BENCH=${Q8_BUILD_BENCH:-ON}") ;;
  # -O1 without debug info: sanitizer builds compile and run fastest that way; ASan still names
  # the source line through its symbolizer.
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -fno-omit-frame-pointer" -DASAN=ON -DQ8_BUILD_BENCH=OFF) ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 1 ;;
esac

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
if [[ ! -f "$dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$dir" "${generator[@]}" "${flags[@]}" >&2
fi
cmake --build "$dir" -j "$jobs" >&2
echo "$dir"
