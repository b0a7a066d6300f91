#!/usr/bin/env bash
# Configures and builds cocity. Usage: scripts/build.sh [release|asan|fuzz] [targets...]
#   release  RelWithDebInfo build in build/release (default)
#   asan     AddressSanitizer + UndefinedBehaviorSanitizer build in build/asan
#   fuzz     clang + libFuzzer targets in build/fuzz
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:-release}"
shift || true
jobs="${COCITY_JOBS:-$(nproc)}"

case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DCOCITY_SANITIZE=ON -DCOCITY_BENCH=OFF
               -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g") ;;
  fuzz) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOCITY_FUZZ=ON -DCOCITY_TESTS=OFF
               -DCOCITY_BENCH=OFF -DCMAKE_CXX_COMPILER=clang++-19) ;;
  *) echo "usage: $0 [release|asan|fuzz] [targets...]" >&2; exit 2 ;;
esac

build="$root/build/$kind"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja "${flags[@]}"
fi
ninja -C "$build" -j "$jobs" "$@"
