#!/usr/bin/env bash
# Builds and runs every test: the optimised build, then the AddressSanitizer +
# UBSan build (Boost.Context's ucontext back end, so fiber switches are
# annotated). Usage: tools/test.sh [preset...]   (default: release asan)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

presets=("$@")
[[ ${#presets[@]} -gt 0 ]] || presets=(release asan)
jobs=$(nproc)
for preset in "${presets[@]}"; do
  echo "=== ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$jobs"
  ctest --preset "$preset" -j"$jobs"
done
