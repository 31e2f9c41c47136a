#!/usr/bin/env bash
# Installs the Debian 12 packages Spindle builds with, skipping those already
# present (so a machine that has them needs no network). Run as root, or as a
# user with sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache python3
  libboost-context-dev libboost-fiber-dev
  libsdl2-dev libimgui-dev libstb-dev
  libcli11-dev nlohmann-json3-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}"
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
