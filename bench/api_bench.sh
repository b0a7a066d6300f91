#!/usr/bin/env bash
# The NGSI-LD API's figures in one run, next to the machine's own limits
# measured in the same run (raw JSON parse rate, raw SQLite insert rate, a
# bare request rate of the server), so that the overhead is visible.
#
#   bench/api_bench.sh [build dir, default build/release]
#
# Loopback only; every step is bounded in time. Takes about 3 minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
work="$(mktemp -d /tmp/cocity-api-bench.XXXXXX)"
port="${COCITY_BENCH_PORT:-18931}"
secs="${COCITY_BENCH_SECONDS:-10}"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ninja -C "$build" cocity cocity_load ngsi_bench store_bench >/dev/null
load="$build/bench/load/cocity_load"

echo "== machine limits"
"$build/bench/ngsi/ngsi_bench" --benchmark_filter='RawJsonParse|ParseBatchEntities' \
  --benchmark_min_time=2 2>/dev/null | grep -E 'BM_'
"$build/bench/store/store_bench" --raw-only 1 --dir "$work/raw" | grep -E '^raw'

# start_server [ARGS...]: a server on a fresh data directory.
start_server() {
  rm -rf "$work/data"
  "$build/src/cli/cocity" serve --open --port "$port" --data-dir "$work/data" \
    --config /dev/null "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
  # The next server starts on a quiet disk, not during this one's writeback.
  sync
}
# The server's CPU time (all threads, user + system) per entity update of
# one load run: steadier than the rate when the machine's speed drifts.
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
cpu_per_update() {  # LOAD-OUTPUT TICKS-BEFORE UPDATES-PER-REQUEST
  awk -v t="$(( $(ticks) - $2 ))" -v hz="$(getconf CLK_TCK)" -v k="$3" \
    '/^requests / { n = $2 * k }
     END { if (n > 0) printf "server CPU per entity update: %.1f us\n", t / hz * 1e6 / n }' "$1"
}
patch_run() {  # CONNECTIONS
  echo "-- single-entity PATCH, $1 connections"
  before=$(ticks)
  "$load" --port "$port" --mode patch -c "$1" -d "$secs" --ids 10000 --no-setup |
    tee "$work/patch.out"
  cpu_per_update "$work/patch.out" "$before" 1
}
upsert_run() {  # CONNECTIONS WHAT [DRIVER ARGS...]
  echo "-- batch upsert, 1,000 AirQualityObserved a request, $1 connections$2"
  local connections=$1
  shift 2
  before=$(ticks)
  "$load" --port "$port" --mode upsert -c "$connections" -d "$secs" \
    --batch 1000 "$@" | tee "$work/upsert.out"
  cpu_per_update "$work/upsert.out" "$before" 1000
}

echo "== server, one I/O thread per core (the default)"
start_server
if command -v wrk >/dev/null; then
  echo "-- GET /health (wrk, the server without the store)"
  wrk -t1 -c64 -d"${secs}s" "http://127.0.0.1:$port/health" | grep -E 'Requests/sec|Latency'
fi
# Creates the 10,000 entities, then one second of warm-up.
"$load" --port "$port" --mode patch -c 64 -d 1 --ids 10000 >/dev/null
patch_run 64
patch_run 128
upsert_run 4 ", after the PATCH runs"
upsert_run 16 ", after the PATCH runs"
echo "-- GET by id, 64 connections"
"$load" --port "$port" --mode get -c 64 -d "$secs" --ids 10000 --no-setup
echo "-- server memory"
grep -E 'VmRSS|VmHWM' "/proc/$server_pid/status"
stop_server

# On two cores, two I/O threads, the store's writer and its WAL syncer
# contend for the cores under batch writes; one I/O thread leaves the
# writer, the serial part, a core of its own.
echo "== server, --threads 1"
start_server --threads 1
upsert_run 16 ", fresh store"
"$load" --port "$port" --mode patch -c 64 -d 1 --ids 10000 >/dev/null
patch_run 128
stop_server

# The runs above update the same 1,000 entities in every request: hot in
# the writer's cache, and updated several times in one group commit. A
# city's fleet is larger, and each sensor reports in turn: here 100,000
# entities, each request the next 1,000 of them. First the 100 requests
# that create them, then updates round after round.
echo "== server, --threads 1, a fleet of 100,000 entities"
start_server --threads 1
upsert_run 16 ", creating 100,000 entities" --ids 100000 -n 100
upsert_run 16 ", updating them in turn" --ids 100000
echo "-- server memory"
grep -E 'VmRSS|VmHWM' "/proc/$server_pid/status"
stop_server

# Retrieval at the goal's scale: 1,000,000 entities, created in 1,000
# upserts, then read by id in a scattered order (see cocity_load) by one
# client and by four.
echo "== server, one I/O thread per core, 1,000,000 entities"
start_server
echo "-- creating 1,000,000 entities, 4 connections"
"$load" --port "$port" --mode upsert -c 4 -n 1000 -d 300 --batch 1000 \
  --ids 1000000
for connections in 1 4; do
  echo "-- GET by id, $connections connection(s)"
  "$load" --port "$port" --mode get -c "$connections" -d "$secs" \
    --ids 1000000 --no-setup
done
echo "-- server memory"
grep -E 'VmRSS|VmHWM' "/proc/$server_pid/status"
stop_server
