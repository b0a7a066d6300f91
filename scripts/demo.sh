#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds cocity and starts `cocity demo`:
# the server on the embedded store in open mode with the demo municipality.
# Extra arguments go to `cocity demo` (e.g. --port 9000).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release cocity
exec "$root/build/release/src/cli/cocity" demo "$@"
