#!/usr/bin/env bash
# Installs dependencies, builds (Release), and runs the demo pipeline on data shipped in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
dir=$(bash scripts/build.sh release)
exec bash examples/demo.sh "$dir/bin"
