#!/bin/sh
# A soak of plumb serve against a mix of clients (not in CI): for SECONDS (default 600) it runs, on
# loopback, keep-alive clients scoring single rows with the token, clients sending what must be
# refused (malformed JSON 400, no token 401, conflicting Content-Length 400, Content-Length with
# Transfer-Encoding 400, a header flood 431), slowloris clients (half a head, then nothing: 408),
# idle keep-alive clients (more than --max-connections, reconnecting when closed) and chunked
# clients (1-byte chunks, with the token: 200; without: 401 from the head). Every second it prints
# the service's resident memory, open descriptors, requests/s and p99 latency of the valid
# requests, and any answer other than the one intended; at the end, a summary. Exits 1 when an
# answer was not the intended one, or when memory or descriptors grew over the run (last minute's
# median against the first minute's, past 25% and 16 MB, or 25% and 64 descriptors).
#   tests/bench/soak_serve.sh BUILD_DIR [SECONDS (default 600)]
# Only listens on 127.0.0.1; everything it writes is under a temporary folder it removes.
set -eu

build=${1:?usage: soak_serve.sh BUILD_DIR [SECONDS]}
seconds=${2:-600}
plumb="$build/bin/plumb"
python=${PYTHON:-python3} # the standard library is all it needs
[ -x "$plumb" ] || { echo "soak_serve: $plumb is missing (build plumb)" >&2; exit 2; }

work=$(mktemp -d /tmp/plumb-soak.XXXXXX)
serve_pid=
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    sleep 0.2
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The serve tests' training table (tests/serve/servetestutil.h, trainingTable): x1, x2, colour, y.
"$python" - "$work/training.csv" <<'EOF'
import sys
colours = ["red", "green", "blue"]
with open(sys.argv[1], "w") as out:
    out.write("x1,x2,colour,y\n")
    for i in range(300):
        x1, x2 = (i % 17) * 0.75, (i % 11) * 1.25
        out.write(f"{x1},{'NA' if i % 13 == 7 else x2},{colours[i % 3]},{2 * x1 - x2 + (3 if i % 3 == 0 else 0) + (i % 7) * 0.01}\n")
EOF
"$plumb" train "$work/training.csv" --target y --features x1,x2,colour --model ridge -o "$work/model.plumb" \
    --no-importance >/dev/null
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/token"

# Small limits so that a few hundred clients reach them: 150 connections, 2 s per request, 5 s idle.
"$plumb" serve "$work/model.plumb" --port 0 --no-log --token-file "$work/token" --max-connections 150 \
    --request-timeout 2 --idle-timeout 5 2>"$work/serve.err" &
serve_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/serve.err")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "soak_serve: plumb serve did not start:" >&2; cat "$work/serve.err" >&2; exit 2; }
cat "$work/serve.err"

"$python" - "$port" "$serve_pid" "$work/token" "$seconds" <<'EOF'
import os, socket, statistics, sys, threading, time

port, pid, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[4])
token = open(sys.argv[3]).read().strip()
auth = f"Authorization: Bearer {token}\r\n".encode()
row = b'{"x1":1.5,"x2":2,"colour":"red"}'
end = time.time() + seconds
lock = threading.Lock()
latencies, unexpected, counts = [], [], {}

def note(kind, status, wanted):
    with lock:
        counts[kind] = counts.get(kind, 0) + 1
        if status != wanted:
            unexpected.append(f"{kind}: {status!r}, wanted {wanted!r}")

def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

def answer(s):
    """The status line of the next whole answer on `s` (b'' when the connection ended first)."""
    data = b""
    while b"\r\n\r\n" not in data:
        got = s.recv(65536)
        if not got:
            return b""
        data += got
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        got = s.recv(65536)
        if not got:
            break
        body += got
    return head.split(b"\r\n")[0]

def post(body, extra=b""):
    return b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body

def valid():
    while time.time() < end:
        try:
            s = connect()
            for _ in range(1000):
                start = time.perf_counter()
                s.sendall(post(row, auth))
                status = answer(s)
                with lock:
                    latencies.append(time.perf_counter() - start)
                note("valid", status, b"HTTP/1.1 200 OK")
                if time.time() >= end:
                    break
            s.close()
        except OSError as error:
            note("valid", repr(error), b"HTTP/1.1 200 OK")

