#!/usr/bin/env bash
# Starts or stops a private mosquitto for demos and benchmarks, listening on
# 127.0.0.1 only, in a temporary folder (configuration, log, pid file).
# The tests start their own broker (tests/ingest/mosquitto_process.h) with
# the same settings.
#
#   scripts/mosquitto.sh start [PORT]   # default 1883; prints mqtt://127.0.0.1:PORT
#   scripts/mosquitto.sh stop  [PORT]
#   scripts/mosquitto.sh status [PORT]
#
# Then: cocity serve --mqtt mqtt://127.0.0.1:PORT
set -euo pipefail
cmd="${1:-}"
port="${2:-1883}"
bin="${COCITY_MOSQUITTO:-/usr/sbin/mosquitto}"
dir="${TMPDIR:-/tmp}/cocity-mosquitto-$port"
pidfile="$dir/mosquitto.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
  start)
    if running; then echo "mosquitto already runs on port $port"; exit 0; fi
    [ -x "$bin" ] || { echo "no mosquitto at $bin (scripts/install-deps.sh)" >&2; exit 1; }
    mkdir -p "$dir"
    cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 1000
max_queued_messages 1000000
log_dest file $dir/mosquitto.log
CONF
    "$bin" -c "$dir/mosquitto.conf" >/dev/null 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "mqtt://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    echo "mosquitto did not start; see $dir/mosquitto.log" >&2
    exit 1
    ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; fi
    rm -rf "$dir"
    ;;
  status)
    if running; then echo "running (pid $(cat "$pidfile"), port $port)"; else echo "stopped"; exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|status [PORT]" >&2
    exit 2
    ;;
esac
