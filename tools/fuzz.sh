#!/usr/bin/env bash
# Builds the loader fuzz targets with clang's libFuzzer (ASan + UBSan, the
# `fuzz` preset) and runs each for a while from a seed corpus of valid saves.
# Usage: tools/fuzz.sh [SECONDS]   (default 20 per target; tools/test.sh runs
# this short form; for a real campaign give an hour: tools/fuzz.sh 3600).
# Crashing inputs are written to build/fuzz/crashes/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)"
out=build/fuzz
mkdir -p "$out/corpus/load_save" "$out/crashes"
"$out/bin/spindle-fuzz-seeds" "$out/corpus/load_save"
echo "=== fuzz: load_save for ${seconds}s"
"$out/bin/spindle-fuzz-load-save" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/crashes/" "$out/corpus/load_save" 2>&1 | tail -n 12
