#!/usr/bin/env bash
# Quick start 2/2: install what is missing, then configure, build and run every test of the debug
# preset (FRAMEALLOC_DEBUG on: poisoning and the use-after-frame check included). Stress cases are
# behind the `stress` preset: `cmake --workflow --preset release && ctest --preset stress`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --workflow --preset debug