flood = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n"
refusals = [
    ("malformed-json", post(b'{"x1":', auth), b"HTTP/1.1 400 Bad Request"),
    ("no-token", post(row), b"HTTP/1.1 401 Unauthorized"),
    ("two-lengths", b"POST /v1/predict HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Length: 33\r\nContent-Length: 34\r\n\r\n" + row,
     b"HTTP/1.1 400 Bad Request"),
    ("length-and-chunked", b"POST /v1/predict HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     b"HTTP/1.1 400 Bad Request"),
    ("header-flood", flood, b"HTTP/1.1 431 Request Header Fields Too Large"),
]

def invalid():
    i = 0
    while time.time() < end:
        kind, request, wanted = refusals[i % len(refusals)]
        i += 1
        try:
            with connect() as s:
                s.sendall(request)
                note(kind, answer(s), wanted)
        except OSError as error:
            note(kind, repr(error), wanted)

def slow():
    while time.time() < end:
        try:
            with connect() as s:
                s.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Le")
                note("slowloris", answer(s), b"HTTP/1.1 408 Request Timeout")
        except OSError as error:
            note("slowloris", repr(error), b"HTTP/1.1 408 Request Timeout")

def idle():
    """200 idle keep-alive connections against a cap of 150: reopened as the service closes them."""
    held = []
    while time.time() < end:
        try:
            while len(held) < 200 and time.time() < end:
                s = connect()
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
                note("idle", answer(s), b"HTTP/1.1 200 OK")
                s.setblocking(False)
                held.append(s)
            time.sleep(0.5)
            for s in list(held):
                try:
                    if s.recv(1) == b"":
                        held.remove(s)
                        s.close()
                except BlockingIOError:
                    pass
        except OSError as error:
            note("idle", repr(error), b"HTTP/1.1 200 OK")
    for s in held:
        s.close()

def chunked():
    body = row + b" " * 3000
    wire = b"".join(b"1\r\n" + bytes([c]) + b"\r\n" for c in body) + b"0\r\n\r\n"
    head = b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    while time.time() < end:
        for kind, extra, wanted in (("chunked", auth, b"HTTP/1.1 200 OK"), ("chunked-no-token", b"", b"HTTP/1.1 401 Unauthorized")):
            try:
                with connect() as s:
                    s.sendall(head + extra + b"\r\n")
                    if extra:
                        s.sendall(wire)
                    note(kind, answer(s), wanted)
            except OSError as error:
                note(kind, repr(error), wanted)

def sample(key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1])
    return -1

workers = [valid, valid, valid, invalid, slow, slow, idle, chunked]
threads = [threading.Thread(target=w, daemon=True) for w in workers]
for t in threads:
    t.start()
rows = []
print("second  rss_MB  fds  valid/s  p99_ms  unexpected")
for second in range(1, int(seconds) + 1):
    time.sleep(max(0.0, end - seconds + second - time.time()))
    with lock:
        window, latencies[:] = list(latencies), []
        bad = len(unexpected)
    p99 = sorted(window)[int(len(window) * 0.99)] * 1000 if window else float("nan")
    rss, fds = sample("VmRSS") / 1024, len(os.listdir(f"/proc/{pid}/fd"))
    rows.append((rss, fds, len(window), p99))
    print(f"{second:6d}  {rss:6.1f}  {fds:3d}  {len(window):7d}  {p99:6.2f}  {bad}", flush=True)
for t in threads:
    t.join(timeout=15)

def spread(values):
    return f"median {statistics.median(values):.1f}, max {max(values):.1f}"
minute = min(60, len(rows) // 2) or 1
first, last = rows[:minute], rows[-minute:]
rss0, rss1 = statistics.median(r[0] for r in first), statistics.median(r[0] for r in last)
fd0, fd1 = statistics.median(r[1] for r in first), statistics.median(r[1] for r in last)
print(f"\nRSS MB: first {minute} s median {rss0:.1f}, last {minute} s median {rss1:.1f}, max {max(r[0] for r in rows):.1f}")
print(f"descriptors: first median {fd0:.0f}, last median {fd1:.0f}, max {max(r[1] for r in rows)}")
print(f"valid requests/s: {spread([r[2] for r in rows])}; p99 ms: {spread([r[3] for r in rows if r[2]])}")
print("answers by client:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
print(f"answers other than intended: {len(unexpected)}")
for line in unexpected[:20]:
    print("  ", line)
grew = (rss1 > rss0 * 1.25 and rss1 - rss0 > 16) or (fd1 > fd0 * 1.25 and fd1 - fd0 > 64)
if grew:
    print("memory or descriptors grew over the run")
sys.exit(1 if unexpected or grew else 0)
EOF
