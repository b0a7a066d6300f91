#!/usr/bin/env bash
# Installs every Debian package that building, testing and running cocity
# need. Used by both README commands and by CI. Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-format clang-19 libclang-rt-19-dev clang-tidy-19
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libsqlite3-dev sqlite3 libssl-dev libjemalloc-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libprotozero-dev libbz2-dev libexpat1-dev liblz4-dev zlib1g-dev
  libmosquitto-dev mosquitto
  libre2-dev
  libargon2-dev
  chromium
  libqrencode-dev
  libcurl4-openssl-dev python3-aiosmtpd
  curl ca-certificates wrk
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# libosmium is header-only. Its Debian package depends on Boost 1.74's
# development package, which conflicts with the Boost 1.81 one cocity builds
# against (for Boost.JSON), so the package is unpacked into the build's own
# dependency folder instead of being installed system-wide.
root="$(cd "$(dirname "$0")/.." && pwd)"
deps="$root/build/deps"
if [ ! -f "$deps/usr/include/osmium/version.hpp" ]; then
  mkdir -p "$deps/debs"
  if ! (cd "$deps/debs" && apt-get download libosmium2-dev >/dev/null 2>&1); then
    "${sudo_cmd[@]}" apt-get update -qq
    (cd "$deps/debs" && apt-get download libosmium2-dev >/dev/null)
  fi
  dpkg-deb -x "$deps"/debs/libosmium2-dev_*.deb "$deps"
fi
