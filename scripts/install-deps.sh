#!/usr/bin/env bash
# Installs every Debian package the project needs to build, test and run its demo.
# Idempotent: packages already present are skipped; `apt-get update` runs only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libonnx-dev libprotobuf-dev protobuf-compiler
  libeigen3-dev libxml2-dev libjpeg62-turbo-dev libpng-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libdnnl-dev
  clang libclang-rt-14-dev
  libonnx-testdata dataset-fashion-mnist
)
# Fixture generators only (never needed to build or test): pass --fixtures.
FIXTURE_PACKAGES=(python3-torch python3-torchvision python3-onnx python3-numpy)

if [[ "${1:-}" == "--fixtures" ]]; then PACKAGES+=("${FIXTURE_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present" >&2
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
