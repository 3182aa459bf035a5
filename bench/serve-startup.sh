#!/usr/bin/env bash
# serve's start-up time (launch to grpc.health.v1 SERVING) and resident memory once serving, for one or more
# builds in alternation, REPS rounds; prints each figure, then the medians per build.
#
#   bash bench/serve-startup.sh MODEL_DIR NAME=CLASSPATH [NAME=CLASSPATH ...]     REPS=3 PORT=50071
#
# CLASSPATH is a build's samples/target/classes:samples/target/lib/* (quote the star). Run it on a quiet
# machine: start-up is mostly class loading and native set-up, which other jobs slow.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$1"; shift
reps="${REPS:-3}" port="${PORT:-50071}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for ((r = 1; r <= reps; r++)); do
    for build in "$@"; do
        name="${build%%=*}" cp="${build#*=}"
        start=$(date +%s%3N)
        TRANSFUSION_CLASSPATH="$cp" "$root/transfusion" serve --model "$model" --port "$port" >/dev/null 2>&1 &
        launcher=$!
        ms=$(java -cp "$cp" "$root/bench/ServeReady.java" "localhost:$port" "$start")
        pid=$(pgrep -P "$launcher" java || echo "$launcher")
        rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
        kill "$pid"; wait "$launcher" 2>/dev/null || true
        echo "$name start-up $ms ms, RSS $rss MB" | tee -a "$log"
    done
done
python3 - "$log" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) start-up (\d+) ms, RSS (\d+) MB", line)
    rows.setdefault(m[1], []).append((int(m[2]), int(m[3])))
for name, v in rows.items():
    print(f"median {name}: start-up {statistics.median(a for a, _ in v):.0f} ms, RSS {statistics.median(b for _, b in v):.0f} MB")
PY
