#!/usr/bin/env bash
# Builds and runs every test: the optimised build, then the AddressSanitizer +
# UBSan build (stack switches annotated for ASan), then a short run of the
# loader fuzzers (tools/fuzz.sh). Usage: tools/test.sh [preset...]
# (default: release asan fuzz; `fuzz` here means the short fuzz run)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

presets=("$@")
[[ ${#presets[@]} -gt 0 ]] || presets=(release asan fuzz)
jobs=$(nproc)
for preset in "${presets[@]}"; do
  if [[ "$preset" == fuzz ]]; then
    tools/fuzz.sh 20
    continue
  fi
  echo "=== ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$jobs"
  ctest --preset "$preset" -j"$jobs"
done
