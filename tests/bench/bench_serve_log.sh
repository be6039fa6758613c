#!/bin/sh
# The prediction log's cost, side by side: in one run, starts three `plumb serve` of the same
# 20-feature ridge pipeline (trained here) with the log off (--no-log), the default batched log and
# --log-durability strict (each request committed to SQLite before it is answered), then runs the
# same load against each in turn with bench_serve, alternating the order in each repeat, and prints
# every bench_serve line and the median requests/s and p99 of each mode.
#   tests/bench/bench_serve_log.sh BUILD_DIR [SECONDS (default 3)] [REPEATS (default 5)] [CONNECTIONS (default 8)] [ROWS (default 1)]
# Only listens on 127.0.0.1; everything it writes is under a temporary folder it removes.
set -eu

build=${1:?usage: bench_serve_log.sh BUILD_DIR [SECONDS] [REPEATS] [CONNECTIONS] [ROWS]}
seconds=${2:-3}
repeats=${3:-5}
connections=${4:-8}
rows=${5:-1}
plumb="$build/bin/plumb"
bench="$build/tests/bench/bench_serve"
for tool in "$plumb" "$bench"; do
    [ -x "$tool" ] || { echo "bench_serve_log: $tool is missing (build plumb and bench_serve)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/plumb-serve-log.XXXXXX)
pids=
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

. "$(dirname "$0")/servebenchcommon.sh"
train_bench_model "$plumb" "$work"

start() { # MODE, then plumb serve's options; sets the port variable port_MODE
    mode=$1
    shift
    port=$(free_port)
    "$plumb" serve "$work/model.plumb" --port "$port" "$@" 2> "$work/$mode.log" &
    pids="$pids $!"
    for _ in $(seq 100); do grep -q "listening on" "$work/$mode.log" 2>/dev/null && break; sleep 0.1; done
    grep -q "listening on" "$work/$mode.log" || { cat "$work/$mode.log" >&2; exit 1; }
    eval "port_$mode=$port"
}
start off --no-log
start batched --log "$work/batched.sqlite"
start strict --log "$work/strict.sqlite" --log-durability strict

modes="off batched strict"
for repeat in $(seq "$repeats"); do
    for mode in $modes; do
        eval "port=\$port_$mode"
        line=$("$bench" --port "$port" --rows "$rows" --connections "$connections" --seconds "$seconds")
        echo "$mode $line" | tee -a "$work/lines"
    done
    modes="$(echo "$modes" | awk '{ print $2, $3, $1 }')" # the next repeat starts with the next mode
done

/usr/bin/python3 - "$work/lines" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, data = line.split(' ', 1)
    runs.setdefault(mode, []).append(json.loads(data))
off = statistics.median(r['requests_per_s'] for r in runs['off'])
print('| log | requests/s (median) | of --no-log | p50 ms | p99 ms | non-200 |')
print('|---|---|---|---|---|---|')
for mode in ('off', 'batched', 'strict'):
    rs = runs[mode]
    rps = statistics.median(r['requests_per_s'] for r in rs)
    print('| %s | %.0f | %.0f%% | %.3f | %.3f | %d |' % (mode, rps, 100.0 * rps / off, statistics.median(r['p50_ms'] for r in rs),
                                                       statistics.median(r['p99_ms'] for r in rs), sum(r.get('errors', 0) for r in rs)))
PY
