#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds cocity and starts `cocity demo`:
# the server on the embedded store in open mode with the demo municipality,
# a private MQTT broker (mosquitto on 127.0.0.1) the server ingests from,
# and the simulated sensors of the city publishing to it.
# Extra arguments go to `cocity demo` (e.g. --port 9000).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release cocity
"$root/scripts/build-web.sh"
export COCITY_WEB_DIR="${COCITY_WEB_DIR:-$root/web/dist}"
mqtt_port="${COCITY_DEMO_MQTT_PORT:-18830}"
mqtt_args=()
if "$root/scripts/mosquitto.sh" start "$mqtt_port" >/dev/null; then
  trap '"$root/scripts/mosquitto.sh" stop "$mqtt_port" >/dev/null 2>&1 || true' EXIT
  mqtt_args=(--mqtt "mqtt://127.0.0.1:$mqtt_port")
else
  echo "demo: no MQTT broker; the simulated sensors use HTTP instead" >&2
fi
"$root/build/release/src/cli/cocity" demo "${mqtt_args[@]}" "$@"
