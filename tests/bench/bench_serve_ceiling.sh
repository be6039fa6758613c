#!/bin/sh
# The loopback ceiling for plumb serve: in one run, starts `plumb serve` (a 20-feature ridge
# pipeline trained here) and an nginx on a temporary config and port that serves, as static files,
# Plumb's own answers to the 1-row and the 1000-row request (the same bytes, so the same size);
# runs the same load against both with bench_serve (POST /v1/predict against GET of the file) and
# prints both lines and Plumb's share of nginx's requests/s. A second `plumb serve --threads 1` is
# measured in the same repeats, to show what the pool of one thread per core gives.
# Skips (exit 0) where nginx is absent.
#   [NGINX=/path/to/nginx] tests/bench/bench_serve_ceiling.sh BUILD_DIR [SECONDS (default 3)] [REPEATS (default 3)]
# Only listens on 127.0.0.1; everything it writes is under a temporary folder it removes.
set -eu

build=${1:?usage: bench_serve_ceiling.sh BUILD_DIR [SECONDS] [REPEATS]}
seconds=${2:-3}
repeats=${3:-3}
plumb="$build/bin/plumb"
bench="$build/tests/bench/bench_serve"
nginx=${NGINX:-$(command -v nginx || true)}  # NGINX=path picks another
if [ -z "$nginx" ] && [ -x /usr/sbin/nginx ]; then nginx=/usr/sbin/nginx; fi
if [ -z "$nginx" ] || [ ! -x "$nginx" ]; then
    echo "bench_serve_ceiling: nginx is not installed; skipped"
    exit 0
fi
for tool in "$plumb" "$bench"; do
    [ -x "$tool" ] || { echo "bench_serve_ceiling: $tool is missing (build plumb and bench_serve)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/plumb-serve-ceiling.XXXXXX)
serve_pid=
single_pid=
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    [ -n "$single_pid" ] && kill "$single_pid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    sleep 0.2
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

. "$(dirname "$0")/servebenchcommon.sh"
train_bench_model "$plumb" "$work"

wait_listening() {
    for _ in $(seq 100); do grep -q "listening on" "$1" 2>/dev/null && break; sleep 0.1; done
    grep -q "listening on" "$1" || { cat "$1" >&2; exit 1; }
}
port=$(free_port)
"$plumb" serve "$work/model.plumb" --port "$port" --no-log 2> "$work/serve.log" &
serve_pid=$!
single_port=$(free_port)
"$plumb" serve "$work/model.plumb" --port "$single_port" --no-log --threads 1 2> "$work/single.log" &
single_pid=$!
wait_listening "$work/serve.log"
wait_listening "$work/single.log"

# Plumb's answers, saved as the files nginx serves.
mkdir -p "$work/www" "$work/temp"
"$bench" --port "$port" --rows 1 --save-response "$work/www/rows1.json"
"$bench" --port "$port" --rows 1000 --save-response "$work/www/rows1000.json"

chmod -R a+rX "$work" # nginx's workers run as another user (www-data)
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
daemon on;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path $work/temp/body;
    proxy_temp_path $work/temp/proxy;
    fastcgi_temp_path $work/temp/fastcgi;
    uwsgi_temp_path $work/temp/uwsgi;
    scgi_temp_path $work/temp/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
        default_type application/json;
    }
}
CONF
"$nginx" -p "$work" -c "$work/nginx.conf"
for _ in $(seq 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done

share() { # Plumb's requests/s as a percentage of nginx's, from two bench_serve lines
    /usr/bin/python3 -c 'import json, sys; p = json.loads(sys.argv[1]); n = json.loads(sys.argv[2]);
print("plumb share of the nginx ceiling: %.1f%% of requests/s (%d of %d), p50 %.3f vs %.3f ms" % (
    100.0 * p["requests_per_s"] / n["requests_per_s"], p["requests_per_s"], n["requests_per_s"], p["p50_ms"], n["p50_ms"]))' "$1" "$2"
}

for case in "1 8" "1000 4"; do
    set -- $case
    rows=$1 connections=$2
    for repeat in $(seq "$repeats"); do
        plumb_line=$("$bench" --port "$port" --rows "$rows" --connections "$connections" --seconds "$seconds")
        single_line=$("$bench" --port "$single_port" --rows "$rows" --connections "$connections" --seconds "$seconds")
        nginx_line=$("$bench" --port "$nginx_port" --get "/rows$rows.json" --rows "$rows" --connections "$connections" --seconds "$seconds")
        echo "plumb            $plumb_line"
        echo "plumb --threads 1 $single_line"
        echo "nginx            $nginx_line"
        echo "repeat $repeat, $rows row(s) x $connections connections: $(share "$plumb_line" "$nginx_line")"
    done
done
