#!/usr/bin/env bash
# Installs everything framealloc needs on a fresh Debian 12 (bookworm) machine, as root.
# Idempotent: when every tool is present it returns in well under a second.
set -euo pipefail

need_pkgs=(clang-19 clang-tools-19 libclang-rt-19-dev lld-19 ninja-build
           libboost1.83-dev libboost-test1.83-dev libboost-container1.83-dev libgcc-12-dev
           libtbb-dev libbenchmark-dev libmimalloc-dev libjemalloc-dev libfoonathan-memory-dev
           python3 python3-jsonschema python3-matplotlib git chromium
           libclang-19-dev libclang-cpp19-dev llvm-19-dev libtomlplusplus-dev
           neovim)
# neovim is the editor the language server's end-to-end test (fa lsp) drives headless.
# fa-insight (tools/fa-insight) builds with npm and runs its browser tests with playwright-core, which
# needs Node.js 20 or newer, and Debian's chromium (above; playwright never downloads a browser here).
min_node=20

have_node() {
  command -v node >/dev/null && command -v npm >/dev/null || return 1
  node -e "process.exit(Number(process.versions.node.split('.')[0]) < ${min_node} ? 1 : 0)"
}

have_all() {
  command -v clang++-19 >/dev/null && command -v clang-scan-deps-19 >/dev/null && command -v ninja >/dev/null || return 1
  local v; v=$(cmake --version 2>/dev/null | head -1 | awk '{print $3}') || return 1
  [ -n "$v" ] && [ "$(printf '%s\n3.28\n' "$v" | sort -V | head -1)" = "3.28" ] || return 1
  # Every package must be listed as installed: dpkg-query prints nothing on stdout for a package this
  # machine has never seen, so counting the installed lines is what tells.
  local installed
  installed=$(dpkg-query -W -f='${Status}\n' "${need_pkgs[@]}" 2>/dev/null | grep -c 'install ok installed' || true)
  [ "$installed" -eq "${#need_pkgs[@]}" ] || return 1
  have_node
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
if ! have_node; then
  # The machine's configured nodejs (NodeSource's carries npm; Debian's needs the npm package too).
  $SUDO apt-get install -y -qq nodejs >/dev/null
  command -v npm >/dev/null || $SUDO apt-get install -y -qq npm >/dev/null
  if ! have_node; then
    echo "install-deps: fa-insight needs Node.js >= ${min_node} with npm (found: $(node --version 2>/dev/null || echo none));" \
         "install a newer nodejs, or configure with -DFRAMEALLOC_BUILD_INSIGHT=OFF" >&2
    exit 1
  fi
fi
cmake --version | head -1
clang++-19 --version | head -1
echo "node $(node --version), npm $(npm --version), $(chromium --version 2>/dev/null | head -1)"
echo "install-deps: done"
