#!/usr/bin/env bash
# Installs everything framealloc needs on a fresh Debian 12 (bookworm) machine, as root.
# Idempotent: when every tool is present it returns in well under a second.
set -euo pipefail

need_pkgs=(clang-19 clang-tools-19 libclang-rt-19-dev lld-19 ninja-build
           libboost1.83-dev libboost-test1.83-dev libboost-container1.83-dev libboost-stacktrace1.83-dev
           libtbb-dev libbenchmark-dev libmimalloc-dev libjemalloc-dev libfoonathan-memory-dev
           python3 python3-jsonschema git
           libclang-19-dev libclang-cpp19-dev llvm-19-dev libtomlplusplus-dev)
# fa's tests validate SARIF against the official schema, installed from an npm package (its lock file
# is in tools/fa/test/sarif_schema): npm is needed, from Debian unless one is on the PATH already.
command -v npm >/dev/null || need_pkgs+=(npm)

have_all() {
  command -v clang++-19 >/dev/null && command -v clang-scan-deps-19 >/dev/null && command -v ninja >/dev/null || return 1
  local v; v=$(cmake --version 2>/dev/null | head -1 | awk '{print $3}') || return 1
  [ -n "$v" ] && [ "$(printf '%s\n3.28\n' "$v" | sort -V | head -1)" = "3.28" ] || return 1
  # Every package must be reported installed: dpkg-query prints nothing for a package it does not know.
  local installed; installed=$(dpkg-query -W -f='${Status}\n' "${need_pkgs[@]}" 2>/dev/null | grep -c 'install ok installed')
  [ "$installed" -eq "${#need_pkgs[@]}" ] || return 1
  return 0
}

if have_all; then
  echo "install-deps: everything present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

# bookworm-backports carries CMake 3.31 (bookworm's 3.25 cannot build C++20 modules) and Boost 1.83.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' | $SUDO tee /etc/apt/sources.list.d/backports.list >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -t bookworm-backports cmake cmake-data >/dev/null
$SUDO apt-get install -y -qq -t bookworm-backports "${need_pkgs[@]}" >/dev/null
cmake --version | head -1
clang++-19 --version | head -1
echo "install-deps: done"
