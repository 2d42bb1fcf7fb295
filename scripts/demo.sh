#!/usr/bin/env bash
# Quick start 1/2: install what is missing, build the release preset, run the frame demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target frame_demo
./build/release/examples/frame_demo "$@"
