#!/usr/bin/env bash
# Fails when any C++ source under src/, tests/, bench/ or fuzz/ is not
# formatted as .clang-format says. Fix with: scripts/check-format.sh --fix
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mapfile -t files < <(git ls-files -- 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' \
                                      'bench/*.cc' 'bench/*.h' 'fuzz/*.cc')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=1
  fi
done
[ "$bad" = 0 ] || { echo "run scripts/check-format.sh --fix"; exit 1; }
echo "format ok (${#files[@]} files)"
