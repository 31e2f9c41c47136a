#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo. Until the game exists
# the demo is a native-tasklet showcase on the frame-ticked scheduler.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target spindle-demo spindle
exec build/bin/spindle-demo "$@"
