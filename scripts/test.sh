#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds cocity and runs every test:
#   1. the formatting gate (clang-format) on all C++ sources, and the short,
#      fatal clang-tidy list on src/,
#   2. unit and integration tests (real server, real SQLite over loopback)
#      in a release build,
#   3. the same tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   4. every libFuzzer target for a short while (COCITY_FUZZ_SECONDS, 20 s).
# Tests that need services (mosquitto, PostgreSQL, chromium) start them
# themselves on loopback ports and stop them after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="${COCITY_JOBS:-$(nproc)}"
fuzz_seconds="${COCITY_FUZZ_SECONDS:-20}"
step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

step "install packages"
scripts/install-deps.sh

step "format check"
scripts/check-format.sh

step "release build"
scripts/build.sh release

step "web app"
scripts/build-web.sh

step "clang-tidy (the short, fatal list in .clang-tidy)"
if ! git ls-files 'src/*.cc' | xargs -P "$jobs" -n 8 clang-tidy-19 -p build/release \
    --quiet >build/release/clang-tidy.log 2>&1; then
  grep -E -A3 'error:' build/release/clang-tidy.log | head -n 100
  echo "clang-tidy found problems"
  exit 1
fi
echo "clang-tidy ok"

step "tests (release, with the browser tests)"
(cd build/release && ctest --output-on-failure -j "$jobs" --timeout 900)

step "sanitizer build (ASan + UBSan)"
scripts/build.sh asan

step "tests (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build/asan && ctest --output-on-failure -j "$jobs" -L 'unit|integration' --timeout 1800)

step "fuzz targets (${fuzz_seconds} s each)"
scripts/build.sh fuzz fuzz_all
export UBSAN_OPTIONS="$UBSAN_OPTIONS:suppressions=$root/fuzz/ubsan-suppressions.txt"
for target in build/fuzz/fuzz/fuzz_*; do
  name="$(basename "$target")"
  corpus="build/fuzz/corpus/${name#fuzz_}"
  mkdir -p "$corpus"
  seeds="fuzz/corpus/${name#fuzz_}"
  [ -d "$seeds" ] || seeds=""
  echo "-- $name"
  log="build/fuzz/$name.log"
  if ! "$target" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix=build/fuzz/ "$corpus" $seeds >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "$name found a failure; the input is in build/fuzz/ (crash-*, leak-*, ...)"
    exit 1
  fi
  grep -E 'stat::(number_of_executed_units|new_units_added)' "$log"
done

step "all tests passed"
